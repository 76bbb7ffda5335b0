"""What the user types: a remoting command line (or the flag form) read into attempts.

Only the remoting parameters matter (connection-model §2.1); every other parameter of the cmdlet
is recognised and passed over. PowerShell binds a parameter by any unambiguous prefix of its name
or of an alias, in any case; a parameter this cannot read is a usage error that names it, never
a silent default.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

MECHANISMS = ("Default", "Basic", "Negotiate", "NegotiateWithImplicitCredential", "Credssp", "Digest", "Kerberos")
CREDENTIAL_KINDS = ("implicit", "domain", "local", "entra")

# cmdlet aliases shipped with PowerShell
_ALIASES = {"icm": "Invoke-Command", "etsn": "Enter-PSSession", "nsn": "New-PSSession"}
CMDLETS = ("Invoke-Command", "Enter-PSSession", "New-PSSession", "Test-WSMan")

# (name, aliases, takes a value); the remoting parameters first, then those only passed over
_REMOTING: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("ComputerName", ("Cn",), True),
    ("ConnectionUri", ("URI", "CU"), True),
    ("Credential", ("Cred",), True),
    ("Authentication", (), True),
    ("UseSSL", (), False),
    ("Port", (), True),
    ("ConfigurationName", (), True),
    ("SessionOption", (), True),
    ("CertificateThumbprint", (), True),
    ("ApplicationName", (), True),
)
_COMMON: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("Verbose", ("vb",), False), ("Debug", ("db",), False), ("ErrorAction", ("ea",), True),
    ("WarningAction", ("wa",), True), ("InformationAction", ("infa",), True), ("ErrorVariable", ("ev",), True),
    ("WarningVariable", ("wv",), True), ("InformationVariable", ("iv",), True), ("OutVariable", ("ov",), True),
    ("OutBuffer", ("ob",), True), ("PipelineVariable", ("pv",), True), ("ProgressAction", ("proga",), True),
)
_PASSED_OVER: dict[str, tuple[tuple[str, tuple[str, ...], bool], ...]] = {
    "Invoke-Command": (
        ("ScriptBlock", ("Command",), True), ("FilePath", ("PSPath",), True), ("ArgumentList", ("Args",), True),
        ("AsJob", (), False), ("HideComputerName", ("HCN",), False), ("JobName", (), True),
        ("ThrottleLimit", (), True), ("InDisconnectedSession", ("Disconnected",), False),
        ("SessionName", (), True), ("EnableNetworkAccess", (), False), ("AllowRedirection", (), False),
        ("InputObject", (), True), ("NoNewScope", (), False), ("RemoteDebug", (), False),
    ),
    "Enter-PSSession": (("EnableNetworkAccess", (), False), ("AllowRedirection", (), False),
                        ("RunAsAdministrator", (), False)),
    "New-PSSession": (("Name", (), True), ("ThrottleLimit", (), True), ("EnableNetworkAccess", (), False),
                      ("AllowRedirection", (), False)),
    "Test-WSMan": (),
}
# New-PSSessionOption switches and valued options that change the attempt (PS-PSO)
_OPTION_SWITCHES = ("IncludePortInSPN", "SkipCACheck", "SkipCNCheck", "SkipRevocationCheck", "NoEncryption",
                    "NoCompression", "NoMachineProfile", "UseUTF16")
_OPTION_VALUES = ("ProxyAccessType", "ProxyAuthentication", "ProxyCredential", "OperationTimeout",
                  "OpenTimeout", "CancelTimeout", "IdleTimeout", "MaximumRedirection", "ApplicationArguments",
                  "Culture", "UICulture", "MaximumReceivedDataSizePerCommand", "MaximumReceivedObjectSize",
                  "OutputBufferingMode", "MaxConnectionRetryCount")


class UsageError(Exception):
    """A command line that cannot be read: the message names the parameter."""


@dataclass(frozen=True)
class Credential:
    """What `-Credential` says: who, and which kind of account (the password never matters)."""

    kind: str  # implicit | domain | local | entra
    user: str = ""
    realm: str = ""  # the part before `\`, or after `@`

    @property
    def explicit(self) -> bool:
        return self.kind != "implicit"

    @property
    def shown(self) -> str:
        if not self.explicit:
            return "current user"
        who = f"{self.realm}\\{self.user}" if self.realm else self.user
        return f"{self.kind} {who}".strip()

    @property
    def builtin_administrator(self) -> bool:
        # the RID-500 account keeps its full token (W32-AUTH); renamed, it cannot be told by name
        return self.kind == "local" and self.user.lower() == "administrator"


@dataclass(frozen=True)
class Attempt:
    """One connection attempt as typed: what the client builds its request from."""

    cmdlet: str = "Enter-PSSession"
    name: str = ""  # -ComputerName, or the host of -ConnectionUri, exactly as typed
    name_form: str = ""  # short | fqdn | ip | localhost (set by `classify`)
    credential: Credential = Credential("implicit")
    authentication: str = "Default"
    use_ssl: bool = False
    port: int | None = None
    uri_scheme: str | None = None  # set by -ConnectionUri
    application: str = "wsman"
    configuration: str = "Microsoft.PowerShell"
    certificate_thumbprint: str | None = None
    options: frozenset[str] = frozenset()  # New-PSSessionOption switches, and ProxyAccessType
    typed: str = ""  # the command line, for reports
    unresolved_credential: str = ""  # `CORP\u`, `WEB01\u`: its kind is known only beside the server
    scenario: str = ""  # the matrix scenario it stands for

    @property
    def transport(self) -> str:
        if self.uri_scheme:
            return self.uri_scheme.upper()
        return "HTTPS" if self.use_ssl else "HTTP"

    @property
    def label(self) -> str:
        """`Enter-PSSession[fqdn,implicit,Default]`: the attempt in the SARIF logical location."""
        bits = [self.name_form or "name", self.credential.kind, self.authentication]
        if self.transport == "HTTPS":
            bits.append("ssl")
        if self.port is not None:
            bits.append(str(self.port))
        return f"{self.cmdlet}[{','.join(bits)}]"

    def to_json(self) -> dict[str, object]:
        return {
            "cmdlet": self.cmdlet,
            "computer_name": self.name,
            "name_form": self.name_form,
            "credential": {"kind": self.credential.kind, "user": self.credential.user, "realm": self.credential.realm},
            "authentication": self.authentication,
            "use_ssl": self.transport == "HTTPS",
            "port": self.port,
            "configuration_name": self.configuration,
            "application_name": self.application,
            "certificate_thumbprint": self.certificate_thumbprint,
            "session_options": sorted(self.options),
            "typed": self.typed,
        }


# --- tokens --------------------------------------------------------------------------------------

_PAIRS = {"(": ")", "{": "}", "@(": ")", "@{": "}", "$(": ")"}


def tokenize(text: str) -> list[str]:
    """Split a PowerShell command line: quotes, `( … )` and `{ … }` groups stay one token."""
    tokens: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        start = i
        depth: list[str] = []
        while i < n and (depth or not text[i].isspace()):
            ch = text[i]
            if ch in "'\"":
                end = text.find(ch, i + 1)
                if end < 0:
                    raise UsageError(f"unterminated quote in the command: {text[start:]}")
                i = end + 1
                continue
            if ch == "`" and i + 1 < n:
                i += 2
                continue
            if ch in "({":
                depth.append(_PAIRS[ch])
            elif depth and ch == depth[-1]:
                depth.pop()
            elif ch in ")}" and not depth:
                raise UsageError(f"unbalanced `{ch}` in the command")
            elif ch == ";" and not depth:
                break
            i += 1
        if depth:
            raise UsageError(f"unbalanced `{text[start]}` group in the command: {text[start:]}")
        if i > start:
            tokens.append(text[start:i])
        if i < n and text[i] == ";":
            break  # a second statement: only the first command is the attempt
    return tokens


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
        return token[1:-1]
    return token


def _bind(name: str, table: tuple[tuple[str, tuple[str, ...], bool], ...], cmdlet: str) -> tuple[str, bool]:
    """The parameter a (possibly abbreviated) name binds to, as PowerShell would bind it."""
    low = name.lower()
    exact = [(p, v) for p, aliases, v in table if low == p.lower() or low in (a.lower() for a in aliases)]
    if exact:
        return exact[0]
    hits = {p: v for p, aliases, v in table if any(s.lower().startswith(low) for s in (p, *aliases))}
    if len(hits) == 1:
        return next(iter(hits.items()))
    if not hits:
        raise UsageError(f"{cmdlet} has no parameter -{name}")
    raise UsageError(f"parameter -{name} is ambiguous for {cmdlet}: it could be " + ", ".join(f"-{p}" for p in sorted(hits)))


# --- the command line ------------------------------------------------------------------------------


def parse_command(words: list[str]) -> list[Attempt]:
    """The attempts a command line makes (one per -ComputerName): its remoting parameters read."""
    typed = " ".join(words).strip()
    tokens = tokenize(typed)
    if not tokens:
        raise UsageError("no command after `--`")
    first = tokens[0]
    cmdlet = _ALIASES.get(first.lower()) or next((c for c in CMDLETS if c.lower() == first.lower()), None)
    if cmdlet is None:
        raise UsageError(f"{first}: not a remoting cmdlet winrmlint reads (" + ", ".join(CMDLETS) + ", icm, etsn, nsn)")
    table = _REMOTING + _PASSED_OVER[cmdlet] + _COMMON
    values: dict[str, str] = {}
    switches: dict[str, bool] = {}
    positional: list[str] = []
    rest = tokens[1:]
    i = 0
    while i < len(rest):
        token = rest[i]
        if token.startswith("-") and len(token) > 1 and not _is_number(token):
            name, colon, inline = token[1:].partition(":")
            param, takes_value = _bind(name, table, cmdlet)
            if takes_value:
                if colon:
                    value = inline
                elif i + 1 < len(rest):
                    i += 1
                    value = rest[i]
                else:
                    raise UsageError(f"parameter -{param} needs a value")
                values[param] = value
            else:
                switches[param] = _switch_value(param, inline) if colon else True
        else:
            positional.append(token)
        i += 1
    # position 0 is -ComputerName for all four cmdlets; Invoke-Command's script block is position 1
    for token in positional:
        if token.startswith("{") and cmdlet == "Invoke-Command":
            values.setdefault("ScriptBlock", token)
        elif "ComputerName" not in values and "ConnectionUri" not in values:
            values["ComputerName"] = token
        else:
            raise UsageError(f"cannot bind the positional argument {token!r} of {cmdlet}")
    base = Attempt(cmdlet=cmdlet, typed=typed)
    base = _read_remoting(base, values, switches)
    names: list[str]
    if "ConnectionUri" in values:
        base, name = _read_uri(base, values["ConnectionUri"])
        names = [name]
    elif "ComputerName" in values:
        names = _names(values["ComputerName"])
    else:
        names = ["localhost"]  # what PowerShell targets without a name (Test-WSMan, a local session)
    return [classify(replace(base, name=_bracketless(n))) for n in names]


def _is_number(token: str) -> bool:
    return bool(re.fullmatch(r"-\d+(\.\d+)?", token))


def _switch_value(param: str, text: str) -> bool:
    low = text.lower()
    if low in ("$true", "true", "1"):
        return True
    if low in ("$false", "false", "0"):
        return False
    raise UsageError(f"-{param}:{text}: expected -{param}:$true or -{param}:$false")


def _names(text: str) -> list[str]:
    text = text.strip()
    if text.startswith("@(") and text.endswith(")"):
        text = text[2:-1]
    if text.startswith("$") or text.startswith("("):
        raise UsageError(f"-ComputerName {text}: winrmlint cannot read a variable or expression; give the name as typed")
    names = [_unquote(part.strip()) for part in text.split(",") if part.strip()]
    if not names:
        raise UsageError("-ComputerName has no name")
    for name in names:
        if not re.fullmatch(r"[\w.\-:\[\]%]+", name):
            raise UsageError(f"-ComputerName {name!r}: not a computer name, IP address or FQDN")
    return names


def _bracketless(name: str) -> str:
    # an IPv6 literal is bracketed by PowerShell itself (ConstructUri); `.` means localhost
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    return "localhost" if name in (".", "") else name


def _read_uri(base: Attempt, text: str) -> tuple[Attempt, str]:
    text = _unquote(text.strip())
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise UsageError(f"-ConnectionUri {text!r}: not a URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UsageError(f"-ConnectionUri {text!r}: expected http://host[:port]/wsman or https://…")
    scheme = parts.scheme.lower()
    # without a port the URI means 80/443, not 5985/5986 (PS-IC)
    port = port if port is not None else (443 if scheme == "https" else 80)
    app = parts.path.strip("/") or base.application
    return replace(base, uri_scheme=scheme, use_ssl=scheme == "https", port=port, application=app), parts.hostname


def _read_remoting(base: Attempt, values: dict[str, str], switches: dict[str, bool]) -> Attempt:
    changes: dict[str, object] = {}
    if "Authentication" in values:
        changes["authentication"] = mechanism(_unquote(values["Authentication"]))
    if switches.get("UseSSL"):
        changes["use_ssl"] = True
    if "Port" in values:
        text = _unquote(values["Port"])
        if not text.isdigit() or not 0 < int(text) < 65536:
            raise UsageError(f"-Port {text}: expected a port number")
        changes["port"] = int(text)
    if "ConfigurationName" in values:
        changes["configuration"] = _literal("ConfigurationName", values["ConfigurationName"])
    if "ApplicationName" in values:
        changes["application"] = _literal("ApplicationName", values["ApplicationName"])
    if "CertificateThumbprint" in values:
        changes["certificate_thumbprint"] = _literal("CertificateThumbprint", values["CertificateThumbprint"])
    if "SessionOption" in values:
        changes["options"] = session_options(values["SessionOption"])
    if "Credential" in values:
        changes["unresolved_credential"] = _credential_text(values["Credential"])
        changes["credential"] = credential(changes["unresolved_credential"])  # type: ignore[arg-type]
    return replace(base, **changes)  # type: ignore[arg-type]


def _literal(param: str, text: str) -> str:
    value = _unquote(text.strip())
    if value.startswith("$") or value.startswith("("):
        raise UsageError(f"-{param} {value}: winrmlint cannot read a variable or expression; give the value")
    return value


def mechanism(text: str) -> str:
    """A `-Authentication` value as PowerShell's enum binds it (any case, full names)."""
    found = next((m for m in MECHANISMS if m.lower() == text.strip().lower()), None)
    if found is None:
        raise UsageError(f"-Authentication {text}: expected one of " + ", ".join(MECHANISMS))
    return found


def _credential_text(text: str) -> str:
    text = text.strip()
    match = re.fullmatch(r"\(\s*Get-Credential\s+(?:-(?:Credential|UserName|Cred|U\w*)\s+)?(\S+?)\s*\)", text, re.IGNORECASE)
    if match:
        text = match.group(1)
    text = _unquote(text)
    if text.startswith("$") or text.startswith("("):
        raise UsageError(
            f"-Credential {text}: winrmlint cannot read a variable or expression; give the user name "
            "(-Credential CORP\\alice, -Credential WEB01\\admin) or the kind with --cred domain|local|entra"
        )
    if not text:
        raise UsageError("-Credential needs a user name")
    return text


def credential(text: str, server_short: str = "") -> Credential:
    """The kind of account a user name names: `.\\u` and `<server>\\u` are local accounts of the
    server, `AzureAD\\u` an Entra account, `DOMAIN\\u` and `u@domain` domain accounts."""
    if text.lower() in CREDENTIAL_KINDS:
        # `--cred local`: a local administrator other than the built-in one (the case UAC filters)
        return Credential(text.lower())
    realm, sep, user = text.partition("\\")
    if not sep:
        user, at, upn_realm = text.partition("@")
        if not at:
            # a bare user name: PowerShell sends it as typed, the server reads it as its own account
            return Credential("local", text)
        kind = "entra" if upn_realm.lower().endswith(".onmicrosoft.com") else "domain"
        return Credential(kind, user, upn_realm)
    if realm.lower() == "azuread":
        return Credential("entra", user, realm)
    if realm == "." or (server_short and realm.lower() == server_short.lower()):
        return Credential("local", user, realm)
    return Credential("domain", user, realm)


def session_options(text: str) -> frozenset[str]:
    """The switches of an inline `(New-PSSessionOption …)`; a variable cannot be read."""
    text = text.strip()
    if not (text.startswith("(") and text.endswith(")")):
        raise UsageError(
            f"-SessionOption {text}: winrmlint cannot read a variable; write it inline, "
            "-SessionOption (New-PSSessionOption -IncludePortInSPN)"
        )
    tokens = tokenize(text[1:-1])
    if not tokens or tokens[0].lower() != "new-pssessionoption":
        raise UsageError(f"-SessionOption {text}: expected (New-PSSessionOption …)")
    table = tuple((n, (), False) for n in _OPTION_SWITCHES) + tuple((n, (), True) for n in _OPTION_VALUES)
    found: set[str] = set()
    i = 1
    while i < len(tokens):
        token = tokens[i]
        if not token.startswith("-"):
            raise UsageError(f"New-PSSessionOption: cannot read {token!r}")
        name, colon, inline = token[1:].partition(":")
        param, takes_value = _bind(name, table, "New-PSSessionOption")
        if takes_value:
            if not colon:
                i += 1
                if i >= len(tokens):
                    raise UsageError(f"New-PSSessionOption -{param} needs a value")
                inline = tokens[i]
            if param == "ProxyAccessType" and _unquote(inline).lower() != "none":
                found.add("ProxyAccessType")
        elif not colon or _switch_value(param, inline):
            found.add(param)
        i += 1
    return frozenset(found)


def classify(attempt: Attempt) -> Attempt:
    """Set the name form: `localhost`, `ip`, `fqdn` (dotted) or `short`."""
    name = attempt.name.lower()
    if name in ("localhost", "127.0.0.1", "::1"):
        form = "localhost"
    elif is_ip(name):
        form = "ip"
    elif "." in name:
        form = "fqdn"
    else:
        form = "short"
    return replace(attempt, name_form=form)


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    return True


# --- the flag form ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagAttempt:
    """`--name short|fqdn|ip --cred … --auth … --ssl --port`: an attempt whose name is picked from
    the server's own names once the server is known."""

    name_form: str = "fqdn"
    cred: str = "implicit"
    auth: str = "Default"
    ssl: bool = False
    port: int | None = None
    configuration: str = "Microsoft.PowerShell"
    options: frozenset[str] = field(default_factory=frozenset)

    def validate(self) -> FlagAttempt:
        if self.name_form not in ("short", "fqdn", "ip", "localhost"):
            raise UsageError(f"--name {self.name_form}: expected short, fqdn or ip")
        mechanism(self.auth)
        return self

    @property
    def label(self) -> str:
        bits = [{"short": "short name", "fqdn": "FQDN", "ip": "IP address"}.get(self.name_form, self.name_form),
                "implicit credentials" if self.cred.lower() in ("none", "implicit") else "explicit credentials", self.auth]
        if self.ssl:
            bits.append("-UseSSL")
        if self.port is not None:
            bits.append(f"-Port {self.port}")
        return " · ".join(bits)

    def build(self, name: str) -> Attempt:
        cred = "implicit" if self.cred.lower() in ("none", "implicit") else self.cred
        shown = [f"Enter-PSSession -ComputerName {name}"]
        if cred != "implicit":
            shown.append(f"-Credential {cred if chr(92) in cred or '@' in cred else '<' + cred + '>'}")
        if self.auth != "Default":
            shown.append(f"-Authentication {mechanism(self.auth)}")
        if self.ssl:
            shown.append("-UseSSL")
        if self.port is not None:
            shown.append(f"-Port {self.port}")
        if self.options:
            shown.append("-SessionOption (New-PSSessionOption " + " ".join(f"-{o}" for o in sorted(self.options)) + ")")
        return classify(Attempt(
            name=name,
            credential=credential(cred) if cred != "implicit" else Credential("implicit"),
            unresolved_credential=cred if cred != "implicit" else "",
            authentication=mechanism(self.auth),
            use_ssl=self.ssl,
            port=self.port,
            configuration=self.configuration,
            options=self.options,
            typed=" ".join(shown),
            scenario=self.label,
        ))
