"""The outcome table against the two documents it is built from, and its lookups."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from winrmlint import outcomes
from winrmlint.outcomes import BY_ID, OUTCOMES, by_code, by_dec, by_fqeid, lookup, match_text, render, signed
from winrmlint.rules import BY_CODE

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
MODEL = SHARED / "connection-model.md"
REFERENCE = SHARED / "winrm-reference.md"


def _section(path: Path, start: str, end: str) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split(start, 1)[1].split(end, 1)[0]


def _table_rows(section: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith("| ---") and not line.startswith("| #") and not line.startswith("| Code")
    ]


def _codes(cell: str) -> set[int]:
    """Every code a cell names, with the documents' shorthands expanded: `0x803381B1 / B2 / B3`,
    `0x803381A5 / A6 / AB`, `E4–E9`, `0x803380DE–0x803380E3`."""
    found: set[int] = set()
    last: str | None = None
    for token in re.findall(r"0x[0-9A-Fa-f]{8}(?:\s*[–-]\s*0x[0-9A-Fa-f]{8})?|\b[0-9A-F]{2}(?:[–-][0-9A-F]{2})?\b", cell):
        if token.lower().startswith("0x"):
            ends = re.findall(r"0x[0-9A-Fa-f]{8}", token)
            first, final = int(ends[0], 16), int(ends[-1], 16)
            found.update(range(first, final + 1))
            last = ends[-1]
        elif last is not None:
            low, _, high = re.split(r"([–-])", token) if re.search("[–-]", token) else (token, "", token)
            prefix = int(last[:-2] + "00", 16)
            found.update(range(prefix + int(low, 16), prefix + int(high, 16) + 1))
    return found


MODEL_ROWS = _table_rows(_section(MODEL, "## 4. Outcome table", "\n## 5."))
REFERENCE_ROWS = _table_rows(_section(REFERENCE, "## 4. Errors → configuration causes → documented fixes", "\n## 5."))
KNOWN = {n for o in OUTCOMES for n in o.numbers}


def test_the_documents_were_read() -> None:
    assert [r[0] for r in MODEL_ROWS] == [f"O{i}" for i in range(1, 45)]
    assert len(REFERENCE_ROWS) >= 35


@pytest.mark.parametrize("row", MODEL_ROWS, ids=lambda r: r[0])
def test_every_outcome_row_is_in_the_table(row: list[str]) -> None:
    mine = [o for o in OUTCOMES if o.row == row[0]]
    assert mine, f"{row[0]} has no outcome"
    missing = _codes(row[1]) - KNOWN
    assert not missing, f"{row[0]}: codes {sorted(hex(m) for m in missing)} not in the table"
    # the step column is copied as published
    assert {o.step for o in mine} == {row[2]} or row[0] == "O44"
    # the FQEID modifier after `·`
    modifier = re.search(r"· (\w+)$", row[1])
    if modifier:
        assert any(o.fqeid == modifier.group(1) for o in mine)


@pytest.mark.parametrize("row", MODEL_ROWS, ids=lambda r: r[0])
def test_signed_decimals_are_those_published(row: list[str]) -> None:
    """`0x803380E4 (−2144108316)`: the decimal is the code's signed value, and ours too."""
    m = re.match(r"(0x[0-9A-Fa-f]{8}) \((−\d+)\)", row[1])
    if m is None:
        return
    value, dec = int(m.group(1), 16), int(m.group(2).replace("−", "-"))
    assert signed(value) == dec
    assert all(o.dec == dec for o in by_code(m.group(1)) if o.code.lower() == m.group(1).lower())


@pytest.mark.parametrize("row", MODEL_ROWS, ids=lambda r: r[0])
def test_published_texts_are_kept(row: list[str]) -> None:
    """Each verbatim text of the outcome table is one of the row's texts (as letters and digits;
    rows whose cell describes several texts are checked sentence by sentence)."""
    mine = [o for o in OUTCOMES if o.row == row[0]]
    ours = " ".join(outcomes._key(t) for o in mine for t in o.texts)
    cell = re.sub(r"\*\(.*?\)\*", "", row[4])
    for sentence in re.split(r"(?<=[.:])\s+|—|…|etc\.;|\(each ending|\"", cell):
        # placeholders: `<name>`, `{0}`, and O23's `X` (which §3 writes `{mechanism}`)
        holes = r"<[^>]+>|\{\w+\}|\bX\b"
        key = outcomes._key(re.sub(holes, "", sentence))
        if len(key) > 12 and not sentence.strip().startswith("or"):
            parts = [outcomes._key(p) for p in re.split(holes, sentence)]
            assert all(p in ours for p in parts if len(p) > 6), f"{row[0]}: {sentence!r}"


@pytest.mark.parametrize("row", REFERENCE_ROWS, ids=lambda r: r[0][:24])
def test_every_reference_code_is_in_the_table(row: list[str]) -> None:
    missing = _codes(row[0]) - KNOWN
    assert not missing, f"reference §4 {row[0]!r}: {sorted(hex(m) for m in missing)} not in the table"


def test_reference_rows_without_a_code_are_in_the_table() -> None:
    texts = " ".join(outcomes._key(t) for o in OUTCOMES for t in o.texts)
    assert outcomes._key("The total data received from the remote client exceeded allowed maximum.") in texts
    assert outcomes._key("The authentication mechanism requested by the client is not supported by the server") in texts
    assert outcomes._key("Unable to check the status of the firewall") in texts


def test_reference_signed_decimals() -> None:
    for row in REFERENCE_ROWS:
        m = re.match(r"(0x[0-9A-Fa-f]{8}) / (−\d+)", row[0])
        if m:
            assert signed(int(m.group(1), 16)) == int(m.group(2).replace("−", "-")), row[0]


@pytest.mark.parametrize("outcome", OUTCOMES, ids=lambda o: o.id)
def test_row_shape(outcome: outcomes.Outcome) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", outcome.id)
    if outcome.code:
        assert re.fullmatch(r"0x[0-9A-F]{8}", outcome.code)
        assert outcome.dec == signed(int(outcome.code, 16))
        assert outcome.dec is not None and -(2**31) <= outcome.dec < 2**31
    assert outcome.texts or outcome.name, "a row shows a text or at least names its code"
    assert outcome.causes and all(c.text for c in outcome.causes)
    assert all(r in BY_CODE for r in outcome.rules), outcome.rules
    assert outcome.fix and outcome.help_uri.startswith("https://")
    assert outcome.row == "ref" or re.fullmatch(r"O\d+", outcome.row)


def test_ids_are_unique() -> None:
    assert len(BY_ID) == len(OUTCOMES)


def test_lookups_by_code() -> None:
    spn = BY_ID["spn-on-another-account"]
    assert by_code("0x80090322") == (spn,)
    assert by_code("0X80090322") == (spn,)
    assert by_dec(-2146893022) == (spn,)
    assert by_code("-2146893022") == (spn,)
    assert by_code("2148074274") == (spn,)  # the unsigned decimal of event logs
    # the wrapper code PowerShell's FQEID shows names the wrapper and the SSPI outcome behind it
    assert set(by_dec(-2144108387)) == {spn, BY_ID["security-unmapped"]}
    assert by_code("0x5") == (BY_ID["access-denied"],) == by_code("0x80070005")
    assert by_code("0x12345678") == ()


def test_lookup_by_fqeid() -> None:
    assert by_fqeid("ServerNotTrusted,PSSessionStateBroken") == (BY_ID["server-not-trusted"],)
    assert by_fqeid("-2144108387,PSSessionOpenFailed")
    assert lookup("CannotUseIPAddress")[0].outcome is BY_ID["cannot-use-ip-address"]


def test_issue_example_abridged_paste() -> None:
    found = lookup(
        "The WinRM client cannot process the request. If the authentication scheme is different from Kerberos…"
    )
    assert [m.outcome.id for m in found] == ["server-not-trusted"]


def test_paste_from_a_console() -> None:
    """Invoke-Command's error record as a console shows it: wrapped at 80 columns (mid-word), with
    the `[server]` wrapper and PowerShell's tail."""
    record = render(BY_ID["network-timeout"], computer="web01.contoso.com")
    head, tail = record.split("\n", 1)
    wrapped = "\n".join(head[i : i + 80] for i in range(0, len(head), 80)) + "\n" + tail
    found = match_text(wrapped)
    assert found[0].outcome is BY_ID["network-timeout"]
    assert "FullyQualifiedErrorId WinRMOperationTimeout" in found[0].reason


def test_localised_prefix_lines() -> None:
    paste = (
        "Beim Verbinden mit dem Remoteserver \"srv01\" ist folgender Fehler aufgetreten:\n"
        "The WS-Management service is configured to not allow remote requests.\n"
        "Weitere Informationen finden Sie im Hilfethema \"about_Remote_Troubleshooting\".\n"
        "    + CategoryInfo          : OpenError: (srv01:String) [], PSRemotingTransportException\n"
    )
    assert [m.outcome.id for m in match_text(paste)] == ["remote-access-disabled"]


def test_code_inside_a_text_names_the_outcome() -> None:
    found = match_text("WinRM cannot process the request. The following error with errorcode 0x80090322 occurred")
    assert found[0].outcome is BY_ID["spn-on-another-account"]


@pytest.mark.parametrize("command", ["Invoke-Command", "New-PSSession", "Enter-PSSession"])
@pytest.mark.parametrize("outcome", [o for o in OUTCOMES if o.texts], ids=lambda o: o.id)
def test_every_rendered_error_is_recognised(outcome: outcomes.Outcome, command: str) -> None:
    """Round trip: what PowerShell would print for an outcome is explained as that outcome."""
    found = match_text(render(outcome, computer="app01", command=command))
    assert outcome in [m.outcome for m in found[:3]], [m.outcome.id for m in found]
    # an outcome whose texts are unique among its peers is the first answer
    if not any(o is not outcome and set(o.texts) & set(outcome.texts) for o in OUTCOMES):
        assert found[0].score >= 1.0


def test_render_invoke_command() -> None:
    assert render(BY_ID["server-not-trusted"], computer="srv01") == textwrap.dedent(
        """\
        [srv01] Connecting to remote server srv01 failed with the following error message : The WinRM client cannot process the request. If the authentication scheme is different from Kerberos, or if the client computer is not joined to a domain, then HTTPS transport must be used or the destination machine must be added to the TrustedHosts configuration setting. Use winrm.cmd to configure TrustedHosts. Note that computers in the TrustedHosts list might not be authenticated. You can get more information about that by running the following command: winrm help config. For more information, see the about_Remote_Troubleshooting Help topic.
            + CategoryInfo          : OpenError: (srv01:String) [], PSRemotingTransportException
            + FullyQualifiedErrorId : ServerNotTrusted,PSSessionStateBroken"""
    )


def test_render_fqeid_rules() -> None:
    # a WinRM code without a published modifier shows as its signed decimal
    assert render(BY_ID["client-unencrypted-disabled"]).endswith("-2144108322,PSSessionStateBroken")
    assert render(BY_ID["server-not-trusted"], command="Enter-PSSession").endswith(": CreateRemoteRunspaceFailed")
    assert render(BY_ID["server-not-trusted"], command="New-PSSession").endswith("ServerNotTrusted,PSSessionOpenFailed")
    # `@{` is quoted as PowerShell quotes it
    assert "'@{CertificateThumbprint=" in render(BY_ID["credssp-server-not-verified"])
    # PowerShell's own parameter check is not a failed connection
    assert not render(BY_ID["certificate-with-mechanism"]).startswith("[")


def test_unknown_text_finds_nothing() -> None:
    assert lookup("the printer is on fire") == []
    assert lookup("") == []


def test_a_huge_paste_is_read_only_so_far() -> None:
    """A megabyte of text is cut at MAX_PASTE: a pasted error record is a few KiB."""
    head = BY_ID["remote-access-disabled"].texts[0]
    assert match_text(head + " x" * 600_000)[0].outcome.id == "remote-access-disabled"
    assert match_text("x" * outcomes.MAX_PASTE + " " + head) == []
