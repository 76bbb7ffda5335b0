"""JUnit XML for Jenkins, Azure Pipelines and GitLab test reports: one test case per host and rule.

A rule that found something on a host is a failure carrying each finding's location, message
and fix; a rule that lacked input is skipped; the others pass. Written with the standard
library's ElementTree (writing only: nothing is parsed here).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from winrmlint.output.escape import safe
from winrmlint.engine import RunResult
from winrmlint.output.report import of, Item, Report

# characters XML 1.0 cannot carry at all, even escaped (safe() has already replaced the C0 controls)
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", safe(value))


def _detail(items: list[Item]) -> str:
    lines = []
    for item in items:
        f = item.finding
        lines.append(f"{_text(f.location.uri)}:{f.location.line}: {f.level.value} {f.code} {_text(f.message)}")
        if f.fix:
            lines.append(f"  fix: {_text(f.fix)}")
    return "\n".join(lines)


def _suite(parent: ET.Element, name: str, cases: list[tuple[str, str, list[Item], bool]]) -> None:
    """`cases`: (class name, test name, failing items, skipped)."""
    failures = sum(1 for *_, items, _ in cases if items)
    skipped = sum(1 for *_, items, skip in cases if skip and not items)
    suite = ET.SubElement(parent, "testsuite", name=_text(name), tests=str(len(cases)), failures=str(failures),
                          errors="0", skipped=str(skipped))
    for classname, test, items, skip in cases:
        case = ET.SubElement(suite, "testcase", classname=_text(classname), name=test)
        if items:
            first = items[0].finding
            failure = ET.SubElement(case, "failure", message=_text(first.message), type=first.level.value)
            failure.text = _detail(items)
            case.set("file", _text(first.location.uri))
            case.set("line", str(first.location.line))
        elif skip:
            ET.SubElement(case, "skipped", message="input not collected")


def document(given: Report | RunResult) -> ET.Element:
    report = of(given)
    root = ET.Element("testsuites", name="winrmlint")
    by_bundle = report.items_by_bundle()
    for result in report.hosts:
        host = result.host
        failing: dict[str, list[Item]] = {}
        for item in by_bundle.pop(host.bundle):
            if item.suppression is None:
                failing.setdefault(item.finding.code, []).append(item)
        cases = [
            (f"winrmlint.{host.name}", f"{r.code} {r.name}", failing.get(r.code, []), r.code in result.not_evaluated)
            for r in report.rules
        ]
        _suite(root, f"{host.name} ({host.bundle})", cases)
    # the configuration's own findings (expired or unused suppressions)
    rest = [i for items in by_bundle.values() for i in items if i.suppression is None]
    if rest:
        codes = sorted({i.finding.code for i in rest})
        names = {r.code: r.name for r in report.rules}
        _suite(root, "configuration", [
            ("winrmlint.configuration", f"{c} {names.get(c, '')}".strip(), [i for i in rest if i.finding.code == c], False)
            for c in codes
        ])
    suites = root.findall("testsuite")
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    return root


def write(report: Report | RunResult, stream: TextIO) -> None:
    root = document(report)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
