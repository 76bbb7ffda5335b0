"""What a rule is: metadata in a decorator, documentation in the docstring, logic in a generator."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from winrmlint.budget import clip_quoted
from winrmlint.findings import Finding, Level
from winrmlint.model import catalog, paths
from winrmlint.model.host import Host, Setting
from winrmlint.model.values import Source, Value
from winrmlint.options import RuleOptions
from winrmlint.source import Location


@dataclass(frozen=True)
class Doc:
    """A document behind a rule's cause: its title and public address."""

    title: str
    uri: str


ENTRA = Doc(
    "Can't establish a PowerShell remote session using WinRM (Microsoft Entra joined machines)",
    "https://learn.microsoft.com/troubleshoot/windows-client/system-management-components/"
    "can-not-establish-ps-remote-session-winrm-aad-only-joined-machines",
)
SPN = Doc(
    "Error 0x80090322 when connecting PowerShell to remote server via WinRM",
    "https://learn.microsoft.com/troubleshoot/windows-server/system-management-components/"
    "error-0x80090322-when-connecting-powershell-to-remote-server-via-winrm",
)
TROUBLE = Doc(
    "about_Remote_Troubleshooting",
    "https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_remote_troubleshooting",
)
AUTH = Doc(
    "Authentication for Remote Connections",
    "https://learn.microsoft.com/windows/win32/winrm/authentication-for-remote-connections",
)
INSTALL = Doc(
    "Installation and configuration for Windows Remote Management",
    "https://learn.microsoft.com/windows/win32/winrm/installation-and-configuration-for-windows-remote-management",
)

# Parsers that read the registry: a GPO reading from them is the policy value itself, a local one
# is WinRM's own store (or another plain registry value), not what the service runs with.
REGISTRY_FORMATS = frozenset({"registry-export", "reg-query"})

# dsregcmd's Device State flags (and a manifest's `join`) live under this prefix
JOIN = paths.AZURE_AD_JOINED.rsplit("/", 1)[0]
JOIN_WORDS = {
    "domain": "a domain-joined computer",
    "hybrid": "a Microsoft Entra hybrid joined computer",
    "entra": "a Microsoft Entra-only joined computer",
    "workgroup": "a workgroup computer",
}

Check = Callable[[Host, "Context"], Iterator[Finding]]


class Kind(StrEnum):
    """What a rule's finding means to an admin (rules-catalog.md, "Kinds and profiles")."""

    BREAKS = "breaks"  # remoting will fail, for all or some clients: the finding quotes the error
    EXPOSURE = "exposure"  # an insecure value someone set, or a policy pushed
    BASELINE = "baseline"  # a hardening benchmark's expectation beyond the Windows default
    INPUT = "input"  # a file that was not read: always reported


class Profile(StrEnum):
    """Which expectations a run holds hosts to. The default profile runs `breaks`, `exposure` and
    `input` and is silent on an untouched install; the others add a benchmark's checks with its
    own semantics (a missing policy value is a finding)."""

    DEFAULT = "default"
    STIG = "stig"
    CIS = "cis"
    CIS_L2 = "cis-l2"

    def asks(self, benchmark: str, level: int = 1) -> bool:
        """Whether this profile holds hosts to `benchmark` (`stig`, `cis`) at that CIS level."""
        if self is Profile.STIG:
            return benchmark == "stig"
        if self is Profile.CIS:
            return benchmark == "cis" and level == 1
        if self is Profile.CIS_L2:
            return benchmark == "cis"
        return False

_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)
REQUIRED_SECTIONS = ("What it finds", "Why it matters", "Example", "Fix")


@dataclass(frozen=True)
class Variant:
    """A case a rule reports beyond its catalog line, at its own level and under a stated condition.

    The catalog (../shared/rules-catalog.md) is the public contract and not ours to edit; where a
    rule does more than its line says (a weaker case as a note, a second way to see the cause),
    it declares it here, and `rules`, `explain`, the rule docs and SARIF (`properties.variants`)
    show it. tests/test_rule_levels.py holds every level a rule emits to its catalog level or a
    declared variant.
    """

    level: Level
    when: str  # the condition, as a clause: "when only one of the two filters is empty"

    def shown(self) -> str:
        return f"{self.level.value} {self.when}"


@dataclass(frozen=True)
class Rule:
    """A rule: its public contract (code, name, level), its documentation and its check.

    `needs` lists the logical prefixes one of which some input must speak to before the rule can
    judge a host; with none of them collected, the host is reported as not evaluated.
    `evaluable`, where given, decides it from the facts themselves, for a rule that needs two
    inputs, or a second one only when the first shows a certain value (an Entra-only join state
    needs the SPN prefix too; a domain join alone already answers). A fleet rule's `evaluable`
    is asked of every host of the run: one host with the input lets it judge them all.
    `fleet` rules see every host of the run at once (SPNs live in one directory), as summaries:
    `reads` lists the logical prefixes of the settings a fleet rule reads, which is what a
    host's summary keeps (summary.py; a test checks that the rules read nothing else).
    `baselines` names the benchmark items a rule also checks when a profile asks for them
    (`--profile stig`): the rule's kind is then what it finds by default, and `baseline` is a tag.
    """

    code: str
    name: str
    level: Level
    kind: Kind
    check: Check
    docs: tuple[Doc, ...]
    needs: tuple[str, ...]
    security_severity: float | None = None
    cwe: tuple[str, ...] = ()
    baselines: tuple[str, ...] = ()
    fleet: bool = False
    reads: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    doc: str = field(default="", repr=False)
    evaluable: Callable[[Host], bool] | None = field(default=None, repr=False)

    @property
    def levels(self) -> tuple[Level, ...]:
        """Every level the rule may report: the catalog's first, then its variants' (in order, once)."""
        found = [self.level]
        for variant in self.variants:
            if variant.level not in found:
                found.append(variant.level)
        return tuple(found)

    @property
    def level_shown(self) -> str:
        """`error`, or `error (+note)` for a rule with variants, as `winrmlint rules` shows it."""
        extra = [lv.value for lv in self.levels[1:]]
        return self.level.value + (f" (+{', +'.join(extra)})" if extra else " (+variant)" if self.variants else "")

    @property
    def variants_markdown(self) -> str:
        """The `## Levels` section: the catalog level, then each variant with its condition."""
        if not self.variants:
            return ""
        lines = [f"- **{self.level.value}**: the catalog's case (above)"]
        lines += [f"- **{v.level.value}** {v.when}" for v in self.variants]
        return "## Levels\n" + "\n".join(lines)

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.name

    @property
    def help_markdown(self) -> str:
        body = inspect.cleandoc(self.doc).split("\n", 1)[1].strip() if "\n" in self.doc.strip() else ""
        refs = "\n".join(f"- [{d.title}]({d.uri})" for d in self.docs)
        tail = []
        if self.baselines:
            tail.append("Baselines: " + ", ".join(self.baselines))
        if self.cwe:
            tail.append("Weakness: " + ", ".join(self.cwe))
        parts = [body, self.variants_markdown, "## References\n" + refs if refs else "", "\n\n".join(tail)]
        return "\n\n".join(p for p in parts if p)

    @property
    def help_text(self) -> str:
        """The help as plain text: Markdown headings and fences stripped, content kept."""
        text = re.sub(r"^## ", "", self.help_markdown, flags=re.MULTILINE)
        text = re.sub(r"^```[\w-]*\n?", "", text, flags=re.MULTILINE)
        return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 <\2>", text)

    @property
    def help_uri(self) -> str:
        if self.docs:
            return self.docs[0].uri
        from winrmlint import project

        # no Microsoft document behind it: the rule's own page
        return project.rule_page(self.code)

    def section(self, title: str) -> str:
        """The body of one `## title` section of the docstring."""
        doc = inspect.cleandoc(self.doc)
        parts = _SECTION.split(doc)
        for heading, body in zip(parts[1::2], parts[2::2]):
            if heading.strip() == title:
                return body.strip()
        return ""

    @property
    def kinds(self) -> tuple[str, ...]:
        """The rule's kind, and `baseline` where a profile adds a benchmark's check to it."""
        return (self.kind.value,) + (("baseline",) if self.baselines and self.kind is not Kind.BASELINE else ())

    @property
    def kind_shown(self) -> str:
        """`exposure` or `exposure, baseline`, as `winrmlint rules` and `explain` show it."""
        return ", ".join(self.kinds)

    @property
    def tags(self) -> tuple[str, ...]:
        """The kinds first, then `security` and the CWE tags (SARIF `properties.tags`)."""
        security = ("security",) if self.security_severity is not None else ()
        return self.kinds + security + tuple(f"external/cwe/{c.lower()}" for c in self.cwe)

    def runs_in(self, profile: Profile) -> bool:
        """Whether a profile runs this rule: every rule but a pure benchmark check runs everywhere."""
        if self.kind is not Kind.BASELINE:
            return True
        return any(profile.asks(b) for b in ("stig", "cis")) and bool(self.baselines)


def rule(
    *,
    code: str,
    name: str,
    level: str,
    kind: str,
    needs: Sequence[str],
    docs: Sequence[Doc] = (),
    security_severity: float | None = None,
    cwe: Sequence[str] = (),
    baselines: Sequence[str] = (),
    fleet: bool = False,
    evaluable: Callable[[Host], bool] | None = None,
    reads: Sequence[str] = (),
    variants: Sequence[tuple[str, str]] = (),
) -> Callable[[Check], Rule]:
    """Turn a check function and its docstring into a Rule (registration is explicit, elsewhere)."""

    def wrap(check: Check) -> Rule:
        return Rule(
            code=code,
            name=name,
            level=Level(level),
            kind=Kind(kind),
            check=check,
            docs=tuple(docs),
            needs=tuple(needs),
            security_severity=security_severity,
            cwe=tuple(cwe),
            baselines=tuple(baselines),
            fleet=fleet,
            reads=tuple(reads),
            variants=tuple(Variant(Level(lv), when) for lv, when in variants),
            doc=check.__doc__ or "",
            evaluable=evaluable,
        )

    return wrap


@dataclass(frozen=True)
class Context:
    """What a check may use besides its host: the rule, and for fleet rules every host and the baseline."""

    rule: Rule
    hosts: Sequence[Host] = ()
    baseline: str | None = None  # the golden host's name, for fleet drift (`--golden`)
    profile: Profile = Profile.DEFAULT
    options: RuleOptions = RuleOptions()  # the site's thresholds from its configuration

    def finding(
        self,
        host: Host,
        at: Setting | Location,
        message: str,
        *,
        path: str | None = None,
        fix: str = "",
        key: str = "",
        related: Sequence[Location] = (),
        level: Level | None = None,
    ) -> Finding:
        location = at.location if isinstance(at, Setting) else at
        logical = path or (at.path if isinstance(at, Setting) else "")
        if level is not None and level not in self.rule.levels:
            # the catalog level or a declared variant, nothing else (Rule.variants)
            raise ValueError(f"{self.rule.code} reports {level.value}, neither its level nor a declared variant")
        return Finding(
            code=self.rule.code,
            # a rule may report a weaker case of its cause at a variant's level (WRM401's note)
            level=level or self.rule.level,
            # values quoted from a dump are bounded here, for every rule (budget.clip_quoted)
            message=clip_quoted(message),
            host=host.name,
            path=logical,
            location=location,
            fix=pasteable(clip_quoted(fix)),
            key=key,
            related=tuple(related),
            bundle=host.bundle,
        )


# `winrm set|create <resource> @{…}` in backticks, as fixes write it
_WINRM_HASH = re.compile(r"`(winrm(?:\.cmd)? (?:set|create|s|c) [^`@]+)@\{([^`]*)\}`")


def pasteable(fix: str) -> str:
    """Each `` `winrm set … @{…}` `` of a fix in both shells, labelled: cmd takes it as written;
    PowerShell parses an unquoted `@{…}` as a hashtable, so there it is quoted `'@{…}'`."""
    return _WINRM_HASH.sub(
        lambda m: f"cmd: `{m[1]}@{{{m[2]}}}`, PowerShell: `{m[1]}'@{{{m[2]}}}'`", fix
    )


def shown(setting: Setting) -> str:
    """A value as a message shows it, with where it comes from: `` `true` (set by GPO) ``."""
    text = f"`{literal(setting.value)}`"
    if setting.is_default:
        return f"{text} (the Windows default)"
    if setting.source is Source.GPO:
        return f"{text} (set by Group Policy)"
    return text


def is_empty(setting: Setting | None) -> bool:
    """Whether a setting is shown with an empty (or blank) text value."""
    return setting is not None and isinstance(setting.value, str) and not setting.value.strip()

def known_text(setting: Setting | None) -> str | None:
    """A setting's text value when its effective reading could be read, else None."""
    if setting is None or setting.effective is None or not setting.effective.valid:
        return None
    return setting.value if isinstance(setting.value, str) else None


def enumerate_words(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def flag_is(host: Host, ctx: Context, path: str, bad: bool, label: str) -> Iterator[Finding]:
    """The shared shape of "setting X must not be `bad`" rules."""
    setting = host.get(path)
    if setting is not None and setting.value is bad:
        yield ctx.finding(
            host,
            setting,
            f"{label} `{setting.name}` is {shown(setting)}; expected `{literal(not bad)}`",
            fix=remedy(setting, not bad),
        )


def literal(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ", ".join(value) if value else "{}"
    return "" if value is None else str(value)


def remedy(setting: Setting, expected: Value) -> str:
    """The fix for one setting, with the tool its source calls for.

    A value set by Group Policy cannot be changed with `winrm set` (0x8033808A): name the policy.
    """
    known = catalog.BY_PATH.get(setting.path)
    if setting.source is Source.GPO:
        policy = known.policy if known else None
        if policy is None:
            return (
                f"Group Policy sets `{setting.name}`: change it in the GPO that applies it "
                "(`gpresult /h gp.html` names it), not with `winrm set`"
            )
        if isinstance(expected, bool):
            state = policy.state_for(expected)
            return f'Group Policy: set "{policy.gpo_path}" to {state}, then `gpupdate /force`'
        return (
            f'Group Policy: set "{policy.gpo_path}" to Enabled with `{literal(expected)}`, '
            "then `gpupdate /force`"
        )
    if setting.path.startswith(catalog.ROOT + "/"):
        return f"`{catalog.winrm_set_command(setting.path, expected)}`"
    if setting.path.upper().startswith("HKLM\\"):
        return reg_add(setting.path, expected)
    return ""


def reg_add(path: str, expected: Value) -> str:
    key, _, name = path.rpartition("\\")
    if isinstance(expected, bool | int):
        return f'`reg add "{key}" /v {name} /t REG_DWORD /d {int(expected)} /f`'
    return f'`reg add "{key}" /v {name} /t REG_SZ /d "{literal(expected)}" /f`'


def join_location(host: Host) -> Location | None:
    """Where the join state was read: the `DomainJoined` line, else `AzureAdJoined`."""
    for path in (paths.DOMAIN_JOINED, paths.AZURE_AD_JOINED):
        setting = host.get(path)
        if setting is not None:
            return setting.location
    return None


def join_shown(host: Host) -> str:
    """`a workgroup computer (`AzureAdJoined : NO`, `DomainJoined : NO`)`, as dsregcmd says it."""
    state = host.join_state
    words = JOIN_WORDS.get(state or "", "a computer")
    flags = []
    for path in (paths.AZURE_AD_JOINED, paths.DOMAIN_JOINED):
        setting = host.get(path)
        if setting is not None and isinstance(setting.value, bool):
            flags.append(f"`{path.rsplit('/', 1)[1]} : {'YES' if setting.value else 'NO'}`")
    return f"{words} ({', '.join(flags)})" if flags else words
