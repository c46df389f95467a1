"""Readers and writers: every input accounted for, streaming, atomic output."""
from __future__ import annotations

import gzip
import io
import json
import os
from itertools import islice
from pathlib import Path

import pytest
import zstandard

from cleantext.config import ReadConfig
from cleantext.document import Document
from cleantext.io import (InputError, Raw, ReadStats, atomic_writer, decode, parse_items, read_inputs, read_items,
                          to_documents, write_jsonl)

STRICT = ReadConfig(strict=True)
DEFERRED = {"on": False}  # read() parses through read_items + parse_items (set by the fixture below)


@pytest.fixture(autouse=True, params=["read_inputs", "read_items"])
def reader(request: pytest.FixtureRequest) -> None:
    """Every reading test runs twice: documents read directly, and read as raw items parsed later (as
    the workers parse them), one item at a time with one set of seen ids: the same documents."""
    DEFERRED["on"] = request.param == "read_items"


def read(*paths, cfg: ReadConfig | None = None, **kw) -> list[Document]:
    cfg = cfg or ReadConfig()
    if not DEFERRED["on"]:
        return list(read_inputs([str(p) for p in paths], cfg, **kw))
    seen: set[str] = set()
    return [doc for item in read_items([str(p) for p in paths], cfg, **kw)
            for doc in parse_items([item], cfg, seen).docs]


def jsonl(path: Path, *lines: str | dict) -> Path:
    path.write_text("".join((json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x) + "\n"
                            for x in lines), encoding="utf-8")
    return path


# -- directories and text files ---------------------------------------------------------------
def test_directory_is_recursive_sorted_and_ids_are_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_text("bee", encoding="utf-8")
    (tmp_path / "a.txt").write_text("ay", encoding="utf-8")
    (tmp_path / "c.txt").write_text("sea", encoding="utf-8")
    (tmp_path / "README.md").write_text("not a document", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    stats = ReadStats()
    docs = read(tmp_path, stats=stats)
    assert [d.id for d in docs] == ["a", "b/x", "c"]
    assert [d.raw for d in docs] == ["ay", "bee", "sea"]
    assert docs[1].source == str(tmp_path / "b" / "x.txt")
    assert stats.ignored == [str(tmp_path / "README.md")]
    assert stats.bytes == 8


def test_seeds_directory_reads_five_documents(seeds_dir: Path) -> None:
    docs = read(seeds_dir)
    assert len(docs) == 5
    assert all(not d.skipped and d.raw for d in docs)
    assert docs[0].id == "000_8b13ecfee196e07e"


def test_single_text_file_keeps_crlf_and_id_is_the_stem(tmp_path: Path) -> None:
    p = tmp_path / "note.txt"
    p.write_bytes("Заголовок\r\nтекст\r\n".encode())
    [doc] = read(p)
    assert doc.id == "note" and doc.source == str(p)
    assert doc.raw == "Заголовок\r\nтекст\r\n"  # offsets point into the text exactly as read


def test_bom_is_dropped_and_utf16_with_bom_is_decoded() -> None:
    assert decode(b"\xef\xbb\xbfabc") == ("abc", 0)
    assert decode("привет".encode("utf-16")) == ("привет", 0)


def test_invalid_utf8_is_replaced_and_counted(tmp_path: Path) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(b"caf\xe9 and \xff\xfe more text")
    [doc] = read(p)
    assert not doc.skipped
    assert doc.raw == "caf\ufffd and \ufffd\ufffd more text"
    assert doc.notes == ["invalid_utf8: 3 bytes replaced"]
    with pytest.raises(InputError, match="bad.txt: invalid UTF-8"):
        read(p, cfg=STRICT)


@pytest.mark.parametrize("data", [b"PK\x03\x04\x00\x00binary", bytes(range(1, 9)) * 50])
def test_binary_files_are_skipped(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "image.txt"
    p.write_bytes(data)
    [doc] = read(p)
    assert doc.skipped == "binary" and doc.raw == ""
    assert doc.notes[0].startswith("binary:")
    with pytest.raises(InputError, match="image.txt: binary"):
        read(p, cfg=STRICT)


def test_empty_and_blank_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text(" \n\t\r\n", encoding="utf-8")
    docs = read(tmp_path)
    assert [(d.id, d.skipped) for d in docs] == [("a", "empty"), ("b", "empty")]
    with pytest.raises(InputError, match="empty"):
        read(tmp_path, cfg=STRICT)


def test_min_chars_counts_non_space_characters(tmp_path: Path) -> None:
    p = tmp_path / "short.txt"
    p.write_text("a b c", encoding="utf-8")
    assert read(p, cfg=ReadConfig(min_chars=3))[0].skipped is None
    assert read(p, cfg=ReadConfig(min_chars=4))[0].skipped == "empty"


def test_missing_path_is_unreadable_and_reading_goes_on(tmp_path: Path) -> None:
    ok = tmp_path / "ok.txt"
    ok.write_text("text", encoding="utf-8")
    docs = read(tmp_path / "nope", ok)
    assert docs[0].skipped == "unreadable" and "no such file" in docs[0].notes[0]
    assert docs[1].id == "ok" and not docs[1].skipped
    with pytest.raises(InputError, match="nope: unreadable"):
        read(tmp_path / "nope", cfg=STRICT)


def test_permission_denied_is_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("text", encoding="utf-8")

    def denied(self: Path) -> bytes:  # as a mode-000 file behaves (root would read it anyway)
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    [doc] = read(p)
    assert doc.skipped == "unreadable" and doc.notes == ["unreadable: Permission denied"]
    with pytest.raises(InputError, match="secret.txt: unreadable: Permission denied"):
        read(p, cfg=STRICT)


def test_unreadable_subdirectory_is_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.txt").write_text("text", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inner.txt").write_text("hidden text", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):  # as a permission-less directory behaves (root would read it anyway)
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    docs = read(tmp_path)
    assert [(d.id, d.skipped) for d in docs] == [("ok", None), (str(locked), "unreadable")]
    assert docs[1].notes == ["unreadable: Permission denied"]


def test_too_large_text_file_is_skipped(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text("x" * 200, encoding="utf-8")
    [doc] = read(p, cfg=ReadConfig(max_bytes=100))
    assert doc.skipped == "too_large" and "200 bytes" in doc.notes[0]


# -- JSONL ------------------------------------------------------------------------------------
def test_jsonl_fields_meta_and_sources(tmp_path: Path) -> None:
    p = jsonl(tmp_path / "in.jsonl",
              {"id": "a", "text": "Текст", "url": "https://caravan.kz/x", "date": "2023-04-26",
               "views": 10, "tags": ["x"]},
              {"id": 7, "text": "seven", "source": "tengrinews.kz"})
    a, b = read(p)
    assert (a.id, a.raw, a.url, a.date, a.source) == ("a", "Текст", "https://caravan.kz/x", "2023-04-26",
                                                      f"{p}:1")
    assert a.meta == {"views": 10, "tags": ["x"]}
    assert (b.id, b.source, b.meta) == ("7", "tengrinews.kz", {})


def test_missing_id_is_derived_from_file_and_line(tmp_path: Path) -> None:
    p = jsonl(tmp_path / "in.jsonl", {"text": "one"}, {"id": None, "text": "two"})
    a, b = read(p)
    assert (a.id, b.id) == (f"{p}:1", f"{p}:2")
    assert not a.skipped and a.notes[0].startswith("missing_id")


def test_malformed_json_names_file_and_line(tmp_path: Path) -> None:
    p = jsonl(tmp_path / "in.jsonl", {"id": "a", "text": "one"}, '{"id": "b", "text": ', "",
              {"id": "c", "text": "three"})
    docs = read(p)
    assert [d.id for d in docs] == ["a", f"{p}:2", "c"]  # the blank line 3 is no document
    bad = docs[1]
    assert bad.skipped == "malformed_json" and bad.source == f"{p}:2"
    assert bad.notes[0].startswith("malformed_json: ")
    with pytest.raises(InputError, match=rf"in.jsonl:2: malformed_json"):
        read(p, cfg=STRICT)


@pytest.mark.parametrize("line, reason", [
    ("[1, 2]", "not_object"), ('"text"', "not_object"),
    ('{"id": "x"}', "missing_text"), ('{"id": "x", "text": 5}', "missing_text"),
    ('{"id": "x", "text": null}', "missing_text"), ('{"id": "x", "text": "   "}', "empty"),
])
def test_bad_jsonl_records_are_skipped_with_a_reason(tmp_path: Path, line: str, reason: str) -> None:
    p = jsonl(tmp_path / "in.jsonl", line, {"id": "ok", "text": "fine"})
    docs = read(p)
    assert [d.skipped for d in docs] == [reason, None]
    with pytest.raises(InputError, match=f"in.jsonl:1: {reason}"):
        read(p, cfg=STRICT)


def test_duplicate_ids_first_wins_later_skipped(tmp_path: Path) -> None:
    p = jsonl(tmp_path / "a.jsonl", {"id": "x", "text": "first"}, {"id": "x", "text": "second"})
    q = jsonl(tmp_path / "b.jsonl", {"id": "x", "text": "third"})
    docs = read(p, q)
    assert [(d.raw, d.skipped) for d in docs] == [("first", None), ("second", "duplicate_id"),
                                                  ("third", "duplicate_id")]
    assert docs[1].notes == ["duplicate_id: id 'x' was already read"]
    with pytest.raises(InputError, match="a.jsonl:2: duplicate_id"):
        read(p, cfg=STRICT)


def test_invalid_utf8_in_a_jsonl_line(tmp_path: Path) -> None:
    p = tmp_path / "in.jsonl"
    p.write_bytes(b'{"id": "a", "text": "caf\xe9"}\n')
    [doc] = read(p)
    assert doc.raw == "caf\ufffd" and doc.notes == ["invalid_utf8: 1 bytes replaced"]


def test_too_long_jsonl_line_is_skipped_and_the_next_is_read(tmp_path: Path) -> None:
    p = jsonl(tmp_path / "in.jsonl", {"id": "big", "text": "x" * 500}, {"id": "small", "text": "y"})
    docs = read(p, cfg=ReadConfig(max_bytes=100))
    assert [(d.id, d.skipped) for d in docs] == [(f"{p}:1", "too_large"), ("small", None)]


def test_gzip_and_zstd_read_like_plain(tmp_path: Path) -> None:
    plain = jsonl(tmp_path / "in.jsonl", {"id": "a", "text": "один"}, {"id": "b", "text": "два"})
    data = plain.read_bytes()
    (tmp_path / "z.jsonl.gz").write_bytes(gzip.compress(data))
    half = data.index(b"\n") + 5  # two zstd frames, the cut inside a line
    zstd = zstandard.ZstdCompressor()
    (tmp_path / "z.jsonl.zst").write_bytes(zstd.compress(data[:half]) + zstd.compress(data[half:]))
    for name in ("z.jsonl.gz", "z.jsonl.zst"):
        docs = read(tmp_path / name)
        assert [(d.id, d.raw, d.source) for d in docs] == [
            ("a", "один", f"{tmp_path / name}:1"), ("b", "два", f"{tmp_path / name}:2")]


@pytest.mark.parametrize("name, pack", [("bad.jsonl.gz", gzip.compress),
                                        ("bad.jsonl.zst", zstandard.ZstdCompressor().compress)])
def test_corrupt_archive_is_unreadable_not_a_crash(tmp_path: Path, name: str, pack) -> None:
    lines = b"".join(b'{"id": "%d", "text": "x"}\n' % i for i in range(20_000))  # several zstd blocks
    packed = pack(lines)
    p = tmp_path / name
    p.write_bytes(packed[: len(packed) // 2])  # truncated, as by an interrupted download
    docs = read(p)
    assert docs[-1].skipped == "unreadable" and docs[-1].notes[0].startswith("unreadable: cannot read on")
    assert len(docs) > 100 and all(not d.skipped for d in docs[:-2])  # docs[-2] may be the cut line
    with pytest.raises(InputError):
        read(p, cfg=STRICT)


@pytest.mark.parametrize("line", ["[" * 100_000, '{"id": "n", "text": "x", "n": ' + "9" * 5000 + "}"])
def test_pathological_json_is_malformed_not_a_crash(tmp_path: Path, line: str) -> None:
    p = jsonl(tmp_path / "in.jsonl", line, {"id": "ok", "text": "fine"})
    assert [d.skipped for d in read(p)] == ["malformed_json", None]


# -- standard input ---------------------------------------------------------------------------
def test_stdin_jsonl_and_plain_text() -> None:
    lines = b'{"id": "a", "text": "one"}\n{"id": "b", "text": "two"}\n'
    docs = read("-", stdin=io.BytesIO(lines))
    assert [(d.id, d.source) for d in docs] == [("a", "-:1"), ("b", "-:2")]
    [doc] = read("-", stdin=io.BytesIO("{просто текст}\nвторая строка".encode()))
    assert (doc.id, doc.source, doc.raw) == ("stdin", "-", "{просто текст}\nвторая строка")


def test_closed_stdin_is_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", None)
    [doc] = read("-")
    assert (doc.id, doc.source, doc.skipped) == ("stdin", "-", "unreadable")


def test_reading_streams_one_document_at_a_time() -> None:
    class Endless(io.RawIOBase):
        """An unbounded JSONL stream: reading it whole would never finish."""

        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
            line = b'{"text": "again"}\n'
            n = len(b) - len(b) % len(line)
            b[:n] = line * (n // len(line))
            return n

    docs = list(islice(read_inputs(["-"], ReadConfig(), stdin=io.BufferedReader(Endless())), 3))
    assert [d.id for d in docs] == ["-:1", "-:2", "-:3"]


def test_read_items_defers_lines_and_texts_and_counts_the_same_bytes(tmp_path: Path) -> None:
    jsonl(tmp_path / "a.jsonl", {"id": "x", "text": "one"}, "not json", {"id": "x", "text": "again"})
    (tmp_path / "b.txt").write_text("a text", encoding="utf-8")
    direct, deferred = ReadStats(), ReadStats()
    docs = list(read_inputs([str(tmp_path), str(tmp_path / "missing")], stats=direct))
    items = list(read_items([str(tmp_path), str(tmp_path / "missing")], stats=deferred))
    assert [type(i).__name__ for i in items] == ["Raw", "Raw", "Raw", "Raw", "Document"]
    assert items[3] == Raw(b"a text", str(tmp_path / "b.txt"), "b") and deferred.bytes == direct.bytes
    parsed = parse_items(items, ReadConfig())
    assert [d.to_dict() for d in parsed.docs] == [d.to_dict() for d in docs]
    assert parsed.firsts == ["x", "b"] and docs[2].skipped == "duplicate_id"


def test_parse_items_skips_the_ids_given_as_seen() -> None:
    items = [Raw(b'{"id": "x", "text": "one"}', "f:1"), Raw(b'{"id": "y", "text": "two"}', "f:2")]
    seen = {"x"}
    docs, firsts = parse_items(items, ReadConfig(), seen)
    assert [d.skipped for d in docs] == ["duplicate_id", None] and firsts == ["y"] and seen == {"x", "y"}


# -- in-memory items --------------------------------------------------------------------------
def test_to_documents_accepts_str_dict_and_document() -> None:
    given = Document(id="d", raw="given")
    docs = list(to_documents(["plain", {"id": "x", "text": "rec", "lang_hint": "ru"}, given, 42, ""]))
    assert [(d.id, d.skipped) for d in docs] == [("0", None), ("x", None), ("d", None),
                                                 ("3", "not_object"), ("4", "empty")]
    assert docs[0].source is None and docs[1].meta == {"lang_hint": "ru"}
    assert docs[2] is given


# -- writing ----------------------------------------------------------------------------------
def test_atomic_writer_creates_parents_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deep" / "x.jsonl"
    with atomic_writer(target) as f:
        n = write_jsonl(f, [{"id": "b", "text": "ё"}, {"id": "a", "text": "x"}])
    assert n == 2
    assert target.read_text(encoding="utf-8") == '{"id": "b", "text": "ё"}\n{"id": "a", "text": "x"}\n'
    assert os.listdir(target.parent) == ["x.jsonl"]


def test_atomic_writer_leaves_nothing_on_error(tmp_path: Path) -> None:
    target = tmp_path / "x.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as f:
            f.write("partial")
            raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["x.jsonl"]


def test_atomic_writer_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError, match="is a directory"):
        with atomic_writer(tmp_path) as f:
            f.write("x")
    assert os.listdir(tmp_path) == []
