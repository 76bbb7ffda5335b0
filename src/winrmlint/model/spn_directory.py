"""The SPN directory: every `setspn` registration of a bundle or a fleet, by SPN, account and host.

SPNs live in one directory for the whole forest: rules and the connection predictor read it
through these types. Accounts compare as Windows compares them (without case), and tolerate the
damage of a guessed code page: a DN with `ü` decoded as cp850 instead of cp1252 is the same account.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from winrmlint.model import paths
from winrmlint.model.host import Host
from winrmlint.model.values import SpnEntry
from winrmlint.source import Location, readings

# Service classes of services that run as the computer (WinRM as Network Service, RDP, the
# HOST aliases): the computer account is their rightful owner
COMPUTER_CLASSES = frozenset({"http", "wsman", "host", "restrictedkrbhost", "termsrv"})

_RDN_SPLIT = re.compile(r"(?<!\\),")
# code pages a console or an editor guesses for OEM or ANSI text (h9 flags such guesses)
_CODE_PAGES = ("cp437", "cp850", "cp1252", "latin-1")


@cache
def account_key(account: str) -> str:
    """An account (a DN or `DOMAIN\\name`) as one key however a dump spells it: case and runs of
    spaces folded, and text that a wrong code page turned into mojibake read back as UTF-8."""
    text = " ".join(unicodedata.normalize("NFC", _repaired(account)).split())
    return text.casefold()


def _repaired(text: str) -> str:
    """UTF-8 bytes that were decoded with a single-byte code page, decoded again as UTF-8."""
    if text.isascii():
        return text
    for page in _CODE_PAGES:
        try:
            again = text.encode(page).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if again != text:
            return again
    return text


def _skeleton(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isascii())


def same_account(one: str, other: str) -> bool:
    """Whether two spellings name one account: equal keys, or, where one side carries characters
    a decoding lost (`?`, U+FFFD, a code page's stand-ins), equal with those characters set aside."""
    a, b = account_key(one), account_key(other)
    if a == b:
        return True
    if a.isascii() and b.isascii() and "?" not in a + b:
        return False
    strip = str.maketrans("", "", "?\ufffd")
    return bool(_skeleton(a.translate(strip))) and _skeleton(a.translate(strip)) == _skeleton(b.translate(strip))


@dataclass(frozen=True)
class Spn:
    """An SPN split as [MS-KILE] writes it: `serviceclass/host[:port][/servicename]`.

    `service_class` and `host` are in lower case (SPNs compare without regard to case).
    """

    text: str
    service_class: str
    host: str
    port: str | None

    @classmethod
    def parse(cls, text: str) -> Spn:
        service_class, _, rest = text.partition("/")
        host, colon, port = rest.split("/", 1)[0].partition(":")
        return cls(text, service_class.lower(), host.lower(), port if colon else None)


@cache
def common_name(dn: str) -> str:
    """The first RDN's value of a DN (`CN=WEB01,OU=…` → `WEB01`), escapes kept as written."""
    first = _RDN_SPLIT.split(dn, 1)[0].strip()
    kind, _, value = first.partition("=")
    return value.strip() if kind.strip().upper() == "CN" else ""


@cache
def dn_domain(dn: str) -> str:
    """The DNS domain of a DN's `DC=` components: `…,DC=corp,DC=contoso,DC=com` → `corp.contoso.com`."""
    parts = [p.strip() for p in _RDN_SPLIT.split(dn)]
    return ".".join(p.split("=", 1)[1].strip().lower() for p in parts if p.upper().startswith("DC="))


@dataclass(frozen=True)
class Registration:
    """One SPN on one account, as some bundle of the run shows it (`host` is that bundle's host)."""

    spn: Spn
    account: str
    location: Location
    host: Host
    account_key: str  # the DN in lower case, spaces folded: one account however a dump spells it

    @property
    def key(self) -> tuple[str, str]:
        return (self.spn.text.lower(), self.account_key)


@dataclass
class Directory:
    """Every SPN registration of the run, one per (SPN, account), first showing first, indexed.

    The same registration shown by two dumps (a `setspn -L` in one bundle, a `setspn -Q` in
    another) is one fact, not a duplicate; `shown_at` keeps every line that shows it.
    """

    by_account_cn: dict[str, list[Registration]] = field(default_factory=dict)
    by_host_label: dict[str, list[Registration]] = field(default_factory=dict)
    by_spn: dict[str, list[Registration]] = field(default_factory=dict)
    shown_at: dict[tuple[str, str], list[Location]] = field(default_factory=dict)

    @classmethod
    def of(cls, hosts: Sequence[Host]) -> Directory:
        found = cls()
        entries: list[tuple[SpnEntry, Host]] = [(e, h) for h in hosts for e in h.spns]
        spelling = _Spellings(e for e, _ in entries)
        for entry, host in sorted(entries, key=lambda item: (item[0].location, item[1].name.lower())):
            account, shown = spelling.of(entry)
            reg = Registration(Spn.parse(entry.spn), shown, entry.location, host, account)
            seen = found.shown_at.setdefault(reg.key, [])
            seen.append(entry.location)
            if len(seen) > 1:
                continue
            found.by_account_cn.setdefault(account_key(common_name(reg.account)), []).append(reg)
            found.by_host_label.setdefault(reg.spn.host.split(".", 1)[0], []).append(reg)
            found.by_spn.setdefault(reg.spn.text.lower(), []).append(reg)
        return found

    def account_of(self, who: Identity) -> list[Registration]:
        """The registrations of the host's computer account."""
        return self.by_account_cn.get(account_key(who.short), [])

    def naming(self, short: str) -> list[Registration]:
        """The registrations whose SPN's host part starts with this name."""
        return self.by_host_label.get(short, [])

    def showings(self, reg: Registration) -> list[Location]:
        """Every other line of the run that shows this registration."""
        return sorted(loc for loc in self.shown_at.get(reg.key, []) if loc != reg.location)


class _Spellings:
    """One key per account however its dumps were decoded: an account read with a guessed code
    page takes the key of a certain spelling that its bytes can read as (its misspelling is then
    never shown), or of the first guessed spelling that shares such a reading."""

    def __init__(self, entries: Iterable[SpnEntry]) -> None:
        self.certain: dict[str, str] = {}
        self.taken: dict[str, str] = {}
        for entry in entries:
            if entry.decoding is None:
                self.certain.setdefault(account_key(entry.account), entry.account)

    def of(self, entry: SpnEntry) -> tuple[str, str]:
        """The entry's account key and the spelling to show."""
        key = account_key(entry.account)
        if entry.decoding is None:
            return key, entry.account
        keys = sorted({account_key(text) for text in readings(entry.account, entry.decoding)})
        chosen = next((k for k in keys if k in self.certain), None) or next((self.taken[k] for k in keys if k in self.taken), key)
        for k in keys:
            self.taken.setdefault(k, chosen)
        return chosen, self.certain.get(chosen, entry.account)


@dataclass(frozen=True)
class Identity:
    """The names a host answers to: its short name and the FQDNs the run shows for it."""

    short: str
    fqdns: tuple[str, ...]

    @property
    def shown(self) -> str:
        return self.short.upper()

    @property
    def spn_names(self) -> list[str]:
        """The names SPNs are registered for: the short name and the FQDN (the article's two commands)."""
        return [self.short, *self.fqdns[:1]]

    def named(self, name: str) -> bool:
        """Whether an SPN's host part names this host (without an FQDN known, by its first label)."""
        name = name.lower()
        if name == self.short or name in self.fqdns:
            return True
        return not self.fqdns and name.split(".", 1)[0] == self.short

    def is_computer_account(self, dn: str) -> bool:
        # a computer account's CN is the computer's (NetBIOS) name
        return same_account(common_name(dn), self.short)


def identity(host: Host, spns: Directory) -> Identity:
    """The host's short name and FQDNs: from a manifest, dsregcmd's `Device Name`, a dotted
    `DomainName`, listener `Hostname`s, and its computer account (the DN's `DC=` parts and the
    names of its own `HOST/` and `WSMAN/` SPNs)."""
    short = host.name.split(".", 1)[0].lower()
    found: list[str] = []

    def add(name: object) -> None:
        if isinstance(name, str) and "." in name and name.split(".", 1)[0].lower() == short:
            found.append(name.strip().lower())

    # `host/fqdn` holds every dotted name an input gives the host: a manifest's `fqdn`, dsregcmd's
    # `Device Name`, the WSMan: drive's computer name; the effective one first
    fqdn = host.get(paths.HOST_FQDN)
    for reading in fqdn.readings if fqdn is not None else ():
        add(reading.value)
    domain = host.get(paths.HOST_DOMAIN)
    if domain is not None and isinstance(domain.value, str) and "." in domain.value:
        add(f"{short}.{domain.value}")
    for listener in host.listeners():
        hostname = listener.prop("Hostname")
        add(hostname.value if hostname else None)
    for reg in spns.by_account_cn.get(account_key(short), []):
        domain_name = dn_domain(reg.account)
        if domain_name:
            add(f"{short}.{domain_name}")
        if reg.spn.service_class in ("host", "wsman"):
            add(reg.spn.host)
    return Identity(short, tuple(dict.fromkeys(found)))
