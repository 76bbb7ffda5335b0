"""The contract every parser in the registry keeps, on arbitrary text and on its own sample lines reshuffled.

Format-specific properties (lines a format's parser finds tricky, XML, indentation) stay in that format's tests.
"""

from __future__ import annotations

import re
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samples import Samples, assert_parser_contract
from winrmlint.model import paths
from winrmlint.parsers import PARSERS, execution_policy, firewall
from winrmlint.source import SourceText

# formats whose readings all lie in one tree: a reading elsewhere would be read into another format's settings
READING_PATHS: dict[ModuleType, str] = {
    firewall: rf"{re.escape(paths.FIREWALL)}/.*",
    # one level below: the scope
    execution_policy: rf"{re.escape(paths.EXECUTION_POLICY)}/[^/]*",
}

SAMPLE_LINES = {parser: Samples(parser).lines() for parser in PARSERS}

each_parser = pytest.mark.parametrize("parser", PARSERS, ids=lambda parser: parser.FORMAT)


@each_parser
@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400))
def test_arbitrary_text_is_scored_and_read_or_refused_with_a_line(parser: ModuleType, text: str) -> None:
    assert_parser_contract(parser, SourceText.from_text("fuzz.txt", text))


@each_parser
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_sample_lines_reshuffled_are_scored_and_read_or_refused_with_a_line(
    parser: ModuleType, data: st.DataObject
) -> None:
    lines = data.draw(st.lists(st.sampled_from(SAMPLE_LINES[parser]) | st.text(max_size=60), max_size=40))
    dump = assert_parser_contract(parser, SourceText.from_text("fuzz.txt", "\n".join(lines)))
    if dump is not None and parser in READING_PATHS:
        assert all(re.fullmatch(READING_PATHS[parser], r.path, re.DOTALL) for r in dump.readings)
