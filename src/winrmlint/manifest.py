"""The optional bundle manifest (`winrmlint.json`): the host's identity and join state, as stated."""

from __future__ import annotations

import json
import re
from functools import cache

from winrmlint.model import paths
from winrmlint.model.values import ParsedDump, ParseError, Reading, Value
from winrmlint.source import SourceText, json_text

FORMAT = "bundle-manifest"
_KEY_LINE = re.compile(r'^\s*(?:[{,]\s*)?"(\w+)"\s*:')
# join state → (AzureAdJoined, DomainJoined), as dsregcmd /status would report them
_JOIN = {"domain": (False, True), "hybrid": (True, True), "entra": (True, False), "workgroup": (False, False)}


@cache
def _validator():
    from importlib.resources import files

    import jsonschema

    schema = json.loads(files("winrmlint.schemas").joinpath("bundle-manifest.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def parse(source: SourceText) -> ParsedDump:
    """Validate the manifest against its published schema and turn it into readings."""
    try:
        data = json_text(source.text)
    except json.JSONDecodeError as err:
        raise ParseError(f"manifest is not JSON: {err.msg}", err.lineno) from None
    except (RecursionError, ValueError):
        # nesting past the stack, or an integer past Python's 4300-digit conversion limit
        raise ParseError("manifest is not JSON that can be read: nested too deeply or a number too long", 1) from None
    error = next(iter(sorted(_validator().iter_errors(data), key=str)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ParseError(f"manifest does not match bundle-manifest.schema.json at {where}: {error.message}", 1)
    lines = {m.group(1): n for n, text in enumerate(source.lines, 1) if (m := _KEY_LINE.match(text))}
    dump = ParsedDump(FORMAT)

    def add(key: str, path: str, value: Value, name: bool = False) -> None:
        reading = Reading(path, value, source.at(lines.get(key, 1)), raw=str(data[key]), origin=FORMAT)
        dump.readings.append(reading)
        if name:
            dump.host_names.append(reading)

    if "host" in data:
        add("host", paths.HOST_NAME, data["host"], name=True)
    if "fqdn" in data:
        add("fqdn", paths.HOST_FQDN, data["fqdn"].lower(), name=True)
    if "domain" in data:
        add("domain", paths.HOST_DOMAIN, data["domain"].lower())
    if "os" in data:
        add("os", paths.HOST_OS, data["os"])
    if "role" in data:
        add("role", paths.HOST_ROLE, data["role"])
    if "join" in data:
        entra, domain = _JOIN[data["join"]]
        add("join", paths.AZURE_AD_JOINED, entra)
        add("join", paths.DOMAIN_JOINED, domain)
    _suppressions(data.get("suppressions", []), source, dump)
    return dump


def _suppressions(entries: list[dict], source: SourceText, dump: ParsedDump) -> None:
    """Each entry kept as its JSON text, at its `"rule"` line; winrmlint.suppressions applies them."""
    from winrmlint.rules import BY_CODE, BY_NAME  # the registry imports this module

    rule_lines = [n for n, text in enumerate(source.lines, 1) if re.match(r'^\s*[{,]?\s*"rule"\s*:', text)]
    for n, entry in enumerate(entries):
        if entry["rule"].upper() not in BY_CODE and entry["rule"].lower() not in BY_NAME:
            raise ParseError(f"manifest suppressions[{n + 1}].rule: {entry['rule']!r} is no rule code or name", 1)
        line = rule_lines[n] if n < len(rule_lines) else 1
        dump.readings.append(Reading(f"manifest/suppressions/{n + 1}", json.dumps(entry, sort_keys=True),
                                     source.at(line), origin=FORMAT))
