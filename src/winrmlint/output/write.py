"""Writing a report: whole or not at all, and JSON/SARIF as UTF-8 whatever the console's encoding.

A `-o` file is written to a temporary file in the same folder, flushed to disk, then moved over
the target with `os.replace` (atomic on POSIX and Windows): a full disk, a crash or a second run
writing the same file never leaves a truncated or interleaved report in place of a good one. A
failure is a `WriteError` whose text is one line for the user
(`cannot write results.sarif: No space left on device`).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO


class WriteError(Exception):
    """The report could not be written; the message names the file and the system's reason."""

    def __init__(self, target: str, err: OSError) -> None:
        super().__init__(f"cannot write {target}: {err.strerror or type(err).__name__}")


@contextmanager
def opened(output: str | Path | None, utf8: bool = False) -> Iterator[TextIO]:
    """A text stream for the report: `output` written atomically, else standard output.

    With `utf8` (JSON, SARIF) standard output gets UTF-8 bytes even when the console's encoding
    is another (a Windows cp1252 console would otherwise escape what it cannot encode, and the
    escapes are not valid JSON); text for people is escaped where the console cannot show it.
    """
    if output is not None:
        with atomic(Path(output)) as stream:
            yield stream
        return
    try:
        if utf8 and hasattr(sys.stdout, "buffer"):
            sys.stdout.flush()
            stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n", write_through=True)
            try:
                yield stream
                stream.flush()
            finally:
                stream.detach()  # standard output stays open for whoever wrote before and after
            return
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="backslashreplace")
        yield sys.stdout
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader went away (`| head`): not a failure to report
    except OSError as err:
        raise WriteError("standard output", err) from None


@contextmanager
def atomic(path: Path) -> Iterator[TextIO]:
    """A UTF-8 stream that becomes `path` only once the block has completed and been synced."""
    target = str(path)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise WriteError(target, err) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as err:
        _discard(temporary)
        raise WriteError(target, err) from None
    except BaseException as stop:
        # the CLI's exit with a verdict (0: clean, 1: findings) comes after a whole report
        if getattr(stop, "exit_code", None) in (0, 1) or (isinstance(stop, SystemExit) and stop.code in (0, 1, None)):
            _commit_or_discard(temporary, path)
        else:
            _discard(temporary)
        raise
    _commit_or_discard(temporary, path)


def _commit_or_discard(temporary: str, path: Path) -> None:
    """`_commit`, or on failure no temporary file left behind and a `WriteError`."""
    try:
        _commit(temporary, path)
    except OSError as err:
        _discard(temporary)
        raise WriteError(str(path), err) from None


def _discard(temporary: str) -> None:
    with suppress(OSError):
        os.unlink(temporary)


def _commit(temporary: str, path: Path) -> None:
    """The finished temporary file becomes `path`; mkstemp made it private, so it gets the mode
    a new file would get."""
    os.chmod(temporary, _mode_of(path))
    os.replace(temporary, path)


def _mode_of(path: Path) -> int:
    """The mode of the file being replaced, else 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
