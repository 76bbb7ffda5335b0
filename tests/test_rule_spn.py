"""WRM401/WRM402/WRM404 through the CLI: the SPN prefix a `winrm get` shows, names outside the run, setspn fixes."""

from __future__ import annotations

import re

from conftest import FIXTURES, lint_json
from winrmlint.model.host import Host, Setting
from winrmlint.model import paths
from winrmlint.model.values import Reading, Source
from winrmlint.rules.spn import account_name
from winrmlint.source import Location

RULES = FIXTURES / "rules"
# a DN after `setspn -D <spn>`: setspn takes a logon name
_DN_AFTER_D = re.compile(r"setspn -D \S+ \"?CN=")


def findings(doc: dict, code: str) -> list[dict]:
    return [f for h in doc["hosts"] for f in h["findings"] if f["code"] == code]


def test_wrm404_reads_a_complete_client_section_without_spn_prefix_as_http():
    code, doc = lint_json(str(RULES / "WRM404" / "fail" / "entra-winrm-get-client-complete"), "--select", "WRM404")
    assert code == 1
    [found] = findings(doc, "WRM404")
    assert "not listed in the complete `Client` section of `winrm get winrm/config`" in found["message"]
    assert found["file"].endswith("winrm-config.txt") and found["line"] == 2
    assert found["fix"].startswith('`reg add "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client" /v spn_prefix')


def test_wrm404_is_not_evaluated_on_dsregcmd_alone_nor_on_a_cut_client_section():
    for case in ("entra-dsregcmd-only", "entra-client-section-cut"):
        code, doc = lint_json(str(RULES / "WRM404" / "pass" / case))
        assert findings(doc, "WRM404") == []
        assert "WRM404" in doc["hosts"][0]["not_evaluated"], case


def test_wrm404_is_evaluated_on_a_domain_join_alone_and_on_a_listed_prefix():
    # a domain member is no Entra-only machine: the join state alone answers
    _, doc = lint_json(str(RULES / "WRM401" / "fail" / "not-in-run-service-account"))
    assert "WRM404" not in doc["hosts"][0]["not_evaluated"]
    _, doc = lint_json(str(RULES / "WRM404" / "pass" / "entra-winrm-get-lists-host"))
    assert findings(doc, "WRM404") == [] and "WRM404" not in doc["hosts"][0]["not_evaluated"]


def test_http_spn_of_a_name_outside_the_run_is_a_conditional_note():
    code, doc = lint_json(str(RULES / "WRM401" / "fail" / "not-in-run-service-account"), "--select", "WRM401")
    [found] = findings(doc, "WRM401")
    assert found["level"] == "note"
    assert "if `web99.corp.contoso.com` is managed with WinRM" in found["message"]
    assert "`setspn -D HTTP/web99.corp.contoso.com CORP\\svc-webapp99`" in found["fix"]
    # a note does not fail the default gate (--fail-on warning)
    assert code == 0


def test_a_computer_account_or_a_port_spn_keeps_the_note_quiet():
    for case in ("alias-on-computer-account", "not-in-run-port-spn"):
        _, doc = lint_json(str(RULES / "WRM401" / "pass" / case), "--select", "WRM401")
        assert findings(doc, "WRM401") == [], case


def test_setspn_fixes_name_accounts_and_skip_spns_already_held():
    fixes = []
    for code in ("WRM401", "WRM402"):
        _, doc = lint_json(str(RULES / code / "fail"), "--select", code)
        fixes += [f["fix"] for f in findings(doc, code)]
    assert fixes and not [f for f in fixes if _DN_AFTER_D.search(f)]
    # WEB14's computer account already holds WSMAN/web14 and WSMAN/web14.corp.contoso.com
    _, doc = lint_json(str(RULES / "WRM401" / "fail" / "port-spn-wrong-port"), "--select", "WRM401")
    [found] = findings(doc, "WRM401")
    assert "setspn -S WSMAN/" not in found["fix"]
    assert "already holds its `WSMAN/` SPNs" in found["fix"]


def _host(name: str, netbios: str | None, fqdn: str | None) -> Host:
    host = Host(name, name)
    at = Location("dsregcmd.txt", 1)
    for path, value in ((paths.HOST_DOMAIN, netbios), (paths.HOST_FQDN, fqdn)):
        if value is not None:
            host.settings[path.lower()] = Setting(path, (Reading(path, value, at, Source.LOCAL, value),))
    return host


def test_account_name_from_the_dn_and_the_netbios_domain_of_the_run():
    hosts = [_host("web01", "CORP", "web01.corp.contoso.com")]
    assert account_name("CN=svc-iis-web01,OU=Service Accounts,DC=corp,DC=contoso,DC=com", hosts) == "CORP\\svc-iis-web01"
    # another domain: its NetBIOS name is unknown, the logon name alone
    assert account_name("CN=svc-lab25,OU=Service Accounts,DC=lab,DC=contoso,DC=com", hosts) == "svc-lab25"
    assert account_name("CN=svc-x,DC=corp,DC=contoso,DC=com", []) == "svc-x"
    # a CN that cannot be a logon name: the fix says which account instead
    assert account_name("CN=Jürgen Müller,OU=Users,DC=corp,DC=contoso,DC=com", hosts) is None
    assert account_name("CN=svc-reporting-services-prod,DC=corp,DC=contoso,DC=com", hosts) is None


def test_spn_rules_are_evaluated_when_any_bundle_of_the_run_holds_setspn_output():
    _, doc = lint_json(str(RULES / "WRM404" / "fail" / "entra-winrm-get-client-complete"))
    assert {"WRM401", "WRM402", "WRM403"} <= set(doc["hosts"][0]["not_evaluated"])
    # adm02's bundle has no setspn output, web01's has: one directory serves the whole run
    _, doc = lint_json(str(FIXTURES / "scenarios" / "spn-fixed-wsman-prefix"))
    for host in doc["hosts"]:
        assert not {"WRM401", "WRM402", "WRM403"} & set(host["not_evaluated"]), host["name"]


def test_wrm405_is_evaluated_where_the_prefix_or_its_absence_is_shown():
    for case in ("http-winrm-get", "unset", "host-reg-query"):
        _, doc = lint_json(str(RULES / "WRM405" / "pass" / case))
        assert "WRM405" not in doc["hosts"][0]["not_evaluated"], case
    # dsregcmd and setspn say nothing of the client's prefix
    _, doc = lint_json(str(RULES / "WRM401" / "fail" / "not-in-run-service-account"))
    assert "WRM405" in doc["hosts"][0]["not_evaluated"]
