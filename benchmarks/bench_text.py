"""Speed of text repair and language detection on the seeds repeated N times.

    python benchmarks/bench_text.py                 # seeds x 1000, median of 3 runs
    python benchmarks/bench_text.py --repeat 100 --runs 5

Repair is timed per line, as the pipeline does it (``split_lines`` first): plain
``ftfy.fix_text`` against ``cleantext.text.repair.repair`` (fast path on), the same with the
fast path off, and ``to_blocks`` (repair + matching key).  A cp1251-mojibake copy of the
seeds shows the cost of the slow path.  Language: ``detect_language`` (bounded sample; the
default "profiles" engine and the "langdetect" engine) against naive ``langdetect.detect``
on whole documents (on a subset: they are slow), and both on one long document to show
that our cost does not grow with length.  The seeds are five texts (their words are soon
all in the engine's word cache), so a row also times the ~930 distinct real texts of
benchmarks/data (article-extraction benchmark bodies and pages, the dedup set) from an
empty word cache.
Times are CPU seconds (``time.process_time``), medians of interleaved runs.
Writes benchmarks/results/text_speed.json (with the commit measured).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import ftfy
import langdetect

from cleantext.config import LangConfig, RepairConfig
from cleantext.text.lang import _profiles, detect_language, detect_languages
from cleantext.text.repair import repair
from cleantext.text.segment import split_lines, to_blocks

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "text_speed.json"


def _time(fn: Callable[[], object]) -> float:
    """CPU seconds of ``fn()`` (the machine is shared: CPU time measures the work)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def _commit() -> str:
    """The commit measured, "+dirty" when the code measured (text/, config.py) has uncommitted changes."""
    def git(*cmd: str) -> str:
        return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = git("status", "--porcelain", "src/cleantext/text", "src/cleantext/config.py")
    return git("rev-parse", "--short", "HEAD") + ("+dirty" if dirty else "")


def _real_texts() -> list[str]:
    """The distinct real texts of benchmarks/data: article bodies and whole pages, dedup set."""
    aeb = ROOT / "benchmarks" / "data" / "article-extraction-benchmark"
    texts = [v.get("articleBody") or "" for v in
             json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8")).values()]
    texts += [v.get("articleBody") or "" for v in
              json.loads((aeb / "html-text.json").read_text(encoding="utf-8"))["output"].values()]
    dedup = ROOT / "benchmarks" / "data" / "dedup" / "documents.jsonl"
    texts += [json.loads(line)["text"] for line in dedup.read_text(encoding="utf-8").splitlines()]
    return texts


def _cold_languages(texts: list[str], cfg: LangConfig, batch: int = 1) -> list[str]:
    """``detect_language`` over ``texts`` from an empty word cache, ``batch`` texts per
    ``detect_languages`` call (the pipeline's batches)."""
    _profiles()._clear()
    if batch == 1:
        return [detect_language(t, cfg) for t in texts]
    return [lang for i in range(0, len(texts), batch)
            for lang in detect_languages(texts[i:i + batch], cfg)]


def _lines(docs: list[str]) -> list[str]:
    return [line.text for doc in docs for line in split_lines(doc)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=1000, help="copies of the seeds (default 1000)")
    ap.add_argument("--runs", type=int, default=3, help="runs per row; the median is quoted")
    ap.add_argument("--naive-docs", type=int, default=500,
                    help="documents for the langdetect rows (they are slow; default 500)")
    args = ap.parse_args()
    commit = _commit()  # the code imported above

    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    docs = seeds * args.repeat
    lines = _lines(docs)
    megabytes = sum(len(line.encode("utf-8")) for line in lines) / 1e6
    fast, slow = RepairConfig(), RepairConfig(fast_path=False)
    mojibake = [doc.encode("utf-8").decode("cp1251", errors="replace") for doc in seeds]
    bad_lines = _lines(mojibake * max(1, args.repeat // 50))
    bad_mb = sum(len(line.encode("utf-8")) for line in bad_lines) / 1e6

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    print(f"seeds x {args.repeat}: {len(docs)} documents, {len(lines)} lines, {megabytes:.1f} MB;"
          f" median of {args.runs} interleaved runs; load average {load} on {os.cpu_count()} cores",
          flush=True)
    lang, slow_lang = LangConfig(), LangConfig(engine="langdetect")
    langdetect.DetectorFactory.seed = lang.seed
    subset = docs[:args.naive_docs]
    real = _real_texts()
    long_doc = "\n\n".join(seeds) * 20
    moj = f"mojibake (cp1251) x {max(1, args.repeat // 50)}"
    tasks: list[tuple[str, Callable[[], object], float, str]] = [
        ("repair: ftfy.fix_text per line", lambda: [ftfy.fix_text(s) for s in lines],
         megabytes, "MB/s"),
        ("repair: cleantext repair per line (fast path)", lambda: [repair(s, fast) for s in lines],
         megabytes, "MB/s"),
        ("repair: cleantext repair per line (no fast path)",
         lambda: [repair(s, slow) for s in lines], megabytes, "MB/s"),
        ("repair: cleantext to_blocks (repair + key) per doc",
         lambda: [to_blocks(doc, fast) for doc in docs], megabytes, "MB/s"),
        (f"{moj}: ftfy.fix_text per line", lambda: [ftfy.fix_text(s) for s in bad_lines],
         bad_mb, "MB/s"),
        (f"{moj}: cleantext repair per line", lambda: [repair(s, fast) for s in bad_lines],
         bad_mb, "MB/s"),
        ("language: cleantext detect_language (profiles engine)",
         lambda: [detect_language(d, lang) for d in docs], len(docs), "docs/s"),
        (f"language: cleantext, {len(real)} distinct real texts, empty word cache",
         lambda: _cold_languages(real, lang), len(real), "docs/s"),
        ("language: cleantext, the same in detect_languages batches of 32",
         lambda: _cold_languages(real, lang, 32), len(real), "docs/s"),
        (f"language: cleantext, langdetect engine ({len(subset)} docs)",
         lambda: [detect_language(d, slow_lang) for d in subset], len(subset), "docs/s"),
        (f"language: naive langdetect.detect ({len(subset)} docs)",
         lambda: [langdetect.detect(d) for d in subset], len(subset), "docs/s"),
        (f"language: cleantext, one {len(long_doc) // 1000}k-char document x 20",
         lambda: [detect_language(long_doc, lang) for _ in range(20)], 20, "docs/s"),
        (f"language: naive langdetect, one {len(long_doc) // 1000}k-char document x 20",
         lambda: [langdetect.detect(long_doc) for _ in range(20)], 20, "docs/s"),
    ]
    # Runs are interleaved (every task once per round) so a change of machine load during
    # the benchmark affects all rows alike.
    times: list[list[float]] = [[] for _ in tasks]
    for run in range(args.runs):
        for k, (name, fn, _size, _unit) in enumerate(tasks):
            times[k].append(_time(fn))
            print(f"  run {run + 1}: {name}: {times[k][-1]:.2f} s", file=sys.stderr, flush=True)
    rows: list[dict[str, object]] = []
    for (name, _fn, size, unit), ts in zip(tasks, times):
        seconds = statistics.median(ts)
        rows.append({"task": name, "seconds": round(seconds, 3), "rate": round(size / seconds, 2),
                     "unit": unit})
        print(f"{name:<56} {seconds:8.2f} s {size / seconds:10.2f} {unit}")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"commit": commit, "clock": "CPU seconds (time.process_time)",
                                   "repeat": args.repeat, "runs": args.runs, "load_average": load,
                                   "cpus": os.cpu_count(), "rows": rows},
                                  ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
