"""Build ru_labelled.jsonl: real Russian pages and page fragments, every line labelled keep/remove.

    python benchmarks/data/ru_labelled/build.py      # rewrites ru_labelled.jsonl beside this file

Every string comes from a real source in this repository (see README.md here); the labels are
given by hand below (seeds, overrides) or follow a human ground truth (article-extraction pages).
The output is deterministic.
"""
from __future__ import annotations

import csv
import gzip
import html
import io
import json
import re
import tarfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent.parent
REPO = BENCH.parent
SAMPLES = BENCH / "data" / "ru-news-samples"
AEB = BENCH / "data" / "article-extraction-benchmark"
SEEDS = REPO / "seeds"
OUT = HERE / "ru_labelled.jsonl"

csv.field_size_limit(1 << 30)


@dataclass
class Unit:
    sep: str  # white space before the unit (a line break, a blank line, or a space inside a line)
    text: str
    label: str  # "keep" | "remove"
    kind: str
    src: str

    def to_dict(self) -> dict[str, str]:
        return {"sep": self.sep, "text": self.text, "label": self.label, "kind": self.kind,
                "src": self.src}


def record(rid: str, source: str, url: str | None, units: list[Unit], tail: str = "\n",
           note: str = "") -> dict:
    return {"id": rid, "source": source, "url": url, "note": note, "tail": tail,
            "lines": [u.to_dict() for u in units]}


def raw_lines(raw: str) -> Iterator[tuple[int, str, str]]:
    """(1-based line number, the exact text between the previous line and this one, stripped
    line) of each non-blank line: joining them back gives ``raw`` up to its trailing space."""
    prev = pos = 0
    for no, line in enumerate(raw.split("\n"), 1):
        stripped = line.strip()
        if stripped:
            start = pos + len(line) - len(line.lstrip())
            yield no, raw[prev:start], stripped
            prev = start + len(stripped)
        pos += len(line) + 1


def line_sep(sep: str) -> str:
    """A separator that starts a new line (a blank line kept) with the original indentation."""
    indent = sep.rsplit("\n", 1)[-1]
    return ("\n\n" if sep.count("\n") > 1 else "\n") + indent


def trailing(raw: str) -> str:
    return raw[len(raw.rstrip()):]


# --- seeds: labelled by hand ----------------------------------------------------------------

def _seed_000(no: int, text: str) -> list[tuple[str, str, str]]:
    if no == 1:  # "date 2025-11-28 — <first paragraph>": the prefix is metadata
        prefix, rest = text.split(" ", 2)[:2], text.split(" ", 2)[2]
        return [(" ".join(prefix), "remove", "date"), (rest, "keep", "article")]
    return [(text, "keep", "article")]


def _seed_001(no: int, text: str) -> list[tuple[str, str, str]]:
    if no == 1:  # "date 2025-11-28 Фото: Kazpravda.kz / ...": date prefix, then a photo credit
        parts = text.split(" ", 2)
        return [(" ".join(parts[:2]), "remove", "date"), (parts[2], "remove", "credit")]
    return [(text, "keep", "article")]


def _seed_002(no: int, text: str) -> list[tuple[str, str, str]]:
    if no <= 5:
        return [(text, "keep", "article")]
    if no <= 95:  # numbered emoji headline list with view/comment/like counters
        kind = "separator" if text == "-" else "counter" if text.isdigit() else "trending"
        return [(text, "remove", kind)]
    if no == 96:
        return [(text, "remove", "widget")]
    return [(text, "remove", "rate")]


def _seed_003(no: int, text: str) -> list[tuple[str, str, str]]:
    if no <= 6:
        return [(text, "keep", "article")]
    return [(text, "remove", "tag" if no % 2 else "trending")]  # tag line, then its headline


_SEED_004 = {1: "title", 2: "rate", 3: "rate", 4: "weather", 5: "weather", 6: "date", 7: "date",
             14: "title", 16: "title", 18: "lead", 20: "date", 21: "counter", 22: "credit",
             32: "teaser", 33: "trending"}


def _seed_004(no: int, text: str) -> list[tuple[str, str, str]]:
    if 8 <= no <= 13:
        return [(text, "remove", "ui")]  # font-size buttons "• A"
    if no in _SEED_004:
        kind = _SEED_004[no]
        return [(text, "keep" if kind == "lead" else "remove", kind)]
    if no < 32:
        return [(text, "keep", "article")]
    return [(text, "remove", "tag" if (no - 35) % 4 == 0 else "trending")]  # "В тренде:" list


SEED_LABELS = {"000": _seed_000, "001": _seed_001, "002": _seed_002, "003": _seed_003,
               "004": _seed_004}


def seed_records() -> list[dict]:
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        label = SEED_LABELS[path.name[:3]]
        units: list[Unit] = []
        for no, sep, text in raw_lines(raw):
            for i, (part, lab, kind) in enumerate(label(no, text)):
                units.append(Unit(sep if i == 0 else " ", part, lab, kind,
                                  f"seeds/{path.name}:{no}"))
        rec = record(f"seed-{path.stem[:3]}", "seeds", None, units, trailing(raw),
                     "the seed file verbatim; labelled by hand")
        out.append(rec)
    return out


# --- article-extraction-benchmark Russian pages: labels from the human articleBody -----------

_WORD = re.compile(r"\w+")
AEB_RU = {  # key prefix -> lines (0-based, of the page text) that are the article's lead/subtitle
    "3c6d3381ef52": {82}, "c4a3637c6696": set(), "c82b3d1d540b": {82},
    "ff0f958ade71": set()}
_CREDIT = re.compile(r"^(Фото:?|личный архив .*|@\w+)$")


def _key(s: str) -> str:
    return " ".join(_WORD.findall(s.casefold()))


def aeb_records() -> list[dict]:
    pages = json.loads((AEB / "html-text.json").read_text(encoding="utf-8"))["output"]
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for key in sorted(truth):
        prefix = key[:12]
        if prefix not in AEB_RU:
            continue
        raw = pages[key]["articleBody"]
        body = f" {_key(truth[key]['articleBody'])} "
        lines = list(raw_lines(raw))
        found = [bool(_key(t)) and f" {_key(t)} " in body for _, _, t in lines]
        long = [i for i, (f, (_, _, t)) in enumerate(zip(found, lines)) if f and len(_key(t).split()) >= 5]
        first, last = long[0], long[-1]
        units = []
        for i, ((no, sep, text), f) in enumerate(zip(lines, found)):
            inside = first <= i <= last
            if no - 1 in AEB_RU[prefix]:
                lab, kind = "keep", "lead"
            elif inside and _CREDIT.match(text):
                lab, kind = "remove", "credit"
            elif f and inside:
                lab, kind = "keep", "article"
            else:
                lab, kind = "remove", "page" if not inside else "inline"
            units.append(Unit(sep, text, lab, kind, f"article-extraction-benchmark/{prefix}:{no}"))
        out.append(record(f"aeb-{prefix[:8]}", "aeb-ru", truth[key]["url"], units, trailing(raw),
                          "whole page text; keep = line of the human articleBody inside the "
                          "article region, photo credits removed, leads kept"))
    return out


# --- ods dumps: article paragraphs with the dump's own metadata and real portal widgets ------

def ods_rows(name: str) -> list[dict[str, str]]:
    with gzip.open(SAMPLES / "ods" / f"{name}.csv.gz", "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


_PARA = re.compile(r"nn|(?<=[.!?»\"…])n(?=[A-ZА-ЯЁ«\"—])")


def paragraphs(text: str) -> list[str]:
    """Split an ods text where newlines were stripped to "n" ("nn", or "n" after a sentence)."""
    out: list[str] = []
    for piece in (p.strip() for p in _PARA.split(text)):
        if out and not _WORD.search(piece):
            out[-1] += piece  # a lone "." left where a link was stripped ends the paragraph
        elif piece:
            out.append(piece)
    return out


def seed_lines(name: str, first: int, last: int, kinds: tuple[str, ...] = ()) -> list[Unit]:
    """Lines first..last (1-based) of a seed, with the seed's own labels (all junk here); only
    the parts of the given kinds when ``kinds`` is set."""
    path = next(SEEDS.glob(f"{name}_*.txt"))
    label = SEED_LABELS[name]
    out = []
    for no, sep, text in raw_lines(path.read_text(encoding="utf-8")):
        if first <= no <= last:
            parts = [p for p in label(no, text) if not kinds or p[2] in kinds]
            for i, (part, lab, kind) in enumerate(parts):
                out.append(Unit(line_sep(sep) if i == 0 else " ", part, lab, kind,
                                f"seeds/{path.name}:{no}"))
    return out


def meta_unit(row: dict[str, str], field: str, kind: str, src: str, sep: str = "\n") -> list[Unit]:
    value = row.get(field, "").strip()
    if not value or value == "-":
        return []
    return [Unit(sep, value, "remove", kind, f"{src}:{field}")]


# (dump, row, layout): header fields before the article, then widgets after; "para_junk" marks
# paragraphs of the dump text that are not article (e.g. a trailing photo credit)
ODS = [
    ("gazeta", 0, {"before": ["topics", "title", "date"], "after_seed": ("002", 6, 33)}),
    ("gazeta", 3, {"before": ["title", "date", "topics"]}),
    ("interfax", 0, {"before": ["topics", "title", "date"], "after_seed": ("004", 33, 45)}),
    ("interfax", 3, {"before": ["title", "date"], "lead": {0}}),
    ("iz", 2, {"before_seed": ("004", 2, 13), "before": ["topics", "title", "date"]}),
    ("iz", 0, {"before": ["title", "authors", "date"], "after": ["topics"]}),
    ("meduza", 0, {"before": ["title", "date"], "para_junk": {-1: "byline"}}),
    ("meduza", 8, {"before": ["date", "title"], "para_junk": {-1: "credit"}}),
    ("ria", 0, {"before": ["title", "date"], "after": ["views", "likes"], "dateline": {0},
                "after_seed": ("002", 96, 102)}),
    ("ria", 8, {"before": ["topics", "title", "date"], "after": ["views", "likes"],
                "dateline": {0}}),
    ("rt", 2, {"before": ["topics", "title", "date"], "after_seed": ("003", 7, 14)}),
    ("rt", 4, {"before": ["title", "date"], "before_seed": ("001", 1, 1, ("credit",))}),
    ("tass-001", 1, {"before": ["title", "date"]}),
    ("tass-001", 7, {"before": ["topics", "title", "date"], "after_seed": ("002", 34, 51)}),
    # hard-wrapped paragraphs (as plain-text exports and mail digests carry them)
    ("gazeta", 1, {"before": ["topics", "title", "date"], "wrap": 72}),
    ("iz", 3, {"before": ["title", "date"], "wrap": 72, "after_seed": ("003", 15, 20)}),
    ("tass-001", 2, {"before": ["title", "date"], "wrap": 60}),
    ("ria", 4, {"before": ["title", "date"], "after": ["views", "likes"], "dateline": {0},
                "wrap": 72}),
]
_META_KIND = {"topics": "rubric", "title": "title", "date": "date", "authors": "byline",
              "views": "counter", "likes": "counter"}


def ods_records() -> list[dict]:
    out = []
    for name, idx, lay in ODS:
        row = ods_rows(name)[idx]
        src = f"ru-news-samples/ods/{name}.csv.gz:row{idx + 1}"
        units: list[Unit] = []
        if "before_seed" in lay:
            units += seed_lines(*lay["before_seed"])
        for field in lay["before"]:
            units += meta_unit(row, field, _META_KIND[field], src)
        paras = paragraphs(row["text"])
        junk = {(k if k >= 0 else len(paras) + k): v for k, v in lay.get("para_junk", {}).items()}
        for i, p in enumerate(paras):
            pieces = (textwrap.wrap(p, lay["wrap"], break_long_words=False, break_on_hyphens=False)
                      if "wrap" in lay else [p])
            for j, piece in enumerate(pieces):
                sep = "\n\n" if j == 0 else "\n"
                if i in junk:
                    units.append(Unit(sep, piece, "remove", junk[i], f"{src}:text"))
                else:
                    kind = ("dateline" if i in lay.get("dateline", ()) else
                            "lead" if i in lay.get("lead", ()) else "article")
                    units.append(Unit(sep, piece, "keep", kind, f"{src}:text"))
        for field in lay.get("after", []):
            units += meta_unit(row, field, _META_KIND[field], src)
        if "after_seed" in lay:
            units += seed_lines(*lay["after_seed"])
        units[0].sep = ""
        wrapped = "wrap" in lay
        out.append(record(f"ods-{name}-{idx + 1}" + ("-wrapped" if wrapped else ""),
                          ("ods-wrapped/" if wrapped else "ods/") + name.split("-")[0], row["url"],
                          units, "\n", "dump text split into paragraphs at the stripped newlines"
                          + (f", hard-wrapped at {lay['wrap']} columns" if wrapped else "")
                          + "; the dump's own fields placed as a portal shows them; seed widgets "
                          "are real junk from the seeds"))
    return out


# --- taiga: texts with their metadata tables ---------------------------------------------------

TAIGA = [  # (archive, text member suffix, metadata member suffix, text id, header, footer)
    ("Fontanka", "texts/2007/fontanka_20070101001.txt", "metatable_2007.csv", "20070101001",
     ["textrubric", "textname", "date", "time"], ["tags"]),
    ("Interfax", "texts/business199005.txt", "newmetadata.csv", "business199005",
     ["textname", "date", "time", "textrubric"], ["tags"]),
    ("KP", "texts/10@2598286.txt", "newmetadata.csv", "10@2598286",
     ["textrubric", "textname", "author", "date"], []),
    ("Lenta", "texts/20091231boeviks.txt", "newmetadata.csv", "20091231boeviks",
     ["textrubric", "date", "time", "textname"], []),
    ("NPlus1", "texts/20160915autonomous.txt", "newmetadata.csv", "20160915autonomous",
     ["textrubric", "textname", "date", "time", "author"], []),
    ("NPlus1", "texts/20160915build-em-up.txt", "newmetadata.csv", "20160915build-em-up",
     ["textname", "author"], ["textrubric"]),
]
_TAIGA_KIND = {"textrubric": "rubric", "textname": "title", "date": "date", "time": "date",
               "author": "byline", "tags": "tag"}


def _taiga_member(tar: tarfile.TarFile, suffix: str) -> str:
    member = next(m for m in tar.getmembers() if m.name.endswith(suffix))
    return tar.extractfile(member).read().decode("utf-8")


def taiga_records() -> list[dict]:
    out = []
    for archive, text_suffix, meta_suffix, tid, head, foot in TAIGA:
        with tarfile.open(SAMPLES / "taiga" / f"{archive}.tar.gz") as tar:
            text = _taiga_member(tar, text_suffix)
            meta = list(csv.DictReader(io.StringIO(_taiga_member(tar, meta_suffix)),
                                       delimiter="\t"))
        row = next(r for r in meta if r["textid"] == tid)
        if not row.get("source") and "http" in row.get("tags", ""):  # a row missing its last tab
            row["tags"], _, url = row["tags"].partition("http")
            row["source"] = "http" + url
        src = f"ru-news-samples/taiga/{archive}.tar.gz:{text_suffix}"
        msrc = f"ru-news-samples/taiga/{archive}.tar.gz:{meta_suffix}:{tid}"
        units: list[Unit] = []
        for field in head:
            value = row.get(field, "").strip()
            if value:  # date and time share a line as portals print them
                sep = " " if field == "time" and units and units[-1].kind == "date" else "\n"
                units.append(Unit(sep, value, "remove", _TAIGA_KIND[field], f"{msrc}:{field}"))
        for _, sep, line in raw_lines(text):
            units.append(Unit(line_sep(sep), line, "keep", "article", src))
        for field in foot:
            value = row.get(field, "").strip()
            if value:
                units.append(Unit("\n", value, "remove", _TAIGA_KIND[field], f"{msrc}:{field}"))
        units[0].sep = ""
        out.append(record(f"taiga-{archive.lower()}-{tid}", f"taiga/{archive}", row["source"],
                          units, "\n", "text file as in the corpus; metadata table fields placed "
                          "as a portal shows them"))
    return out


# --- ria.json: HTML-marked text as a scraper that does not strip markup gets it ----------------

_RELATED = re.compile(r"&gt;&gt;(\s|<[^>]*>)*$")


def ria_json_records(n: int = 4) -> list[dict]:
    out = []
    with gzip.open(SAMPLES / "ria.json.gz", "rt", encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh][:n]
    for i, item in enumerate(items):
        src = f"ru-news-samples/ria.json.gz:{i + 1}"
        units = [Unit("", item["title"].strip(), "remove", "title", f"{src}:title")]
        for _, _, line in raw_lines(item["text"]):
            if not html.unescape(re.sub(r"<[^>]*>", "", line)).strip():
                lab, kind = "remove", "markup"  # only tags: an empty paragraph or an image
            elif _RELATED.search(line):
                lab, kind = "remove", "related"  # a link paragraph ending in ">>"
            else:
                lab, kind = "keep", "article"
            units.append(Unit("\n", line, lab, kind, f"{src}:text"))
        out.append(record(f"ria-json-{i + 1}", "ria.json", None, units, "\n",
                          "title line, then the text with its HTML markup; markup-only lines "
                          "and related-link lines are junk"))
    return out


# --- whole-page texts from the dumps whose junk is inline -----------------------------------

def kommersant_record() -> dict:
    with tarfile.open(SAMPLES / "buriy" / "webhose-2016.tar.bz2") as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("kommersant.ru.csv"))
        row = next(csv.DictReader(io.TextIOWrapper(tar.extractfile(member), encoding="utf-8")))
    text = row["text"].strip()
    src = "ru-news-samples/buriy/webhose-2016.tar.bz2:2016-09-kommersant.ru.csv:text"
    date, rest = text[:17], text[18:]
    title = "Минобороны России обвинило боевиков в срыве режима перемирия в Сирии"
    tail = "Лента новостей (Москва) от 28.09.2016, 22:10 Темы:"
    assert rest.startswith(title) and rest.endswith(tail), "kommersant row changed"
    body = rest[len(title) + 1:-len(tail) - 1]
    units = [Unit("", date, "remove", "date", src), Unit(" ", title, "remove", "title", src),
             Unit(" ", body, "keep", "article", src), Unit(" ", tail, "remove", "tag", src)]
    return record("webhose-kommersant-1", "webhose/kommersant", row["url"], units, " \n",
                  "one line as in the dump: date and title before the article, the feed and "
                  "topics label after it")


def lenta_record() -> dict:
    with gzip.open(SAMPLES / "lenta-ru-news.csv.gz", "rt", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    src = "ru-news-samples/lenta-ru-news.csv.gz:row1"
    units = [Unit("", row["topic"], "remove", "rubric", f"{src}:topic"),
             Unit("\n", row["title"], "remove", "title", f"{src}:title"),
             Unit("\n\n", row["text"], "keep", "article", f"{src}:text"),
             Unit("\n\n", row["tags"], "remove", "tag", f"{src}:tags")]
    return record("lenta-1", "lenta", row["url"], units, "\n",
                  "rubric, title, text and tag of the dump's row")


def main() -> None:
    records = (seed_records() + aeb_records() + ods_records() + taiga_records()
               + ria_json_records() + [kommersant_record(), lenta_record()])
    with OUT.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    lines = sum(len(r["lines"]) for r in records)
    junk = sum(u["label"] == "remove" for r in records for u in r["lines"])
    print(f"wrote {OUT}: {len(records)} documents, {lines} lines ({junk} labelled remove)")


if __name__ == "__main__":
    main()
