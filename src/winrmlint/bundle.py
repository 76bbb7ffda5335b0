"""Bundles: one host's dumps, from a folder, a zip or a single file; a fleet is many of them.

A folder that holds files (or a manifest) is one host's bundle, every file below it included;
a folder that holds only folders is a fleet, each subfolder examined the same way. A zip is
read as the folder it would unpack to. Nothing is followed outside the root being linted, and
every size is bounded by `Limits` before a byte is read.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST = "winrmlint.json"


@dataclass(frozen=True)
class Limits:
    """Resource limits: far above any real dump, far below what exhausts a CI runner."""

    max_file_bytes: int = 32 * 1024 * 1024
    max_files: int = 10_000
    max_archive_entries: int = 10_000
    max_archive_bytes: int = 256 * 1024 * 1024
    max_archive_ratio: int = 200


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
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
                # the header's size can lie: read one byte past the limit to know
                data = handle.read(limits.max_file_bytes + 1)
        if len(data) > limits.max_file_bytes:
            raise InputRefused(f"file is over the {limits.max_file_bytes}-byte limit")
        return data


class InputRefused(Exception):
    """A file or archive that is not read because it breaks a limit or a safety rule."""


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
        if path.is_dir():
            tree = _folder_tree(path, base, limits)
            bundles.extend(_bundles(tree, path.resolve().name or raw, uri_of(path, base)))
        elif zipfile.is_zipfile(path):
            tree = _zip_tree(path, base, limits)
            bundles.extend(_bundles(tree, path.stem, uri_of(path, base)))
        else:
            file = BundleFile(uri_of(path, base), str(path), size=path.stat().st_size)
            bundles.append(Bundle(name=path.stem, root=file.uri, files=[file]))
    return bundles


def uri_of(path: Path, base: Path) -> str:
    """A path as reports show it: relative to the working folder where it can be, with `/`."""
    resolved = path.absolute()
    try:
        return resolved.relative_to(base).as_posix() or "."
    except ValueError:
        return resolved.as_posix()


@dataclass
class _Node:
    """A folder of the tree being linted: files here and subfolders (from disk or a zip)."""

    uri: str
    files: list[BundleFile] = field(default_factory=list)
    folders: dict[str, _Node] = field(default_factory=dict)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def all_files(self) -> list[BundleFile]:
        found = list(self.files)
        for name in sorted(self.folders):
            found.extend(self.folders[name].all_files())
        return found

    def all_refused(self) -> list[tuple[str, str]]:
        found = list(self.refused)
        for name in sorted(self.folders):
            found.extend(self.folders[name].all_refused())
        return found


def _bundles(node: _Node, name: str, uri: str) -> list[Bundle]:
    if node.files or not node.folders:
        files = node.all_files()
        manifest = next((f for f in node.files if f.uri.rsplit("/", 1)[-1] == MANIFEST), None)
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
        found.extend(_bundles(node.folders[child], child, node.folders[child].uri))
    if node.refused:
        found.append(Bundle(name=name, root=uri, refused=node.refused))
    return found


def _folder_tree(root: Path, base: Path, limits: Limits) -> _Node:
    real_root = root.resolve()
    top = _Node(uri_of(root, base))
    count = 0
    stack: list[tuple[Path, _Node]] = [(root, top)]
    while stack:
        folder, node = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
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
                target = path.resolve()
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
                child = node.folders.setdefault(entry.name, _Node(uri))
                stack.append((path, child))
            elif stat.S_ISREG(info.st_mode):
                count += 1
                if count > limits.max_files:
                    node.refused.append((uri, f"more than {limits.max_files} files: not read"))
                    continue
                node.files.append(BundleFile(uri, str(path), size=info.st_size))
    return top


def _zip_tree(archive_path: Path, base: Path, limits: Limits) -> _Node:
    archive_uri = uri_of(archive_path, base)
    top = _Node(archive_uri)
    try:
        with zipfile.ZipFile(archive_path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        top.refused.append((archive_uri, f"archive cannot be read: {err}"))
        return top
    if len(infos) > limits.max_archive_entries:
        top.refused.append((archive_uri, f"archive has {len(infos)} entries, over the limit of {limits.max_archive_entries}"))
        return top
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename.replace("\\", "/")
        uri = f"{archive_uri}/{name}"
        reason = _zip_entry_refusal(info, name, limits)
        total += info.file_size
        if reason is None and total > limits.max_archive_bytes:
            reason = f"archive expands past {limits.max_archive_bytes} bytes"
        parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
        node = top
        for part in parts[:-1] if reason is None else []:
            node = node.folders.setdefault(part, _Node(f"{node.uri}/{part}"))
        if reason is not None:
            top.refused.append((uri, reason))
        elif parts and not parts[-1].startswith("."):
            node.files.append(BundleFile(uri, str(archive_path), info.filename, info.file_size))
    return top


def _zip_entry_refusal(info: zipfile.ZipInfo, name: str, limits: Limits) -> str | None:
    """Why a zip entry is not read: escapes (zip slip), links, encryption, nesting, bombs."""
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in parts:
        return "entry path escapes the archive (absolute, drive letter or `..`)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "entry is a symbolic link"
    if info.flag_bits & 0x1:
        return "entry is encrypted"
    if name.lower().endswith((".zip", ".7z", ".rar", ".tar", ".gz", ".cab")):
        return "nested archive is not read"
    if info.file_size > limits.max_file_bytes:
        return f"entry expands to {info.file_size} bytes, over the {limits.max_file_bytes}-byte limit"
    if info.compress_size and info.file_size / info.compress_size > limits.max_archive_ratio and info.file_size > 1_000_000:
        return f"entry expands {info.file_size // info.compress_size}:1, over the {limits.max_archive_ratio}:1 limit"
    return None
