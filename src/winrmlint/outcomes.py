"""The outcome table: every documented way a WinRM connection fails, with its code, texts and causes.

One row per distinct failure, merged from `connection-model.md` §4 (rows O1–O44; `row` names
them) and `winrm-reference.md` §4 (`row="ref"` for causes the outcome table has no row for).
`winrmlint explain` and `winrmlint connect` both read it; `docs/outcomes.md` is generated from it.
Texts are WinRM's message (`{1}` of PowerShell's wrapper, §3.18) with line breaks joined; `…`
marks where a published text was abridged, `<name>`/`{mechanism}` where Windows inserts a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from winrmlint.rules.base import AUTH, ENTRA, INSTALL, SPN, TROUBLE, Doc

MULTIHOP = Doc("Multi-Hop Support in WinRM", "https://learn.microsoft.com/windows/win32/winrm/multi-hop-support")
REQ = Doc(
    "about_Remote_Requirements",
    "https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_remote_requirements",
)
PROXY = Doc("Proxy Servers and WinRM", "https://learn.microsoft.com/windows/win32/winrm/proxy-servers-and-winrm")
HTTPS = Doc(
    "How to configure WinRM for HTTPS",
    "https://learn.microsoft.com/troubleshoot/windows-client/system-management-components/configure-winrm-for-https",
)
QUOTAS = Doc("Quota Management for Remote Shells", "https://learn.microsoft.com/windows/win32/winrm/quotas")
ENABLE = Doc(
    "Enable-PSRemoting",
    "https://learn.microsoft.com/powershell/module/microsoft.powershell.core/enable-psremoting",
)

# PowerShell's wrapper around WinRM's message (RemotingErrorIdStrings.resx ConnectExCallBackError,
# TroubleShootingHelpTopic), and the tail of a pasted error record
WRAPPER = "Connecting to remote server {0} failed with the following error message : {1}"
HELP_TOPIC = "For more information, see the about_Remote_Troubleshooting Help topic."
_WRAPPER_RE = re.compile(
    r"(?:\[[^\[\]\n]*\]\s*)?Connecting\s+to\s+remote\s+server\s+.*?\s+failed\s+with\s+the\s+following\s+error\s+message\s*:",
    re.IGNORECASE | re.DOTALL,
)
_HELP_RE = re.compile(r"For\s+more\s+information,\s+see\s+the\s+about_Remote_Troubleshooting\s+Help\s+topic\.?", re.IGNORECASE)
_HEX = re.compile(r"\b0x[0-9a-fA-F]{1,8}\b")
_FQEID = re.compile(r"FullyQualifiedErrorId\s*:\s*([\w.,-]+)", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"<[^<>]{1,40}>|\{\w+\}|…")
# an ellipsis's spaces are taken from where their run starts: searched from every offset of a
# long run of spaces, `\s*` was quadratic
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|(?<!\s)\s*+(?:…|\.\.\.)\s*")
# an error record is a few KiB; a longer paste is read this far (matching is linear in it per text)
MAX_PASTE = 64 * 1024
# sentences shorter than this (as letters and digits) say too little to tell outcomes apart
_MIN_KEY = 8


def signed(value: int) -> int:
    """A 32-bit code as the signed decimal PowerShell and `winrm` print (0x80090322 → -2146893022)."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def number(text: str) -> int | None:
    """A code as typed: `0x80090322`, `80090322`-style hex with letters, or a signed or unsigned
    decimal; as an unsigned 32-bit value. None when `text` is not a number."""
    text = text.strip().replace("−", "-")
    try:
        if text.lower().startswith("0x"):
            return int(text, 16) & 0xFFFFFFFF
        if re.fullmatch(r"[+-]?\d+", text):
            value = int(text)
            return value & 0xFFFFFFFF if -(1 << 31) <= value < (1 << 32) else None
        if re.fullmatch(r"8[0-9a-fA-F]{7}", text):
            return int(text, 16)
    except ValueError:
        return None
    return None


def _key(text: str) -> str:
    """Letters and digits only, lower case: a console's wrapping (at spaces or mid-word) vanishes."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


@dataclass(frozen=True)
class Cause:
    """One documented configuration state behind an outcome, and the rules that detect it on a
    host (none: it depends on the attempt or on facts no dump holds)."""

    text: str
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """One distinct failure: what the user sees, where in the decision procedure, why, the fix.

    `code` is the hex code users see (empty when Windows shows none); `also` holds other numbers
    shown for it (the wrapper 0x8033809D of an SSPI error, a Win32 or WinHTTP number).
    `fqeid` is PowerShell's FullyQualifiedErrorId modifier where published. `step` is the step of
    connection-model §3 (`config` for errors of `winrm set`/quickconfig, not of connecting).
    """

    id: str
    row: str
    code: str
    name: str
    texts: tuple[str, ...]
    step: str
    causes: tuple[Cause, ...]
    fix: str
    doc: Doc
    fqeid: str = ""
    also: tuple[str, ...] = ()
    confidence: str = "DOC"

    @property
    def value(self) -> int | None:
        return number(self.code) if self.code else None

    @property
    def dec(self) -> int | None:
        return signed(self.value) if self.value is not None else None

    @property
    def numbers(self) -> frozenset[int]:
        """Every number this outcome is known by, unsigned."""
        found = {number(n) for n in (self.code, *self.also) if n}
        return frozenset(n for n in found if n is not None)

    @property
    def steps(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in self.step.split(","))

    @property
    def cause(self) -> str:
        return "; ".join(c.text for c in self.causes)

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for c in self.causes for r in c.rules))

    @property
    def help_uri(self) -> str:
        return self.doc.uri

    @property
    def connecting(self) -> bool:
        """Whether PowerShell shows it as a failed connection (not a parameter or configuration error)."""
        return self.step != "config" and self.id not in _NOT_CONNECTING

    @property
    def modifier(self) -> str:
        """The FullyQualifiedErrorId's first part: the published modifier, else (PowerShell's rule
        for a WinRM code without one) the code's signed decimal; empty when neither is known."""
        if self.fqeid:
            return self.fqeid
        if self.value is not None and self.code.upper().startswith("0X8033"):
            return str(self.dec)
        return ""


@dataclass(frozen=True)
class Match:
    """An outcome found for a query, how well it fits (1.0: all of it), and why."""

    outcome: Outcome
    score: float
    reason: str


OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        id='server-not-trusted',
        row='O1',
        code='0x803380E4',
        name='ERROR_WSMAN_SERVER_NOT_TRUSTED',
        texts=(
            (
                'The WinRM client cannot process the request. If the authentication scheme is '
                'different from Kerberos, or if the client computer is not joined to a domain, then '
                'HTTPS transport must be used or the destination machine must be added to the '
                'TrustedHosts configuration setting. Use winrm.cmd to configure TrustedHosts. Note '
                'that computers in the TrustedHosts list might not be authenticated. You can get more'
                ' information about that by running the following command: winrm help config.'
            ),
        ),
        step='5.1, 5.3',
        causes=(
            Cause(
                (
                    'The client is not domain-joined (workgroup or Microsoft Entra-only) and its '
                    'TrustedHosts is empty, so every connection over HTTP needs HTTPS or a '
                    'TrustedHosts entry'
                ),
                ('WRM303',),
            ),
            Cause(
                'A TrustedHosts entry is malformed, so the name typed never matches it',
                ('WRM302',),
            ),
            Cause(
                (
                    "The name typed is not in the client's TrustedHosts while Basic, Digest or "
                    'Negotiate is asked over HTTP'
                ),
                (),
            ),
        ),
        fix=(
            'an HTTPS listener with a certificate for the name and `-UseSSL`; else a narrow '
            'TrustedHosts entry (GPO `TrustedHostsList` if set by policy) plus `-Credential`'
        ),
        doc=ENTRA,
        fqeid='ServerNotTrusted',
    ),
    Outcome(
        id='cannot-use-ip-address',
        row='O2',
        code='0x803381BB',
        name='ERROR_WSMAN_DEFAULTAUTH_IPADDRESS',
        texts=(
            (
                'The WinRM client cannot process the request. Default authentication may be used with'
                ' an IP address under the following conditions: the transport is HTTPS or the '
                'destination is in the TrustedHosts list, and explicit credentials are provided. Use '
                'winrm.cmd to configure TrustedHosts. Note that computers in the TrustedHosts list '
                'might not be authenticated. For more information on how to set TrustedHosts run the '
                'following command: winrm help config.'
            ),
        ),
        step='5.2',
        causes=(
            Cause(
                (
                    'An IP address was typed with the default mechanism, over HTTP without a '
                    'TrustedHosts entry for it, or without `-Credential`'
                ),
                (),
            ),
            Cause(
                (
                    'TrustedHosts lists IP addresses: a connection by IP uses NTLM and needs explicit'
                    ' `-Credential`'
                ),
                ('WRM304',),
            ),
        ),
        fix=(
            'use the DNS name (Kerberos); else TrustedHosts entry for the IP and `-Credential`; or '
            'HTTPS and `-Credential`'
        ),
        doc=TROUBLE,
        fqeid='CannotUseIPAddress',
    ),
    Outcome(
        id='explicit-credentials-required',
        row='O3',
        code='0x803380E5',
        name='ERROR_WSMAN_EXPLICIT_CREDENTIALS_REQUIRED',
        texts=(
            (
                'The WinRM client cannot process the request. Default credentials with Negotiate over'
                ' HTTP can be used only if the target machine is part of the TrustedHosts list or the'
                ' Allow implicit credentials for Negotiate option is specified.'
            ),
        ),
        step='5.4',
        causes=(
            Cause(
                (
                    '`-Authentication Negotiate` without `-Credential` over HTTP to a host not in '
                    'TrustedHosts'
                ),
                (),
            ),
        ),
        fix='add `-Credential`, or use Default (Kerberos)',
        doc=AUTH,
        fqeid='ExplicitCredentialsRequired',
    ),
    Outcome(
        id='implicit-credentials-need-https',
        row='O4',
        code='0x803381B0',
        name='ERROR_WSMAN_CANNOT_USE_ALLOW_NEGOTIATE_IMPLICIT_CREDENTIALS_FOR_HTTP',
        texts=(
            (
                'The WinRM client cannot process the request. Allow implicit credentials for '
                'Negotiate authentication option is only valid for HTTPS transport. Remove the allow '
                'implicit credentials for Negotiate authentication option and try the request again.'
            ),
        ),
        step='2',
        causes=(
            Cause(
                '`NegotiateWithImplicitCredential` over HTTP',
                (),
            ),
        ),
        fix='`-UseSSL`, or plain Negotiate with `-Credential`',
        doc=AUTH,
    ),
    Outcome(
        id='kerberos-with-ip-address',
        row='O5',
        code='0x8033810B',
        name='ERROR_WSMAN_KERBEROS_IPADDRESS',
        texts=(
            (
                'The WinRM client cannot process the request. Kerberos authentication cannot be used '
                'when the destination is an IP address. Specify a DNS or NetBIOS destination or '
                'specify Basic or Negotiate authentication.'
            ),
        ),
        step='2',
        causes=(
            Cause(
                '`-Authentication Kerberos` to an IP address',
                (),
            ),
        ),
        fix='use the name',
        doc=AUTH,
    ),
    Outcome(
        id='workgroup-cannot-use-kerberos',
        row='O6',
        code='0x8033810C',
        name='ERROR_WSMAN_CLIENT_WORKGROUP_NO_KERBEROS',
        texts=(
            (
                'The WinRM client cannot process the request. Kerberos authentication cannot be used '
                'with implicit credentials if the client computer is not joined to a domain. Use '
                'explicit credentials or specify a different authentication mechanism than Kerberos.'
            ),
        ),
        step='2',
        causes=(
            Cause(
                (
                    '`-Authentication Kerberos` with implicit credentials on a client that is not '
                    'domain-joined'
                ),
                (),
            ),
        ),
        fix='`-Credential DOM\\user`, or Negotiate',
        doc=AUTH,
        fqeid='WorkgroupCannotUseKerberos',
    ),
    Outcome(
        id='kerberos-to-localhost',
        row='O7',
        code='0x8033810E',
        name='ERROR_WSMAN_SERVER_DESTINATION_LOCALHOST',
        texts=(
            (
                'The WinRM client cannot process the request. If you do not specify an authentication'
                ' mechanism or you specify Kerberos, then you cannot use "localhost" or "127.0.0.1" '
                'or "[::1]" for the remote host name. You can explicitly specify a different '
                'authentication mechanism than Kerberos or specify the remote host as a DNS name or '
                'NetBIOS name.'
            ),
        ),
        step='2',
        causes=(
            Cause(
                'Kerberos (asked or by default) to `localhost`, `127.0.0.1` or `[::1]`',
                (),
            ),
        ),
        fix='use the computer name, or Negotiate',
        doc=AUTH,
        fqeid='InvalidAuthentication',
    ),
    Outcome(
        id='client-unencrypted-disabled',
        row='O8',
        code='0x803380DE',
        name='ERROR_WSMAN_CLIENT_UNENCRYPTED_DISABLED',
        texts=(
            (
                'The WinRM client cannot process the request. Unencrypted traffic is currently '
                'disabled in the client configuration. Change the client configuration and try the '
                'request again.'
            ),
        ),
        step='6',
        causes=(
            Cause(
                (
                    'Basic, Digest or `-NoEncryption` over HTTP while the client `AllowUnencrypted` '
                    'is false (the default, and what STIG WN10-CC-000335 requires)'
                ),
                (),
            ),
        ),
        fix='HTTPS (keep AllowUnencrypted off: STIG WN10-CC-000335) or Negotiate/Kerberos',
        doc=AUTH,
    ),
    Outcome(
        id='client-basic-disabled',
        row='O9',
        code='0x803380DF',
        name='ERROR_WSMAN_CLIENT_BASIC_AUTHENTICATION_DISABLED',
        texts=(
            (
                'The WinRM client cannot process the request. Basic authentication is currently '
                'disabled in the client configuration. Change the client configuration and try the '
                'request again.'
            ),
        ),
        step='4',
        causes=(
            Cause(
                (
                    'Basic asked while the client `Auth/Basic` is false (or the policy "Allow Basic '
                    'authentication" is Disabled)'
                ),
                (),
            ),
        ),
        fix='use Negotiate/Kerberos (STIG wants Basic off)',
        doc=AUTH,
    ),
    Outcome(
        id='client-digest-disabled',
        row='O10',
        code='0x803380E0',
        name='ERROR_WSMAN_CLIENT_DIGEST_AUTHENTICATION_DISABLED',
        texts=(
            (
                'The WinRM client cannot process the request. Digest authentication is currently '
                'disabled in the client configuration. Change the client configuration and try the '
                'request again.'
            ),
        ),
        step='4',
        causes=(
            Cause(
                (
                    'Digest asked while the client Digest is off (the policy "Disallow Digest '
                    'authentication" writes 0)'
                ),
                (),
            ),
        ),
        fix="don't use Digest: the service never accepts it",
        doc=AUTH,
    ),
    Outcome(
        id='client-negotiate-disabled',
        row='O11',
        code='0x803380E1',
        name='ERROR_WSMAN_CLIENT_NEGOTIATE_AUTHENTICATION_DISABLED',
        texts=(
            (
                'The WinRM client cannot process the request. Negotiate authentication is currently '
                'disabled in the client configuration. Change the client configuration and try the '
                'request again. If this is a request for the local configuration, use one of the '
                'enabled authentication mechanisms still enabled. To use Kerberos, specify the local '
                'computer name as the remote destination. To use Basic, specify the local computer '
                'name as the remote destination, specify Basic authentication and provide user name '
                'and password.'
            ),
        ),
        step='4',
        causes=(
            Cause(
                (
                    'Negotiate chosen while the client `Auth/Negotiate` is false (policy "Disallow '
                    'Negotiate authentication")'
                ),
                ('WRM206',),
            ),
        ),
        fix='re-enable Negotiate (policy), or make Kerberos possible',
        doc=AUTH,
    ),
    Outcome(
        id='client-kerberos-disabled',
        row='O12',
        code='0x803380E2',
        name='ERROR_WSMAN_CLIENT_KERBEROS_AUTHENTICATION_DISABLED',
        texts=(
            (
                'The WinRM client cannot process the request. Kerberos authentication is currently '
                'disabled in the client configuration. Change the client configuration and try the '
                'request again.'
            ),
        ),
        step='4',
        causes=(
            Cause(
                (
                    'Kerberos chosen (asked, or the default on a domain client) while the client '
                    '`Auth/Kerberos` is false (policy "Disallow Kerberos authentication")'
                ),
                ('WRM206',),
            ),
        ),
        fix='re-enable client Kerberos (the policy "Disallow Kerberos authentication", DisallowKerberos_2, Disabled or Not Configured)',
        doc=AUTH,
        fqeid='ClientKerberosDisabled',
        confidence='DOC / INF for Default',
    ),
    Outcome(
        id='client-certificate-disabled',
        row='O13',
        code='0x803380E3',
        name='ERROR_WSMAN_CLIENT_CERTIFICATES_AUTHENTICATION_DISABLED',
        texts=(
            (
                'The WinRM client cannot process the request. Certificate authentication is currently'
                ' disabled in the client configuration. Change the client configuration and try the '
                'request again.'
            ),
        ),
        step='4',
        causes=(
            Cause(
                'Certificate authentication asked while the client `Auth/Certificate` is false',
                (),
            ),
        ),
        fix='enable client `Auth/Certificate`: `winrm set winrm/config/client/auth @{Certificate="true"}`',
        doc=AUTH,
    ),
    Outcome(
        id='client-credssp-disabled',
        row='O14',
        code='0x803381A2',
        name='ERROR_WSMAN_CLIENT_CREDSSP_AUTHENTICATION_DISABLED',
        texts=(
            (
                'The WinRM client cannot process the request. CredSSP authentication is currently '
                'disabled in the client configuration. Change the client configuration and try the '
                'request again. CredSSP authentication must also be enabled in the server '
                'configuration. Also, Group Policy must be edited to allow credential delegation to '
                'the target computer. Use gpedit.msc and look at the following policy: Computer '
                'Configuration -> Administrative Templates -> System -> Credentials Delegation -> '
                'Allow Delegating Fresh Credentials. Verify that it is enabled and configured with an'
                ' SPN appropriate for the target computer. For example, for a target computer name '
                '"myserver.domain.com", the SPN can be one of the following: '
                'WSMAN/myserver.domain.com or WSMAN/*.domain.com'
            ),
        ),
        step='4',
        causes=(
            Cause(
                'CredSSP asked while the client `Auth/CredSSP` is false',
                (),
            ),
        ),
        fix='`Enable-WSManCredSSP -Role Client -DelegateComputer <name>`; prefer RBCD/JEA',
        doc=MULTIHOP,
    ),
    Outcome(
        id='credssp-needs-credentials',
        row='O15',
        code='0x803381A1',
        name='ERROR_WSMAN_CREDSSP_USERNAME_PASSWORD_NEEDED',
        texts=(
            (
                'The WinRM client cannot process the request. Requests must include user name and '
                'password when CredSSP authentication mechanism is used. Add the user name and '
                'password or change the authentication mechanism and try the request again.'
            ),
        ),
        step='2',
        causes=(
            Cause(
                'CredSSP without `-Credential`',
                (),
            ),
        ),
        fix='add `-Credential`',
        doc=MULTIHOP,
    ),
    Outcome(
        id='basic-digest-need-credentials',
        row='O16',
        code='0x803380B0',
        name='ERROR_WSMAN_CLIENT_USERNAME_PASSWORD_NEEDED',
        texts=(
            (
                'The WinRM client cannot process the request. Requests must include user name and '
                'password when Basic or Digest authentication mechanism is used. Add the user name '
                'and password or change the authentication mechanism and try the request again.'
            ),
        ),
        step='2',
        causes=(
            Cause(
                'Basic or Digest without `-Credential`',
                (),
            ),
        ),
        fix='add `-Credential`',
        doc=AUTH,
    ),
    Outcome(
        id='credssp-delegation-not-allowed',
        row='O17',
        code='0x803381A3',
        name='ERROR_WSMAN_CLIENT_ALLOWFRESHCREDENTIALS',
        texts=(
            (
                'The WinRM client cannot process the request. A computer policy does not allow the '
                'delegation of the user credentials to the target computer. Use gpedit.msc and look '
                'at the following policy: Computer Configuration -> Administrative Templates -> '
                'System -> Credentials Delegation -> Allow Delegating Fresh Credentials. Verify that '
                'it is enabled and configured with an SPN appropriate for the target computer. For '
                'example, for a target computer name "myserver.domain.com", the SPN can be one of the'
                ' following: WSMAN/myserver.domain.com or WSMAN/*.domain.com.'
            ),
        ),
        step='7.1',
        causes=(
            Cause(
                (
                    'CredSSP while the policy "Allow Delegating Fresh Credentials" is missing or '
                    'lists no `WSMAN/<name>` matching the name typed'
                ),
                (),
            ),
        ),
        fix='add `WSMAN/<name>` to the policy',
        doc=MULTIHOP,
    ),
    Outcome(
        id='credssp-server-not-verified',
        row='O18',
        code='0x803381A4',
        name='ERROR_WSMAN_CLIENT_ALLOWFRESHCREDENTIALS_NTLMONLY',
        texts=(
            (
                'The WinRM client cannot process the request. A computer policy does not allow the '
                'delegation of the user credentials to the target computer because the computer is '
                'not trusted. The identity of the target computer can be verified if you configure '
                'the WSMAN service to use a valid certificate using the following command: winrm set '
                'winrm/config/service \'@{CertificateThumbprint="<thumbprint>"}\' Or you can check the '
                'Event Viewer for an event that specifies that the following SPN could not be '
                'created: WSMAN/<computerFQDN>. If you find this event, you can manually create the '
                'SPN using setspn.exe . If the SPN exists, but CredSSP cannot use Kerberos to '
                'validate the identity of the target computer and you still want to allow the '
                'delegation of the user credentials to the target computer, use gpedit.msc and look '
                'at the following policy: Computer Configuration -> Administrative Templates -> '
                'System -> Credentials Delegation -> Allow Fresh Credentials with NTLM-only Server '
                'Authentication. Verify that it is enabled and configured with an SPN appropriate for'
                ' the target computer. For example, for a target computer name "myserver.domain.com",'
                ' the SPN can be one of the following: WSMAN/myserver.domain.com or '
                'WSMAN/*.domain.com. Try the request again after these changes.'
            ),
        ),
        step='7.2',
        causes=(
            Cause(
                (
                    'CredSSP to a server whose identity Kerberos cannot verify (an IP address, a '
                    'workgroup server, no `WSMAN/` SPN) with no service certificate and no NTLM-only '
                    'delegation policy entry'
                ),
                (),
            ),
        ),
        fix=(
            'use the FQDN; register `WSMAN/<fqdn>`; set the service CertificateThumbprint; NTLM-only '
            'policy last'
        ),
        doc=MULTIHOP,
    ),
    Outcome(
        id='certificate-over-http',
        row='O19',
        code='0x803380D8',
        name='ERROR_WSMAN_CANNOT_USE_CERTIFICATES_FOR_HTTP',
        texts=(
            (
                'The WinRM client cannot process the request. Certificate parameters are not valid '
                'when the HTTP transport is also specified. Remove the certificate parameters or '
                'change the transport and try again the request.'
            ),
        ),
        step='2',
        causes=(
            Cause(
                '`-CertificateThumbprint` over HTTP',
                (),
            ),
        ),
        fix='`-UseSSL`',
        doc=AUTH,
    ),
    Outcome(
        id='spn-port-needs-kerberos',
        row='O20',
        code='0x803380AE',
        name='ERROR_WSMAN_CLIENT_SPN_WRONG_AUTH',
        texts=(
            (
                'The WinRM client cannot process the request. The SPN Server Port can only be used '
                'when the authentication mechanism is Negotiate or Kerberos. Remove the SPN Server '
                'Port or change the authentication mechanism and try the request again.'
            ),
        ),
        step='2',
        causes=(
            Cause(
                '`IncludePortInSPN` with a mechanism other than Negotiate or Kerberos',
                (),
            ),
        ),
        fix='drop the option',
        doc=SPN,
    ),
    Outcome(
        id='unencrypted-flag-over-https',
        row='O22',
        code='0x803380D7',
        name='ERROR_WSMAN_CLIENT_UNENCRYPTED_HTTP_ONLY',
        texts=(
            (
                'The WinRM client cannot process the request. The unencrypted flag only applies to '
                'the HTTP transport. Remove the unencrypted flag or change the transport and try '
                'again the request.'
            ),
        ),
        step='2',
        causes=(
            Cause(
                '`-NoEncryption` over HTTPS',
                (),
            ),
        ),
        fix='drop `-NoEncryption`',
        doc=AUTH,
    ),
    Outcome(
        id='certificate-with-mechanism',
        row='O23',
        code='',
        name='',
        texts=(
            'A CertificateThumbPrint cannot be specified when {mechanism} is specified.',
        ),
        step='2',
        causes=(
            Cause(
                (
                    '`-CertificateThumbprint` together with an `-Authentication` other than Default '
                    '(PowerShell checks this itself)'
                ),
                (),
            ),
        ),
        fix='drop one of them',
        doc=TROUBLE,
    ),
    Outcome(
        id='server-name-not-resolved',
        row='O24',
        code='0x803381B9',
        name='ERROR_WSMAN_NAME_NOT_RESOLVED',
        texts=(
            'The WinRM client cannot process the request because the server name cannot be resolved.',
        ),
        step='9',
        causes=(
            Cause(
                'The name typed does not resolve in DNS (on a path without Kerberos)',
                (),
            ),
        ),
        fix='fix DNS, use the FQDN',
        doc=TROUBLE,
        fqeid='ComputerNotFound',
    ),
    Outcome(
        id='kerberos-computer-not-found',
        row='O25',
        code='',
        name='',
        texts=(
            (
                'WinRM cannot process the request. The following error occurred while using Kerberos '
                'authentication: Cannot find the computer <name>. Verify that the computer exists on '
                'the network and that the name provided is spelled correctly.'
            ),
        ),
        step='10.2',
        causes=(
            Cause(
                (
                    'Kerberos finds no SPN `<class>/<name>[:port]` for the name typed: an alias, a '
                    'name outside the forest, a workgroup target, a missing port SPN, a deleted DNS '
                    'record'
                ),
                (),
            ),
            Cause(
                "Clients use `spn_prefix` `WSMAN` but the host's account has no `WSMAN/<name>` SPN",
                ('WRM403',),
            ),
            Cause(
                'The client `spn_prefix` is not `HTTP`, `HOST` or `WSMAN`, so no SPN can match',
                ('WRM405',),
            ),
        ),
        fix=(
            'use the registered name (short or FQDN as in `setspn -L`); for workgroup targets '
            'TrustedHosts + `-Credential`; register the alias or port SPN'
        ),
        doc=SPN,
        fqeid='NetworkPathNotFound',
        confidence='OBS',
    ),
    Outcome(
        id='server-identity-unverified',
        row='O29',
        code='0x803381F0',
        name='ERROR_WSMAN_MUTUAL_AUTH_FAILED',
        texts=(
            (
                'The WinRM client cannot process the request as the server identity could not be '
                'verified. If the identity of the server is trusted, add it to the TrustedHosts list '
                'and retry the request. Use winrm.cmd to configure TrustedHosts. Note that computers '
                'in the TrustedHosts list might not be authenticated. For more information on how to '
                'set TrustedHosts, run the following command: winrm help config'
            ),
        ),
        step='10.5',
        causes=(
            Cause(
                (
                    'Negotiate fell back to NTLM (no usable SPN) and the server is neither reached '
                    'over HTTPS nor in TrustedHosts'
                ),
                (),
            ),
        ),
        fix='fix the SPN so Kerberos is used; or HTTPS',
        doc=AUTH,
        confidence='DOC text / INF trigger',
    ),
    Outcome(
        id='network-timeout',
        row='O30',
        code='0x80338126',
        name='ERROR_WSMAN_NETWORK_TIMEDOUT',
        texts=(
            (
                'WinRM cannot complete the operation. Verify that the specified computer name is '
                'valid, that the computer is accessible over the network, and that a firewall '
                'exception for the WinRM service is enabled and allows access from this computer. By '
                'default, the WinRM firewall exception for public profiles limits access to remote '
                'computers within the same local subnet.'
            ),
        ),
        step='11.4',
        causes=(
            Cause(
                (
                    'The WinRM firewall rule for the Public profile admits only the local subnet and '
                    'the Public profile is active'
                ),
                ('WRM509',),
            ),
            Cause(
                (
                    'No firewall rule admits the client: wrong profile, no rule for 5986 (HTTPS), a '
                    'network firewall in between'
                ),
                (),
            ),
        ),
        fix="open the rule for the client's subnet (not `Any` on Public: WRM510); add 5986 for HTTPS",
        doc=REQ,
        fqeid='WinRMOperationTimeout',
    ),
    Outcome(
        id='cannot-connect',
        row='O31',
        code='0x80338012',
        name='ERROR_WSMAN_DESTINATION_UNREACHABLE',
        texts=(
            (
                'The client cannot connect to the destination specified in the request. Verify that '
                'the service on the destination is running and is accepting requests. Consult the '
                'logs and documentation for the WS-Management service running on the destination, '
                'most commonly IIS or WinRM. If the destination is the WinRM service, run the '
                'following command on the destination to analyze and configure the WinRM service: '
                '"winrm quickconfig".'
            ),
        ),
        step='11.1, 11.3, 8',
        causes=(
            Cause(
                'The WinRM service is stopped',
                ('WRM512',),
            ),
            Cause(
                'The WinRM service does not start automatically (`Start` is 3 or 4)',
                ('WRM507',),
            ),
            Cause(
                'No listener is enabled',
                ('WRM501',),
            ),
            Cause(
                (
                    'An enabled listener listens nowhere (`ListeningOn {}`), typically a GPO listener'
                    ' with empty IP filters'
                ),
                ('WRM502', 'WRM503'),
            ),
            Cause(
                'A WinHTTP proxy without a bypass for the target is in the path',
                ('WRM511',),
            ),
        ),
        fix='`Start-Service WinRM` / Automatic; Enable-PSRemoting; IP filters `*`; proxy bypass',
        doc=TROUBLE,
        fqeid='CannotConnect',
    ),
    Outcome(
        id='connection-refused',
        row='O32',
        code='0x80338112',
        name='ERROR_WSMAN_HTTP_SERVICE_UNAVAILABLE_STATUS',
        texts=(
            (
                'The connection to the specified remote host was refused. Verify that the '
                'WS-Management service is running on the remote host and configured to listen for '
                'requests on the correct port and HTTP URL.'
            ),
        ),
        step='11.3',
        causes=(
            Cause(
                (
                    'No enabled listener on the port the client uses (HTTP.sys answers 503 without a '
                    'WinRM URL there)'
                ),
                ('WRM501',),
            ),
            Cause(
                'A listener on a port other than the client `DefaultPorts`, reached without `-Port`',
                ('WRM505',),
            ),
        ),
        fix='align port/URLPrefix; Enable-PSRemoting',
        doc=TROUBLE,
        fqeid='CannotConnectWinRMService',
        confidence='DOC text / INF mapping',
    ),
    Outcome(
        id='url-not-available',
        row='O33',
        code='0x80338113',
        name='ERROR_WSMAN_HTTP_NOT_FOUND_STATUS',
        texts=(
            (
                'The WinRM client sent a request to an HTTP server and got a response saying the '
                'requested HTTP URL was not available. This is usually returned by a HTTP server that'
                ' does not support the WS-Management protocol.'
            ),
        ),
        step='11.3, 1.3',
        causes=(
            Cause(
                (
                    'Another HTTP server (IIS on 80) answers on the port, or the URL prefix differs '
                    "from the listener's `URLPrefix`"
                ),
                (),
            ),
            Cause(
                (
                    'A listener on a port other than the client `DefaultPorts`, so the client reaches'
                    ' another application'
                ),
                ('WRM505',),
            ),
        ),
        fix='correct `-Port` / `-ApplicationName`',
        doc=TROUBLE,
        fqeid='URLNotAvailable',
    ),
    Outcome(
        id='ssl-connection-failed',
        row='O34',
        code='0x803381BA',
        name='ERROR_WSMAN_SSL_CONNECTION_ABORTED',
        texts=(
            (
                'The SSL connection cannot be established. Verify that the service on the remote host'
                ' is properly configured to listen for HTTPS requests. Consult the logs and '
                'documentation for the WS-Management service running on the destination, most '
                'commonly IIS or WinRM. If the destination is the WinRM service, run the following '
                'command on the destination to analyze and configure the WinRM service: "winrm '
                'quickconfig -transport:https".'
            ),
        ),
        step='11.3',
        causes=(
            Cause(
                'An HTTPS listener without a usable `CertificateThumbprint`',
                ('WRM504',),
            ),
            Cause(
                'No HTTPS listener (or SSL binding) on the port the client uses',
                (),
            ),
        ),
        fix='create the HTTPS listener',
        doc=HTTPS,
    ),
    Outcome(
        id='remote-access-disabled',
        row='O36',
        code='0x803381DD',
        name='ERROR_WSMAN_SERVICE_REMOTE_ACCESS_DISABLED',
        texts=(
            'The WS-Management service is configured to not allow remote requests.',
        ),
        step='11.2',
        causes=(
            Cause(
                'Service `AllowRemoteAccess` is false',
                ('WRM506',),
            ),
        ),
        fix='set Service `AllowRemoteAccess` to true (in the "Allow remote server management through WinRM" policy when Group Policy sets it)',
        doc=INSTALL,
    ),
    Outcome(
        id='mechanism-not-supported',
        row='O37',
        code='',
        name='',
        texts=(
            (
                'The WinRM client cannot process the request. The authentication mechanism requested '
                'by the client is not supported by the server or unencrypted traffic is disabled in '
                'the service configuration. Verify the unencrypted traffic setting in the service '
                'configuration or specify one of the authentication mechanisms supported by the '
                'server. To use Kerberos, specify the computer name as the remote destination. Also '
                'verify that the client computer and the destination computer are joined to a domain.'
                ' To use Basic, specify the computer name as the remote destination, specify Basic '
                'authentication and provide user name and password. Possible authentication '
                'mechanisms reported by server: <list>'
            ),
        ),
        step='13.1, 6',
        causes=(
            Cause(
                (
                    "The server's `Auth/<mechanism>` is off for the mechanism asked (Kerberos or "
                    'Negotiate off on a domain member)'
                ),
                ('WRM206',),
            ),
            Cause(
                (
                    'Basic over HTTP while the service `AllowUnencrypted` is false, or Digest (which '
                    'the service never accepts)'
                ),
                (),
            ),
        ),
        fix='pick a mechanism the server lists; enable on the server only what is needed (not Basic)',
        doc=AUTH,
        confidence='DOC/OBS',
    ),
    Outcome(
        id='kerberos-access-denied',
        row='O38',
        code='',
        name='',
        texts=(
            (
                'The WinRM client cannot process the request. The WinRM client tried to use Kerberos '
                'authentication mechanism, but the destination computer (<name>:<port>) returned an '
                "'access denied' error. Change the configuration to allow Kerberos authentication "
                'mechanism to be used or specify one of the authentication mechanisms supported by '
                'the server. To use Kerberos, specify the local computer name as the remote '
                'destination. Also verify that the client computer and the destination computer are '
                'joined to a domain. To use Basic, specify the local computer name as the remote '
                'destination, specify Basic authentication and provide user name and password. '
                'Possible authentication mechanisms reported by server: Negotiate'
            ),
        ),
        step='13.1',
        causes=(
            Cause(
                (
                    'Kerberos asked while the server accepts only Negotiate (service `Auth/Kerberos` '
                    'false, policy "Disallow Kerberos authentication")'
                ),
                ('WRM206',),
            ),
        ),
        fix="re-enable the server's Kerberos (policy \"Disallow Kerberos authentication\" Disabled or Not Configured)",
        doc=AUTH,
        fqeid='AccessDenied',
        confidence='OBS / INF cause',
    ),
    Outcome(
        id='session-configuration-not-found',
        row='O41',
        code='0x8033803B',
        name='ERROR_WSMAN_INVALID_RESOURCE_URI',
        texts=(
            (
                'The WS-Management service cannot process the request. Cannot find the <name> session'
                ' configuration in the WSMan: drive on the <computer> computer.'
            ),
        ),
        step='16',
        causes=(
            Cause(
                (
                    'The session configuration asked (`-ConfigurationName`, `Microsoft.PowerShell` by'
                    ' default) is not registered on the server'
                ),
                ('WRM605',),
            ),
        ),
        fix='`Register-PSSessionConfiguration` / `Enable-PSRemoting`',
        doc=TROUBLE,
        fqeid='InvalidResourceUri',
    ),
    Outcome(
        id='remote-shells-not-allowed',
        row='O42',
        code='0x803381AC',
        name='ERROR_WSMAN_REMOTESHELLS_NOT_ALLOWED',
        texts=(
            (
                'The WS-Management service cannot process the request. The service is configured to '
                'not accept any remote shell requests.'
            ),
        ),
        step='16',
        causes=(
            Cause(
                'Winrs `AllowRemoteShellAccess` is false',
                ('WRM508',),
            ),
        ),
        fix='set Winrs `AllowRemoteShellAccess` to true (the policy "Allow Remote Shell Access" when Group Policy sets it)',
        doc=INSTALL,
        fqeid='RemoteSessionDisallowed',
    ),
    Outcome(
        id='runas-credentials-disallowed',
        row='O43',
        code='0x803381DF',
        name='ERROR_WSMAN_CREATESHELL_RUNAS_FAILED',
        texts=(
            (
                'The creation of a new Shell failed. Verify that the RunAsPassword value is correctly'
                ' configured and that the Group Policy setting "Disallow WinRM from storing RunAs '
                'credentials" is Disabled or Not Configured. To enable WinRM to store RunAs '
                'credentials, change this Group Policy setting to Disabled.'
            ),
        ),
        step='16',
        causes=(
            Cause(
                (
                    'A RunAs endpoint while the policy "Disallow WinRM from storing RunAs '
                    'credentials" is Enabled'
                ),
                (),
            ),
        ),
        fix='use a virtual account/gMSA (JEA), not stored RunAs',
        doc=TROUBLE,
        fqeid='CannotConnectRunAsFailed',
    ),
    Outcome(
        id='proxy-with-http',
        row='O21',
        code='0x803381B1',
        name='ERROR_WSMAN_CANNOT_USE_PROXY_SETTINGS_FOR_HTTP',
        texts=(
            (
                'The WinRM client cannot process the request. Setting proxy information is not valid '
                'when the HTTP transport is specified. Remove the proxy information or change the … '
                'and try the request again.'
            ),
        ),
        step='2',
        causes=(
            Cause(
                '`New-PSSessionOption -ProxyAccessType` set while the transport is HTTP',
                (),
            ),
        ),
        fix='HTTPS with Negotiate through the proxy, or a bypass',
        doc=PROXY,
    ),
    Outcome(
        id='proxy-with-kerberos',
        row='O21',
        code='0x803381B2',
        name='ERROR_WSMAN_CANNOT_USE_PROXY_SETTINGS_FOR_KERBEROS',
        texts=(
            (
                'The WinRM client cannot process the request. Setting proxy information is not valid '
                'when the authentication mechanism with the remote machine is Kerberos. Remove the '
                'proxy information or change the … and try the request again.'
            ),
        ),
        step='2',
        causes=(
            Cause(
                (
                    '`New-PSSessionOption -ProxyAccessType` set while the authentication mechanism '
                    'with the remote machine is Kerberos'
                ),
                (),
            ),
        ),
        fix='HTTPS with Negotiate through the proxy, or a bypass',
        doc=PROXY,
    ),
    Outcome(
        id='proxy-with-credssp',
        row='O21',
        code='0x803381B3',
        name='ERROR_WSMAN_CANNOT_USE_PROXY_SETTINGS_FOR_CREDSSP',
        texts=(
            (
                'The WinRM client cannot process the request. Setting proxy information is not valid '
                'when the authentication mechanism with the remote machine is CredSSP. Remove the '
                'proxy information or change the … and try the request again.'
            ),
        ),
        step='2',
        causes=(
            Cause(
                (
                    '`New-PSSessionOption -ProxyAccessType` set while the authentication mechanism '
                    'with the remote machine is CredSSP'
                ),
                (),
            ),
        ),
        fix='HTTPS with Negotiate through the proxy, or a bypass',
        doc=PROXY,
    ),
    Outcome(
        id='spn-on-another-account',
        row='O26',
        code='0x80090322',
        name='SEC_E_WRONG_PRINCIPAL',
        texts=(
            (
                'WinRM cannot process the request. The following error with errorcode 0x80090322 '
                'occurred while using Kerberos authentication: An unknown security error occurred.'
            ),
        ),
        step='10.2',
        causes=(
            Cause(
                (
                    '`HTTP/<name>` is registered to another account (an IIS application pool, a '
                    "service account) than the computer's"
                ),
                ('WRM401',),
            ),
            Cause(
                (
                    'One SPN is registered on more than one account: Kerberos fails or falls back to '
                    'NTLM'
                ),
                ('WRM402',),
            ),
        ),
        fix=(
            'remove the stray SPN; or port SPN + `IncludePortInSPN`; or client `spn_prefix=WSMAN` '
            'with `WSMAN/` SPNs on the computer'
        ),
        doc=SPN,
        fqeid='-2144108387',
        also=('0x8033809D',),
    ),
    Outcome(
        id='no-logon-servers',
        row='O27',
        code='0x80090311',
        name='SEC_E_NO_AUTHENTICATING_AUTHORITY',
        texts=(
            (
                'WinRM cannot process the request. The following error with errorcode 0x80090311 '
                'occurred while using Kerberos authentication: There are currently no logon servers '
                'available to service the logon request.'
            ),
            (
                'WinRM cannot process the request. The following error with errorcode 0x80090311 '
                "occurred while using Kerberos authentication: We can't sign you in with this "
                "credential because your domain isn't available. Make sure your device is connected "
                "to your organization's network and try again. If you previously signed in on this "
                'device with another credential, you can sign in with that credential.'
            ),
        ),
        step='10.3',
        causes=(
            Cause(
                'Kerberos with explicit credentials that are not a domain account (`HOST\\user`)',
                (),
            ),
            Cause(
                (
                    'No domain controller reachable for Kerberos: DNS/SRV records, time skew, a '
                    'forest without trust'
                ),
                (),
            ),
        ),
        fix='TrustedHosts for the node (so Negotiate/NTLM is used), or a domain account',
        doc=TROUBLE,
    ),
    Outcome(
        id='logon-session-missing',
        row='O28',
        code='0x8009030E',
        name='SEC_E_NO_CREDENTIALS',
        texts=(
            (
                'WinRM cannot process the request. The following error with errorcode 0x8009030e '
                'occurred while using Negotiate authentication: A specified logon session does not '
                'exist. It may already have been terminated. Possible causes are: -The user name or '
                'password specified are invalid. -Kerberos is used when no authentication method and '
                'no user name are specified. -Kerberos accepts domain user names, but not local user '
                'names. -The Service Principal Name (SPN) for the remote computer name and port does '
                'not exist. -The client and remote computers are in different domains and there is no'
                ' trust between the two domains. After checking for the above issues, try the '
                'following: -Check the Event Viewer for events related to authentication. -Change the'
                ' authentication method; add the destination computer to the WinRM TrustedHosts '
                'configuration setting or use HTTPS transport. Note that computers in the '
                'TrustedHosts list might not be authenticated. -For more information about WinRM '
                'configuration, run the following command: winrm help config.'
            ),
            (
                'WinRM cannot process the request. The following error with errorcode 0x8009030e '
                'occurred while using Kerberos authentication: A specified logon session does not '
                'exist. It may already have been terminated. Possible causes are: -The user name or '
                'password specified are invalid. -Kerberos is used when no authentication method and '
                'no user name are specified. -Kerberos accepts domain user names, but not local user '
                'names. -The Service Principal Name (SPN) for the remote computer name and port does '
                'not exist. -The client and remote computers are in different domains and there is no'
                ' trust between the two domains. After checking for the above issues, try the '
                'following: -Check the Event Viewer for events related to authentication. -Change the'
                ' authentication method; add the destination computer to the WinRM TrustedHosts '
                'configuration setting or use HTTPS transport. Note that computers in the '
                'TrustedHosts list might not be authenticated. -For more information about WinRM '
                'configuration, run the following command: winrm help config.'
            ),
        ),
        step='10.3',
        causes=(
            Cause(
                (
                    'The client is Microsoft Entra-only joined and `spn_prefix` is unset or `HTTP`: '
                    'implicit credentials cannot be used'
                ),
                ('WRM404',),
            ),
            Cause(
                (
                    'A logon session without usable Kerberos or NTLM credentials (an SSH key logon), '
                    'or local credentials with Kerberos'
                ),
                (),
            ),
        ),
        fix='Entra: `spn_prefix=HOST`; otherwise `-Credential`',
        doc=ENTRA,
    ),
    Outcome(
        id='tls-certificate-rejected',
        row='O35',
        code='',
        name='ERROR_WINHTTP_SECURE_FAILURE',
        texts=(
            (
                'The server certificate on the destination computer (<name>:<port>) has the following'
                ' errors: The SSL certificate is signed by an unknown certificate authority. The SSL '
                'certificate contains a common name (CN) that does not match the hostname.'
            ),
            (
                'The server certificate on the destination computer (<name>:<port>) has the following'
                ' errors: The SSL certificate could not be checked for revocation. The server used to'
                ' check for revocation might be unreachable.'
            ),
            (
                'The server certificate on the destination computer (<name>:<port>) has the following'
                ' errors: The SSL Certificate is expired.'
            ),
        ),
        step='12',
        causes=(
            Cause(
                (
                    "The listener's certificate is from a CA the client does not trust, does not name"
                    ' the host typed, cannot be checked for revocation, or is expired'
                ),
                (),
            ),
        ),
        fix=(
            'a certificate for the name typed, from a CA the client trusts; renew; use the name in the SAN; '
            '`Skip*Check` only for trusted labs'
        ),
        doc=HTTPS,
        also=('12175',),
        confidence='OBS',
    ),
    Outcome(
        id='access-denied',
        row='O39',
        code='0x80070005',
        name='E_ACCESSDENIED',
        texts=(
            'Access is denied.',
        ),
        step='14, 15',
        causes=(
            Cause(
                (
                    'A workgroup or Entra-only host keeps `LocalAccountTokenFilterPolicy` at 0: only '
                    'the built-in Administrator gets a full token'
                ),
                ('WRM604',),
            ),
            Cause(
                (
                    'The default endpoint `Microsoft.PowerShell` is missing or disabled '
                    '(Disable-PSRemoting adds a NETWORK deny)'
                ),
                ('WRM605',),
            ),
            Cause(
                (
                    'The user is not in Administrators or Remote Management Users and has no Execute '
                    'on the endpoint; an administrator from another domain; explicit `AzureAD\\` '
                    'credentials'
                ),
                (),
            ),
        ),
        fix=(
            'add the user to Remote Management Users or grant Execute (least privilege); '
            '`Enable-PSRemoting` lifts the NETWORK deny (not `Enable-PSSessionConfiguration`, which '
            'leaves the NETWORK deny in place); LATFP=1 last, with its STIG cost'
        ),
        doc=TROUBLE,
        fqeid='AccessDenied',
        also=('5',),
    ),
    Outcome(
        id='logon-failure',
        row='O40',
        code='',
        name='ERROR_LOGON_FAILURE',
        texts=(
            'The user name or password is incorrect.',
        ),
        step='14',
        causes=(
            Cause(
                'A wrong password, or an empty password on a workgroup target',
                (),
            ),
        ),
        fix='check the user name and password; a workgroup target needs an account with a password',
        doc=TROUBLE,
        fqeid='LogonFailure',
        also=('1326',),
        confidence='runtime',
    ),
    Outcome(
        id='max-shells-per-user',
        row='O44',
        code='0x803381A5',
        name='ERROR_WSMAN_QUOTA_MAX_SHELLS',
        texts=(
            (
                'The WS-Management service cannot process the request. The maximum number of '
                'concurrent shells for this user has been exceeded. Close existing shells or raise '
                'the quota for this user.'
            ),
        ),
        step='16',
        causes=(
            Cause(
                (
                    'Winrs `MaxShellsPerUser` reached (live count); a value below the default makes '
                    'it likely'
                ),
                ('WRM702',),
            ),
        ),
        fix='close shells, or raise Winrs `MaxShellsPerUser`',
        doc=QUOTAS,
        confidence='DOC, runtime',
    ),
    Outcome(
        id='max-shell-users',
        row='O44',
        code='0x803381AB',
        name='ERROR_WSMAN_QUOTA_MAX_SHELLUSERS',
        texts=(
            'The maximum number of users executing shell operations has been exceeded.',
        ),
        step='16',
        causes=(
            Cause(
                (
                    'Winrs `MaxConcurrentUsers` reached (live count); a value below the default makes'
                    ' it likely'
                ),
                ('WRM702',),
            ),
        ),
        fix='raise Winrs `MaxConcurrentUsers`',
        doc=QUOTAS,
        confidence='DOC, runtime',
    ),
    Outcome(
        id='plugin-quota-shells',
        row='O44',
        code='0x803381E4',
        name='ERROR_WSMAN_QUOTA_MAX_SHELLS_PPQ',
        texts=(),
        step='16',
        causes=(
            Cause(
                'A session configuration (plugin) quota on shells is reached (live count)',
                (),
            ),
        ),
        fix=(
            "raise the session configuration's quota (`Set-PSSessionConfiguration`, "
            '`winrm/config/plugin/<name>/Quotas`)'
        ),
        doc=QUOTAS,
        confidence='DOC, runtime',
    ),
    Outcome(
        id='plugin-quota-users',
        row='O44',
        code='0x803381E5',
        name='ERROR_WSMAN_QUOTA_MAX_USERS_PPQ',
        texts=(),
        step='16',
        causes=(
            Cause(
                'A session configuration (plugin) quota on users is reached (live count)',
                (),
            ),
        ),
        fix=(
            "raise the session configuration's quota (`Set-PSSessionConfiguration`, "
            '`winrm/config/plugin/<name>/Quotas`)'
        ),
        doc=QUOTAS,
        confidence='DOC, runtime',
    ),
    Outcome(
        id='plugin-quota-pluginshells',
        row='O44',
        code='0x803381E6',
        name='ERROR_WSMAN_QUOTA_MAX_PLUGINSHELLS_PPQ',
        texts=(),
        step='16',
        causes=(
            Cause(
                (
                    'A session configuration (plugin) quota on shells of the plugin is reached (live '
                    'count)'
                ),
                (),
            ),
        ),
        fix=(
            "raise the session configuration's quota (`Set-PSSessionConfiguration`, "
            '`winrm/config/plugin/<name>/Quotas`)'
        ),
        doc=QUOTAS,
        confidence='DOC, runtime',
    ),
    Outcome(
        id='plugin-quota-pluginoperations',
        row='O44',
        code='0x803381E7',
        name='ERROR_WSMAN_QUOTA_MAX_PLUGINOPERATIONS_PPQ',
        texts=(),
        step='16',
        causes=(
            Cause(
                (
                    'A session configuration (plugin) quota on operations of the plugin is reached '
                    '(live count)'
                ),
                (),
            ),
        ),
        fix=(
            "raise the session configuration's quota (`Set-PSSessionConfiguration`, "
            '`winrm/config/plugin/<name>/Quotas`)'
        ),
        doc=QUOTAS,
        confidence='DOC, runtime',
    ),
    Outcome(
        id='plugin-quota-operations-user',
        row='O44',
        code='0x803381E8',
        name='ERROR_WSMAN_QUOTA_MAX_OPERATIONS_USER_PPQ',
        texts=(),
        step='16',
        causes=(
            Cause(
                (
                    'A session configuration (plugin) quota on operations per user of the plugin is '
                    'reached (live count)'
                ),
                (),
            ),
        ),
        fix=(
            "raise the session configuration's quota (`Set-PSSessionConfiguration`, "
            '`winrm/config/plugin/<name>/Quotas`)'
        ),
        doc=QUOTAS,
        confidence='DOC, runtime',
    ),
    Outcome(
        id='plugin-quota-commands-per-shell',
        row='O44',
        code='0x803381E9',
        name='ERROR_WSMAN_QUOTA_MAX_COMMANDS_PER_SHELL_PPQ',
        texts=(),
        step='16',
        causes=(
            Cause(
                (
                    'A session configuration (plugin) quota on commands per shell of the plugin is '
                    'reached (live count)'
                ),
                (),
            ),
        ),
        fix=(
            "raise the session configuration's quota (`Set-PSSessionConfiguration`, "
            '`winrm/config/plugin/<name>/Quotas`)'
        ),
        doc=QUOTAS,
        confidence='DOC, runtime',
    ),
    Outcome(
        id='http-bad-request',
        row='O44',
        code='0x80338171',
        name='ERROR_WSMAN_HTTP_STATUS_BAD_REQUEST',
        texts=(
            (
                'The WinRM client received an HTTP bad request status (400), but the remote service '
                'did not include any other information about the cause of the failure.'
            ),
        ),
        step='16',
        causes=(
            Cause(
                (
                    'A large Kerberos token (many group memberships) passes HTTP.sys '
                    '`MaxFieldLength`/`MaxRequestBytes`'
                ),
                (),
            ),
        ),
        fix=(
            'raise HTTP.sys `MaxFieldLength` and `MaxRequestBytes` '
            '(HKLM\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters)'
        ),
        doc=TROUBLE,
        confidence='DOC, runtime',
    ),
    Outcome(
        id='security-unmapped',
        row='ref',
        code='0x8033809D',
        name='ERROR_WSMAN_SECURITY_UNMAPPED',
        texts=(
            'An unknown security error occurred.',
        ),
        step='10.2',
        causes=(
            Cause(
                'The SPN for the name and port is missing or on another account',
                ('WRM401', 'WRM402', 'WRM403'),
            ),
            Cause(
                (
                    'Bad credentials, Kerberos without a user name, a local user with Kerberos, or no'
                    ' trust between the domains'
                ),
                (),
            ),
        ),
        fix=(
            'check the SPN (`setspn -q HTTP/<fqdn>`) and the trust; or use Negotiate with '
            'TrustedHosts, or HTTPS'
        ),
        doc=SPN,
        fqeid='-2144108387',
    ),
    Outcome(
        id='unknown-credentials',
        row='ref',
        code='0x8009030D',
        name='SEC_E_UNKNOWN_CREDENTIALS',
        texts=(
            'The credentials supplied to the package were not recognized.',
        ),
        step='14',
        causes=(
            Cause(
                (
                    'Inferred, no Microsoft WinRM mapping: CredSSP or certificate authentication with'
                    ' an unusable credential (no access to the private key)'
                ),
                (),
            ),
        ),
        fix='no documented fix',
        doc=MULTIHOP,
        confidence='INF',
    ),
    Outcome(
        id='request-too-large',
        row='ref',
        code='0x80338111',
        name='ERROR_WSMAN_HTTP_REQUEST_TOO_LARGE_STATUS',
        texts=(
            'notified that the request size exceeded the configured MaxEnvelopeSize quota.',
        ),
        step='16',
        causes=(
            Cause(
                '`MaxEnvelopeSizekb` is too small for the request',
                ('WRM701',),
            ),
        ),
        fix=(
            'raise `MaxEnvelopeSizekb` (at most 1039440): `winrm set winrm/config '
            '@{MaxEnvelopeSizekb="8192"}`'
        ),
        doc=TROUBLE,
    ),
    Outcome(
        id='received-data-size-exceeded',
        row='ref',
        code='',
        name='ReceivedDataSizeExceededMaximumServer',
        texts=(
            'The total data received from the remote client exceeded allowed maximum.',
        ),
        step='16',
        causes=(
            Cause(
                (
                    "A command's data passes the session configuration's "
                    '`MaximumReceivedDataSizePerCommandMB` (50 MB by default) or '
                    '`MaximumReceivedObjectSizeMB` (10 MB), which PowerShell checks itself'
                ),
                (),
            ),
        ),
        fix=(
            '`Set-PSSessionConfiguration -MaximumReceivedDataSizePerCommandMB <n> '
            '-MaximumReceivedObjectSizeMB <n>`'
        ),
        doc=TROUBLE,
    ),
    Outcome(
        id='operation-timed-out',
        row='ref',
        code='0x80338029',
        name='ERROR_WSMAN_OPERATION_TIMEDOUT',
        texts=(
            (
                'The WS-Management service cannot complete the operation within the time specified in'
                ' OperationTimeout.'
            ),
        ),
        step='16',
        causes=(
            Cause(
                (
                    '`MaxTimeoutms`, `EnumerationTimeoutms` or `MaxPacketRetrievalTimeSeconds` below '
                    'the default (the shortest timeout wins)'
                ),
                ('WRM703',),
            ),
            Cause(
                'The client `OperationTimeout` is too short for the command',
                (),
            ),
        ),
        fix='raise the timeouts, or `New-PSSessionOption -OperationTimeout`',
        doc=TROUBLE,
    ),
    Outcome(
        id='max-operations-per-user',
        row='ref',
        code='0x803381A6',
        name='ERROR_WSMAN_QUOTA_MAX_OPERATIONS',
        texts=(
            'The maximum number of concurrent operations for this user has been exceeded.',
        ),
        step='16',
        causes=(
            Cause(
                (
                    'Service `MaxConcurrentOperationsPerUser` reached (live count); a value below the'
                    ' default makes it likely'
                ),
                ('WRM702',),
            ),
        ),
        fix='raise Service `MaxConcurrentOperationsPerUser`',
        doc=QUOTAS,
    ),
    Outcome(
        id='quickconfig-certificate-required',
        row='ref',
        code='0x80338115',
        name='ERROR_WSMAN_QUICK_CONFIG_FAILED_CERT_REQUIRED',
        texts=(
            (
                'Cannot create a WinRM listener on HTTPS because this machine does not have an '
                'appropriate certificate. To be used for SSL, a certificate must have a CN matching '
                'the hostname, be appropriate for Server Authentication, and not be expired, revoked,'
                ' or self-signed.'
            ),
        ),
        step='config',
        causes=(
            Cause(
                (
                    '`winrm quickconfig -transport:https` on a machine without a certificate for its '
                    'name, for Server Authentication, valid and not self-signed'
                ),
                (),
            ),
        ),
        fix=(
            "check the certificate's validity, CN/SAN, Server Authentication EKU and chain; then the "
            'thumbprint'
        ),
        doc=HTTPS,
    ),
    Outcome(
        id='certificate-cn-mismatch',
        row='ref',
        code='0x803380E9',
        name='ERROR_WSMAN_CONFIG_CERT_CN_DOES_NOT_MATCH_HOSTNAME',
        texts=(
            'The certificate CN and the hostname that were provided do not match.',
        ),
        step='config',
        causes=(
            Cause(
                (
                    "A listener `Hostname` that is not the certificate's CN (decidable only with the "
                    'certificate)'
                ),
                (),
            ),
        ),
        fix='create the listener with the `Hostname` the certificate names',
        doc=HTTPS,
    ),
    Outcome(
        id='certificate-thumbprint-blank',
        row='ref',
        code='0x803380E7',
        name='ERROR_WSMAN_CERT_THUMBPRINT_BLANK',
        texts=(
            'The CertificateThumbprint property must not be "" (blank or empty string) or NULL.',
        ),
        step='config',
        causes=(
            Cause(
                'An HTTPS listener without a `CertificateThumbprint`',
                ('WRM504',),
            ),
        ),
        fix='give the HTTPS listener the thumbprint of a certificate in LocalMachine\\My',
        doc=HTTPS,
    ),
    Outcome(
        id='thumbprint-should-be-empty',
        row='ref',
        code='0x803380EB',
        name='ERROR_WSMAN_CONFIG_THUMBPRINT_SHOULD_BE_EMPTY',
        texts=(
            'When HTTP is the transport, the Certificate thumbprint must be blank.',
        ),
        step='config',
        causes=(
            Cause(
                'An HTTP listener that carries a `CertificateThumbprint`',
                ('WRM504',),
            ),
        ),
        fix='remove the thumbprint from the HTTP listener',
        doc=HTTPS,
    ),
    Outcome(
        id='certificate-invalid-usage',
        row='ref',
        code='0x803380EE',
        name='ERROR_WSMAN_CERT_INVALID_USAGE',
        texts=(),
        step='config',
        causes=(
            Cause(
                "The listener's certificate lacks the Server Authentication enhanced key usage",
                (),
            ),
        ),
        fix='use a certificate with the Server Authentication EKU',
        doc=HTTPS,
    ),
    Outcome(
        id='certificate-not-found',
        row='ref',
        code='0x80338082',
        name='ERROR_WSMAN_CERT_NOT_FOUND',
        texts=(
            'The WS-Management service cannot find the certificate that was requested.',
        ),
        step='config',
        causes=(
            Cause(
                "The listener's thumbprint names no certificate in LocalMachine\\My",
                (),
            ),
        ),
        fix='import the certificate into LocalMachine\\My, or point the listener at one that is there',
        doc=HTTPS,
    ),
    Outcome(
        id='winhttp-name-not-resolved',
        row='ref',
        code='0x80072EE7',
        name='ERROR_WINHTTP_NAME_NOT_RESOLVED',
        texts=(
            'The server name cannot be resolved.',
        ),
        step='9',
        causes=(
            Cause(
                'The name typed does not resolve in DNS',
                (),
            ),
        ),
        fix='fix DNS, use the FQDN',
        doc=TROUBLE,
        also=('12007',),
    ),
    Outcome(
        id='http-server-error',
        row='ref',
        code='0x80338170',
        name='ERROR_WSMAN_HTTP_STATUS_SERVER_ERROR',
        texts=(),
        step='16',
        causes=(
            Cause(
                'HTTP 500 without detail; Ansible reports it when a Winrs quota is exceeded',
                ('WRM702',),
            ),
        ),
        fix='check the Winrs quotas (`MaxMemoryPerShellMB`, `MaxProcessesPerShell`)',
        doc=TROUBLE,
        confidence='3P',
    ),
    Outcome(
        id='configuration-corrupted',
        row='ref',
        code='0x80338005',
        name='ERROR_WSMAN_CONFIG_CORRUPTED',
        texts=(
            'The WS-Management configuration is corrupted.',
        ),
        step='config',
        causes=(
            Cause(
                'The WinRM configuration store is damaged',
                (),
            ),
        ),
        fix='`winrm invoke Restore http://schemas.microsoft.com/wbem/wsman/1/config @{}`',
        doc=TROUBLE,
    ),
    Outcome(
        id='invalid-hostname-pattern',
        row='ref',
        code='0x8033809F',
        name='ERROR_WSMAN_INVALID_HOSTNAME_PATTERN',
        texts=(),
        step='config',
        causes=(
            Cause(
                'A TrustedHosts entry that is not a valid name, IP address or wildcard pattern',
                ('WRM302',),
            ),
        ),
        fix=(
            'write TrustedHosts as a comma-separated list of names, IP addresses or patterns such as '
            '`*.contoso.com`'
        ),
        doc=TROUBLE,
    ),
    Outcome(
        id='invalid-ip-filter',
        row='ref',
        code='0x803380EC',
        name='ERROR_WSMAN_INVALID_IPFILTER',
        texts=(
            (
                "If filter is blank, the service doesn't listen on any address. For example, if "
                'service should be restricted to listen on only IPv4 addresses, IPv6 filter should be'
                ' left empty.'
            ),
        ),
        step='config',
        causes=(
            Cause(
                (
                    'Service `IPv4Filter`/`IPv6Filter` blank or invalid: a blank filter listens on no'
                    ' address'
                ),
                ('WRM503',),
            ),
        ),
        fix='set the filters to `*` or to address ranges (in the GPO when it sets them)',
        doc=TROUBLE,
    ),
    Outcome(
        id='invalid-cbt-hardening-level',
        row='ref',
        code='0x803381B8',
        name='ERROR_WSMAN_SERVICE_CBT_HARDENING_INVALID',
        texts=(),
        step='config',
        causes=(
            Cause(
                'Service `Auth/CbtHardeningLevel` is not `None`, `Relaxed` or `Strict`',
                (),
            ),
        ),
        fix='set `CbtHardeningLevel` to `Relaxed` or `Strict`',
        doc=INSTALL,
    ),
    Outcome(
        id='invalid-security-descriptor',
        row='ref',
        code='0x8033815C',
        name='ERROR_WSMAN_INVALID_SECURITY_DESCRIPTOR',
        texts=(),
        step='config',
        causes=(
            Cause(
                'A `RootSDDL` or session configuration SDDL that does not parse',
                (),
            ),
        ),
        fix=(
            'write the SDDL again (`winrm configSDDL default`, `Set-PSSessionConfiguration '
            '-ShowSecurityDescriptorUI`)'
        ),
        doc=TROUBLE,
    ),
    Outcome(
        id='quickconfig-public-network',
        row='ref',
        code='0x80338169',
        name='ERROR_WSMAN_PUBLIC_FIREWALL_PROFILE_ACTIVE',
        texts=(),
        step='config',
        causes=(
            Cause(
                (
                    '`Enable-PSRemoting` or `winrm quickconfig` on a machine with a Public network '
                    'connection'
                ),
                (),
            ),
        ),
        fix='`Enable-PSRemoting -SkipNetworkProfileCheck` (clients), or make the network Private/Domain',
        doc=ENABLE,
    ),
    Outcome(
        id='quickconfig-policy-disallowed',
        row='ref',
        code='0x80338117',
        name='ERROR_WSMAN_QUICK_CONFIG_LOCAL_POLICY_CHANGE_DISALLOWED',
        texts=(),
        step='config',
        causes=(
            Cause(
                'Group Policy manages the firewall, so quickconfig cannot add its rule',
                (),
            ),
        ),
        fix='add the WinRM firewall rule in the GPO',
        doc=ENABLE,
    ),
    Outcome(
        id='firewall-status-unknown',
        row='ref',
        code='',
        name='',
        texts=(
            'Unable to check the status of the firewall',
        ),
        step='config',
        causes=(
            Cause(
                '`Enable-PSRemoting` on a Public network without `-SkipNetworkProfileCheck`',
                (),
            ),
        ),
        fix='`Enable-PSRemoting -SkipNetworkProfileCheck`, or make the network Private/Domain',
        doc=TROUBLE,
    ),
)

# PowerShell's own checks and messages that are not a failed connection
_NOT_CONNECTING = frozenset({"certificate-with-mechanism", "received-data-size-exceeded", "firewall-status-unknown"})

BY_ID: dict[str, Outcome] = {o.id: o for o in OUTCOMES}
_BY_NUMBER: dict[int, tuple[Outcome, ...]] = {}
for _outcome in OUTCOMES:
    for _n in _outcome.numbers:
        _BY_NUMBER[_n] = (*_BY_NUMBER.get(_n, ()), _outcome)


def by_code(code: str | int) -> tuple[Outcome, ...]:
    """Outcomes known by a code: `0x80090322`, `-2146893022`, `2148074274`, or an int."""
    value = number(code) if isinstance(code, str) else code & 0xFFFFFFFF
    return _BY_NUMBER.get(value, ()) if value is not None else ()


def by_dec(dec: int) -> tuple[Outcome, ...]:
    """Outcomes known by a signed (or unsigned) decimal, as PowerShell's FullyQualifiedErrorId shows it."""
    return by_code(dec)


def by_fqeid(modifier: str) -> tuple[Outcome, ...]:
    """Outcomes by a FullyQualifiedErrorId or its modifier (`ServerNotTrusted,PSSessionStateBroken`)."""
    first = modifier.split(",", 1)[0].strip()
    found = tuple(o for o in OUTCOMES if o.modifier and o.modifier.lower() == first.lower())
    return found or (by_code(first) if number(first) is not None else ())


def _chunks(text: str) -> list[str]:
    """A published text's sentences, cut at placeholders, as keys."""
    return [k for part in _PLACEHOLDER.split(text) for s in _SENTENCE.split(part) if len(k := _key(s)) >= _MIN_KEY]


_CHUNKS: dict[str, list[tuple[str, list[str]]]] = {o.id: [(_key(t), _chunks(t)) for t in o.texts] for o in OUTCOMES}
_ALL_TEXT = "\x00".join(k for pairs in _CHUNKS.values() for k, _ in pairs)


def _message(paste: str) -> str:
    """WinRM's message from a pasted error: PowerShell's `+ CategoryInfo`/`At line:` tail, the
    `[server] Connecting to remote server … :` wrapper and the help-topic sentence removed."""
    lines = [
        line
        for line in paste.splitlines()
        if not line.lstrip().startswith("+") and not re.match(r"\s*At (line:|\S+:\d+ char:)", line)
    ]
    text = " ".join(lines)
    text = _WRAPPER_RE.sub(" ", text)
    return _HELP_RE.sub(" ", text)


def match_text(paste: str) -> list[Match]:
    """Outcomes whose published text the paste shows, best first.

    Tolerant by design: console wrapping (even mid-word), PowerShell's wrapper and tail, lines in
    another language (a localised prefix) and abridged pastes (`…`). A sentence of the paste
    counts only if some published text contains it, so foreign lines neither help nor hurt; an
    outcome scores the larger of the share of its text the paste shows and the share of the
    paste's known sentences its text holds.
    """
    paste = paste[:MAX_PASTE]
    codes = {n for h in _HEX.findall(paste) if (n := number(h)) is not None}
    fqeids = [m.group(1) for m in _FQEID.finditer(paste)]
    message = _message(paste)
    whole = _key(message)
    sentences = [k for s in _SENTENCE.split(message) if len(k := _key(s)) >= _MIN_KEY and k in _ALL_TEXT]
    known = sum(len(s) for s in sentences)
    found: list[Match] = []
    for outcome in OUTCOMES:
        score = 0.0
        for key, chunks in _CHUNKS[outcome.id]:
            total = sum(len(c) for c in chunks)
            shown = sum(len(c) for c in chunks if c in whole) / total if total else 0.0
            held = sum(len(s) for s in sentences if s in key) / known if known else 0.0
            score = max(score, shown, held)
        reasons = ["its published text"] if score >= 0.5 else []
        hits = sorted(codes & outcome.numbers)
        if hits:
            reasons.insert(0, "code " + ", ".join(f"0x{n:08X}" for n in hits))
        fqeid = next((f for f in fqeids if outcome in by_fqeid(f)), None)
        if fqeid:
            reasons.insert(0, f"FullyQualifiedErrorId {fqeid}")
        if reasons:
            # a code or FQEID names the outcome; the text then says how well the rest agrees
            bonus = 1.0 if (hits or fqeid) else 0.0
            found.append(Match(outcome, min(1.0, score) + bonus, " and ".join(reasons)))
    # on a tie, an outcome with a code first: it is the one users see more often (a bare "Access is
    # denied." is 0x80070005 far more than the codeless Kerberos variant)
    found.sort(key=lambda m: (-m.score, not m.outcome.code))
    if not found:
        return []
    best = found[0].score
    return [m for m in found if m.score >= best - 0.2]


def lookup(query: str) -> list[Match]:
    """Outcomes for what a user typed: a code (hex, signed or unsigned decimal), an outcome id,
    a symbolic name, a FullyQualifiedErrorId, or a pasted error text."""
    text = query.strip()
    value = number(text)
    if value is not None:
        return [Match(o, 1.0, f"code 0x{value:08X}") for o in by_code(value)]
    single = re.fullmatch(r"[\w.,-]+", text) is not None
    if single:
        exact = [o for o in OUTCOMES if text.lower() in (o.id, o.name.lower())] or list(by_fqeid(text))
        if exact:
            return [Match(o, 1.0, "its name") for o in exact]
    return match_text(text)


def render(outcome: Outcome, computer: str = "srv01", command: str = "Invoke-Command") -> str:
    """The error as PowerShell prints it (connection-model §3.18) for `command` against `computer`:
    `Invoke-Command`, `New-PSSession` or `Enter-PSSession`."""
    text = outcome.texts[0] if outcome.texts else outcome.name
    text = re.sub(r"<name>|<computer>|<computerFQDN>", computer, text)
    if not outcome.connecting:
        return text
    # ParseEscapeWSManErrorMessage: a literal `@{` is quoted so that it cannot be read as a hashtable
    text = re.sub(r"(?<!')(@\{[^}]*\})(?!')", r"'\1'", text)
    message = f"{WRAPPER.format(computer, text)} {HELP_TOPIC}"
    modifier = outcome.modifier
    if command == "Enter-PSSession":
        head, category, fqeid = (
            f"Enter-PSSession : {message}",
            f"InvalidArgument: ({computer}:String) [Enter-PSSession], PSRemotingTransportException",
            "CreateRemoteRunspaceFailed",
        )
    elif command == "New-PSSession":
        head, category, fqeid = (
            f"New-PSSession : [{computer}] {message}",
            "OpenError: (System.Manageme....RemoteRunspace:RemoteRunspace) [New-PSSession], PSRemotingTransportException",
            f"{modifier},PSSessionOpenFailed" if modifier else "",
        )
    else:
        head, category, fqeid = (
            f"[{computer}] {message}",
            f"OpenError: ({computer}:String) [], PSRemotingTransportException",
            f"{modifier},PSSessionStateBroken" if modifier else "",
        )
    lines = [head, f"    + CategoryInfo          : {category}"]
    if fqeid:
        lines.append(f"    + FullyQualifiedErrorId : {fqeid}")
    return "\n".join(lines)
