"""Read documents from files, directories and stdin; write JSONL atomically.

Reading streams: one document at a time, never the whole corpus. Every input is
accounted for: a bad one becomes a ``Document`` with ``skipped`` set to a reason code
and a note saying what was wrong (or, under ``ReadConfig.strict``, an ``InputError``).

Skip reasons: ``unreadable`` (missing path, permission, I/O or decompression error),
``binary``, ``empty``, ``too_large``, ``malformed_json``, ``not_object``,
``missing_text``, ``duplicate_id`` (the first document with an id wins; later ones are
skipped, so ids in the output stay unique).
"""
from __future__ import annotations

import errno
import gzip
import io
import json
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, Iterable, Iterator, NamedTuple, Sequence

import zstandard

from cleantext.config import ReadConfig
from cleantext.document import Document

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst")
_ESCAPED = re.compile(r"[\udc80-\udcff]")
# C0 controls except tab, line feed, vertical tab, form feed, carriage return; plus U+FFFD.
_NON_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_NON_SPACE = re.compile(r"\S")
_BINARY_SHARE = 0.3  # more than this share of non-text characters makes a text binary
_CHUNK = 1 << 20


class InputError(Exception):
    """A bad input under ``ReadConfig.strict`` (the message names the input and the problem)."""


@dataclass
class ReadStats:
    """What the readers saw: bytes read and files a directory walk left out."""

    bytes: int = 0
    ignored: list[str] = field(default_factory=list)  # files in a directory with other suffixes


def decode(data: bytes) -> tuple[str, int]:
    """Decode UTF-8 (a UTF-8 BOM is dropped; UTF-16 with a BOM is honoured).

    Returns the text and the number of invalid bytes replaced by U+FFFD.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), 0
        except UnicodeDecodeError:
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        bad = len(_ESCAPED.findall(data.decode("utf-8", errors="surrogateescape")))
        return data.decode("utf-8", errors="replace"), bad


def looks_binary(data: bytes, text: str) -> bool:
    """NUL bytes, or mostly control / undecodable characters."""
    if b"\x00" in data[:_CHUNK]:
        return True
    sample = text[:_CHUNK]
    return bool(sample) and len(_NON_TEXT.findall(sample)) > _BINARY_SHARE * len(sample)


def _has_content(text: str, min_chars: int) -> bool:
    if min_chars <= 1:
        return _NON_SPACE.search(text) is not None
    found = 0
    for _ in _NON_SPACE.finditer(text):
        found += 1
        if found >= min_chars:
            return True
    return False


class Raw(NamedTuple):
    """An input read but not parsed yet (``read_items``): a JSONL line, or with ``doc_id`` a whole text."""

    data: bytes
    where: str
    doc_id: str | None = None


class _Reader:
    """State shared by all inputs of one ``read_inputs`` call; with ``defer``, JSONL lines and texts are
    yielded as ``Raw`` items (parsed later by ``parse_items``) instead of documents."""

    def __init__(self, cfg: ReadConfig, stats: ReadStats, stdin: BinaryIO | None, defer: bool = False,
                 seen: set[str] | None = None) -> None:
        self.cfg = cfg
        self.stats = stats
        self.stdin = stdin
        self.defer = defer
        self.seen: set[str] = set() if seen is None else seen

    # -- outcomes ---------------------------------------------------------------------
    def skip(self, doc_id: str, where: str, reason: str, detail: str, raw: str = "",
             **fields: Any) -> Document:
        """A skipped document (``where``: file or file:line); under strict mode the error instead."""
        if self.cfg.strict:
            raise InputError(f"{where}: {reason}: {detail}")
        fields.setdefault("source", where)
        return Document(id=doc_id, raw=raw, skipped=reason, notes=[f"{reason}: {detail}"], **fields)

    def make(self, doc_id: str, data: bytes | None, text: str, bad: int, where: str,
             **fields: Any) -> Document:
        """A document from decoded text, or the skip it deserves."""
        if looks_binary(data or b"", text):
            return self.skip(doc_id, where, "binary", "not a text (NUL bytes or mostly control characters)",
                             **fields)
        if not _has_content(text, self.cfg.min_chars):
            return self.skip(doc_id, where, "empty", "no text", raw=text, **fields)
        if doc_id in self.seen:
            return self.skip(doc_id, where, "duplicate_id", f"id {doc_id!r} was already read",
                             raw=text, **fields)
        if bad and self.cfg.strict:
            raise InputError(f"{where}: invalid UTF-8 ({bad} bytes)")
        self.seen.add(doc_id)
        fields.setdefault("source", where)
        doc = Document(id=doc_id, raw=text, **fields)
        if bad:
            doc.notes.append(f"invalid_utf8: {bad} bytes replaced")
        return doc

    # -- inputs -----------------------------------------------------------------------
    def read(self, name: str) -> Iterator[Document | Raw]:
        """The documents of one input: a directory, a file or "-"."""
        if name == "-":
            yield from self.read_stdin()
            return
        path = Path(name)
        if path.is_dir():
            yield from self.read_dir(path)
        elif not path.exists():
            yield self.skip(name, name, "unreadable", "no such file or directory")
        elif _is_jsonl(path.name):
            yield from self.read_jsonl_file(path, name)
        else:
            yield self.read_text_file(path, name, _strip_suffix(path.name))

    def read_dir(self, root: Path) -> Iterator[Document | Raw]:
        """Every .txt and JSONL file below ``root`` in sorted path order (hidden ones left out)."""
        files = []
        failed: list[OSError] = []
        for dirpath, dirnames, filenames in os.walk(root, onerror=failed.append):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for f in filenames:
                if not f.startswith("."):
                    files.append(Path(dirpath, f))
        for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
            rel = path.relative_to(root).as_posix()
            shown = str(path)
            if _is_jsonl(path.name):
                yield from self.read_jsonl_file(path, shown)
            elif path.name.endswith(TEXT_SUFFIXES):
                yield self.read_text_file(path, shown, _strip_suffix(rel))
            else:
                self.stats.ignored.append(shown)
        for e in sorted(failed, key=lambda e: str(e.filename)):
            yield self.skip(str(e.filename), str(e.filename), "unreadable", e.strerror or str(e))

    def read_text_file(self, path: Path, shown: str, doc_id: str) -> Document | Raw:
        """One text file as one document."""
        try:
            size = path.stat().st_size
            if size > self.cfg.max_bytes:
                self.stats.bytes += size
                return self.skip(doc_id, shown, "too_large",
                                 f"{size} bytes > max_bytes {self.cfg.max_bytes}")
            data = path.read_bytes()
        except OSError as e:
            return self.skip(doc_id, shown, "unreadable", e.strerror or str(e))
        self.stats.bytes += len(data)
        return Raw(data, shown, doc_id) if self.defer else self.parse(Raw(data, shown, doc_id))

    def read_jsonl_file(self, path: Path, shown: str) -> Iterator[Document | Raw]:
        """A JSONL file, plain or compressed."""
        try:
            stream = _open_binary(path)
        except OSError as e:
            yield self.skip(shown, shown, "unreadable", e.strerror or str(e))
            return
        with stream:
            yield from self.read_jsonl(stream, shown)

    def read_jsonl(self, stream: IO[bytes], shown: str) -> Iterator[Document | Raw]:
        """One document per non-blank line, never more than ``max_bytes`` of a line in memory."""
        lineno = 0
        while True:
            where = f"{shown}:{lineno + 1}"
            try:
                line = stream.readline(self.cfg.max_bytes + 1)
                too_large = len(line) > self.cfg.max_bytes and not line.endswith(b"\n")
                if too_large:
                    self.stats.bytes += _drain_line(stream)
            except (OSError, EOFError, ValueError, zstandard.ZstdError) as e:  # corrupt or truncated
                yield self.skip(where, where, "unreadable", f"cannot read on: {e}")
                return
            if not line:
                return
            lineno += 1
            self.stats.bytes += len(line)
            if too_large:
                yield self.skip(where, where, "too_large", f"line longer than max_bytes {self.cfg.max_bytes}")
                continue
            if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line.strip():
                continue  # blank lines separate nothing in JSONL: not a document
            yield Raw(line, where) if self.defer else self.parse_line(line, where)

    def parse(self, item: Raw) -> Document:
        """The document of a ``Raw`` item: a JSONL line parsed, or a text decoded."""
        if item.doc_id is None:
            return self.parse_line(item.data, item.where)
        text, bad = decode(item.data)
        return self.make(item.doc_id, item.data, text, bad, item.where)

    def parse_line(self, line: bytes, where: str) -> Document:
        """One JSONL line as a document, or the skip it deserves."""
        text, bad = decode(line)
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            return self.skip(where, where, "malformed_json", f"{e.msg} at column {e.colno}")
        except (ValueError, RecursionError) as e:  # a huge number literal, nesting too deep
            return self.skip(where, where, "malformed_json", str(e).split(":")[0])
        if not isinstance(obj, dict):
            return self.skip(where, where, "not_object", f"a JSON {type(obj).__name__}, not an object")
        return self.from_record(obj, where, bad)

    def from_record(self, obj: dict[str, Any], where: str, bad: int = 0) -> Document:
        """A document from a JSON object (consumed: the fields left over become ``meta``)."""
        cfg = self.cfg
        raw_id = obj.pop(cfg.id_field, None)
        notes = []
        if isinstance(raw_id, str) and raw_id:
            doc_id = raw_id
        elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
            doc_id = str(raw_id)
        else:
            doc_id = where
            notes.append(f"missing_id: {cfg.id_field!r} absent or not a string; id derived from the line")
        body = obj.pop(cfg.text_field, None)
        fields: dict[str, Any] = {}
        for key in ("url", "date", "source"):  # the input's own source wins over "path:line"
            value = obj.pop(key, None)
            if isinstance(value, str) and value:
                fields[key] = value
            elif value is not None:
                obj[key] = value
        fields["meta"] = obj
        if not isinstance(body, str):
            what = "absent" if body is None else f"a JSON {type(body).__name__}"
            doc = self.skip(doc_id, where, "missing_text", f"field {cfg.text_field!r} is {what}",
                            **fields)
        else:
            doc = self.make(doc_id, None, body, bad, where, **fields)
        doc.notes[:0] = notes
        return doc

    def read_stdin(self) -> Iterator[Document | Raw]:
        """Standard input: JSONL when it starts with a JSON object line, else one text."""
        stream = self.stdin if self.stdin is not None else stdin_bytes()
        if stream is None:
            yield self.skip("stdin", "-", "unreadable", "standard input is closed")
            return
        head = stream.read(_CHUNK)
        if _looks_jsonl(head):
            yield from self.read_jsonl(_Prefixed(head, stream), "-")
            return
        data = head + stream.read(max(0, self.cfg.max_bytes + 1 - len(head)))
        if len(data) > self.cfg.max_bytes:
            self.stats.bytes += len(data) + _drain(stream)
            yield self.skip("stdin", "-", "too_large", f"more than max_bytes {self.cfg.max_bytes}")
            return
        self.stats.bytes += len(data)
        item = Raw(data, "-", "stdin")
        yield item if self.defer else self.parse(item)


def stdin_bytes() -> BinaryIO | None:
    """The binary standard input, or None when the process has none (closed descriptor 0)."""
    return sys.stdin.buffer if sys.stdin is not None else None


class _Prefixed:
    """A binary stream with some already-read bytes put back in front (for ``readline``)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head = head
        self.rest = rest

    def readline(self, limit: int = -1) -> bytes:
        if self.head:
            cut = self.head.find(b"\n")
            if cut >= 0 and (limit < 0 or cut < limit):
                line, self.head = self.head[:cut + 1], self.head[cut + 1:]
                return line
            if 0 <= limit <= len(self.head):
                line, self.head = self.head[:limit], self.head[limit:]
                return line
            line, self.head = self.head, b""
            more = self.rest.readline(-1 if limit < 0 else limit - len(line))
            return line + more
        return self.rest.readline(limit)


def _looks_jsonl(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith(b"{"):
        return False
    first = start.split(b"\n", 1)[0].strip()
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return len(first) >= _CHUNK - 64  # a first line too long to check: trust the brace


def _drain_line(stream: IO[bytes]) -> int:
    """Consume the rest of an over-long line; return its length."""
    n = 0
    while True:
        chunk = stream.readline(_CHUNK)
        n += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return n


def _drain(stream: IO[bytes]) -> int:
    n = 0
    while chunk := stream.read(_CHUNK):
        n += len(chunk)
    return n


def _is_jsonl(name: str) -> bool:
    return name.lower().endswith(JSONL_SUFFIXES)


def _strip_suffix(name: str) -> str:
    for suffix in JSONL_SUFFIXES + TEXT_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


class _ZstdStream(io.RawIOBase):
    """Decompress a .zst file (one or more frames); a truncated last frame is an ``EOFError``."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.codec = zstandard.ZstdDecompressor()
        self.frame = self.codec.decompressobj()
        self.in_frame = False  # input fed to the current frame, and its end not seen yet
        self.out = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self.out:
            chunk = self.raw.read(_CHUNK)
            if not chunk:
                if self.in_frame:
                    raise EOFError("zstd stream ended before the end of its frame")
                return 0
            self.out = memoryview(self._feed(chunk))
        n = min(len(b), len(self.out))
        b[:n] = self.out[:n]
        self.out = self.out[n:]
        return n

    def _feed(self, data: bytes) -> bytes:
        parts = []
        while data:
            parts.append(self.frame.decompress(data))
            self.in_frame = not self.frame.eof
            if self.in_frame:
                break
            data = self.frame.unused_data
            self.frame = self.codec.decompressobj()
        return b"".join(parts)

    def close(self) -> None:
        self.raw.close()
        super().close()


def _open_binary(path: Path) -> IO[bytes]:
    """Open a file for reading, decompressing .gz and .zst on the fly."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rb")
    if name.endswith(".zst"):
        return io.BufferedReader(_ZstdStream(open(path, "rb")), _CHUNK)
    return open(path, "rb")


def read_inputs(paths: Sequence[str], cfg: ReadConfig | None = None, *,
                stats: ReadStats | None = None, stdin: BinaryIO | None = None) -> Iterator[Document]:
    """Stream the documents of every input, in order ("-" is standard input or ``stdin``)."""
    reader = _Reader(cfg or ReadConfig(), stats if stats is not None else ReadStats(), stdin)
    for name in paths:
        yield from reader.read(str(name))  # type: ignore[misc]  # no Raw items without defer


def read_items(paths: Sequence[str], cfg: ReadConfig | None = None, *,
               stats: ReadStats | None = None, stdin: BinaryIO | None = None) -> Iterator[Document | Raw]:
    """``read_inputs`` with the parsing left to ``parse_items`` (so a worker process can do it): JSONL
    lines and texts come as ``Raw`` items; inputs skipped before parsing (unreadable, too large) as
    documents. ``stats`` counts the same bytes."""
    reader = _Reader(cfg or ReadConfig(), stats if stats is not None else ReadStats(), stdin, defer=True)
    for name in paths:
        yield from reader.read(str(name))


class Parsed(NamedTuple):
    """``parse_items``' documents and the ids they added to ``seen``, in order."""

    docs: list[Document]
    firsts: list[str]


def parse_items(items: Iterable[Document | Raw], cfg: ReadConfig, seen: set[str] | None = None) -> Parsed:
    """The documents of ``read_items`` items, in order, as ``read_inputs`` gives them when the ids in
    ``seen`` (updated in place; default none) were read before; documents pass through unchanged.

    The ids first read here come back in ``firsts``: a caller parsing batches in parallel, each with its
    own ``seen``, redoes (with the ids of all earlier batches) a batch whose ``firsts`` were read before.
    Under ``cfg.strict`` the first bad input raises here, so a caller that must stop at the first bad
    input in input order reads with ``read_inputs`` instead.
    """
    reader = _Reader(cfg, ReadStats(), None, seen=seen)
    docs: list[Document] = []
    firsts: list[str] = []
    for item in items:
        if isinstance(item, Document):
            docs.append(item)
            continue
        known = len(reader.seen)
        doc = reader.parse(item)
        if len(reader.seen) > known:
            firsts.append(doc.id)
        docs.append(doc)
    return Parsed(docs, firsts)


def to_documents(items: Iterable[str | dict[str, Any] | Document], cfg: ReadConfig | None = None
                 ) -> Iterator[Document]:
    """Documents from strings (id = position), JSON-like dicts (as a JSONL line) or Documents.

    The same checks as for files apply (empty, duplicate id, missing text...).
    """
    reader = _Reader(cfg or ReadConfig(), ReadStats(), None)
    for i, item in enumerate(items):
        where = f"item {i}"
        if isinstance(item, Document):
            yield item
            continue
        if isinstance(item, str):
            doc = reader.make(str(i), None, item, 0, where)
        elif isinstance(item, dict):
            doc = reader.from_record(dict(item), where)
        else:
            doc = reader.skip(str(i), where, "not_object",
                              f"a {type(item).__name__}, not a str, dict or Document")
        if doc.source == where:
            doc.source = None  # a library caller's item has no file to point to
        yield doc


# -- writing ------------------------------------------------------------------------------
@contextmanager
def atomic_writer(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Write to a temporary file beside ``path``; rename it over ``path`` only on success.

    Parent directories are created. On any error the temporary file is removed and
    ``path`` is left as it was.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory, not a file", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        kwargs = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def jsonl_line(record: dict[str, Any]) -> str:
    """One JSON object on one line (UTF-8 text, not ASCII escapes)."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": ")) + "\n"


def write_jsonl(f: IO[str], records: Iterable[dict[str, Any]]) -> int:
    """Write records to an open text stream, one a line, in order; return how many."""
    n = 0
    for record in records:
        f.write(jsonl_line(record))
        n += 1
    return n
