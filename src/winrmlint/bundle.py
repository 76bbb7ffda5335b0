"""Bundles: one host's dumps, from a folder, a zip or a single file; a fleet is many of them.

What is a host is decided by content, so that no one file can merge or split hosts:

- A folder with a manifest, or with files and no sub-folder or zip, is one host's bundle.
- Its sub-folders and zips (a zip is read as the folder it would unpack to) are hosts of a fleet
  when two of them repeat one kind of dump (each host collects the same commands), or when one
  of them holds several hosts; otherwise they are the parts of one host's bundle
  (`WEB01/registry/…`, `WEB01/winrm/…`), together with the files beside them.
- At a fleet's root, `setspn` reports (domain-wide facts, `setspn -X`) are fleet input, not a
  host (`role == "fleet"`); any other dump there is nobody's and is reported, not linted; notes,
  READMEs and reports are passed over.
- Files that are plainly not dumps (source code, data, documents that no parser recognises)
  never make a host, and the same bundle reached twice (given twice, inside a fleet also given,
  or as a folder and its zip) is linted once.

Nothing is followed outside the root being linted, files are opened without following links or
blocking and checked to be what was listed, and every size is bounded by `Limits` before a byte
is read.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import quote

from winrmlint.source import valid_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from winrmlint.model.host import ParsedFile
    from winrmlint.model.values import Note, ParsedDump
    from winrmlint.source import Location, SourceText

MANIFEST = "winrmlint.json"
# the format whose reports are about a domain, not a host: at a fleet's root it is fleet input
FLEET_FORMATS = frozenset({"setspn"})


@dataclass(frozen=True)
class Limits:
    """Resource limits: far above any real dump, far below what exhausts a CI runner."""

    max_file_bytes: int = 32 * 1024 * 1024
    max_files: int = 10_000
    max_archive_entries: int = 10_000
    max_archive_bytes: int = 256 * 1024 * 1024
    max_archive_ratio: int = 200
    # what one host's files may hold together, counted as lines before parsing and as what was
    # parsed (settings, SPNs, notes) after it: parsing costs about 25 µs and 1 KB per setting,
    # so this bounds both per host whatever the layout (XML written on one line included)
    max_lines: int = 250_000
    # a bundle is a folder or two deep; deeper nesting only serves to exhaust the stack
    max_depth: int = 32
    # results of one rule on one host; past it they are folded into one summary result, so that
    # a run stays far under GitHub code scanning's 25,000 results
    max_results_per_rule: int = 100


# The bytes read to recognise a file's format while deciding what is a host.
_SNIFF_BYTES = 64 * 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def open_regular(path: str, expected: tuple[int, int] | None = None) -> BinaryIO:
    """A regular file opened for reading without following a link or blocking on a FIFO, and
    checked (fstat) to be a regular file and, when `expected` (device, inode) is given, the
    file that was listed: a link or FIFO swapped in after listing is refused, never read."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.EMLINK):
            raise InputRefused("file was replaced by a symbolic link after it was listed") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputRefused("not a regular file")
        if expected is not None and (info.st_dev, info.st_ino) != expected:
            raise InputRefused("file was replaced after it was listed")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


@dataclass(frozen=True)
class BundleFile:
    """A file of a bundle: its URI for reports, and where its bytes are (a path, or a zip member).

    `identity` is the (device, inode) the listing saw, checked again when the file is opened.
    """

    uri: str
    path: str
    member: str | None = None
    size: int = 0
    identity: tuple[int, int] | None = None

    def read(self, limits: Limits, most: int | None = None) -> bytes:
        """The file's bytes (at most `most` when given); raises `InputRefused` past the limits
        (size checked before reading) or when the file is not what was listed."""
        if most is None and self.size > limits.max_file_bytes:
            raise InputRefused(f"file is {self.size} bytes, over the {limits.max_file_bytes}-byte limit")
        cap = limits.max_file_bytes if most is None else min(most, limits.max_file_bytes)
        if self.member is None:
            with open_regular(self.path, self.identity) as handle:
                data = handle.read(cap + 1)
        else:
            try:
                with _archive(self.path).open(self.member) as handle:
                    # the header's size can lie: zipfile stops at the declared size (and then
                    # fails the CRC check), and asking for no more than that keeps it from
                    # inflating a bomb up to the file limit in one buffer first
                    data = handle.read(min(self.size, cap) + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as err:
                # corrupt data, a lying CRC or size, an unsupported method or a password
                raise InputRefused(f"archive entry cannot be read: {type(err).__name__}") from None
        if most is None and len(data) > limits.max_file_bytes:
            raise InputRefused(f"file is over the {limits.max_file_bytes}-byte limit")
        return data[:cap] if most is not None else data

    @property
    def key(self) -> str:
        """What the file is, whatever path reached it: its real path (and member)."""
        real = os.path.realpath(self.path)
        return real if self.member is None else f"{real}/{self.member}"


class InputRefused(Exception):
    """A file or archive that is not read because it breaks a limit or a safety rule."""


def _archive(path: str) -> zipfile.ZipFile:
    # opened once per process, not once per member: re-reading the central directory for each
    # of 10,000 entries would make a large archive quadratic; a rewritten archive is reopened
    info = os.stat(path)
    return _open_archive(path, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=4)
def _open_archive(path: str, mtime_ns: int, size: int) -> zipfile.ZipFile:
    return zipfile.ZipFile(open_regular(path))


_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def is_archive(path: str) -> bool:
    """A zip, judged by its first bytes: a text dump with an archive appended is a text dump
    (zipfile alone would call it a zip, as it reads the directory from the end)."""
    try:
        with open_regular(path) as handle:
            if handle.read(4) not in _ZIP_MAGIC:
                return False
            return zipfile.is_zipfile(handle)
    except (OSError, InputRefused):
        return False


def _claims_archive(path: str) -> bool:
    """Whether a file means to be a zip (its name, or a zip's first bytes) though it may not open
    as one: it is then an archive that cannot be read, a host lost loudly, never a stray file."""
    if path.lower().endswith(".zip"):
        return True
    try:
        with open_regular(path) as handle:
            return handle.read(4) in _ZIP_MAGIC
    except (OSError, InputRefused):
        return False


def display(text: str) -> str:
    """A file name as reports can carry it: bytes that are not UTF-8 (kept by Python as lone
    surrogates) become `\xff`, so that no output ever fails to encode a hostile name."""
    return valid_text(text)


@dataclass
class Bundle:
    """One host's files, the name its folder gives it, and what was refused while listing them.

    `role` is "host", or "fleet" for a fleet's own input: the domain-wide reports at its root
    (fleet rules read them; no host rule runs on them) and the dumps there that belong to no
    host (refused, so each is a WRM001 naming it).
    """

    name: str
    root: str
    files: list[BundleFile] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (uri, reason)
    manifest: BundleFile | None = None
    role: str = "host"
    key: str = ""  # the real path of the bundle's root: one bundle reached twice is linted once
    # the name of the folder or zip the host was found as, which may wrap the bundle's root
    # (`WEB01/collected/…`): a copy of a host (its zip beside its folder) is found by it
    given: str = ""


def discover(paths: list[str], limits: Limits = Limits(), cwd: str | None = None) -> list[Bundle]:
    """Every bundle under the given paths, in a stable order, each host once."""
    base = Path(cwd or os.getcwd())
    walk = _Walk(limits)
    bundles: list[Bundle] = []
    for raw in paths:
        path = Path(raw)
        uri = uri_of(path, base)
        try:
            info = path.stat()
        except OSError as err:
            bundles.append(Bundle(name=display(path.name or raw), root=uri, refused=[(uri, f"cannot be read: {err.strerror}")]))
            continue
        real = os.path.realpath(path)
        if stat.S_ISDIR(info.st_mode):
            tree = _folder_tree(path, base, limits)
            bundles.extend(walk.bundles(tree, display(path.resolve().name or raw), explicit=True))
        elif not stat.S_ISREG(info.st_mode):
            # a FIFO or a device would block or never end
            bundles.append(Bundle(name=display(path.name), root=uri, refused=[(uri, "not a regular file")], key=real))
        elif _claims_archive(real) or is_archive(real):
            tree = _zip_tree(Path(real), uri, limits)
            bundles.extend(walk.bundles(tree, display(path.stem), explicit=True))
        else:
            # named on the command line: the user chose it, so a link to it is followed (once, here)
            file = BundleFile(uri, real, size=info.st_size, identity=(info.st_dev, info.st_ino))
            bundles.append(Bundle(name=display(path.stem), root=file.uri, files=[file], key=real))
    return _once(bundles, limits)


def uri_of(path: Path, base: Path) -> str:
    """A path as reports show it: relative to the working folder where it can be, with `/`."""
    resolved = path.absolute()
    try:
        return display(resolved.relative_to(base).as_posix() or ".")
    except ValueError:
        return display(resolved.as_posix())


@dataclass
class _Node:
    """A folder of the tree being linted: files here and subfolders (from disk or a zip).

    `key` is the folder's real path (a zip's, then the path inside it), `name` its own name.
    """

    uri: str
    key: str = ""
    name: str = ""
    files: list[BundleFile] = field(default_factory=list)
    folders: dict[str, _Node] = field(default_factory=dict)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def all_files(self) -> list[BundleFile]:
        return [f for node in self._walk() for f in node.files]

    def all_refused(self) -> list[tuple[str, str]]:
        return [r for node in self._walk() for r in node.refused]

    def _walk(self) -> list[_Node]:
        """This node and every node below, depth first by name (iterative: depth is not trusted)."""
        order: list[_Node] = []
        stack: list[_Node] = [self]
        while stack:
            node = stack.pop()
            order.append(node)
            stack.extend(node.folders[name] for name in sorted(node.folders, reverse=True))
        return order


# Files that are never dumps: source code, scripts, data and reports (a `lint .` in a repository
# root meets them), and archives and images. Documents are read only when a parser recognises
# them (a ticket saved as Markdown can hold a paste).
_CODE = frozenset(
    ".py .pyc .pyi .pyx .ipynb .js .mjs .cjs .ts .tsx .jsx .go .rs .java .kt .scala .c .h .cc .cpp .hpp .cs .fs "
    ".vb .rb .php .pl .pm .lua .swift .r .sh .bash .zsh .fish .ps1 .psm1 .psd1 .vbs .toml .yml .yaml .lock .json "
    ".jsonl .sarif .csv .tsv .css .scss .svg .png .jpg .jpeg .gif .ico .bmp .webp .pdf .docx .xlsx .pptx .whl "
    ".tar .gz .tgz .bz2 .xz .7z .rar .jar .class .mo .po .pem .crt .sqlite".split()
)
_DOCUMENTS = frozenset(".md .markdown .rst .adoc .asciidoc .org .html .htm .tex".split())
_CODE_NAMES = frozenset("makefile dockerfile license licence copying notice authors changelog codeowners".split())
# Folders that tools write beside sources (caches, installed packages), never a host's dumps.
_TOOL_FOLDERS = frozenset("__pycache__ node_modules site-packages".split())
_TOOL_SUFFIXES = (".egg-info", ".dist-info")


def _kind(file: BundleFile) -> str:
    """"code" (never a dump), "document" (a dump only if recognised) or "candidate"."""
    name = file.uri.rsplit("/", 1)[-1].lower()
    suffix = os.path.splitext(name)[1]
    if name == MANIFEST:
        return "manifest"
    if suffix in _CODE or name in _CODE_NAMES:
        return "code"
    if suffix in _DOCUMENTS:
        return "document"
    return "candidate"


class _Walk:
    """One discovery: which files are dumps and of what format (read once each, a prefix only)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._formats: dict[int, str | None] = {}

    def format(self, file: BundleFile) -> str | None:
        """The format a parser recognises in the file's first bytes, or None."""
        if id(file) not in self._formats:
            self._formats[id(file)] = _sniff(file, self.limits)
        return self._formats[id(file)]

    def readable(self, file: BundleFile) -> bool:
        """Whether the file is linted as part of a host: candidates always (an unreadable one is
        reported), documents when recognised, code never."""
        kind = _kind(file)
        return kind == "candidate" or (kind == "document" and self.format(file) is not None)

    def dumps(self, node: _Node) -> list[BundleFile]:
        """The node's own files that a parser recognises, documents aside: a README quoting dump
        lines beside host folders is what documents do, and says nothing about the folder."""
        return [f for f in node.files if _kind(f) == "candidate" and self.format(f) is not None]

    def formats(self, node: _Node) -> set[str]:
        return {fmt for n in node._walk() for f in n.files if (fmt := self.format(f) if _kind(f) in ("candidate", "document") else None)}

    def parts(self, node: _Node) -> list[_Node]:
        """Sub-folders and zips that hold anything a host could be made of."""
        return [child for _, child in sorted(node.folders.items()) if self._holds_input(child)]

    def _holds_input(self, node: _Node) -> bool:
        return any(n.refused or any(self.readable(f) or _kind(f) == "manifest" for f in n.files) for n in node._walk())

    def several_hosts(self, node: _Node) -> bool:
        """Whether the folder holds more than one host (see the module's docstring)."""
        if _manifest(node) is not None:
            return False
        parts = self.parts(node)
        if any(self.several_hosts(p) for p in parts):
            return True
        if len(parts) < 2:
            return False
        seen: set[str] = set()
        for part in parts:
            found = self.formats(part)
            if found & seen:
                return True
            seen |= found
        # a part nothing of which could be recognised (its files unreadable or garbled, or the
        # part itself an archive or folder that cannot be opened) has no kinds to compare; it is
        # judged by what its listing shows, so that it is never merged into a readable host
        return any(self._opaque_host(node, part, parts) for part in parts if not self.formats(part))

    def _opaque_host(self, node: _Node, part: _Node, parts: list[_Node]) -> bool:
        """Whether an unrecognisable part of `node` is a host: its files bear the names a
        sibling's do (one collection run on each host), or it could not be opened at all and
        sits beside a readable part in a folder with no dumps of its own (a fleet's hosts)."""
        names = self._names(part)
        if names:
            return any(names & self._names(other) for other in parts if other is not part)
        unopened = any(uri == part.uri for uri, _ in part.refused)
        return unopened and not self.dumps(node) and any(self.formats(other) for other in parts)

    def _names(self, node: _Node) -> set[str]:
        """Its files' names, less the part's own name (`WEB02-winrm.txt` repeats `WEB01-winrm.txt`)."""
        own = node.name.lower()
        return {f.uri.rsplit("/", 1)[-1].lower().replace(own, "") for f in node.all_files() if _kind(f) == "candidate"}

    def bundles(self, node: _Node, name: str, explicit: bool = False, given: str = "") -> list[Bundle]:
        manifest = _manifest(node)
        parts = self.parts(node)
        if manifest is None and self.several_hosts(node):
            found = [b for part in parts for b in self.bundles(part, part.name)]
            fleet = self._fleet_input(node, name)
            return [*found, *([fleet] if fleet.files or fleet.refused else [])]
        if manifest is None and len(parts) == 1 and not self.dumps(node):
            # a folder around one folder (or zip): the host is the one inside, by its own name
            return self.bundles(parts[0], parts[0].name, given=given or name)
        files = [f for f in node.all_files() if f is not manifest and self.readable(f)]
        refused = node.all_refused()
        if not refused and manifest is None and not any(_kind(f) == "candidate" for f in files):
            # documents or code only (a repository's README quoting a dump): not a host
            if not explicit:
                return []
            hint = " (a document is read beside dumps, or when named: `winrmlint lint NOTE.md`)" if files else ""
            files, refused = [], [(node.uri, f"holds no file that could be a dump{hint}")]
        return [Bundle(name=name, root=node.uri, files=files, refused=refused, manifest=manifest, key=node.key,
                       given=given or name)]

    def _fleet_input(self, node: _Node, name: str) -> Bundle:
        """A fleet's own files: domain-wide reports are read; other dumps there are nobody's."""
        fleet = Bundle(name=name, root=node.uri, refused=list(node.refused), role="fleet", key=node.key)
        for file in node.files:
            fmt = self.format(file) if _kind(file) == "candidate" else None
            if fmt in FLEET_FORMATS:
                fleet.files.append(file)
            elif fmt is not None:
                fleet.refused.append((file.uri, f"a {fmt} dump beside a fleet's host folders belongs to no "
                                                "host (move it into its host's folder)"))
        return fleet


def _manifest(node: _Node) -> BundleFile | None:
    return next((f for f in node.files if f.uri.rsplit("/", 1)[-1] == MANIFEST), None)


def _sniff(file: BundleFile, limits: Limits) -> str | None:
    """The format of a file's first 64 KiB, cut at a line break; None if unreadable or unknown."""
    from winrmlint import parsers
    from winrmlint.source import SourceText

    try:
        data = file.read(limits, most=_SNIFF_BYTES)
        if len(data) >= _SNIFF_BYTES:
            cut = data.rfind(b"\n")
            # UTF-16LE's line break is 0A 00: keep the pair whole
            data = data[: cut + (2 if data[cut + 1 : cut + 2] == b"\x00" else 1)] if cut > 0 else data
        parser = parsers.detect(SourceText.from_bytes(file.uri, data))
    except Exception:  # noqa: BLE001 - anything unreadable here is judged again, and reported, when linted
        return None
    return None if parser is None else str(parser.FORMAT)


def _once(bundles: list[Bundle], limits: Limits) -> list[Bundle]:
    """Each host once: a bundle reached again (the same folder, one inside a host already
    found, a file of one) or a copy of one (a folder and the zip made of it) is dropped."""
    # every host's key, by its form without a trailing slash: a key is inside a host when one of
    # its proper `/`-prefixes is there (one lookup per prefix, not one comparison per host)
    roots: dict[str, set[str]] = {}
    for b in bundles:
        if b.role == "host" and b.key and b.files:
            roots.setdefault(b.key.rstrip("/"), set()).add(b.key)
    kept: list[Bundle] = []
    seen: set[str] = set()
    copies: dict[tuple, list[Bundle]] = {}
    for bundle in bundles:
        if bundle.key:
            if bundle.key in seen:
                continue
            key = bundle.key
            if any(k != key for i, c in enumerate(key) if c == "/" for k in roots.get(key[:i], ())):
                continue
            seen.add(bundle.key)
        if bundle.role == "host" and bundle.files:
            # two hosts can hold the same bytes (untouched defaults) in folders of one name
            # (`WEB01/collected/`, `WEB02/collected/`): a copy is one found under the same name.
            # Its files are compared by their bytes alone: a zip made of a folder that holds a zip
            # of its registry files has them at other paths (`registry.zip/…` and `registry/…`)
            files = [*bundle.files, *([bundle.manifest] if bundle.manifest else [])]
            shape = ((bundle.given or bundle.name).lower(), tuple(sorted(f.size for f in files)))
            if any(_same_bytes(bundle, other, limits) for other in copies.get(shape, [])):
                continue
            copies.setdefault(shape, []).append(bundle)
        kept.append(bundle)
    return kept


def _same_bytes(a: Bundle, b: Bundle, limits: Limits) -> bool:
    def digest(bundle: Bundle) -> str:
        digests = []
        for file in [*bundle.files, *([bundle.manifest] if bundle.manifest else [])]:
            try:
                digests.append(hashlib.sha256(file.read(limits)).digest())
            except (OSError, InputRefused):
                digests.append(b"unreadable" + file.key.encode("utf-8", "surrogateescape"))
        return hashlib.sha256(b"".join(sorted(digests))).hexdigest()

    return digest(a) == digest(b)


# The manifest's patterns (schemas/bundle-manifest.schema.json): a name a dump offers for its
# host is held to them, so that a hostile dump cannot name a host `::warning::…` or a path.
_SHORT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,62}")
_FQDN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,251}[A-Za-z0-9]")


def is_host_name(text: str, fqdn: bool = False) -> bool:
    """Whether `text` is a host name as a manifest may state it (short, or a DNS name)."""
    return (_FQDN if fqdn else _SHORT_NAME).fullmatch(text) is not None


def identity_conflicts(dumps: Sequence[ParsedDump], root: str) -> list[ParsedFile]:
    """A WRM001 entry when one bundle's dumps name two different hosts: two device names, or
    two computer accounts (a `setspn -L` of one account holding `HOST/<its name>`). The files
    may come from two machines, and every finding of the bundle would then be in doubt."""
    from winrmlint.model import paths
    from winrmlint.model.host import ParsedFile

    seen: dict[str, Location] = {}
    for dump in dumps:
        for reading in dump.host_names:
            value = reading.value if isinstance(reading.value, str) else ""
            if reading.path in (paths.HOST_NAME, paths.HOST_FQDN) and is_host_name(value, reading.path == paths.HOST_FQDN):
                seen.setdefault(value.split(".", 1)[0].lower(), reading.location)
        accounts = {entry.account for entry in dump.spns}
        if len(accounts) == 1:
            account = accounts.pop()
            common = account.split(",", 1)[0].partition("=")[2].lower() if account.lower().startswith("cn=") else ""
            held = next((e for e in dump.spns if e.spn.lower().startswith(f"host/{common}")), None)
            if common and held is not None and is_host_name(common):
                seen.setdefault(common, held.location)
    if len(seen) < 2:
        return []
    named = ", ".join(f"`{name}` ({at.uri.rsplit('/', 1)[-1]}:{at.line})" for name, at in sorted(seen.items()))
    return [ParsedFile(root, None, f"the bundle's dumps name different hosts: {named}; collect each host into its own "
                                   "folder (its findings may mix two machines)")]


def source_notes(source: SourceText) -> list[Note]:
    """What decoding a file noted (a guessed code page, an archive appended), as parser notes."""
    from winrmlint.model.values import Note

    return [Note(message, source.at(line)) for line, message in source.remarks]


def _folder_tree(root: Path, base: Path, limits: Limits) -> _Node:
    real_root = root.resolve()
    top = _Node(uri_of(root, base), key=str(real_root), name=display(real_root.name))
    count = 0
    stack: list[tuple[Path, _Node, int]] = [(root, top, 0)]
    while stack:
        folder, node, depth = stack.pop()
        if count > limits.max_files:
            # every folder not reached is named, so no host is dropped without a word
            for _, unread, _ in [(folder, node, depth), *stack]:
                unread.refused.append((unread.uri, f"the run passed --max-files {limits.max_files}"))
            break
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as err:
            node.refused.append((node.uri, f"folder cannot be listed: {err.strerror}"))
            continue
        for entry in entries:
            if entry.name.startswith(".") or (entry.name in _TOOL_FOLDERS or entry.name.endswith(_TOOL_SUFFIXES)) and entry.is_dir():
                continue
            path = Path(entry.path)
            uri = uri_of(path, base)
            if entry.is_symlink():
                # a link may point anywhere: follow it only while it stays inside the root
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    # a loop (RuntimeError before Python 3.13) or a dangling link
                    node.refused.append((uri, "symbolic link is broken or loops"))
                    continue
                if not target.is_relative_to(real_root):
                    node.refused.append((uri, "symbolic link points outside the linted folder"))
                    continue
                path = target  # read where it points, opened without following links again
            try:
                info = path.stat()
            except OSError as err:
                node.refused.append((uri, f"cannot be read: {err.strerror}"))
                continue
            if stat.S_ISDIR(info.st_mode):
                if entry.is_symlink():
                    node.refused.append((uri, "symbolic link to a folder is not followed"))
                    continue
                if depth + 1 > limits.max_depth:
                    node.refused.append((uri, f"folder nested deeper than {limits.max_depth} levels: not read"))
                    continue
                name = display(entry.name)
                child = node.folders.setdefault(name, _Node(uri, key=str(path), name=name))
                stack.append((path, child, depth + 1))
            elif stat.S_ISREG(info.st_mode):
                count += 1
                if count > limits.max_files:
                    # one refusal, not one per file: the listing stops here
                    node.refused.append((uri, f"more than {limits.max_files} files: this one and the rest not read"))
                    break
                # (is_archive needs the zip's first bytes too: they are read once, here)
                if _claims_archive(str(path)):
                    # a zip found while walking is a folder of its own: a host, or a part of one
                    name = display(entry.name)
                    node.folders.setdefault(f"{name}\x00zip", _zip_tree(path, uri, limits))
                    continue
                node.files.append(BundleFile(uri, str(path), size=info.st_size, identity=(info.st_dev, info.st_ino)))
    return top


def _zip_tree(archive_path: Path, archive_uri: str, limits: Limits) -> _Node:
    real = os.path.realpath(archive_path)
    top = _Node(archive_uri, key=real, name=display(archive_path.stem))
    try:
        # zipfile builds every entry of the central directory at once: bound it before it does
        with open_regular(real) as handle:
            if handle.read(4) not in _ZIP_MAGIC:
                # a text dump named .zip, or one with an archive appended: never opened as one
                raise InputRefused("archive cannot be read: not a zip archive (its first bytes are not a zip's)")
        directory = _central_directory_size(archive_path)
        if directory > limits.max_archive_entries * _MAX_DIRECTORY_ENTRY:
            top.refused.append((archive_uri, f"archive directory is {directory} bytes, too large for "
                                             f"{limits.max_archive_entries} entries"))
            return top
        with zipfile.ZipFile(open_regular(real)) as archive:
            infos = archive.infolist()
    except InputRefused as err:
        top.refused.append((archive_uri, str(err)))
        return top
    except OSError as err:
        top.refused.append((archive_uri, f"archive cannot be read: {err.strerror or type(err).__name__}"))
        return top
    except (zipfile.BadZipFile, ValueError, EOFError, struct.error) as err:
        what = "has an invalid name or field" if isinstance(err, ValueError) else "is truncated or corrupt"
        top.refused.append((archive_uri, f"archive cannot be read: it {what} ({type(err).__name__})"))
        return top
    if len(infos) > limits.max_archive_entries:
        top.refused.append((archive_uri, f"archive has {len(infos)} entries, over the limit of {limits.max_archive_entries}"))
        return top
    total = 0
    # one name twice: which one is "the" file depends on the tool that unpacks it, so neither
    # is read (zipfile would read the last one twice)
    seen: dict[str, int] = {}
    for info in infos:
        key = info.filename.replace("\\", "/")
        seen[key] = seen.get(key, 0) + 1
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename.replace("\\", "/")
        uri = f"{archive_uri}/{name}"
        reason = _zip_entry_refusal(info, name, limits)
        if reason is None and seen[name] > 1:
            reason = "entry name appears more than once in the archive"
        total += info.file_size
        if reason is None and total > limits.max_archive_bytes:
            reason = f"archive expands past {limits.max_archive_bytes} bytes"
        parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
        if reason is None and len(parts) > limits.max_depth + 1:
            reason = f"entry nested deeper than {limits.max_depth} levels"
        node = top
        for part in parts[:-1] if reason is None else []:
            node = node.folders.setdefault(part, _Node(f"{node.uri}/{part}", key=f"{node.key}/{part}", name=part))
        if reason is not None:
            if ".." in PurePosixPath(name).parts or name.startswith("/") or name[1:2] == ":":
                # reported, never resolved: one encoded segment, so that no consumer of the
                # report (a SARIF viewer) can follow `..` out of the folder it resolves against
                uri = f"{archive_uri}/{quote(name, safe='')}"
            top.refused.append((uri, reason))
        elif parts and not parts[-1].startswith("."):
            node.files.append(BundleFile(uri, real, info.filename, info.file_size))
    return top


# a central directory record is 46 bytes and its name, extra field and comment; 1 KiB per entry is
# far above what Compress-Archive or 7-Zip write for a bundle's file names
_MAX_DIRECTORY_ENTRY = 1024
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


def _central_directory_size(archive_path: Path) -> int:
    """The size the archive declares for its central directory (the end record's field)."""
    with open(archive_path, "rb") as handle:
        # the end record as zipfile itself reads it (private, so not in typeshed)
        end = zipfile._EndRecData(handle)  # type: ignore[attr-defined]
    if not end:
        raise zipfile.BadZipFile("no end of central directory record")
    return int(end[zipfile._ECD_SIZE])  # type: ignore[attr-defined]


def _zip_entry_refusal(info: zipfile.ZipInfo, name: str, limits: Limits) -> str | None:
    """Why a zip entry is not read: escapes (zip slip), links, encryption, nesting, bombs."""
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in parts:
        return "entry path escapes the archive (absolute, drive letter or `..`)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "entry is a symbolic link"
    if info.flag_bits & 0x1:
        return "entry is encrypted"
    if info.compress_type not in _METHODS:
        return f"entry uses compression method {info.compress_type}, which is not read"
    if name.lower().endswith((".zip", ".7z", ".rar", ".tar", ".gz", ".cab")):
        return "nested archive is not read"
    if info.file_size > limits.max_file_bytes:
        return f"entry expands to {info.file_size} bytes, over the {limits.max_file_bytes}-byte limit"
    if info.compress_size and info.file_size / info.compress_size > limits.max_archive_ratio and info.file_size > 1_000_000:
        return f"entry expands {info.file_size // info.compress_size}:1, over the {limits.max_archive_ratio}:1 limit"
    return None
