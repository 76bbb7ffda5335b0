"""A `WSManFault` in `winrm get`/`winrm enumerate` output: where it ends, and what it says of the service."""

from __future__ import annotations

import pytest

from samples import Samples, by_path, sample
from winrmlint.model import catalog, paths
from winrmlint.parsers import winrm_config, winrm_xml
from winrmlint.parsers.winrm_config import remote_target

SAMPLES = Samples(winrm_config)
parsed, at = SAMPLES.parse, SAMPLES.at
CFG = catalog.ROOT


def test_a_fault_block_ends_where_a_line_returns_to_its_level():
    # issue 9: the Client section after a fault was read as fault details (winrm/fault/AllowUnencrypted)
    name = "fault_then_client.txt"
    dump = parsed(name)
    readings = by_path(dump)
    assert readings[f"{CFG}/client/AllowUnencrypted"].value is True
    assert readings[f"{CFG}/client/AllowUnencrypted"].location == at(name, 11)
    assert readings[f"{CFG}/client/auth/Basic"].location == at(name, 13)
    assert readings[f"{CFG}/client/DefaultPorts/HTTPS"].value == 5986
    assert not [p for p in readings if p.startswith("winrm/fault/") and p != paths.WSMAN_FAULT_MESSAGE]
    # the nested details stay the fault's: its innermost message
    assert readings[paths.WSMAN_FAULT_MESSAGE].value.startswith("The service cannot find the resource")
    assert readings[paths.WSMAN_FAULT_MESSAGE].location == at(name, 7)
    assert dump.coverage == {f"{CFG}/client": at(name, 8)}
    # 0x80338000 is not the service being down
    assert paths.SERVICE_UNREACHABLE not in readings


def test_a_local_0x80338012_says_the_service_did_not_answer_once():
    name = "fault_local_transcript.txt"
    dump = parsed(name)
    codes = [r for r in dump.readings if r.path == paths.WSMAN_FAULT_CODE]
    assert [r.location.line for r in codes] == [14, 21]
    unreachable = [r for r in dump.readings if r.path == paths.SERVICE_UNREACHABLE]
    assert [(r.value, r.location) for r in unreachable] == [("0x80338012", at(name, 14))]


def test_a_later_local_output_shows_the_service_answered_after_all():
    dump = parsed("fault_then_started.txt")
    assert paths.SERVICE_UNREACHABLE not in {r.path for r in dump.readings}
    assert any(r.path.startswith(catalog.LISTENERS + "/") for r in dump.readings)


def test_a_fault_from_another_computer_says_nothing_of_this_service():
    dump = parsed("fault.txt")  # `winrm e winrm/config/listener -r:srv-app01`
    assert paths.WSMAN_FAULT_CODE in by_path(dump)
    assert paths.SERVICE_UNREACHABLE not in by_path(dump)


@pytest.mark.parametrize(
    "command,target",
    [
        ("winrm get winrm/config", ""),
        ("winrm e winrm/config/listener -r:srv-app01", "srv-app01"),
        ("winrm get winrm/config -remote:https://srv02.corp.contoso.com:5986/wsman", "srv02.corp.contoso.com"),
        ('winrm get winrm/config /r:"WEB01"', "WEB01"),
        ("winrm get winrm/config -r:localhost", ""),
        ("winrm get winrm/config -r:http://127.0.0.1:5985", ""),
        ("winrm get winrm/config -r:[::1]", ""),
        ("winrm get winrm/config -r:[fe80::1]:5985", "[fe80::1]"),
        # `-format:` and a URI's letters are no remote switch
        ("winrm get winrm/config/client -format:xml", ""),
    ],
)
def test_remote_target_of_a_command_line(command: str, target: str):
    assert remote_target(command) == target


def test_xml_fault_of_the_local_host_and_of_another():
    local = winrm_xml.parse(sample("winrm_xml", "fault_local.xml"))
    assert [(r.value, r.location.line) for r in local.readings if r.path == paths.SERVICE_UNREACHABLE] == [
        ("0x80338012", 2)]
    remote = winrm_xml.parse(sample("winrm_xml", "fault_remote.xml"))
    assert paths.WSMAN_FAULT_CODE in {r.path for r in remote.readings}
    assert paths.SERVICE_UNREACHABLE not in {r.path for r in remote.readings}
