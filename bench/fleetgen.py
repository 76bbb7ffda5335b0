"""A realistic fleet for benchmarks: N bundles of the 11 inputs a collection script gathers.

Each host is the shipped `fixtures/bundles/srv-clean-2022` (11 files: winrm get winrm/config,
listeners, a UTF-16 registry export, `reg query`, setspn, dsregcmd, `sc`, firewall rules, WinHTTP
proxy, execution policy, session configurations), renamed, and changed the way real dumps
differ (formats.md): hard-wrapped long values, UTF-16 or UTF-8-BOM files, and the faults that
real fleets show in roughly the proportions seen in ticket dumps. Deterministic by seed.

Run: python bench/fleetgen.py OUT_FOLDER --hosts 1000 [--seed 13]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "fixtures" / "bundles" / "srv-clean-2022"
NAME, FQDN, IP = "srv-app01", "srv-app01.corp.contoso.com", "10.20.30.41"
SVC = "CN=svc-webapp,OU=Service Accounts,DC=corp,DC=contoso,DC=com"


def _templates() -> dict[str, tuple[str, str]]:
    """Each template file's text (CR LF kept) and its encoding."""
    out = {}
    for path in sorted(TEMPLATE.iterdir()):
        data = path.read_bytes()
        if data.startswith(b"\xff\xfe"):
            out[path.name] = (data[2:].decode("utf-16-le"), "utf-16-le")
        else:
            out[path.name] = (data.decode("utf-8"), "utf-8")
    return out


def _wrap(line: str, width: int) -> str:
    """A console's hard wrap: the line cut every `width` columns, continuations at column 0."""
    return "\r\n".join(line[i : i + width] for i in range(0, len(line), width))


def _trusted_hosts(rng: random.Random, count: int) -> str:
    return ",".join(f"app{rng.randrange(10_000):04d}.corp.contoso.com" for _ in range(count))


def host_files(i: int, rng: random.Random, texts: dict[str, tuple[str, str]]) -> dict[str, bytes]:
    """The 11 files of host `i`: renamed, with this host's drawn faults."""
    name = f"srv{i:06d}"
    fqdn = f"{name}.corp.contoso.com"
    ip = f"10.{20 + i // 65_536 % 200}.{i // 256 % 256}.{i % 256}"
    files: dict[str, str] = {}
    for file, (text, _) in texts.items():
        files[file] = text.replace(FQDN, fqdn).replace(NAME.upper(), name.upper()).replace(NAME, name).replace(IP, ip)

    config = files["winrm-config.txt"]
    if rng.random() < 0.12:  # unencrypted traffic allowed locally, the policy not (WRM102 + WRM801)
        config = config.replace('        AllowUnencrypted = false [Source="GPO"]\r\n        Auth\r\n            Basic = false [Source="GPO"]\r\n            Kerberos',
                                "        AllowUnencrypted = true\r\n        Auth\r\n            Basic = true\r\n            Kerberos", 1)
    draw = rng.random()
    if draw < 0.08:  # the classic
        config = config.replace("        TrustedHosts\r\n", "        TrustedHosts = *\r\n", 1)
    elif draw < 0.30:  # a long list, wrapped by the console mid-token
        line = f"        TrustedHosts = {_trusted_hosts(rng, rng.randrange(3, 12))}"
        config = config.replace("        TrustedHosts\r\n", _wrap(line, rng.choice((80, 120, 140))) + "\r\n", 1)
    if rng.random() < 0.10:  # an old server's envelope size and quotas
        config = config.replace("MaxEnvelopeSizekb = 500", "MaxEnvelopeSizekb = 150").replace(
            "MaxConnections = 300", "MaxConnections = 25")
    if rng.random() < 0.06:
        config = config.replace("CbtHardeningLevel = Relaxed", "CbtHardeningLevel = None")
    if rng.random() < 0.25:  # a long RootSDDL wrapped at 80 columns
        start = config.index("        RootSDDL = ")
        end = config.index("\r\n", start)
        config = config[:start] + _wrap(config[start:end], 80) + config[end:]
    files["winrm-config.txt"] = config

    listeners = files["listeners.txt"]
    if rng.random() < 0.4:  # ListeningOn hard-wrapped mid-address
        listeners = "\r\n".join(_wrap(line, 64) if "ListeningOn" in line else line for line in listeners.split("\r\n"))
    files["listeners.txt"] = listeners

    service = files["sc-winrm.txt"]
    if rng.random() < 0.05:
        service = service.replace("2   AUTO_START  (DELAYED)", "3   DEMAND_START").replace(
            "4  RUNNING\r\n                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)",
            "1  STOPPED ")
    files["sc-winrm.txt"] = service

    if rng.random() < 0.08:  # remote UAC token filtering off
        files["latfp.txt"] = (
            "C:\\Windows\\system32>reg query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System "
            "/v LocalAccountTokenFilterPolicy\r\n\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion"
            "\\Policies\\System\r\n    LocalAccountTokenFilterPolicy    REG_DWORD    0x1\r\n\r\nC:\\Windows\\system32>\r\n"
        )
    if rng.random() < 0.07:
        files["winhttp-proxy.txt"] = (
            "\r\nCurrent WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  proxy.corp.contoso.com:8080\r\n"
            "    Bypass List     :  (none)\r\n\r\n"
        )
    if rng.random() < 0.06:
        files["execution-policy.txt"] = files["execution-policy.txt"].replace(
            " LocalMachine    RemoteSigned", " LocalMachine      Restricted")

    spn = files["setspn-computer.txt"]
    draw = rng.random()
    if draw < 0.03:  # a web application's account took the host's HTTP SPN (WRM401)
        spn = spn.replace(
            "No such SPN found.",
            f"{SVC}\r\n        HTTP/{fqdn}\r\n        HTTP/{name}\r\n\r\nExisting SPN found!",
        )
    elif draw < 0.05:  # the same SPN on a neighbour's computer account too (WRM402 across hosts)
        other = f"srv{(i + 1):06d}"
        spn += (
            f"\r\nPS C:\\Windows\\system32> setspn -Q WSMAN/{fqdn}\r\nChecking domain DC=corp,DC=contoso,DC=com\r\n"
            f"CN={other.upper()},OU=App,OU=Servers,DC=corp,DC=contoso,DC=com\r\n        WSMAN/{fqdn}\r\n\r\nExisting SPN found!\r\n"
        )
    files["setspn-computer.txt"] = spn

    out: dict[str, bytes] = {}
    for file, text in files.items():
        encoding = texts[file][1]
        if file == "winrm-config.txt" and rng.random() < 0.15:
            encoding = "utf-16-le"  # `winrm get … > file` from PowerShell 5.1
        elif encoding == "utf-8" and rng.random() < 0.05:
            encoding = "utf-8-sig"  # Out-File -Encoding utf8
        if encoding == "utf-16-le":
            out[file] = b"\xff\xfe" + text.encode("utf-16-le")
        else:
            out[file] = text.encode(encoding)
    if rng.random() < 0.02:  # a note pasted into the bundle: nobody's dump (WRM001)
        out["notes.txt"] = b"Collected by the night shift; the firewall export was too long, see ticket.\r\n"
    return out


def generate(folder: Path, hosts: int, seed: int = 13) -> None:
    """Write `hosts` bundles under `folder` (one sub-folder each); the same seed, the same bytes."""
    texts = _templates()
    rng = random.Random(seed)
    for i in range(hosts):
        bundle = folder / f"srv{i:06d}"
        bundle.mkdir(parents=True, exist_ok=True)
        for file, data in host_files(i, rng, texts).items():
            (bundle / file).write_bytes(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    generate(args.folder, args.hosts, args.seed)


if __name__ == "__main__":
    main()
