"""WRM8xx: consistency — inputs of one host that contradict each other, hosts that drift from a baseline."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from winrmlint.findings import Finding
from winrmlint.model import catalog
from winrmlint.model.host import Host, Setting
from winrmlint.model.values import Reading, Source, Value
from winrmlint.rules.base import REGISTRY_FORMATS, Context, literal, remedy, rule, shown

# Dumps of the WinRM configuration, which mark what Group Policy sets (`[Source="GPO"]`, `Source : GPO`).
WINRM_VIEWS = frozenset({"winrm-config-text", "winrm-config-xml", "wsman-drive", "wsman-instance-list"})
# Listener properties that differ from host to host by nature: the addresses a listener is bound
# to, the host name an HTTPS listener answers to and its certificate (and the service's own).
PER_HOST = ("/ListeningOn", "/Hostname", "/CertificateThumbprint")
BACKSLASH = "\\"


def _layer(reading: Reading) -> str:
    """`policy` (a Group Policy value read from the registry), `store` (a local registry value)
    or `effective` (what the service or a tool reports it runs with)."""
    if reading.origin in REGISTRY_FORMATS:
        return "policy" if reading.source is Source.GPO else "store"
    return "effective"


def _comparable(first: Reading, second: Reading) -> bool:
    """Whether two readings of one path must agree.

    A policy in force overrides the local value (winrm-reference.md §0), so the policy and what
    the service reports must agree, and so must the store and a reported value that is not
    marked GPO; the store and the policy are two layers that may legitimately differ.
    """
    layers = {_layer(first), _layer(second)}
    if layers == {"policy", "store"}:
        return False
    if layers == {"store", "effective"}:
        reported = first if _layer(first) == "effective" else second
        return reported.source is Source.LOCAL
    return True


def same(first: Value, second: Value) -> bool:
    """Typed values compared as Windows compares them: names without case, lists as sets."""
    return _normal(first) == _normal(second)


def _normal(value: Value) -> object:
    if isinstance(value, tuple):
        return frozenset(item.strip().casefold() for item in value)
    if isinstance(value, str):
        return value.strip().casefold()
    return value


def label(path: str) -> str:
    """How a message names a setting: `service/auth/Basic`, a registry value's name, or the path."""
    if path.lower().startswith(catalog.ROOT + "/"):
        return f"`{path[len(catalog.ROOT) + 1:]}`"
    if "\\" in path:
        return f"`{path.rsplit(BACKSLASH, 1)[1]}`"
    return f"`{path}`"


def said(value: Value) -> str:
    if value == "" or value == ():
        return "it is empty"
    return f"`{literal(value)}`"


def _input(reading: Reading, bundle: str) -> str:
    """`` `policy.reg` line 7 (registry export, Group Policy value) ``: which input, named as in its bundle."""
    uri, root = reading.location.uri, bundle.rstrip("/") + "/"
    name = uri[len(root) :] if uri.startswith(root) else uri.rsplit("/", 1)[-1]
    from winrmlint.manifest import FORMAT as MANIFEST
    from winrmlint.parsers import DISPLAY_NAMES  # each format declares how messages name it

    tool = {**DISPLAY_NAMES, MANIFEST: "the bundle manifest"}.get(reading.origin, reading.origin or "an input")
    if reading.origin == "winrm-config-text" and reading.path.lower().startswith(catalog.LISTENERS + "/"):
        tool = "winrm enumerate"
    layer = _layer(reading)
    if layer == "policy":
        kind = "Group Policy value"
    elif layer == "store":
        kind = "WinRM's store" if reading.path.lower().startswith(catalog.ROOT + "/") else "registry"
    elif reading.origin in WINRM_VIEWS:
        kind = "marked GPO" if reading.source is Source.GPO else "not marked GPO"
    else:
        return f"`{name}` line {reading.location.line} ({tool})"
    return f"`{name}` line {reading.location.line} ({tool}, {kind})"


def _two_inputs(host: Host) -> bool:
    """WRM801 compares inputs: a bundle with one readable file has nothing to compare."""
    return len(host.readable_files) >= 2


@rule(code="WRM801", name="sources-disagree", level="warning", kind="exposure", needs=(), evaluable=_two_inputs)
def sources_disagree(host: Host, ctx: Context) -> Iterator[Finding]:
    """Two inputs of one host disagree on a setting.

    ## What it finds
    One setting read from two files of the same bundle with two different values: a Group Policy
    value exported from `HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM` against what `winrm
    get winrm/config` shows, WinRM's registry store against a `winrm get` value that is not
    marked `[Source="GPO"]`, two `winrm get` or listener dumps, `dsregcmd /status` against the
    bundle manifest. Values are compared as typed (`1` and `true` agree, lists as sets, names
    without case); values cut short by the tool that printed them, or that cannot be read, are
    left out. A policy value and the store's local value may differ (the policy wins, the store
    keeps the local value for when the policy goes), so that pair alone is not reported. A policy
    value that `winrm get` (or the `WSMan:` drive) shows not marked `[Source="GPO"]` is reported
    even when the two values agree: the policy is not applied, and the value is the local one
    that happens to match. One finding per setting, at the highest-ranking reading involved (a policy before a local
    value), with the other readings as related locations.

    ## Why it matters
    The rules judge the value that wins, but when the inputs contradict each other one of them
    does not describe the host as it runs: a policy that has not been applied yet (the GPO is
    linked but `gpupdate` has not run; once it applies, the local value is overridden and
    `winrm set` on it fails with "The config setting … cannot be changed because is controlled
    by policies"), a registry value written with `reg add` that the running service has not
    read, dumps collected at different times or from different computers. A fix based on the
    wrong one does not take.

    ## Example
    ```reg
    Windows Registry Editor Version 5.00

    [HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service]
    "AllowBasic"=dword:00000000
    "AllowUnencryptedTraffic"=dword:00000000

    ```
    ```winrm-config
    Service
        AllowUnencrypted = false [Source="GPO"]
        Auth
            Basic = true
            Kerberos = true
    ```

    ## Fix
    Collect the inputs again, together, from this host. If a policy value differs from what
    `winrm get` reports, apply the policy and check that it is applied:
    ```console
    gpupdate /force
    gpresult /h gp.html
    winrm get winrm/config
    ```
    If WinRM's registry store differs from `winrm get`, the store was edited directly: set the
    value with `winrm set` (or restart the service, `Restart-Service WinRM`, for it to read the
    store) rather than with `reg add`.
    ```diff
    --- dump1.txt
    +++ dump1.txt
    @@ -2,4 +2,4 @@
         AllowUnencrypted = false [Source="GPO"]
         Auth
    -        Basic = true
    +        Basic = false [Source="GPO"]
             Kerberos = true
    ```
    """
    for setting in host.settings.values():
        readings = [r for r in setting.readings if r.valid and not r.truncated]
        if len(readings) < 2:
            continue
        involved, clashes = _clashes(readings)
        if not clashes:
            yield from _policy_not_applied(host, ctx, setting, readings)
            continue
        anchor, others = involved[0], involved[1:]
        told = ", ".join(f"{_input(r, host.bundle)} says {said(r.value)}" for r in involved)
        yield ctx.finding(
            host,
            anchor.location,
            f"{label(setting.path)} differs between inputs: {told}; expected one value in every input",
            path=setting.path,
            fix=_disagreement_fix(clashes),
            related=[r.location for r in others],
        )


def _policy_not_applied(host: Host, ctx: Context, setting: Setting, readings: list[Reading]) -> Iterator[Finding]:
    """A policy value in the registry export, and a WinRM view of another file that shows the
    setting not marked GPO, even with the same value: the policy is not in force (yet)."""
    policy = next((r for r in readings if _layer(r) == "policy"), None)
    if policy is None:
        return
    local = [r for r in readings if r.origin in WINRM_VIEWS and r.source is Source.LOCAL
             and r.location.uri != policy.location.uri]
    if not local:
        return
    yield ctx.finding(
        host,
        policy.location,
        f"{label(setting.path)}: the Group Policy value in {_input(policy, host.bundle)} is not in force: "
        f"{_input(local[0], host.bundle)} shows {said(local[0].value)}; expected it marked `[Source=\"GPO\"]`",
        path=setting.path,
        fix=UNAPPLIED_FIX,
        related=[r.location for r in local],
    )


UNAPPLIED_FIX = (
    "The policy does not show in what the service reports: run `gpupdate /force`, check with "
    "`gpresult /h gp.html` that the GPO applies to this computer, then collect `winrm get winrm/config` "
    "and the registry export again, together"
)


def _clashes(readings: list[Reading]) -> tuple[list[Reading], list[tuple[Reading, Reading]]]:
    """The readings that disagree with a comparable reading of another file, and one such pair
    per pair of kinds of reading (layer, marked local or not), in the order read.

    Counted rather than paired: a hostile dump repeating one setting a million times made every
    pair (`combinations`) quadratic. Whether two readings must agree depends only on their kinds,
    so readings of a kind are counted by file, by value and by both; those of another file with
    another value are the total less the same file, less the same value, plus both.
    """
    if len({r.location.uri for r in readings}) < 2:
        return [], []  # readings of one file never clash with each other
    kinds = [(_layer(r), r.source is Source.LOCAL) for r in readings]
    values = [_normal(r.value) for r in readings]
    first: dict[tuple[str, bool], Reading] = {}
    total: dict[tuple[str, bool], int] = {}
    counts: dict[tuple[tuple[str, bool], object], int] = {}
    for reading, kind, value in zip(readings, kinds, values):
        first.setdefault(kind, reading)
        total[kind] = total.get(kind, 0) + 1
        for key in (("uri", reading.location.uri), ("value", value), ("both", reading.location.uri, value)):
            counts[(kind, key)] = counts.get((kind, key), 0) + 1
    comparable = {(k, j): _comparable(first[k], first[j]) for k in first for j in first}

    def others(kind: tuple[str, bool], uri: str, value: object) -> int:
        return (total[kind] - counts.get((kind, ("uri", uri)), 0) - counts.get((kind, ("value", value)), 0)
                + counts.get((kind, ("both", uri, value)), 0))

    involved: list[Reading] = []
    pairs: dict[frozenset[tuple[str, bool]], tuple[Reading, Reading]] = {}
    for index, (reading, kind, value) in enumerate(zip(readings, kinds, values)):
        uri = reading.location.uri
        clashing = [j for j in first if comparable[(kind, j)] and others(j, uri, value) > 0]
        if clashing:
            involved.append(reading)
        for j in clashing:
            if frozenset((kind, j)) not in pairs:
                # a witness for the fix's wording: one reading of kind j it disagrees with
                match = next(i for i, (r, k, v) in enumerate(zip(readings, kinds, values))
                             if k == j and r.location.uri != uri and v != value)
                a, b = sorted((index, match))
                pairs[frozenset((kind, j))] = (readings[a], readings[b])
    return involved, list(pairs.values())


def _disagreement_fix(clashes: Sequence[tuple[Reading, Reading]]) -> str:
    layers = [{_layer(a), _layer(b)} for a, b in clashes]
    unapplied = any(
        pair == {"policy", "effective"} and any(_layer(r) == "effective" and r.source is Source.LOCAL for r in clash)
        for pair, clash in zip(layers, clashes)
    )
    if unapplied:
        return UNAPPLIED_FIX
    if any(pair == {"store", "effective"} for pair in layers):
        return (
            "WinRM's registry store was changed behind the service's back: set the value with `winrm set` "
            "(or `Restart-Service WinRM` so that it reads the store), then collect both inputs again"
        )
    return "Collect the inputs again, at the same time and from this host, to know which value is current"


@rule(code="WRM802", name="baseline-drift", level="warning", kind="exposure", needs=(catalog.ROOT,), fleet=True,
      reads=(catalog.ROOT,))
def baseline_drift(host: Host | None, ctx: Context) -> Iterator[Finding]:
    """A host's WinRM configuration differs from the baseline host's.

    ## What it finds
    With `winrmlint lint --golden NAME fleet/`, every setting under `winrm/config` (client,
    service, Winrs, listeners) whose value on a host differs from the value on the baseline host
    `NAME`, where both hosts' inputs tell the value (a default counts where the input that shows
    the section was collected). Values are compared as typed, lists as sets, names without case.
    What differs by nature from host to host is left out: a listener's `ListeningOn` addresses,
    its `Hostname` and certificate thumbprints. One finding per host and setting, at the host's
    value, with the baseline's value as the related location. Without `--golden`, or when no
    host of the run has that name, the rule stays silent.

    ## Why it matters
    Hosts built from one image or governed by one GPO are meant to be configured alike. A
    setting that drifted on one of them was changed by hand, by a script that ran on some hosts
    only, or by a GPO that does not apply there: remoting then works on one server and fails on
    its twin, or one host is weaker than the hardened baseline that was reviewed.

    ## Example
    A fleet of two hosts, each dump a host of its own, the first (`gold01`) the baseline:
    `winrmlint lint --golden gold01 fleet/` with `fleet/gold01/winrm-config.txt`
    ```winrm-config
    Service
        AllowUnencrypted = false
        Auth
            Basic = false
    ```
    and `fleet/web01/winrm-config.txt`
    ```winrm-config
    Service
        AllowUnencrypted = true
        Auth
            Basic = false
    ```

    ## Fix
    Bring the host back to the baseline's value with the tool its source calls for (the finding's
    fix names it), for example:
    cmd:
    ```cmd
    winrm set winrm/config/service @{AllowUnencrypted="false"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/service '@{AllowUnencrypted="false"}'
    ```
    or, when the baseline gets the value from Group Policy, link the same GPO to this host.
    Where the difference is meant, lint that host against another baseline. The change:
    ```diff
    --- host1/dump1.txt
    +++ host1/dump1.txt
    @@ -1,3 +1,3 @@
     Service
    -    AllowUnencrypted = true
    +    AllowUnencrypted = false
         Auth
    ```
    """
    if not ctx.baseline:
        return
    wanted = ctx.baseline.lower()
    golden = next((h for h in ctx.hosts if h.name.lower() == wanted), None)
    if golden is None:
        return
    reference = [s for s in golden.under(catalog.ROOT) if _drift_comparable(s)]
    for other in ctx.hosts:
        if other.name.lower() == wanted:
            continue
        for base in reference:
            mine = other.get(base.path)
            if mine is None or not _drift_comparable(mine) or same(mine.value, base.value):
                continue
            expected = "an empty value" if _empty(base.value) else f"`{literal(base.value)}`"
            yield ctx.finding(
                other,
                mine,
                f"{label(mine.path)} is {_shown(mine)}; on the baseline host `{golden.name}` it is {_shown(base)}; "
                f"expected {expected}",
                fix=_drift_fix(mine, base, golden.name),
                related=[base.location],
            )


def _empty(value: Value) -> bool:
    return value == "" or value == ()


def _shown(setting: Setting) -> str:
    """`shown`, with an empty value said in words (a pair of empty backticks reads as nothing)."""
    text = shown(setting)
    return "empty" + text[2:] if _empty(setting.value) else text


def _drift_comparable(setting: Setting) -> bool:
    effective = setting.effective
    if effective is not None and (not effective.valid or effective.truncated):
        return False
    return not setting.path.endswith(PER_HOST)


def _drift_fix(mine: Setting, base: Setting, golden: str) -> str:
    if mine.path.lower().startswith(catalog.LISTENERS + "/"):
        fix = _listener_fix(mine, base.value)
    else:
        fix = remedy(mine, base.value)
    if base.source is Source.GPO and mine.source is not Source.GPO:
        fix = f"{fix}, or apply to this host the GPO that sets it on `{golden}`" if fix else (
            f"Apply to this host the GPO that sets it on `{golden}`"
        )
    return fix


def _listener_fix(mine: Setting, expected: Value) -> str:
    """`winrm set` addresses a listener by its selectors, not by the model's path."""
    key, _, prop = mine.path[len(catalog.LISTENERS) + 1 :].rpartition("/")
    address, plus, transport = key.partition("+")
    if mine.source is not Source.LOCAL or not plus or "+" in transport or "#" in transport:
        return remedy(mine, expected)
    text = literal(expected).lower() if isinstance(expected, bool) else literal(expected)
    return f'`winrm set winrm/config/Listener?Address={address}+Transport={transport} @{{{prop}="{text}"}}`'
