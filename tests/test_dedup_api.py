"""cleantext.dedupe and `cleantext dedupe` through the whole pipeline (repair, boilerplate, language)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cleantext
from cleantext.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(prefix + "_*.txt")).read_text(encoding="utf-8")


def test_seeds_000_and_001_share_the_quote_but_are_not_duplicates():
    items = [{"id": p, "text": seed_text(p)} for p in ("000", "001", "002", "003", "004")]
    result = cleantext.dedupe(items)
    docs = {d.id: d for d in result.documents}
    a, b = docs["000"], docs["001"]
    assert [p.other_id for p in a.passages] == ["001"] and [p.other_id for p in b.passages] == ["000"]
    for doc in (a, b):
        span = doc.raw[doc.passages[0].start:doc.passages[0].end]
        assert "представителей политических организаций были избраны акимами" in span
        assert "84% сельских жителей доверяют своим акимам" in span
        assert span.lower().startswith("выборы в селах придали новый импульс")
    # stated at document level: the quote is under half of either text, so no duplicate
    assert a.duplicate_of is None and b.duplicate_of is None
    assert result.related["000"][0]["id"] == "001"
    assert result.related["000"][0]["containment"] < cleantext.DedupConfig().containment
    assert result.clusters == [] and result.stats["passage_links"] == 1


def test_articles_with_the_same_trending_list_are_not_duplicates():
    # 003 and 004 are different Caravan.kz articles followed by the same trending block; and two
    # other articles get 004's "В тренде:" block appended
    trending = seed_text("004").split("В тренде:")[1]
    items = [{"id": "003", "text": seed_text("003")}, {"id": "004", "text": seed_text("004")},
             {"id": "000+t", "text": seed_text("000") + "\nВ тренде:" + trending},
             {"id": "002+t", "text": seed_text("002") + "\nВ тренде:" + trending}]
    result = cleantext.dedupe(items)
    assert result.clusters == []
    for doc in result.documents:
        assert doc.duplicate_of is None and doc.canonical
        assert not doc.passages, doc.id


def test_a_reprint_in_another_portal_is_a_duplicate_and_strip_keeps_the_canonical_whole():
    article = seed_text("001")
    reprint = "Главные новости дня\n\n" + article.split("\n\n", 1)[1].replace("1 500", "1500")
    result = cleantext.dedupe([{"id": "orig", "text": article, "url": "https://kazpravda.kz/a"},
                               {"id": "copy", "text": reprint, "url": "https://example.kz/b"}],
                              prefer="kazpravda.kz", strip_passages=True)
    docs = {d.id: d for d in result.documents}
    assert docs["orig"].canonical and docs["copy"].duplicate_of == "orig"
    assert docs["copy"].duplicate_score["jaccard"] >= 0.9
    assert result.clusters[0]["members"] == ["copy", "orig"]
    assert not [r for r in docs["orig"].removed if r.reason == "dedup:passage"]
    assert [r for r in docs["copy"].removed if r.reason == "dedup:passage"]


def test_cli_writes_the_four_outputs(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["dedupe", str(SEEDS), "-o", str(out), "--strip-passages", "--prefer", "kazpravda.kz"]) == 0
    docs = [json.loads(line) for line in (out / "documents.jsonl").read_text("utf-8").splitlines()]
    assert len(docs) == 5
    for key in ("cluster_id", "duplicate_of", "canonical", "duplicate_score", "passages", "related"):
        assert all(key in d for d in docs)
    canonical = [json.loads(line) for line in (out / "canonical.jsonl").read_text("utf-8").splitlines()]
    assert [d["id"] for d in canonical] == sorted(d["id"] for d in docs if d["canonical"])
    stats = json.loads((out / "stats.json").read_text("utf-8"))
    assert stats["documents"] == 5 and stats["parameters"]["strip_passages"] is True
    assert stats["removals"].get("dedup:passage", 0) >= 1
    assert (out / "clusters.jsonl").read_text("utf-8") == ""
    assert "passage links" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--threshold", "1.5"], ["--set", "passage_window=0"]])
def test_cli_rejects_bad_dedup_options(tmp_path, args):
    assert main(["dedupe", str(SEEDS), "-o", str(tmp_path / "o"), "-q", *args]) == 2


def test_every_dedupe_option_has_help():
    text = subprocess.run([sys.executable, "-m", "cleantext", "dedupe", "--help"], capture_output=True,
                          text=True, check=True).stdout
    for flag in ("--threshold", "--containment", "--shingle-size", "--num-perm", "--passage-min-words",
                 "--strip-passages", "--prefer", "--workers"):
        assert flag in text


def _reprints(tmp_path: Path) -> Path:
    """The seeds' companions: trimmed and re-wrapped reprints of two of them, so there are clusters."""
    lines = []
    for prefix in ("001", "004"):
        text = seed_text(prefix)
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        lines.append({"id": f"{prefix}-trimmed", "text": "\n\n".join(paragraphs[:-1])})
        lines.append({"id": f"{prefix}-wrapped", "text": text.replace(". ", ".\n")})
    extra = tmp_path / "reprints.jsonl"
    extra.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")
    return extra


@pytest.mark.parametrize("strip", [[], ["--strip-passages"]])
def test_two_workers_write_the_same_outputs(tmp_path, strip):
    extra = _reprints(tmp_path)
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        assert main(["dedupe", str(SEEDS), str(extra), "-o", str(out), "-q", "-w", workers, *strip]) == 0
        outputs.append({name: (out / name).read_bytes()
                        for name in ("documents.jsonl", "canonical.jsonl", "clusters.jsonl", "stats.json")})
    stats = [json.loads(o.pop("stats.json")) for o in outputs]
    assert outputs[0] == outputs[1]
    assert stats[0]["removals"] == stats[1]["removals"]
    clusters = [json.loads(line) for line in outputs[0]["clusters.jsonl"].splitlines()]
    assert clusters and all(c["size"] >= 2 for c in clusters)


@pytest.mark.parametrize("strip", [False, True])
def test_written_lines_equal_the_in_memory_records(tmp_path, strip):
    # the CLI assembles its lines from fragments serialised in the workers; the API finishes Documents
    from cleantext.config import Config
    from cleantext.dedup import dedupe_results, document_record
    from cleantext.io import jsonl_line, read_inputs
    from cleantext.pipeline import clean_items

    paths = [str(SEEDS), str(_reprints(tmp_path))]
    out = tmp_path / "out"
    assert main(["dedupe", *paths, "-o", str(out), "-q", "-w", "2", *(["--strip-passages"] if strip else [])]) == 0
    cfg = Config.from_options(strip_passages=strip)
    result = dedupe_results(clean_items(list(read_inputs(paths, cfg.read)), cfg), cfg)
    assert (out / "documents.jsonl").read_text("utf-8") == "".join(
        jsonl_line(document_record(d, result.related.get(d.id, []))) for d in result.documents)
    assert (out / "canonical.jsonl").read_text("utf-8") == "".join(
        jsonl_line(d.to_dict()) for d in sorted(result.documents, key=lambda d: d.id) if d.canonical)
    cut = sum(r.reason == "dedup:passage" for d in result.documents for r in d.removed)
    assert (cut > 0) == strip
    assert json.loads((out / "stats.json").read_text("utf-8"))["removals"].get("dedup:passage", 0) == cut
