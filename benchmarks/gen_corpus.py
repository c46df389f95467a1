"""Write the speed benchmark's corpora: real texts scaled to N MB of JSONL, with reprints and passage reuse.

    python benchmarks/gen_corpus.py --mb 100 300 1000    # -> benchmarks/data/generated/corpus-<N>mb.jsonl
    python benchmarks/gen_corpus.py --links OUT --mb 100 # classify the links of `cleantext dedupe CORPUS -o OUT`

The documents come from ``dedup_data.generate_corpus``: runs of real paragraphs (benchmarks/data, seeds/)
with their content words varied per document, so unrelated documents share little text at any size;
edited reprints and reused paragraphs at fixed rates per document; portal boilerplate around most of
them. Beside each corpus, ``corpus-<N>mb.truth.tsv`` holds every document's story and reused stories.
Deterministic for a seed; written to temporary names first, so an interrupted run leaves no half corpus.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dedup_data import write_corpus  # noqa: E402

GENERATED = Path(__file__).resolve().parent / "data" / "generated"


def corpus_path(mb: int, out: Path = GENERATED) -> Path:
    """Where the N MB corpus lives."""
    return out / f"corpus-{mb}mb.jsonl"


def truth_path(corpus: Path) -> Path:
    """The truth file beside a corpus."""
    return corpus.with_name(corpus.name.removesuffix(".jsonl") + ".truth.tsv")


def generate(mb: int, seed: int = 1, out: Path = GENERATED) -> Path:
    """Write the N MB corpus and its truth file (atomically) and return the corpus path."""
    path = corpus_path(mb, out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    truth_tmp = truth_path(path).with_name(truth_path(path).name + ".part")
    t = time.perf_counter()
    docs, size = write_corpus(tmp, mb * 1_000_000, seed, truth=truth_tmp)
    truth_tmp.replace(truth_path(path))
    tmp.replace(path)
    print(f"{path}: {docs} documents, {size / 1e6:.1f} MB in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return path


def read_truth(path: Path) -> tuple[dict[str, str], dict[str, set[str]]]:
    """story per document id, and the stories each document reuses a paragraph of."""
    story, reused = {}, {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            doc, key, uses = line.rstrip("\n").split("\t")
            story[doc] = key
            reused[doc] = set(uses.split(",")) if uses else set()
    return story, reused


def link_kind(a: str, b: str, story: dict[str, str], reused: dict[str, set[str]]) -> str:
    """Why documents a and b share text: "reprint" (one story), "reuse" (a paragraph of one story in
    the other, or both carry one story's paragraph) or "chance" (the generator put nothing in common)."""
    sa, sb = story[a], story[b]
    if sa == sb:
        return "reprint"
    if sa in reused[b] or sb in reused[a] or reused[a] & reused[b]:
        return "reuse"
    return "chance"


def classify_run(out: Path, corpus: Path) -> dict:
    """Duplicate pairs and passage links of a dedupe output directory, per kind, against the truth."""
    story, reused = read_truth(truth_path(corpus))
    sizes = Counter(story.values())
    links: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    with (out / "documents.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            for p in d.get("passages") or []:
                if d["id"] < p["other_id"]:  # each link is listed on both sides
                    links[link_kind(d["id"], p["other_id"], story, reused)] += 1
    with (out / "clusters.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            for p in json.loads(line)["pairs"]:
                pairs[link_kind(p["a"], p["b"], story, reused)] += 1
    mb = corpus.stat().st_size / 1e6
    return {"corpus": corpus.name, "mb": round(mb, 1), "documents": len(story),
            "true_duplicate_pairs": sum(k * (k - 1) // 2 for k in sizes.values()),
            "verified_pairs": dict(sorted(pairs.items())), "links": dict(sorted(links.items())),
            "per_mb": {"true_duplicate_pairs": round(sum(k * (k - 1) // 2 for k in sizes.values()) / mb, 1),
                       **{f"pairs_{k}": round(v / mb, 1) for k, v in sorted(pairs.items())},
                       **{f"links_{k}": round(v / mb, 1) for k, v in sorted(links.items())}}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=int, nargs="+", default=[100])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--out", type=Path, default=GENERATED, help="folder of the corpora")
    ap.add_argument("--links", type=Path, metavar="OUT",
                    help="instead of generating: classify the output of `cleantext dedupe` on the --mb corpus")
    args = ap.parse_args(argv)
    for mb in args.mb:
        if args.links:
            print(json.dumps(classify_run(args.links, corpus_path(mb, args.out))))
        else:
            generate(mb, args.seed, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
