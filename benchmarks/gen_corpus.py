"""Write the speed benchmark's corpora: real texts scaled to N MB of JSONL, with reprints and passage reuse.

    python benchmarks/gen_corpus.py --mb 100 300 1000    # -> benchmarks/data/generated/corpus-<N>mb.jsonl

The documents come from ``dedup_data.generate_corpus`` (mosaics of real sentences from benchmarks/data and
seeds/, edited reprints of recent documents, reused paragraphs, portal boilerplate around most of them), so
the corpus has the duplicate structure a dedupe run meets on scraped news. Deterministic for a seed;
written to a temporary name first, so an interrupted run leaves no half corpus behind.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dedup_data import write_corpus  # noqa: E402

GENERATED = Path(__file__).resolve().parent / "data" / "generated"


def corpus_path(mb: int, out: Path = GENERATED) -> Path:
    """Where the N MB corpus lives."""
    return out / f"corpus-{mb}mb.jsonl"


def generate(mb: int, seed: int = 1, out: Path = GENERATED) -> Path:
    """Write the N MB corpus (atomically) and return its path."""
    path = corpus_path(mb, out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    t = time.perf_counter()
    docs, size = write_corpus(tmp, mb * 1_000_000, seed)
    tmp.replace(path)
    print(f"{path}: {docs} documents, {size / 1e6:.1f} MB in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=int, nargs="+", default=[100])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--out", type=Path, default=GENERATED)
    args = ap.parse_args(argv)
    for mb in args.mb:
        generate(mb, args.seed, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
