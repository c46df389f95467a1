"""Document-level dedupe end to end (repair + segmentation only): duplicates by Jaccard and by
containment, clusters, outputs independent of input order."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from cleantext.config import Config
from cleantext.dedup import dedupe_results, write_outputs
from cleantext.document import Document
from cleantext.text.segment import join_blocks, to_blocks

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "benchmarks" / "data" / "article-extraction-benchmark" / "ground-truth.json"


@dataclass
class Cleaned:
    doc: Document
    blocks: tuple


def cleaned(doc_id: str, raw: str, **fields) -> Cleaned:
    blocks = tuple(to_blocks(raw))
    return Cleaned(Document(doc_id, raw, text=join_blocks(blocks), **fields), blocks)


@pytest.fixture(scope="module")
def bodies() -> list[str]:
    """Real article bodies with at least 8 paragraphs of some length."""
    data = json.loads(ARTICLES.read_text(encoding="utf-8"))
    out = []
    for key in sorted(data):
        paras = [p for p in data[key]["articleBody"].split("\n") if len(p.split()) >= 12]
        if len(paras) >= 8:
            out.append("\n\n".join(paras[:14]))
    return out


def corpus(bodies: list[str]) -> list[Cleaned]:
    a, b, c, d = bodies[:4]
    paras = a.split("\n\n")
    edited = a.replace(".", " .", 3).replace(paras[2], "")  # a sentence-level edit and a dropped paragraph
    return [
        cleaned("a", a, date="2024-05-02"),
        cleaned("a-reprint", "Reprinted from elsewhere.\n\n" + edited, date="2024-05-01"),
        cleaned("a-truncated", "\n\n".join(paras[:len(paras) // 2])),
        cleaned("b", b),
        cleaned("c", c),
        cleaned("c-copy", c),
        cleaned("d-with-a-passage", d + "\n\n" + paras[5]),
    ]


def _run(items, **options):
    return dedupe_results(items, Config.from_options(**options))


def test_duplicates_by_jaccard_and_by_containment(bodies):
    result = _run(corpus(bodies))
    docs = {d.id: d for d in result.documents}
    assert docs["a"].canonical and docs["a"].cluster_id == "a"
    assert docs["a-reprint"].duplicate_of == "a" and docs["a-reprint"].duplicate_score["jaccard"] >= 0.7
    trunc = docs["a-truncated"]
    assert trunc.duplicate_of == "a" and not trunc.canonical
    assert trunc.duplicate_score["containment"] >= 0.95 and trunc.duplicate_score["jaccard"] < 0.7
    assert docs["c-copy"].duplicate_of == "c" and docs["c-copy"].duplicate_score["jaccard"] == 1.0
    assert docs["b"].duplicate_of is None and docs["b"].cluster_id == "b"
    # one paragraph of a inside another article: a passage link, not a duplicate
    d = docs["d-with-a-passage"]
    assert d.duplicate_of is None and d.canonical
    assert [p.other_id for p in d.passages] == ["a", "a-reprint", "a-truncated"]
    assert [c["members"] for c in result.clusters] == [["a", "a-reprint", "a-truncated"], ["c", "c-copy"]]
    assert result.clusters[0]["scores"]["a-truncated"]["containment"] >= 0.95
    assert result.stats["clusters"] == 2 and result.stats["duplicates"] == 3


def test_the_canonical_rule_prefers_a_listed_source(bodies):
    items = corpus(bodies)
    items[2].doc.site = "example.org"  # the truncated copy, from a preferred site
    result = _run(items, preferred_sources=("example.org",))
    docs = {d.id: d for d in result.documents}
    assert docs["a-truncated"].canonical and docs["a"].duplicate_of == "a-truncated"


def _outputs(tmp: Path, items) -> dict[str, bytes]:
    write_outputs(items, Config(), tmp)
    out = {name: (tmp / name).read_bytes() for name in ("canonical.jsonl", "clusters.jsonl")}
    out["documents"] = b"\n".join(sorted((tmp / "documents.jsonl").read_bytes().splitlines()))
    stats = json.loads((tmp / "stats.json").read_text(encoding="utf-8"))
    stats.pop("seconds")
    stats.pop("stage_seconds")  # CPU times vary run to run
    out["stats"] = json.dumps(stats, sort_keys=True).encode()
    return out


def test_outputs_do_not_depend_on_input_order(bodies, tmp_path):
    first = _outputs(tmp_path / "0", corpus(bodies))
    for k in range(1, 4):
        items = corpus(bodies)
        random.Random(k).shuffle(items)
        assert _outputs(tmp_path / str(k), items) == first
    canonical = [json.loads(line)["id"] for line in first["canonical.jsonl"].splitlines()]
    assert canonical == ["a", "b", "c", "d-with-a-passage"]


def test_documents_jsonl_keeps_input_order_and_every_document(bodies, tmp_path):
    items = corpus(bodies)
    skipped = Document("bad", "", skipped="empty")
    items.insert(2, Cleaned(skipped, ()))
    stats = write_outputs(items, Config(), tmp_path)
    lines = [json.loads(line) for line in (tmp_path / "documents.jsonl").read_text("utf-8").splitlines()]
    assert [d["id"] for d in lines] == [i.doc.id for i in items]
    bad = lines[2]
    assert bad["skipped"] == "empty" and bad["cluster_id"] is None and bad["canonical"] is False
    assert stats["skipped"] == {"empty": 1} and stats["documents"] == len(items)
    assert stats["parameters"]["bands"] * stats["parameters"]["rows"] <= 128
    for key in ("cluster_id", "duplicate_of", "canonical", "duplicate_score", "passages", "related"):
        assert key in lines[0]
