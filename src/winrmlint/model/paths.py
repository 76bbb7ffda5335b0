"""Logical paths of the facts outside `winrm/config`: registry values, services, identity, policy.

Every reading carries one logical path; SARIF logical locations and `winrmlint parse --format jsonl`
use the same strings. Lookups in the model ignore case, as Windows does.
"""

# Registry values keep their registry path (hive abbreviated to HKLM), value name last.
LATFP = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\LocalAccountTokenFilterPolicy"
DISABLE_RUNAS = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service\DisableRunAs"
WINRM_SERVICE_POLICY_KEY = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service"
WINRM_SERVICE_REG_KEY = r"HKLM\SYSTEM\CurrentControlSet\Services\WinRM"
# "Allow remote server management through WinRM": 1 creates the GPO listener (reference §2.2)
ALLOW_AUTO_CONFIG = rf"{WINRM_SERVICE_POLICY_KEY}\AllowAutoConfig"

# The WinRM service: StartType is Automatic, AutomaticDelayed, Manual or Disabled;
# Status is Running, Stopped, StartPending, StopPending, Paused (as Get-Service names them).
SERVICE_START_TYPE = "services/WinRM/StartType"
SERVICE_STATUS = "services/WinRM/Status"
# The host's own `winrm` got 0x80338012 (a WSManFault, with no `-r:` to another computer): the
# service did not answer it, so it is not running (reference §4). Value: the fault code.
SERVICE_UNREACHABLE = "services/WinRM/Unreachable"

# Identity and join state (dsregcmd /status, setspn DNs, manifest): booleans and names.
AZURE_AD_JOINED = "host/join/AzureAdJoined"
DOMAIN_JOINED = "host/join/DomainJoined"
ENTERPRISE_JOINED = "host/join/EnterpriseJoined"
HOST_NAME = "host/name"
HOST_FQDN = "host/fqdn"
HOST_DOMAIN = "host/domain"
TENANT_NAME = "host/TenantName"
# What Windows the host runs (a manifest `os`, a console banner's version) and its WinRM role
# (`server`, `client`) as a manifest states it; model/platform.py reads them.
HOST_OS = "host/os"
HOST_ROLE = "host/role"

# A WSManFault printed instead of a listing: information (the service did not answer).
WSMAN_FAULT_MESSAGE = "winrm/fault/Message"
WSMAN_FAULT_CODE = "winrm/fault/Code"

# Session configurations: sessionconfig/<Name>/<Property> (Permission, Enabled, Architecture,
# PSVersion, RunAsUser, StartupScript, SecurityDescriptorSddl); coverage key SESSION_CONFIGS.
SESSION_CONFIGS = "sessionconfig"

# Firewall rules: firewall/<id>/<Property> with id the rule Name (WINRM-HTTP-In-TCP-PUBLIC) or,
# from netsh, `<DisplayName>|<Profiles>`; properties Name, DisplayName, Enabled, Profile,
# Direction, Action, RemoteAddress, LocalPort. Coverage key FIREWALL.
FIREWALL = "firewall"

# WinHTTP proxy (netsh winhttp show proxy): ProxyServer is "" for direct access.
WINHTTP_PROXY = "winhttp/ProxyServer"
WINHTTP_BYPASS = "winhttp/BypassList"

# Execution policy per scope (Get-ExecutionPolicy -List, or the registry values that feed it).
EXECUTION_POLICY = "executionpolicy"
EXECUTION_POLICY_SCOPES = ("MachinePolicy", "UserPolicy", "Process", "CurrentUser", "LocalMachine")
