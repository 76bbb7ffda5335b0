"""The registry → model map: key spelling, the policy and store tables, flags, coverage."""

from __future__ import annotations

import pytest

from winrmlint.model import catalog, paths, registry_map
from winrmlint.model.registry_map import KeyName, RegistryKey, RegistryValue
from winrmlint.model.values import Source
from winrmlint.source import Location

CFG = catalog.ROOT
CLIENT_POLICY = registry_map.POLICY_CLIENT
SERVICE_POLICY = registry_map.POLICY_SERVICE
HERE = Location("t.reg", 1)


def dword(name: str, data: int, line: int = 2) -> RegistryValue:
    return RegistryValue(name, "REG_DWORD", data, f"0x{data:x}", Location("t.reg", line))


def sz(name: str, data: str, line: int = 2) -> RegistryValue:
    return RegistryValue(name, "REG_SZ", data, data, Location("t.reg", line))


def mapped(key: str, *values: RegistryValue, complete: bool = False) -> registry_map.Mapped:
    return registry_map.map_keys([RegistryKey(key, HERE, values, complete)], "test")


def table(result: registry_map.Mapped) -> dict[str, tuple[object, Source, bool]]:
    return {r.path: (r.value, r.source, r.valid) for r in result.readings}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service", KeyName(SERVICE_POLICY)),
        ("hklm\\software\\policies\\microsoft\\windows\\winrm\\service\\", KeyName(SERVICE_POLICY)),
        ("Computer\\HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Windows\\WinRM\\Client",
         KeyName(CLIENT_POLICY)),
        # regedit's address bar is localised: the word before the hive is not checked
        ("Компьютер\\HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\WinRM",
         KeyName(paths.WINRM_SERVICE_REG_KEY)),
        ("\\\\SRV01\\HKLM\\SYSTEM\\currentcontrolset\\services\\winrm", KeyName(paths.WINRM_SERVICE_REG_KEY, "SRV01")),
        ("HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Microsoft\\Windows\\PowerShell",
         KeyName("HKCU\\Software\\Policies\\Microsoft\\Windows\\PowerShell")),
        # unknown keys keep their spelling past the known prefix
        ("HKLM\\software\\Contoso\\Agent", KeyName("HKLM\\SOFTWARE\\Contoso\\Agent")),
        ("HKEY_USERS\\S-1-5-18", KeyName("HKU\\S-1-5-18")),
    ],
)
def test_key_name_normalises_hive_prefix_and_case(written: str, expected: KeyName):
    assert registry_map.key_name(written) == expected


@pytest.mark.parametrize("written", ["", "snip", "SOFTWARE\\Policies", "C:\\Windows\\System32", "\\\\HOST\\"])
def test_key_name_refuses_text_without_a_hive(written: str):
    assert registry_map.key_name(written) is None


def test_value_path_uses_windows_spelling_for_known_values_and_names_the_default():
    system = paths.LATFP.rsplit("\\", 1)[0]
    assert registry_map.value_path(system, "localaccounttokenfilterpolicy") == paths.LATFP
    assert registry_map.value_path(SERVICE_POLICY, "disablerunas") == paths.DISABLE_RUNAS
    assert registry_map.value_path("HKLM\\SOFTWARE\\Contoso", "someValue") == "HKLM\\SOFTWARE\\Contoso\\someValue"
    assert registry_map.value_path("HKLM\\SOFTWARE\\Contoso", "") == "HKLM\\SOFTWARE\\Contoso\\(Default)"


@pytest.mark.parametrize("setting", [s for s in catalog.SETTINGS if s.policy], ids=lambda s: s.path)
def test_every_catalog_policy_value_maps_to_its_setting_as_gpo(setting: catalog.Setting):
    policy = setting.policy
    assert policy is not None
    flags = {"TrustedHostsList": "TrustedHosts", "IPv4Filter": "AllowAutoConfig",
             "IPv6Filter": "AllowAutoConfig", "CbtHardeningLevel": "CBTHardeningLevelStatus"}
    data = {"bool": 1, "int": 7, "str": "x"}[setting.type]
    value = dword(policy.value_name, data) if isinstance(data, int) else sz(policy.value_name, data)
    extra = [dword(flags[policy.value_name], 1, 3)] if policy.value_name in flags else []
    result = mapped(policy.registry_key.upper(), value, *extra)
    reading = next(r for r in result.readings if r.path == setting.path)
    expected = True if setting.type == "bool" else data
    assert (reading.value, reading.source, reading.valid, reading.location.line) == (expected, Source.GPO, True, 2)


@pytest.mark.parametrize("setting", [s for s in catalog.SETTINGS if s.store_value], ids=lambda s: s.path)
def test_every_catalog_store_value_maps_to_its_setting_as_local(setting: catalog.Setting):
    assert setting.store_value is not None
    key = registry_map.STORE_CLIENT if setting.path.startswith(f"{CFG}/client/") else registry_map.STORE_SERVICE
    value = dword(setting.store_value.upper(), 0) if setting.type != "str" else sz(setting.store_value, "v")
    result = mapped(key.lower(), value)
    assert table(result) == {setting.path: ({"bool": False, "int": 0, "str": "v"}[setting.type], Source.LOCAL, True)}


def test_disallow_policies_map_the_value_as_written_without_inverting():
    result = mapped(CLIENT_POLICY, dword("AllowDigest", 0), dword("AllowKerberos", 1), dword("AllowNegotiate", 0))
    assert table(result) == {
        f"{CFG}/client/auth/Digest": (False, Source.GPO, True),
        f"{CFG}/client/auth/Kerberos": (True, Source.GPO, True),
        f"{CFG}/client/auth/Negotiate": (False, Source.GPO, True),
    }


def test_trusted_hosts_flag_rules_the_list():
    enabled = mapped(CLIENT_POLICY, dword("TrustedHosts", 1, 2), sz("TrustedHostsList", "*.contoso.com", 3))
    assert table(enabled)[f"{CFG}/client/TrustedHosts"] == ("*.contoso.com", Source.GPO, True)
    as_text = mapped(CLIENT_POLICY, sz("TrustedHosts", "1", 2), sz("TrustedHostsList", "web01", 3))
    assert table(as_text)[f"{CFG}/client/TrustedHosts"] == ("web01", Source.GPO, True)
    # a disabled policy rules nothing: the local list applies (Policy CSP RemoteManagement/TrustedHosts)
    disabled = mapped(CLIENT_POLICY, dword("TrustedHosts", 0, 2), sz("TrustedHostsList", "web01", 3))
    assert f"{CFG}/client/TrustedHosts" not in table(disabled)
    assert table(disabled)[rf"{CLIENT_POLICY}\TrustedHosts"][0] == 0
    without_list = mapped(CLIENT_POLICY, dword("TrustedHosts", 1, 4))
    assert f"{CFG}/client/TrustedHosts" not in table(without_list)
    assert [(n.location.line, n.message) for n in without_list.notes] == [
        (4, "policy flag `TrustedHosts` is 1 but `TrustedHostsList` is absent"),
    ]
    no_flag = mapped(CLIENT_POLICY, sz("TrustedHostsList", "*", 5))
    assert table(no_flag) == {f"{CLIENT_POLICY}\\TrustedHostsList": ("*", Source.GPO, True)}


def test_auto_config_gates_the_filters_and_stays_at_its_registry_path():
    on = mapped(SERVICE_POLICY, dword("AllowAutoConfig", 1), sz("IPv4Filter", ""), sz("IPv6Filter", "*"))
    assert table(on) == {
        f"{SERVICE_POLICY}\\AllowAutoConfig": (1, Source.GPO, True),
        f"{CFG}/service/IPv4Filter": ("", Source.GPO, True),
        f"{CFG}/service/IPv6Filter": ("*", Source.GPO, True),
    }
    # anything but 0 or 1 is no flag Windows writes: the filters are not taken as in force
    odd = mapped(SERVICE_POLICY, dword("AllowAutoConfig", 2), sz("IPv4Filter", "*", 3))
    assert f"{CFG}/service/IPv4Filter" not in table(odd)
    assert odd.notes[0].message == "`IPv4Filter` is not in force: its policy flag `AllowAutoConfig` is `0x2`, not 1"


def test_cbt_level_counts_only_with_its_status_flag():
    on = mapped(SERVICE_POLICY, dword("CBTHardeningLevelStatus", 1), sz("CbtHardeningLevel", "None"))
    assert table(on)[f"{CFG}/service/auth/CbtHardeningLevel"] == ("None", Source.GPO, True)
    off = mapped(SERVICE_POLICY, dword("CBTHardeningLevelStatus", 0), sz("CbtHardeningLevel", "None"))
    assert f"{CFG}/service/auth/CbtHardeningLevel" not in table(off)


def test_values_of_the_wrong_kind_for_a_setting_are_invalid():
    lists = RegistryValue("AllowBasic", "REG_MULTI_SZ", ("1",), "1\\0", HERE)
    blob = RegistryValue("AllowUnencryptedTraffic", "REG_BINARY", "01000000", "01000000", HERE)
    result = mapped(SERVICE_POLICY, lists, blob, dword("AllowCredSSP", 2))
    assert table(result) == {
        f"{CFG}/service/auth/Basic": ("1\\0", Source.GPO, False),
        f"{CFG}/service/AllowUnencrypted": ("01000000", Source.GPO, False),
        f"{CFG}/service/auth/CredSSP": ("2", Source.GPO, False),
    }


@pytest.mark.parametrize(
    ("values", "expected", "valid"),
    [
        ((dword("Start", 2),), "Automatic", True),
        ((dword("Start", 2), dword("DelayedAutostart", 1)), "AutomaticDelayed", True),
        ((dword("Start", 2), dword("DelayedAutostart", 0)), "Automatic", True),
        ((dword("Start", 3), dword("DelayedAutostart", 1)), "Manual", True),
        ((dword("Start", 4),), "Disabled", True),
        ((sz("Start", "4"),), "Disabled", True),
        # boot and system start are for drivers, not a service WinRM could be
        ((dword("Start", 1),), "0x1", False),
    ],
)
def test_service_start_becomes_the_start_type(values: tuple[RegistryValue, ...], expected: str, valid: bool):
    result = mapped(paths.WINRM_SERVICE_REG_KEY.lower(), *values)
    start = next(r for r in result.readings if r.path == paths.SERVICE_START_TYPE)
    assert (start.value, start.valid, start.source) == (expected, valid, Source.LOCAL)


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        ("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\PowerShell",
         (dword("EnableScripts", 1), sz("ExecutionPolicy", "RemoteSigned")), ("MachinePolicy", "RemoteSigned")),
        ("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\PowerShell",
         (dword("EnableScripts", 0), sz("ExecutionPolicy", "Bypass")), ("MachinePolicy", "Restricted")),
        ("HKCU\\Software\\Policies\\Microsoft\\Windows\\PowerShell",
         (dword("EnableScripts", 1), sz("ExecutionPolicy", "AllSigned")), ("UserPolicy", "AllSigned")),
        ("HKLM\\SOFTWARE\\Microsoft\\PowerShell\\1\\ShellIds\\Microsoft.PowerShell",
         (sz("ExecutionPolicy", "Unrestricted"),), ("LocalMachine", "Unrestricted")),
        ("HKCU\\Software\\Microsoft\\PowerShell\\1\\ShellIds\\Microsoft.PowerShell",
         (sz("ExecutionPolicy", "Bypass"),), ("CurrentUser", "Bypass")),
    ],
)
def test_execution_policy_scopes(key: str, values: tuple[RegistryValue, ...], expected: tuple[str, str]):
    scope, value = expected
    readings = table(mapped(key, *values))
    source = Source.GPO if "Policies" in key else Source.LOCAL
    assert readings[f"{paths.EXECUTION_POLICY}/{scope}"] == (value, source, True)


def test_enable_scripts_without_execution_policy_is_a_note_not_a_scope():
    result = mapped("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\PowerShell", dword("EnableScripts", 1, 6))
    assert f"{paths.EXECUTION_POLICY}/MachinePolicy" not in table(result)
    assert [(n.location.line, n.message) for n in result.notes] == [
        (6, "`EnableScripts` is 1 but `ExecutionPolicy` is absent"),
    ]


def test_listener_key_gives_selectors_and_properties_even_without_values():
    key = f"{registry_map.STORE_LISTENER}\\IP:10.0.0.5+https"
    result = mapped(key, dword("Port", 443), sz("certThumbprint", "ab"), dword("enabled", 0), sz("Other", "y"))
    listener = f"{catalog.LISTENERS}/IP:10.0.0.5+HTTPS"
    assert table(result) == {
        f"{listener}/Address": ("IP:10.0.0.5", Source.LOCAL, True),
        f"{listener}/Transport": ("HTTPS", Source.LOCAL, True),
        f"{listener}/Port": (443, Source.LOCAL, True),
        f"{listener}/CertificateThumbprint": ("ab", Source.LOCAL, True),
        f"{listener}/Enabled": (False, Source.LOCAL, True),
        f"{key}\\Other": ("y", Source.LOCAL, True),
    }
    bare = mapped(f"{registry_map.STORE_LISTENER}\\*+HTTP")
    assert set(table(bare)) == {f"{catalog.LISTENERS}/*+HTTP/Address", f"{catalog.LISTENERS}/*+HTTP/Transport"}


def test_unknown_values_keep_their_registry_path_typed_as_read():
    result = mapped(
        "HKLM\\SOFTWARE\\Contoso",
        dword("Flag", 1), sz("Name", "x"), RegistryValue("List", "REG_MULTI_SZ", ("a", "b"), "a\\0b", HERE),
    )
    assert table(result) == {
        "HKLM\\SOFTWARE\\Contoso\\Flag": (1, Source.LOCAL, True),
        "HKLM\\SOFTWARE\\Contoso\\Name": ("x", Source.LOCAL, True),
        "HKLM\\SOFTWARE\\Contoso\\List": (("a", "b"), Source.LOCAL, True),
    }


def test_a_key_shown_twice_merges_and_the_later_value_wins():
    first = RegistryKey(SERVICE_POLICY, Location("t.reg", 3), (dword("AllowBasic", 1, 4),), complete=True)
    again = RegistryKey(SERVICE_POLICY.lower(), Location("t.reg", 9), (dword("allowbasic", 0, 10),), complete=True)
    result = registry_map.map_keys([first, again], "test")
    assert [(r.path, r.value, r.location.line) for r in result.readings] == [
        (f"{CFG}/service/auth/Basic", False, 10),
    ]
    assert [(n.location.line, n.message) for n in result.notes] == [
        (10, "`allowbasic` was already given on line 4: the later value counts"),
    ]
    assert dict(result.coverage) == {SERVICE_POLICY: Location("t.reg", 3)}
    half = RegistryKey(SERVICE_POLICY, Location("t.reg", 12), (), complete=False)
    assert dict(registry_map.map_keys([first, half], "test").coverage) == {}


def test_coverage_of_keys_and_values():
    assert registry_map.key_coverage(registry_map.STORE_CLIENT, HERE) == {
        registry_map.STORE_CLIENT: HERE, f"{CFG}/client": HERE,
    }
    assert registry_map.key_coverage(registry_map.STORE_SERVICE, HERE) == {
        registry_map.STORE_SERVICE: HERE, f"{CFG}/service": HERE,
    }
    assert registry_map.key_coverage(SERVICE_POLICY, HERE) == {SERVICE_POLICY: HERE}
    assert registry_map.key_coverage(f"{registry_map.STORE_LISTENER}\\*+HTTP", HERE) == {
        f"{registry_map.STORE_LISTENER}\\*+HTTP": HERE, f"{catalog.LISTENERS}/*+HTTP": HERE,
    }
    # an absent store value is at its default (reference §2.1); an absent policy value is only absent
    assert registry_map.value_coverage(registry_map.STORE_SERVICE, "AUTH_BASIC", HERE) == {
        f"{registry_map.STORE_SERVICE}\\auth_basic": HERE, f"{CFG}/service/auth/Basic": HERE,
    }
    assert registry_map.value_coverage(SERVICE_POLICY, "AllowBasic", HERE) == {
        f"{SERVICE_POLICY}\\AllowBasic": HERE,
    }
    assert mapped(SERVICE_POLICY, complete=True).coverage == {SERVICE_POLICY: HERE}
    assert mapped(SERVICE_POLICY, complete=False).coverage == {}


def test_a_flag_in_full_width_digits_is_not_a_number():
    # REG_SZ "１" (U+FF11) is not the "1" a script writes: the Trusted Hosts list is not in force
    odd = mapped(CLIENT_POLICY, sz("TrustedHosts", "\uff11", 2), sz("TrustedHostsList", "web01", 3))
    assert f"{CFG}/client/TrustedHosts" not in table(odd)
