"""The configuration file: `[tool.winrmlint]` in pyproject.toml or `.winrmlint.toml`, found upward.

Settings come in layers: defaults, then the file, then the command line; every effective value
remembers where it came from (`winrmlint config` prints it). The file is validated against
schemas/config.schema.json and every error names the file, the key and what is allowed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from winrmlint.bundle import Limits
from winrmlint.options import RuleOptions
from winrmlint.source import Location
from winrmlint.suppressions import Suppression

NAMES = (".winrmlint.toml", "pyproject.toml")
DEFAULT = "default"
# config key → bundle.Limits field
LIMITS = {
    "max-file-size": "max_file_bytes",
    "max-files": "max_files",
    "max-lines": "max_lines",
    "max-archive-entries": "max_archive_entries",
    "max-archive-size": "max_archive_bytes",
    "max-archive-ratio": "max_archive_ratio",
}


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class ConfigFile:
    """A read and validated configuration: the table, and where its keys are in the file."""

    path: Path
    table: dict[str, Any]
    lines: tuple[str, ...]
    # `tool.winrmlint.` in pyproject.toml, nothing in .winrmlint.toml
    prefix: str = ""

    @property
    def uri(self) -> str:
        """The file as findings name it: relative to the working folder when inside it."""
        try:
            return self.path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return self.path.resolve().as_posix()

    def line_of(self, key: str) -> int:
        """The line that sets a key (`fail-on`, `options.quota-floors.MaxShellsPerUser`): in the
        deepest `[table]` of it the file has, the key's assignment (inline tables too), else the
        table's header; 1 when nothing matches."""
        parts = key.split(".")
        base = self.prefix.rstrip(".").split(".") if self.prefix else []
        for depth in range(len(parts), -1, -1):
            table = ".".join([*base, *parts[:depth]])
            if table:
                header = re.compile(r"^\s*\[\s*" + re.escape(table) + r"\s*\]\s*(#.*)?$")
                start = next((n for n, text in enumerate(self.lines) if header.match(text)), None)
                if start is None:
                    continue
            else:
                start = -1  # the top of a .winrmlint.toml, before any [table]
            if depth == len(parts):
                return start + 1
            for wanted in (parts[-1], parts[depth]):
                assignment = re.compile(r'(^|[{,]|\s)["\']?' + re.escape(wanted) + r'["\']?\s*=')
                for n in range(start + 1, len(self.lines)):
                    if re.match(r"^\s*\[", self.lines[n]):
                        break
                    if assignment.search(self.lines[n]):
                        return n + 1
            return max(1, start + 1)
        return 1

    def suppression_line(self, index: int) -> int:
        """The header line of the index-th `[[…suppressions]]` table (or the `suppressions` key)."""
        headers = [n + 1 for n, text in enumerate(self.lines) if re.match(r"^\s*\[\[\s*(tool\.winrmlint\.)?suppressions\s*\]\]", text)]
        return headers[index] if index < len(headers) else self.line_of("suppressions")


@dataclass(frozen=True)
class Settings:
    """The effective settings of a run, and where each came from (`origins`, by config key)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    profile: str = DEFAULT
    fail_on: str = "warning"
    fail_on_new: bool = False
    golden: str | None = None
    levels: tuple[tuple[str, str], ...] = ()  # rule code → level
    options: RuleOptions = RuleOptions()
    limits: Limits = Limits()
    suppressions: tuple[Suppression, ...] = ()
    file: ConfigFile | None = None
    origins: dict[str, str] = field(default_factory=dict, compare=False)


def find(paths: Sequence[Path], cwd: Path) -> Path | None:
    """The configuration nearest the first linted path, looking upward; then from the working folder.

    In each folder `.winrmlint.toml` wins over `pyproject.toml`, and a pyproject.toml counts only
    when it has a `[tool.winrmlint]` table.
    """
    starts = [p if p.is_dir() else p.parent for p in paths[:1]] + [cwd]
    for start in starts:
        folder = start.resolve()
        for candidate in (folder, *folder.parents):
            for name in NAMES:
                path = candidate / name
                if path.is_file() and (name != "pyproject.toml" or _has_table(path)):
                    return path
    return None


def _has_table(pyproject: Path) -> bool:
    # a cheap look before parsing: most pyproject.toml files are someone else's
    try:
        return "[tool.winrmlint" in pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def load(path: Path) -> ConfigFile:
    """Read and validate a configuration file (pyproject.toml: its `[tool.winrmlint]` table)."""
    import tomllib

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8 text (TOML files are UTF-8)") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: is not valid TOML: {err}") from None
    prefix = ""
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("winrmlint") if isinstance(tool, dict) else None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: has no [tool.winrmlint] table")
        data, prefix = table, "tool.winrmlint."
    config = ConfigFile(path, _plain(data), tuple(text.splitlines()), prefix)
    _validate(config)
    return config


def _plain(value: Any) -> Any:
    """TOML dates as the ISO text the schema checks (a datetime fails the date pattern, as it should)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return value


@cache
def _validator() -> Any:
    from importlib.resources import files

    import jsonschema

    schema = json.loads(files("winrmlint.schemas").joinpath("config.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _validate(config: ConfigFile) -> None:
    problems = []
    for error in sorted(_validator().iter_errors(config.table), key=lambda e: [str(p) for p in e.absolute_path]):
        problems.append(_problem(config, error))
    if not problems:
        problems = _unknown_rules(config)
    if problems:
        raise ConfigError("\n".join(problems))


def _key(config: ConfigFile, path: Sequence[Any]) -> str:
    parts: list[str] = []
    for p in path:
        parts.append(f"[{p + 1}]" if isinstance(p, int) else ("." if parts else "") + str(p))
    return config.prefix + "".join(parts) if parts else config.prefix.rstrip(".") or "(top level)"


def _where(config: ConfigFile, path: Sequence[Any]) -> str:
    if path and path[0] == "suppressions" and len(path) > 1 and isinstance(path[1], int):
        line = config.suppression_line(path[1])
    else:
        line = config.line_of(".".join(str(p) for p in path if not isinstance(p, int))) if path else 1
    return f"{config.path}:{line}"


def _problem(config: ConfigFile, error: Any) -> str:
    """One schema error as a user reads it: file:line: key `k`: what is wrong; what is allowed."""
    path = list(error.absolute_path)
    schema = error.schema
    if error.validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        key_path = [*path, extra[0]] if extra else path
        return f"{_where(config, key_path)}: unknown key `{_key(config, key_path)}`; allowed: {', '.join(allowed)}"
    if "propertyNames" in error.schema_path:
        # a key of a table: the error's instance is the key, its path the table's
        key_path = [*path, error.instance]
        return f"{_where(config, key_path)}: key `{_key(config, key_path)}` is not allowed; allowed: {_allowed(schema)}"
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"{_where(config, path)}: `{_key(config, path)}` lacks `{missing}`, which is required"
    return f"{_where(config, path)}: key `{_key(config, path)}` is {json.dumps(error.instance)}; allowed: {_allowed(schema)}"


def _allowed(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    if "description" in schema:
        return schema["description"]
    if "type" in schema:
        return f"a {schema['type']}"
    return "see schemas/config.schema.json"


def _unknown_rules(config: ConfigFile) -> list[str]:
    """Rule selectors and suppressions that name no rule (the schema checks only their shape)."""
    from winrmlint.suppressions import rule_code

    table = config.table
    problems = []
    for key in ("select", "ignore"):
        for bad in unknown_selectors(table.get(key, [])):
            problems.append(f"{_where(config, [key])}: key `{config.prefix}{key}`: {bad!r} is no rule code, prefix or name (see `winrmlint rules`)")
    for bad in unknown_selectors(list(table.get("levels", {}))):
        problems.append(f"{_where(config, ['levels', bad])}: key `{config.prefix}levels.{bad}`: no rule code, prefix or name (see `winrmlint rules`)")
    for n, entry in enumerate(table.get("suppressions", [])):
        if rule_code(entry["rule"]) is None:
            problems.append(
                f"{config.path}:{config.suppression_line(n)}: key `{config.prefix}suppressions[{n + 1}].rule`: "
                f"{entry['rule']!r} is no rule code or name (see `winrmlint rules`)"
            )
    return problems


def resolve(config: ConfigFile | None, cli: dict[str, Any]) -> Settings:
    """Layer the file over the defaults and the command line (`cli`: only the flags given) over both.

    `cli` uses the file's keys (`fail-on`, `max-lines`); a flag replaces the file's value.
    """
    from winrmlint.suppressions import from_table

    table = config.table if config else {}
    origins: dict[str, str] = {}

    def pick(key: str, file_value: Any, default: Any) -> Any:
        if key in cli and cli[key] is not None:
            origins[key] = f"command line (--{key})"
            return cli[key]
        if file_value is not None:
            assert config is not None
            origins[key] = f"{config.uri}:{config.line_of(key)}"
            return file_value
        origins[key] = "default"
        return default

    limits_table = table.get("limits", {})
    limits = Limits(**{
        LIMITS[k]: pick(k, limits_table.get(k), getattr(Limits(), LIMITS[k])) for k in LIMITS
    })
    levels: dict[str, str] = {}
    for selector, level in table.get("levels", {}).items():
        for r in all_rules():
            if chosen(r.code, r.name, selector):
                levels[r.code] = level
    if levels:
        assert config is not None
        origins["levels"] = f"{config.uri}:{config.line_of('levels')}"
    options_table = table.get("options", {})
    floors = {**options_table.get("quota-floors", {}), **options_table.get("timeout-floors", {})}
    options = RuleOptions(
        floors=tuple(sorted(floors.items())),
        trusted_hosts_accepted=tuple(options_table.get("trusted-hosts-accepted", ())),
    )
    if options != RuleOptions():
        assert config is not None
        origins["options"] = f"{config.uri}:{config.line_of('options')}"
    suppressions = tuple(
        from_table(entry, Location(config.uri, config.suppression_line(n)))
        for n, entry in enumerate(table.get("suppressions", []))
    ) if config else ()
    if suppressions:
        assert config is not None
        origins["suppressions"] = f"{config.uri}:{config.suppression_line(0)}"
    return Settings(
        select=tuple(pick("select", table.get("select"), [])),
        ignore=tuple(pick("ignore", table.get("ignore"), [])),
        profile=pick("profile", table.get("profile"), DEFAULT),
        fail_on=pick("fail-on", table.get("fail-on"), "warning"),
        fail_on_new=pick("fail-on-new", table.get("fail-on-new"), False),
        golden=pick("golden", table.get("golden"), None),
        levels=tuple(sorted(levels.items())),
        options=options,
        limits=limits,
        suppressions=suppressions,
        file=config,
        origins=origins,
    )


def settings_for(paths: Sequence[Path], cli: dict[str, Any], config_path: Path | None, isolated: bool) -> Settings:
    """The run's settings: `--config FILE`, else the file found upward, none with `--isolated`."""
    if isolated:
        config = None
    elif config_path is not None:
        config = load(config_path)
    else:
        found = find(list(paths) or [Path(".")], Path(os.getcwd()))
        config = load(found) if found else None
    return resolve(config, cli)


def describe(settings: Settings) -> str:
    """The effective settings as TOML a user could paste, each line saying where it came from."""
    lines = [f"# configuration file: {settings.file.uri if settings.file else 'none'}", "[tool.winrmlint]"]
    origins = settings.origins

    def show(key: str, value: Any) -> None:
        lines.append(f"{key} = {_toml(value)}  # {origins.get(key, 'default')}")

    show("select", list(settings.select))
    show("ignore", list(settings.ignore))
    show("profile", settings.profile)
    show("fail-on", settings.fail_on)
    show("fail-on-new", settings.fail_on_new)
    if settings.golden is not None:
        show("golden", settings.golden)
    lines.append(f"\n[tool.winrmlint.levels]  # {origins.get('levels', 'default: each rule its own level')}")
    lines.extend(f"{code} = {_toml(level)}" for code, level in settings.levels)
    lines.append(f"\n[tool.winrmlint.options]  # {origins.get('options', 'default: the Windows defaults')}")
    options = settings.file.table.get("options", {}) if settings.file else {}
    for key in ("quota-floors", "timeout-floors"):
        if options.get(key):
            lines.append(f"{key} = {{ " + ", ".join(f"{k} = {v}" for k, v in options[key].items()) + " }")
    if settings.options.trusted_hosts_accepted:
        lines.append(f"trusted-hosts-accepted = {_toml(list(settings.options.trusted_hosts_accepted))}")
    lines.append("\n[tool.winrmlint.limits]")
    for key, name in LIMITS.items():
        lines.append(f"{key} = {getattr(settings.limits, name)}  # {origins.get(key, 'default')}")
    for s in settings.suppressions:
        lines.append(f"\n[[tool.winrmlint.suppressions]]  # {s.origin.uri}:{s.origin.line}")
        lines.append(f"rule = {_toml(s.code)}")
        lines.append(f"hosts = {_toml(s.hosts)}")
        for key, value in (("path", s.path), ("file", s.file)):
            if value is not None:
                lines.append(f"{key} = {_toml(value)}")
        lines.append(f"justification = {_toml(s.justification)}")
        if s.expires:
            lines.append(f"expires = {s.expires.isoformat()}")
    return "\n".join(lines)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def chosen(code: str, name: str, selector: str) -> bool:
    """A selector picks a rule by code, code prefix (`WRM3`) or name, as engine.select_rules does."""
    return code.startswith(selector.upper()) or name == selector.lower()


def all_rules() -> tuple[Any, ...]:
    """The host and fleet rules, and the suppression layer's own (WRM002, WRM003)."""
    from winrmlint import suppressions
    from winrmlint.rules import RULES

    return (*RULES, *suppressions.RULES)


def unknown_selectors(selectors: Sequence[str]) -> list[str]:
    rules = all_rules()
    return [s for s in selectors if not any(chosen(r.code, r.name, s) for r in rules)]
