"""Bundles: one host's dumps, from a folder, a zip or a single file; a fleet is many of them.

A folder that holds files and no sub-folder, a manifest, or a dump beside its sub-folders is one
host's bundle, every file below it included; otherwise it is a fleet (notes or reports beside
the host folders are nobody's dumps), each subfolder examined the same way. A zip is
read as the folder it would unpack to. Nothing is followed outside the root being linted, and
every size is bounded by `Limits` before a byte is read.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import quote

MANIFEST = "winrmlint.json"


@dataclass(frozen=True)
class Limits:
    """Resource limits: far above any real dump, far below what exhausts a CI runner."""

    max_file_bytes: int = 32 * 1024 * 1024
    max_files: int = 10_000
    max_archive_entries: int = 10_000
    max_archive_bytes: int = 256 * 1024 * 1024
    max_archive_ratio: int = 200
    # lines read from one host's files together: parsing costs time and memory per line (about
    # 25 µs and 1 KB for a line that holds a setting), so this bounds both per host
    max_lines: int = 250_000
    # a bundle is a folder or two deep; deeper nesting only serves to exhaust the stack
    max_depth: int = 32


@dataclass(frozen=True)
class BundleFile:
    """A file of a bundle: its URI for reports, and where its bytes are (a path, or a zip member)."""

    uri: str
    path: str
    member: str | None = None
    size: int = 0

    def read(self, limits: Limits) -> bytes:
        """The file's bytes; raises `InputRefused` past the limits (size checked before reading)."""
        if self.size > limits.max_file_bytes:
            raise InputRefused(f"file is {self.size} bytes, over the {limits.max_file_bytes}-byte limit")
        if self.member is None:
            with open(self.path, "rb") as handle:
                data = handle.read(limits.max_file_bytes + 1)
        else:
            try:
                with _archive(self.path).open(self.member) as handle:
                    # the header's size can lie: zipfile stops at the declared size (and then
                    # fails the CRC check), and asking for no more than that keeps it from
                    # inflating a bomb up to the file limit in one buffer first
                    data = handle.read(min(self.size, limits.max_file_bytes) + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as err:
                # corrupt data, a lying CRC or size, an unsupported method or a password
                raise InputRefused(f"archive entry cannot be read: {type(err).__name__}") from None
        if len(data) > limits.max_file_bytes:
            raise InputRefused(f"file is over the {limits.max_file_bytes}-byte limit")
        return data


class InputRefused(Exception):
    """A file or archive that is not read because it breaks a limit or a safety rule."""


def _archive(path: str) -> zipfile.ZipFile:
    # opened once per process, not once per member: re-reading the central directory for each
    # of 10,000 entries would make a large archive quadratic; a rewritten archive is reopened
    info = os.stat(path)
    return _open_archive(path, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=4)
def _open_archive(path: str, mtime_ns: int, size: int) -> zipfile.ZipFile:
    return zipfile.ZipFile(path)


def display(text: str) -> str:
    """A file name as reports can carry it: bytes that are not UTF-8 (kept by Python as lone
    surrogates) become `\xff`, so that no output ever fails to encode a hostile name."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")


@dataclass
class Bundle:
    """One host's files, the name its folder gives it, and what was refused while listing them."""

    name: str
    root: str
    files: list[BundleFile] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (uri, reason)
    manifest: BundleFile | None = None


def discover(paths: list[str], limits: Limits = Limits(), cwd: str | None = None) -> list[Bundle]:
    """Every bundle under the given paths, in a stable order."""
    base = Path(cwd or os.getcwd())
    bundles: list[Bundle] = []
    for raw in paths:
        path = Path(raw)
        uri = uri_of(path, base)
        try:
            info = path.stat()
        except OSError as err:
            bundles.append(Bundle(name=display(path.name or raw), root=uri, refused=[(uri, f"cannot be read: {err.strerror}")]))
            continue
        if stat.S_ISDIR(info.st_mode):
            tree = _folder_tree(path, base, limits)
            bundles.extend(_bundles(tree, display(path.resolve().name or raw), uri, limits))
        elif not stat.S_ISREG(info.st_mode):
            # a FIFO or a device would block or never end
            bundles.append(Bundle(name=display(path.name), root=uri, refused=[(uri, "not a regular file")]))
        elif zipfile.is_zipfile(path):
            tree = _zip_tree(path, base, limits)
            bundles.extend(_bundles(tree, display(path.stem), uri, limits))
        else:
            file = BundleFile(uri, str(path), size=info.st_size)
            bundles.append(Bundle(name=display(path.stem), root=file.uri, files=[file]))
    return bundles


def uri_of(path: Path, base: Path) -> str:
    """A path as reports show it: relative to the working folder where it can be, with `/`."""
    resolved = path.absolute()
    try:
        return display(resolved.relative_to(base).as_posix() or ".")
    except ValueError:
        return display(resolved.as_posix())


@dataclass
class _Node:
    """A folder of the tree being linted: files here and subfolders (from disk or a zip)."""

    uri: str
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


def _bundles(node: _Node, name: str, uri: str, limits: Limits) -> list[Bundle]:
    manifest = next((f for f in node.files if f.uri.rsplit("/", 1)[-1] == MANIFEST), None)
    # A folder of host folders may also hold a README, a notes file or last run's SARIF: those
    # are no host's dumps, so such a folder is still a fleet. Files only, or a dump or manifest
    # beside the sub-folders, make it one host's bundle.
    if not node.folders or manifest is not None or any(_is_dump(f, limits) for f in node.files):
        files = node.all_files()
        return [
            Bundle(
                name=name,
                root=uri,
                files=[f for f in files if f is not manifest],
                refused=node.all_refused(),
                manifest=manifest,
            )
        ]
    found: list[Bundle] = []
    for child in sorted(node.folders):
        found.extend(_bundles(node.folders[child], child, node.folders[child].uri, limits))
    if node.refused:
        found.append(Bundle(name=name, root=uri, refused=node.refused))
    return found


def _is_dump(file: BundleFile, limits: Limits) -> bool:
    """Whether any parser recognises the file (read within the limits; unreadable is not a dump)."""
    from winrmlint import parsers
    from winrmlint.source import SourceText

    try:
        return parsers.detect(SourceText.from_bytes(file.uri, file.read(limits))) is not None
    except Exception:  # noqa: BLE001 - anything unreadable here is judged again, and reported, if linted
        return False


def _folder_tree(root: Path, base: Path, limits: Limits) -> _Node:
    real_root = root.resolve()
    top = _Node(uri_of(root, base))
    count = 0
    stack: list[tuple[Path, _Node, int]] = [(root, top, 0)]
    while stack:
        folder, node, depth = stack.pop()
        if count > limits.max_files:
            break
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as err:
            node.refused.append((node.uri, f"folder cannot be listed: {err.strerror}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
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
                child = node.folders.setdefault(display(entry.name), _Node(uri))
                stack.append((path, child, depth + 1))
            elif stat.S_ISREG(info.st_mode):
                count += 1
                if count > limits.max_files:
                    # one refusal, not one per file: the listing stops here
                    node.refused.append((uri, f"more than {limits.max_files} files: this one and the rest not read"))
                    break
                node.files.append(BundleFile(uri, str(path), size=info.st_size))
    return top


def _zip_tree(archive_path: Path, base: Path, limits: Limits) -> _Node:
    archive_uri = uri_of(archive_path, base)
    top = _Node(archive_uri)
    try:
        # zipfile builds every entry of the central directory at once: bound it before it does
        directory = _central_directory_size(archive_path)
        if directory > limits.max_archive_entries * _MAX_DIRECTORY_ENTRY:
            top.refused.append((archive_uri, f"archive directory is {directory} bytes, too large for "
                                             f"{limits.max_archive_entries} entries"))
            return top
        with zipfile.ZipFile(archive_path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as err:
        top.refused.append((archive_uri, f"archive cannot be read: {type(err).__name__}"))
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
            node = node.folders.setdefault(part, _Node(f"{node.uri}/{part}"))
        if reason is not None:
            if ".." in PurePosixPath(name).parts or name.startswith("/") or name[1:2] == ":":
                # reported, never resolved: one encoded segment, so that no consumer of the
                # report (a SARIF viewer) can follow `..` out of the folder it resolves against
                uri = f"{archive_uri}/{quote(name, safe='')}"
            top.refused.append((uri, reason))
        elif parts and not parts[-1].startswith("."):
            node.files.append(BundleFile(uri, str(archive_path), info.filename, info.file_size))
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
