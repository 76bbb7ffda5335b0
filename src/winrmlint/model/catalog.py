"""The known `winrm/config` settings: logical paths, types, modern defaults, registry and policy names.

Sources: winrm-reference.md §1 (defaults, modern column), §2.1 (WinRM's own registry store),
§2.2 (Group Policy values, with the inverted `Disallow*` policies).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from winrmlint.model.values import Value

ROOT = "winrm/config"
LISTENERS = "winrm/config/listener"
POLICY_ROOT = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\WinRM"
STORE_ROOT = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN"
GPO_WINRM = (
    "Computer Configuration > Administrative Templates > Windows Components > "
    "Windows Remote Management (WinRM)"
)
GPO_SHELL = (
    "Computer Configuration > Administrative Templates > Windows Components > Windows Remote Shell"
)

# Container names as `winrm get` prints them → the segment WinRM's resource URIs use.
CONTAINERS = {
    "config": ROOT,
    "client": "client",
    "service": "service",
    "auth": "auth",
    "defaultports": "DefaultPorts",
    "winrs": "winrs",
    "listener": "listener",
}


@dataclass(frozen=True)
class Policy:
    """A Group Policy setting that drives a `winrm/config` value.

    `value_name` under `POLICY_ROOT\\key`; `enabled` is the registry value the policy writes
    when it is Enabled (0 for the inverted `Disallow*` policies).
    """

    key: str
    value_name: str
    display: str
    enabled: int = 1

    @property
    def registry_key(self) -> str:
        return f"{POLICY_ROOT}\\{self.key}"

    @property
    def gpo_path(self) -> str:
        base = GPO_SHELL if self.key.endswith("WinRS") else f"{GPO_WINRM} > WinRM {self.key.split(chr(92))[0]}"
        return f"{base} > {self.display}"

    def state_for(self, desired: bool) -> str:
        """The policy state (Enabled/Disabled) that yields the desired boolean setting."""
        written = 1 if desired else 0
        return "Enabled" if written == self.enabled else "Disabled"


@dataclass(frozen=True)
class Setting:
    """A `winrm/config` leaf: its logical path, type (`bool`, `int`, `str`, `list`) and default."""

    path: str
    type: str
    default: Value
    store_value: str | None = None  # value name in WinRM's registry store (§2.1)
    policy: Policy | None = None

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[1]

    @property
    def container(self) -> str:
        return self.path.rsplit("/", 1)[0]


MODERN_ROOT_SDDL = "O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)"
_MAXINT = 2147483647


def _client_policy(value: str, display: str, enabled: int = 1) -> Policy:
    return Policy("Client", value, display, enabled)


def _service_policy(value: str, display: str, enabled: int = 1) -> Policy:
    return Policy("Service", value, display, enabled)


def _shell_policy(value: str, display: str) -> Policy:
    # value names of the numeric Winrs policies are inferred (winrm-reference.md §1.4)
    return Policy(r"Service\WinRS", value, display)


SETTINGS: tuple[Setting, ...] = (
    Setting(f"{ROOT}/MaxEnvelopeSizekb", "int", 500),
    Setting(f"{ROOT}/MaxTimeoutms", "int", 60000),
    Setting(f"{ROOT}/MaxBatchItems", "int", 32000),
    Setting(f"{ROOT}/MaxProviderRequests", "int", 4294967295),
    Setting(f"{ROOT}/client/NetworkDelayms", "int", 5000, "network_delay"),
    Setting(f"{ROOT}/client/URLPrefix", "str", "wsman", "url_prefix"),
    Setting(f"{ROOT}/client/AllowUnencrypted", "bool", False, "allow_unencrypted",
            _client_policy("AllowUnencryptedTraffic", "Allow unencrypted traffic")),
    Setting(f"{ROOT}/client/auth/Basic", "bool", True, "auth_basic",
            _client_policy("AllowBasic", "Allow Basic authentication")),
    Setting(f"{ROOT}/client/auth/Digest", "bool", True, "auth_digest",
            _client_policy("AllowDigest", "Disallow Digest authentication", enabled=0)),
    Setting(f"{ROOT}/client/auth/Kerberos", "bool", True, "auth_kerberos",
            _client_policy("AllowKerberos", "Disallow Kerberos authentication", enabled=0)),
    Setting(f"{ROOT}/client/auth/Negotiate", "bool", True, "auth_negotiate",
            _client_policy("AllowNegotiate", "Disallow Negotiate authentication", enabled=0)),
    Setting(f"{ROOT}/client/auth/Certificate", "bool", True, "auth_certificate"),
    Setting(f"{ROOT}/client/auth/CredSSP", "bool", False, "auth_credssp",
            _client_policy("AllowCredSSP", "Allow CredSSP authentication")),
    Setting(f"{ROOT}/client/DefaultPorts/HTTP", "int", 5985, "defaultports_http"),
    Setting(f"{ROOT}/client/DefaultPorts/HTTPS", "int", 5986, "defaultports_https"),
    Setting(f"{ROOT}/client/TrustedHosts", "str", "", "trusted_hosts",
            _client_policy("TrustedHostsList", "Trusted Hosts")),
    # absent means `HTTP`, but Windows never prints it: no default to report (§5)
    Setting(f"{ROOT}/client/spn_prefix", "str", None, "spn_prefix"),
    Setting(f"{ROOT}/service/RootSDDL", "str", MODERN_ROOT_SDDL, "rootSDDL"),
    Setting(f"{ROOT}/service/MaxConcurrentOperations", "int", 4294967295),
    Setting(f"{ROOT}/service/MaxConcurrentOperationsPerUser", "int", 1500,
            "maxConcurrentOperationsPerUser"),
    Setting(f"{ROOT}/service/EnumerationTimeoutms", "int", 240000, "continuedOpTimeoutms"),
    Setting(f"{ROOT}/service/MaxConnections", "int", 300, "maxconnections"),
    Setting(f"{ROOT}/service/MaxPacketRetrievalTimeSeconds", "int", 120, "maxPacketRetrievalTime"),
    Setting(f"{ROOT}/service/AllowUnencrypted", "bool", False, "allow_unencrypted",
            _service_policy("AllowUnencryptedTraffic", "Allow unencrypted traffic")),
    Setting(f"{ROOT}/service/auth/Basic", "bool", False, "auth_basic",
            _service_policy("AllowBasic", "Allow Basic authentication")),
    Setting(f"{ROOT}/service/auth/Kerberos", "bool", True, "auth_kerberos",
            _service_policy("AllowKerberos", "Disallow Kerberos authentication", enabled=0)),
    Setting(f"{ROOT}/service/auth/Negotiate", "bool", True, "auth_negotiate",
            _service_policy("AllowNegotiate", "Disallow Negotiate authentication", enabled=0)),
    Setting(f"{ROOT}/service/auth/Certificate", "bool", False, "auth_certificate"),
    Setting(f"{ROOT}/service/auth/CredSSP", "bool", False, "auth_credssp",
            _service_policy("AllowCredSSP", "Allow CredSSP authentication")),
    Setting(f"{ROOT}/service/auth/CbtHardeningLevel", "str", "Relaxed", "cbt_hardening_level",
            _service_policy("CbtHardeningLevel", "Specify channel binding token hardening level")),
    Setting(f"{ROOT}/service/DefaultPorts/HTTP", "int", 5985),
    Setting(f"{ROOT}/service/DefaultPorts/HTTPS", "int", 5986),
    Setting(f"{ROOT}/service/IPv4Filter", "str", "*", "IPv4Filter",
            _service_policy("IPv4Filter", "Allow remote server management through WinRM")),
    Setting(f"{ROOT}/service/IPv6Filter", "str", "*", "IPv6Filter",
            _service_policy("IPv6Filter", "Allow remote server management through WinRM")),
    Setting(f"{ROOT}/service/EnableCompatibilityHttpListener", "bool", False, "http_compat_listener",
            _service_policy("HttpCompatibilityListener", "Turn On Compatibility HTTP Listener")),
    Setting(f"{ROOT}/service/EnableCompatibilityHttpsListener", "bool", False, "https_compat_listener",
            _service_policy("HttpsCompatibilityListener", "Turn On Compatibility HTTPS Listener")),
    Setting(f"{ROOT}/service/CertificateThumbprint", "str", ""),
    Setting(f"{ROOT}/service/AllowRemoteAccess", "bool", True, "allow_remote_requests"),
    Setting(f"{ROOT}/winrs/AllowRemoteShellAccess", "bool", True, None,
            _shell_policy("AllowRemoteShellAccess", "Allow Remote Shell Access")),
    Setting(f"{ROOT}/winrs/IdleTimeout", "int", 7200000, None,
            _shell_policy("IdleTimeout", "Specify idle Timeout")),
    Setting(f"{ROOT}/winrs/MaxConcurrentUsers", "int", _MAXINT, None,
            _shell_policy("MaxConcurrentUsers", "MaxConcurrentUsers")),
    Setting(f"{ROOT}/winrs/MaxShellRunTime", "int", _MAXINT),
    Setting(f"{ROOT}/winrs/MaxProcessesPerShell", "int", _MAXINT, None,
            _shell_policy("MaxProcessesPerShell", "Specify maximum number of processes per Shell")),
    Setting(f"{ROOT}/winrs/MaxMemoryPerShellMB", "int", _MAXINT, None,
            _shell_policy("MaxMemoryPerShellMB", "Specify maximum amount of memory in MB per Shell")),
    Setting(f"{ROOT}/winrs/MaxShellsPerUser", "int", _MAXINT, None,
            _shell_policy("MaxShellsPerUser", "Specify maximum number of remote shells per user")),
)

BY_PATH: dict[str, Setting] = {s.path: s for s in SETTINGS}
_BY_LOWER: dict[str, Setting] = {s.path.lower(): s for s in SETTINGS}

# Listener properties (§1.5); listeners are keyed `Address+Transport` as the registry keys them.
LISTENER_PROPERTIES: dict[str, str] = {
    "Address": "str",
    "Transport": "str",
    "Port": "int",
    "Hostname": "str",
    "Enabled": "bool",
    "URLPrefix": "str",
    "CertificateThumbprint": "str",
    "ListeningOn": "list",
}
_LISTENER_LOWER = {k.lower(): k for k in LISTENER_PROPERTIES}


def canonical(path: str) -> str:
    """The catalog's spelling of a logical path read in any case; unknown paths are kept as read."""
    known = _BY_LOWER.get(path.lower())
    if known:
        return known.path
    if path.lower().startswith(LISTENERS + "/"):
        head, _, prop = path.rpartition("/")
        return f"{head}/{_LISTENER_LOWER.get(prop.lower(), prop)}"
    return path


def listener_path(address: str, transport: str, prop: str = "") -> str:
    key = f"{LISTENERS}/{address}+{transport.upper()}"
    return f"{key}/{_LISTENER_LOWER.get(prop.lower(), prop)}" if prop else key


def type_of(path: str) -> str:
    """The type a value at this path has: catalog first, listener properties, else a string."""
    known = BY_PATH.get(path)
    if known:
        return known.type
    if path.startswith(LISTENERS + "/"):
        return LISTENER_PROPERTIES.get(path.rsplit("/", 1)[1], "str")
    return "str"


_NUMBER = re.compile(r"0[xX][0-9a-fA-F]{1,16}|[0-9]{1,20}", re.ASCII)
_TRUE = {"true", "1", "yes", "enabled", "on"}
_FALSE = {"false", "0", "no", "disabled", "off"}


def coerce(kind: str, raw: str) -> tuple[Value, bool]:
    """Type a raw text value; returns (value, valid). Invalid text is kept as the raw string."""
    text = raw.strip()
    if kind == "bool":
        low = text.lower()
        if low in _TRUE:
            return True, True
        if low in _FALSE:
            return False, True
        return text, False
    if kind == "int":
        # Windows prints plain ASCII decimal or 0x hex; int() would also take `1_000` and `５０００`
        if not _NUMBER.fullmatch(text):
            return text, False
        number = int(text, 16) if text.lower().startswith("0x") else int(text)
        # WinRM's quotas are unsigned 32-bit; anything else is not a value Windows would hold
        return (number, True) if 0 <= number <= 0xFFFFFFFF else (text, False)
    if kind == "list":
        if text.lower() in ("", "null", "{}"):
            return (), True
        inner = text[1:-1] if text.startswith("{") and text.endswith("}") else text
        return tuple(item.strip() for item in inner.split(",") if item.strip()), True
    return text, True


def winrm_set_command(path: str, value: Value) -> str:
    """The `winrm set` command that writes one setting locally."""
    container, name = path.rsplit("/", 1)
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = "" if value is None else str(value)
    return f'winrm set {container} @{{{name}="{text}"}}'
