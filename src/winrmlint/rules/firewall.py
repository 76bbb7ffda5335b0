"""WRM509, WRM510: who the firewall lets reach WinRM's HTTP port on the Public profile."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from winrmlint.findings import Finding
from winrmlint.model import paths
from winrmlint.model.host import Host, Setting, cut_short, grouped
from winrmlint.model.platform import Os
from winrmlint.model.values import Source
from winrmlint.rules.base import TROUBLE, Context, known_text, rule
from winrmlint.source import Location

# The rule Enable-PSRemoting creates for the Public profile, and the display name every WinRM
# HTTP rule shares (about_Remote_Troubleshooting; reference §7).
PUBLIC_RULE = "WINRM-HTTP-In-TCP-PUBLIC"
HTTP_DISPLAY_NAME = "Windows Remote Management (HTTP-In)"
# Set-NetFirewallRule's address keywords for the local subnet (LocalSubnet4/6: one family).
LOCAL_SUBNET = {"localsubnet", "localsubnet4", "localsubnet6"}
ANY = {"any", "*"}
ALL_PROFILES = ("domain", "private", "public")
FIREWALL_GPO = (
    "Computer Configuration > Policies > Windows Settings > Security Settings > "
    "Windows Defender Firewall with Advanced Security > Inbound Rules"
)


@dataclass(frozen=True)
class FirewallRule:
    """One firewall rule as the model holds it: `firewall/<id>/<Property>` readings."""

    id: str
    props: dict[str, Setting]

    def prop(self, name: str) -> Setting | None:
        return self.props.get(name.lower())

    def text(self, name: str) -> str | None:
        return known_text(self.prop(name))

    @property
    def name(self) -> str:
        """The rule's Name (`Get-NetFirewallRule`); netsh shows none, its id is `DisplayName|Profiles`."""
        shown = self.text("Name")
        if shown:
            return shown
        return "" if "|" in self.id else self.id

    @property
    def profiles(self) -> set[str] | None:
        """The profiles the rule applies to, lower case; `Any` (Get-NetFirewallRule's word for
        all three) is spelled out."""
        profile = self.text("Profile")
        if profile is None:
            return None
        named = {p.strip().lower() for p in profile.split(",")}
        return set(ALL_PROFILES) if "any" in named else named

    @property
    def beyond_public(self) -> bool:
        """The rule covers the Domain or Private profile as well as Public."""
        return bool((self.profiles or set()) & {"domain", "private"})

    @property
    def gpo(self) -> bool:
        return any(s.source is Source.GPO for s in self.props.values())

    def label(self) -> str:
        display = self.text("DisplayName") or HTTP_DISPLAY_NAME
        which = f"Name `{self.name}`" if self.name else f"profiles `{self.text('Profile')}`"
        return f"`{display}` ({which}{', set by Group Policy' if self.gpo else ''})"


def firewall_rules(host: Host) -> list[FirewallRule]:
    rules = sorted(grouped(host, paths.FIREWALL).values(), key=lambda group: group[0])
    return [FirewallRule(rule_id, props) for rule_id, props in rules]


def public_winrm_http(rule_: FirewallRule) -> bool:
    """The WinRM HTTP rule for the Public profile, enabled, inbound, allowing.

    By Name, the built-in rule (its direction and action are fixed, its profile can be changed);
    otherwise by the shared display name with Public among its profiles. Enabled must be shown:
    an address filter printed alone does not say whether the rule is on.
    """
    profiles = rule_.profiles
    if rule_.name.lower() == PUBLIC_RULE.lower():
        if profiles is not None and "public" not in profiles:
            return False
    elif (rule_.text("DisplayName") or "").lower() != HTTP_DISPLAY_NAME.lower() or profiles is None:
        return False
    elif "public" not in profiles:
        return False
    enabled = rule_.prop("Enabled")
    if enabled is None or enabled.value is not True:
        return False
    direction, action = rule_.text("Direction"), rule_.text("Action")
    return (direction is None or direction == "Inbound") and (action is None or action.lower() == "allow")


def remote_addresses(rule_: FirewallRule) -> tuple[Setting, list[str]] | None:
    """The rule's RemoteAddress and its entries; None when absent or cut by the console (`...`)."""
    setting = rule_.prop("RemoteAddress")
    if setting is None or not isinstance(setting.value, str) or cut_short(setting):
        return None
    entries = [part.strip() for part in setting.value.strip("{}").split(",") if part.strip()]
    return (setting, entries) if entries else None


def set_addresses(host: Host, rule_: FirewallRule, addresses: str, in_words: str) -> str:
    """The command that sets the rule's remote addresses, with the tool its source calls for."""
    if rule_.gpo:
        return (
            f'Group Policy creates this rule: in that GPO, "{FIREWALL_GPO}", set its remote addresses to '
            f"{in_words}, then `gpupdate /force`"
        )
    if netsh_era(host):
        display = rule_.text("DisplayName") or HTTP_DISPLAY_NAME
        netsh_list = addresses.replace(", ", ",").replace("LocalSubnet", "localsubnet")
        return f'`netsh advfirewall firewall set rule name="{display}" profile=public new remoteip={netsh_list}`'
    if rule_.name:
        return f'`Set-NetFirewallRule -Name "{rule_.name}" -RemoteAddress {addresses}`'
    display = rule_.text("DisplayName") or HTTP_DISPLAY_NAME
    return (
        f"`Get-NetFirewallRule -DisplayName \"{display}\" | Where-Object {{ $_.Profile -match 'Public|Any' }} | "
        f"Set-NetFirewallRule -RemoteAddress {addresses}`"
    )


def netsh_era(host: Host) -> bool:
    """A Windows Server 2008 R2 / Windows 7 host: no NetSecurity module (`Set-NetFirewallRule`
    came with Windows 8 and Server 2012), so only netsh changes its firewall."""
    editions = host.platform.editions
    return bool(editions) and all(os in (Os.S2008R2, Os.WIN7) for os in editions)


def split_public(host: Host, rule_: FirewallRule) -> str:
    """The fix for a rule that admits any address on Domain and Private as well as Public:
    narrowing that rule to `LocalSubnet` would cut off management from other subnets on the
    Domain and Private networks too, so the Public profile gets a rule of its own."""
    if rule_.gpo:
        return (
            f'Group Policy creates this rule: in that GPO, "{FIREWALL_GPO}", limit it to the Domain and Private '
            "profiles and add an inbound rule for TCP 5985 on the Public profile with remote address Local subnet "
            "(and the management clients' addresses), then `gpupdate /force`; narrowing this rule itself to the "
            "local subnet would cut off management from other subnets on the Domain and Private networks too"
        )
    display = rule_.text("DisplayName") or HTTP_DISPLAY_NAME
    port = rule_.text("LocalPort") or "5985"
    if not rule_.name or netsh_era(host):
        # netsh `set rule name=` changes every rule of that name; the dump shows this one alone under it
        return (
            f'`netsh advfirewall firewall set rule name="{display}" new profile=domain,private`, then '
            f'`netsh advfirewall firewall add rule name="{display} - Public" dir=in action=allow protocol=TCP '
            f"localport={port} profile=public remoteip=localsubnet` (split, so that Domain and Private keep "
            "their access from other subnets)"
        )
    if rule_.name.lower() == PUBLIC_RULE.lower():
        return (
            f'`Set-NetFirewallRule -Name "{rule_.name}" -Profile Public -RemoteAddress LocalSubnet`, then '
            '`Enable-NetFirewallRule -Name "WINRM-HTTP-In-TCP"` (the stock Domain, Private rule, which admits any '
            "address): split, so that Domain and Private keep their access from other subnets"
        )
    # New-NetFirewallRule makes an inbound allow rule by default; a name of its own beside the stock rules
    return (
        f'`Set-NetFirewallRule -Name "{rule_.name}" -Profile Domain, Private`, then `New-NetFirewallRule -Name '
        f'"{PUBLIC_RULE}-LOCAL" -DisplayName "{display}" -Protocol TCP -LocalPort {port} -Profile Public '
        "-RemoteAddress LocalSubnet` (split, so that Domain and Private keep their access from other subnets)"
    )


@dataclass(frozen=True)
class ActiveProfiles:
    """Which firewall profiles the dumps show active, and where (`Get-NetConnectionProfile`'s
    NetworkCategory per interface, `netsh advfirewall show currentprofile`'s blocks)."""

    public: list[tuple[str, Location]]  # how each showing of Public reads, and its line
    others: list[Location]
    public_firewall_off: Location | None  # netsh shows the Public profile's firewall `State OFF`

    @property
    def known(self) -> bool:
        return bool(self.public or self.others)


def active_profiles(host: Host) -> ActiveProfiles:
    # imported here: `winrmlint rules` and `--help` load the rules, never the parsers (cold start)
    from winrmlint.parsers import firewall_profile, net_profile

    public: list[tuple[str, Location]] = []
    others: list[Location] = []
    for setting in host.under(net_profile.PREFIX):
        if setting.name == "NetworkCategory" and setting.valid and isinstance(setting.value, str):
            interface = setting.path[len(net_profile.PREFIX) + 1:].rsplit("/", 1)[0]
            if setting.value == "Public":
                public.append((f"`Get-NetConnectionProfile`: `{interface}` is `Public`", setting.location))
            else:
                others.append(setting.location)
    off = None
    for setting in host.under(firewall_profile.PREFIX):
        profile = setting.path[len(firewall_profile.PREFIX) + 1:].split("/", 1)[0]
        if setting.name == "Active" and setting.value is True:
            if profile == "Public":
                public.append(("`netsh advfirewall show currentprofile` shows the Public profile", setting.location))
            else:
                others.append(setting.location)
        elif setting.name == "State" and profile == "Public" and setting.value == "OFF":
            off = setting.location
    return ActiveProfiles(public, others, off)


def addresses_shown(host: Host) -> bool:
    # a listing of rule names alone (`ft DisplayName, Name`) has no address to judge
    return any(remote_addresses(fw) is not None for fw in firewall_rules(host))


def public_http_scopes(host: Host) -> Iterator[tuple[FirewallRule, Setting, list[str]]]:
    """The Public-profile WinRM HTTP rules whose remote addresses a dump shows, with those addresses."""
    for fw in firewall_rules(host):
        found = remote_addresses(fw) if public_winrm_http(fw) else None
        if found is not None:
            yield fw, *found


@rule(
    code="WRM509", name="firewall-public-local-subnet", level="note", kind="breaks", needs=(paths.FIREWALL,),
    evaluable=addresses_shown, docs=(TROUBLE,),
)
def firewall_public_local_subnet(host: Host, ctx: Context) -> Iterator[Finding]:
    """The WinRM HTTP firewall rule for the Public profile admits only the local subnet.

    ## What it finds
    The enabled inbound allow rule `WINRM-HTTP-In-TCP-PUBLIC` (or, in `netsh advfirewall
    firewall show rule` output, which prints no rule names, a "Windows Remote Management
    (HTTP-In)" rule whose profiles include Public) with `RemoteAddress` `LocalSubnet` and
    nothing else. The remote address comes from `Get-NetFirewallRule … |
    Get-NetFirewallAddressFilter` or from netsh's `RemoteIP`; a rule printed without it, or a
    list cut by the console (`…`), is not judged. It fires when the dumps show the Public
    profile active (`Get-NetConnectionProfile` with an interface whose `NetworkCategory` is
    `Public`, or `netsh advfirewall show currentprofile` printing "Public Profile Settings", its
    `State` not `OFF`), and stays silent when they show only Domain or Private networks. Where no
    input shows the active profile, it stays silent on a domain member (`dsregcmd /status` or a
    manifest `join` of `domain` or `hybrid`), whose network is Domain, and fires otherwise: a
    workgroup or Microsoft Entra-only computer's network, or one nothing tells, is often Public.

    ## Why it matters
    On a network the host classifies as Public, "for public networks, [`Enable-PSRemoting`]
    creates firewall rules that allows remote access from the same local subnet". Clients in any
    other subnet (a jump host, a management VLAN, a VPN) are dropped and time out with
    0x80338126: "WinRM cannot complete the operation. Verify that the specified computer name is
    valid, that the computer is accessible over the network, and that a firewall exception for
    the WinRM service is enabled and allows access from this computer. By default, the WinRM
    firewall exception for public profiles limits access to remote computers within the same
    local subnet." This is the default, not a fault: it matters when such clients must connect.

    ## Example
    ```netsh-firewall
    Rule Name:                            Windows Remote Management (HTTP-In)
    ----------------------------------------------------------------------
    Enabled:                              Yes
    Direction:                            In
    Profiles:                             Public
    Grouping:                             Windows Remote Management
    LocalIP:                              Any
    RemoteIP:                             LocalSubnet
    Protocol:                             TCP
    LocalPort:                            5985
    RemotePort:                           Any
    Edge traversal:                       No
    Action:                               Allow
    Ok.
    ```

    ## Fix
    Admit the management clients' addresses as well:
    ```console
    Set-NetFirewallRule -Name "WINRM-HTTP-In-TCP-PUBLIC" -RemoteAddress LocalSubnet, 10.20.0.0/16
    ```
    about_Remote_Troubleshooting's own command, `Set-NetFirewallRule -Name
    "WINRM-HTTP-In-TCP-PUBLIC" -RemoteAddress Any`, removes the restriction altogether; as the
    document cautions, "Before enabling the firewall rule, view the security settings in the rule
    to verify that the configuration is appropriate for your environment": any address on a
    public network is what WRM510 warns about. Better still, make the network Domain or Private
    where it is one. If Group Policy creates the rule, change it in the GPO (Computer
    Configuration > Policies > Windows Settings > Security Settings > Windows Defender Firewall
    with Advanced Security > Inbound Rules).
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -6,5 +6,5 @@
     Grouping:                             Windows Remote Management
     LocalIP:                              Any
    -RemoteIP:                             LocalSubnet
    +RemoteIP:                             LocalSubnet,10.20.0.0/255.255.0.0
     Protocol:                             TCP
     LocalPort:                            5985
    ```
    """
    # the rule matters where the Public profile applies: shown active, or, with no input showing
    # the active profile, a host no join state puts in a domain (a domain member's network is
    # Domain); `connect` answers it per pair of hosts
    active = active_profiles(host)
    if active.known:
        if not active.public or active.public_firewall_off is not None:
            return
        why = "; ".join(shown for shown, _ in active.public)
        related = [at for _, at in active.public]
    elif host.join_state in ("domain", "hybrid"):
        return
    else:
        why, related = "no input shows the active profile and no join state puts the host in a domain", []
    for fw, setting, entries in public_http_scopes(host):
        if not all(entry.lower() in LOCAL_SUBNET for entry in entries):
            continue
        yield ctx.finding(
            host,
            setting,
            f"Firewall rule {fw.label()} admits WinRM over HTTP on the Public profile from `RemoteAddress` "
            f"`{setting.value}` only ({why}): clients in other subnets time out (0x80338126); expected the "
            "management clients' addresses as well, where they must connect",
            related=related,
            fix=set_addresses(
                host, fw, "LocalSubnet, <management client addresses>", "`LocalSubnet` and the management clients' addresses"
            )
            + ("" if fw.gpo else " (the document's `-RemoteAddress Any` admits every address: see WRM510)"),
            key=fw.id,
        )


@rule(
    code="WRM510", name="firewall-public-any-address", level="warning", kind="exposure", needs=(paths.FIREWALL,),
    evaluable=addresses_shown, docs=(TROUBLE,), security_severity=5.3,
)
def firewall_public_any_address(host: Host, ctx: Context) -> Iterator[Finding]:
    """The WinRM HTTP firewall rule for the Public profile admits any remote address.

    ## What it finds
    The enabled inbound allow rule `WINRM-HTTP-In-TCP-PUBLIC` (or a netsh "Windows Remote
    Management (HTTP-In)" rule whose profiles include Public, such as the single all-profile
    rule of Windows PowerShell 2.0-era servers) with `RemoteAddress` `Any`. The remote address
    comes from `Get-NetFirewallAddressFilter` or netsh's `RemoteIP`; without it the rule is not
    judged.

    ## Why it matters
    By default the Public-profile rule "allows remote access from the same local subnet".
    `Any` is what about_Remote_Troubleshooting's `Set-NetFirewallRule -Name
    "WINRM-HTTP-In-TCP-PUBLIC" -RemoteAddress Any` produces, and the document cautions to "view
    the security settings in the rule to verify that the configuration is appropriate for your
    environment": on a public network (a hotel, a cloud VM's public interface) everyone who can
    reach the host can reach WinRM on port 5985 and try passwords against it.

    ## Example
    ```get-netfirewallrule
    PS C:\\> Get-NetFirewallRule -Name WINRM-HTTP-In-TCP-PUBLIC | Format-List Name, DisplayName, Enabled, Profile, Direction, Action

    Name        : WINRM-HTTP-In-TCP-PUBLIC
    DisplayName : Windows Remote Management (HTTP-In)
    Enabled     : True
    Profile     : Public
    Direction   : Inbound
    Action      : Allow

    PS C:\\> Get-NetFirewallRule -Name WINRM-HTTP-In-TCP-PUBLIC | Get-NetFirewallAddressFilter

    LocalAddress  : Any
    RemoteAddress : Any
    ```

    ## Fix
    Go back to the default, or name the clients that manage the host (for a rule that applies
    to the Public profile alone):
    ```console
    Set-NetFirewallRule -Name "WINRM-HTTP-In-TCP-PUBLIC" -RemoteAddress LocalSubnet
    Set-NetFirewallRule -Name "WINRM-HTTP-In-TCP-PUBLIC" -RemoteAddress LocalSubnet, 10.20.0.0/16
    ```
    A rule that covers the Domain and Private profiles too (`Profile : Any`, netsh's
    `Domain,Private,Public`, the single rule of Windows PowerShell 2.0-era servers) must not be
    narrowed to `LocalSubnet`: that would cut off management from other subnets on the Domain
    and Private networks as well. Split it instead: keep it for Domain and Private, and give the
    Public profile its own rule:
    ```console
    Set-NetFirewallRule -Name "WINRM-HTTP-In-TCP" -Profile Domain, Private
    New-NetFirewallRule -Name "WINRM-HTTP-In-TCP-PUBLIC-LOCAL" -DisplayName "Windows Remote Management (HTTP-In)" -Protocol TCP -LocalPort 5985 -Profile Public -RemoteAddress LocalSubnet
    ```
    On Windows Server 2008 R2, which has no `Set-NetFirewallRule`, with netsh:
    ```console
    netsh advfirewall firewall set rule name="Windows Remote Management (HTTP-In)" new profile=domain,private
    netsh advfirewall firewall add rule name="Windows Remote Management (HTTP-In) - Public" dir=in action=allow protocol=TCP localport=5985 profile=public remoteip=localsubnet
    ```
    If Group Policy creates the rule, change it in the GPO (Computer Configuration > Policies >
    Windows Settings > Security Settings > Windows Defender Firewall with Advanced Security >
    Inbound Rules). Where remote access from anywhere is really needed, use an HTTPS listener
    (port 5986) with certificate validation rather than HTTP.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -11,3 +11,3 @@
     
     LocalAddress  : Any
    -RemoteAddress : Any
    +RemoteAddress : LocalSubnet
    ```
    """
    for fw, setting, entries in public_http_scopes(host):
        if not any(entry.lower() in ANY for entry in entries):
            continue
        if fw.beyond_public:
            expected = "a Public-profile rule of its own limited to `LocalSubnet` or the management clients' addresses"
            fix = split_public(host, fw)
        else:
            expected = "`LocalSubnet` or the management clients' addresses"
            fix = set_addresses(host, fw, "LocalSubnet", "`LocalSubnet` and the management clients' addresses")
            if not fw.gpo:
                fix += " (after `LocalSubnet`, add the management clients' addresses where they are elsewhere)"
        yield ctx.finding(
            host,
            setting,
            f"Firewall rule {fw.label()} admits WinRM over HTTP on the Public profile from `RemoteAddress` "
            f"`{setting.value}`; expected {expected}",
            fix=fix,
            key=fw.id,
        )
