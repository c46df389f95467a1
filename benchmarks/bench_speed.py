"""Speed benchmark: cleantext's signature stage against its peers, in one run on one corpus; end-to-end dedupe.

    python benchmarks/bench_speed.py                      # 100 MB corpus, every peer, 3 runs each
    python benchmarks/bench_speed.py --e2e 100 300        # + `cleantext dedupe` on the 100 and 300 MB corpora
    python benchmarks/bench_speed.py --peers cleantext,rensa --mb 100 --runs 3

Signature stage = word 5-shingles of each document + a 128-permutation MinHash per document, on one core.
Every tool starts from the same words: the matching-key words of each document's text
(``cleantext.text.keys.words(matching_key(text))``), computed once before timing and stored beside the
corpus; MB/s counts the UTF-8 bytes of the documents' text. Each peer runs in its own process (its peak
RSS is that process's ``ru_maxrss``; "base" is the RSS before the first timed call), single-threaded
(RAYON_NUM_THREADS=1, NUMBA_NUM_THREADS=1), streaming the corpus in chunks of documents; the time is the
median of ``--runs`` runs (one process per run, the peers interleaved) of the timed calls only, in CPU
seconds of that process (the machine is shared:
CPU time of a single-threaded process is what one core costs; wall times are kept in the JSON too). Peers too slow for the whole corpus run on a fixed
prefix of it (``--slow-mb``); their MB/s is measured on that prefix and said so in the table.
The LSH column is each tool's own way to get candidate pairs from the signatures (threshold 0.7).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from gen_corpus import classify_run, truth_path  # noqa: E402

GENERATED = ROOT / "benchmarks" / "data" / "generated"
RESULTS = ROOT / "benchmarks" / "results" / "speed.json"
NUM_PERM, SHINGLE, SEED, THRESHOLD = 128, 5, 1, 0.7
CHUNK_DOCS = 2000
SLOW = {"datasketch", "datasketch-bulk", "datatrove", "text-dedup"}
PEERS = ["cleantext", "cleantext-numpy", "rensa", "rensa-batch", "datasketch", "datasketch-bulk", "datatrove",
         "text-dedup"]
OWN_VENV = {"text-dedup"}  # its pins (pyspark, onnxruntime, numpy 2.4, urllib3<=2) need a venv of their own
ONE_CORE = {"RAYON_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# ------------------------------------------------------------------ words file (shared input)

def words_file(corpus: Path) -> Path:
    """``<corpus>.words.tsv``: per document ``text_bytes<TAB>space-joined key words`` (built once)."""
    out = corpus.with_name(corpus.name + ".words.tsv")
    if out.exists() and out.stat().st_mtime >= corpus.stat().st_mtime:
        return out
    from cleantext.text.keys import matching_key, words
    tmp = out.with_suffix(".tmp")
    with corpus.open(encoding="utf-8") as src, tmp.open("w", encoding="utf-8") as dst:
        for line in src:
            text = json.loads(line).get("text") or ""
            dst.write(f"{len(text.encode('utf-8'))}\t{' '.join(words(matching_key(text)))}\n")
    tmp.replace(out)
    return out


class Chunk(NamedTuple):
    """Consecutive documents: their word lists, the same words as one space-joined text each, text bytes."""

    words: list[list[str]]
    texts: list[str]
    nbytes: int


def read_chunks(path: Path, limit_bytes: int) -> Iterator[Chunk]:
    """Chunks of documents until ``limit_bytes`` of text have been given."""
    total = 0
    chunk = Chunk([], [], 0)
    with path.open(encoding="utf-8") as f:
        for line in f:
            nbytes, _, joined = line.rstrip("\n").partition("\t")
            chunk.words.append(joined.split())
            chunk.texts.append(joined)
            chunk = chunk._replace(nbytes=chunk.nbytes + int(nbytes))
            total += int(nbytes)
            if len(chunk.words) == CHUNK_DOCS or total >= limit_bytes:
                yield chunk
                chunk = Chunk([], [], 0)
            if total >= limit_bytes:
                return
    if chunk.words:
        yield chunk


def shingle_strings(words: list[str]) -> list[str]:
    """The word 5-shingles of a document as strings, as a user of a string-token library builds them."""
    if len(words) < SHINGLE:
        return [" ".join(words)] if words else []
    return list({" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)})


# ------------------------------------------------------------------ peers: sign(chunk) -> state, lsh(states)

def _cleantext(numpy_only: bool) -> tuple[Callable, Callable]:
    import numpy as np

    from cleantext.dedup import shingle, signature
    from cleantext.dedup.lsh import band_keys, candidate_pairs, lsh_params
    if numpy_only:
        shingle._kernels = None
        signature._numba_kernel = lambda scheme: None

    def sign(chunk):
        if numpy_only:
            flat, offsets = shingle.shingle_hashes_batch(chunk.words, SHINGLE)
        else:  # the texts, tokenised by the kernel as text.keys.words does
            flat, offsets = shingle.shingle_hashes_texts(chunk.texts, SHINGLE)
        return signature.minhash_flat(flat, offsets, NUM_PERM, SEED)

    def lsh(states):
        bands, rows = lsh_params(THRESHOLD, NUM_PERM)
        return len(candidate_pairs(band_keys(np.concatenate(states), bands, rows)))
    return sign, lsh


def _datasketch(bulk: bool) -> tuple[Callable, Callable]:
    from datasketch import MinHash, MinHashLSH

    def sign(chunk):
        if bulk:
            return MinHash.bulk([[s.encode("utf-8") for s in shingle_strings(w)] for w in chunk.words],
                                num_perm=NUM_PERM, seed=SEED)
        out = []
        for w in chunk.words:
            m = MinHash(num_perm=NUM_PERM, seed=SEED)
            m.update_batch([s.encode("utf-8") for s in shingle_strings(w)])
            out.append(m)
        return out

    def lsh(states):
        index = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        mins = [m for part in states for m in part]
        for i, m in enumerate(mins):
            index.insert(i, m)
        return sum(len(index.query(m)) - 1 for m in mins) // 2
    return sign, lsh


def _rensa(batch: bool) -> tuple[Callable, Callable]:
    from rensa import RMinHash, RMinHashLSH

    def sign(chunk):
        if batch:
            return RMinHash.digest_matrix_from_token_sets([shingle_strings(w) for w in chunk.words], NUM_PERM, SEED)
        out = []
        for w in chunk.words:
            m = RMinHash(num_perm=NUM_PERM, seed=SEED)
            m.update(shingle_strings(w))
            out.append(m)
        return out

    def lsh(states):
        index = RMinHashLSH(THRESHOLD, NUM_PERM, 16)  # rensa needs bands dividing num_perm: 16 x 8
        if batch:  # the matrix API: insert every chunk, then flag the rows that have a near duplicate
            start = 0
            for mat in states:
                index.insert_matrix(mat, start)
                start += mat.len()
            return sum(sum(index.query_duplicate_flags_matrix(mat)) for mat in states)
        mins = [m for part in states for m in part]
        for i, m in enumerate(mins):
            index.insert(i, m)
        return sum(len(index.query(m)) - 1 for m in mins) // 2
    return sign, lsh


def _datatrove() -> tuple[Callable, Callable]:
    from datatrove.data import Document
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupSignature)
    from datatrove.utils.hashing import HashConfig
    from datatrove.utils.word_tokenizers import WordTokenizer

    class Split(WordTokenizer):
        """The words are given (space-joined): split them, as every other peer gets them."""

        def word_tokenize(self, text):
            return text.split()

        def sent_tokenize(self, text):
            return [text]

        def span_tokenize(self, text):
            return [(0, len(text))]

    work = Path(tempfile.mkdtemp(prefix="bench-datatrove-"))
    cfg = MinhashConfig(n_grams=SHINGLE, num_buckets=16, hashes_per_bucket=NUM_PERM // 16, seed=SEED,
                        hash_config=HashConfig(precision=32))
    counter = iter(range(1 << 62))

    def sign(chunk):
        rank = next(counter)  # one signature file per chunk, as one datatrove task per input shard
        docs = (Document(text=text, id=str(i)) for i, text in enumerate(chunk.texts))
        MinhashDedupSignature(output_folder=str(work / "sigs"), config=cfg, language=Split()).run(docs, rank=rank)
        return rank

    def lsh(states):
        buckets = MinhashDedupBuckets(input_folder=str(work / "sigs"), output_folder=str(work / "buckets"),
                                      config=cfg)
        for b in range(cfg.num_buckets):
            buckets.run(rank=b, world_size=cfg.num_buckets)
        MinhashDedupCluster(input_folder=str(work / "buckets"), output_folder=str(work / "remove"),
                            config=cfg).run()
        return sum(f.stat().st_size // 4 for f in (work / "remove").glob("*.remove"))  # uint32 doc ids
    return sign, lsh


def _text_dedup() -> tuple[Callable, Callable]:
    """text-dedup's MinHash module without Spark: ``embed_func`` per document (what its ``ds.map`` calls) with
    its defaults (sha1 hash, 64-bit arithmetic mod 2^61-1, bands from its ``optimal_param``), then its hash
    tables and ``UnionFind`` as its ``main`` clusters them."""
    from collections import defaultdict

    import numpy as np
    from text_dedup.minhash import SIGNATURE_COLUMN, embed_func
    from text_dedup.utils import UnionFind, optimal_param, sha1_hash

    dtype, max_hash, prime = np.uint64, np.uint32((1 << 32) - 1), np.uint64((1 << 61) - 1)
    rng = np.random.RandomState(SEED)
    perms = (rng.randint(1, prime, size=(NUM_PERM,), dtype=dtype), rng.randint(0, prime, size=(NUM_PERM,), dtype=dtype))
    b, r = optimal_param(THRESHOLD, NUM_PERM, false_positive_weight=0.5, false_negative_weight=0.5)
    ranges = [(i * r, (i + 1) * r) for i in range(b)]

    def sha1_32(data: bytes) -> int:
        return sha1_hash(data, d=32)

    def sign(chunk):
        return [embed_func(text, i, num_perm=NUM_PERM, ngram_size=SHINGLE, min_length=0, hashranges=ranges,
                           permutations=perms, hash_func=sha1_32, dtype=dtype, max_hash=max_hash,
                           modulo_prime=prime)[SIGNATURE_COLUMN] for i, text in enumerate(chunk.texts)]

    def lsh(states):
        tables: list[dict[bytes, set[int]]] = [defaultdict(set) for _ in ranges]
        key = 0
        for part in states:
            for hs in part:
                for table, h in zip(tables, hs):
                    table[h].add(key)
                key += 1
        uf = UnionFind()
        for table in tables:
            for cluster in table.values():
                if len(cluster) > 1:
                    idx = min(cluster)
                    for x in cluster:
                        uf.union(x, idx)
        return sum(uf.find(k) != k for k in range(key))  # documents removed as duplicates
    return sign, lsh


FACTORIES: dict[str, Callable[[], tuple[Callable, Callable]]] = {
    "cleantext": lambda: _cleantext(False),
    "cleantext-numpy": lambda: _cleantext(True),
    "rensa": lambda: _rensa(False),
    "rensa-batch": lambda: _rensa(True),
    "datasketch": lambda: _datasketch(False),
    "datasketch-bulk": lambda: _datasketch(True),
    "datatrove": _datatrove,
    "text-dedup": _text_dedup,
}


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def child(peer: str, words: Path, limit_mb: float, runs: int) -> dict:
    """Run one peer ``runs`` times over the corpus prefix: timings of the timed calls only, peak RSS."""
    import logging
    logging.disable(logging.CRITICAL)
    try:
        from loguru import logger
        logger.remove()
    except ImportError:
        pass
    sign, lsh = FACTORIES[peer]()
    sign(Chunk([["warm", "up", "the", "imports"]], ["warm up the imports"], 0))  # outside the timing
    base = _rss_mb()
    sig_cpu, sig_wall, lsh_cpu = [], [], []
    docs = nbytes = pairs = 0
    for _ in range(runs):
        states, docs, nbytes, cpu, wall = [], 0, 0, 0.0, 0.0
        for chunk in read_chunks(words, int(limit_mb * 1e6)):
            c, t = time.process_time(), time.perf_counter()
            states.append(sign(chunk))
            cpu += time.process_time() - c
            wall += time.perf_counter() - t
            docs += len(chunk.words)
            nbytes += chunk.nbytes
        sig_cpu.append(cpu)
        sig_wall.append(wall)
        c = time.process_time()
        pairs = lsh(states)
        lsh_cpu.append(time.process_time() - c)
        del states
    return {"peer": peer, "docs": docs, "mb": nbytes / 1e6, "runs": runs, "sig_s": statistics.median(sig_cpu),
            "sig_cpu_s": sig_cpu, "sig_wall_s": sig_wall, "lsh_s": statistics.median(lsh_cpu), "lsh_pairs": pairs,
            "rss_base_mb": round(base, 1),
            "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


# ------------------------------------------------------------------ parent: run children, measure RSS

def run_child(peer: str, words: Path, limit_mb: float, runs: int, python: str = sys.executable) -> dict:
    """One peer in its own single-threaded process (of the given interpreter)."""
    cmd = [python, __file__, "--child", peer, "--words", str(words), "--limit-mb", str(limit_mb),
           "--runs", str(runs)]
    proc = subprocess.run(cmd, capture_output=True, env={**os.environ, **ONE_CORE}, text=True)
    if proc.returncode:
        lines = proc.stderr.strip().splitlines()
        return {"peer": peer, "error": lines[-1] if lines else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def merge_runs(rows: list[dict]) -> dict:
    """One peer's runs (one process each) -> medians of the times, the largest peak RSS."""
    failed = [r for r in rows if "error" in r]
    if failed:
        return failed[0]
    row = dict(rows[0])
    row["runs"] = len(rows)
    for key in ("sig_cpu_s", "sig_wall_s"):
        row[key] = [r[key][0] for r in rows]
    row["sig_s"] = statistics.median(row["sig_cpu_s"])
    row["lsh_s"] = statistics.median(r["lsh_s"] for r in rows)
    row["rss_peak_mb"] = max(r["rss_peak_mb"] for r in rows)
    row["rss_base_mb"] = max(r["rss_base_mb"] for r in rows)
    return row


class TreeRss:
    """Peak of the summed RSS of a process and all its descendants, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        parents: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                parents.setdefault(ppid, []).append(int(entry))
        todo, seen = [self.pid], []
        while todo:
            p = todo.pop()
            seen.append(p)
            todo.extend(parents.get(p, []))
        return seen

    def _run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.is_set():
            total = 0
            for p in self._tree():
                try:
                    with open(f"/proc/{p}/statm") as f:
                        total += int(f.read().split()[1]) * page
                except OSError:
                    pass
            self.peak = max(self.peak, total / 1e6)
            self._stop.wait(0.2)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def end_to_end(corpus: Path, workers: int, keep: Path | None = None) -> dict:
    """``cleantext dedupe`` on a corpus: wall and CPU time (all processes), MB/s, peak RSS, stage times;
    with the corpus's truth file (gen_corpus.py), its duplicate pairs and passage links by kind."""
    size = corpus.stat().st_size
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        out = keep / corpus.stem if keep else Path(tmp)
        cmd = [sys.executable, "-m", "cleantext", "dedupe", str(corpus), "-o", str(out), "--workers", str(workers),
               "--profile"]
        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        tree = TreeRss(proc.pid)
        _, err = proc.communicate()
        wall = time.perf_counter() - t
        peak = tree.stop()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode:
            return {"corpus": corpus.name, "error": err.strip().splitlines()[-1] if err.strip() else "failed"}
        stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
        structure = classify_run(out, corpus) if truth_path(corpus).exists() else None
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    split = re.search(r"^CPU: main process ([\d.]+) s, workers ([\d.]+) s", err, re.M)
    return {"corpus": corpus.name, "input_mb": round(size / 1e6, 1), "documents": stats.get("documents"),
            "workers": workers, "commit": _commit(), "wall_s": round(wall, 1), "mb_per_s": round(size / 1e6 / wall, 3),
            "cpu_s": round(cpu, 1), "mb_per_cpu_s": round(size / 1e6 / cpu, 3),
            "cpu_main_s": float(split.group(1)) if split else None,
            "cpu_workers_s": float(split.group(2)) if split else None,
            "rss_peak_tree_mb": round(peak, 1), "rss_peak_one_process_mb": round(after.ru_maxrss / 1024, 1),
            "load_average": [round(load, 2), round(os.getloadavg()[0], 2)],
            "stage_seconds": stats.get("stage_seconds"), "seconds": stats.get("seconds"),
            "verified_duplicate_pairs": stats.get("verified_duplicate_pairs"),
            "passage_links": stats.get("passage_links"), "structure": structure}


def e2e_summary(row: dict) -> str:
    """An end-to-end row for people: wall, CPU (main process / workers), MB/s, peak RSS, load, stage table."""
    if "error" in row:
        return f"{row['corpus']}: failed: {row['error']}"
    from cleantext.timing import format_report

    return (f"{row['corpus']} ({row['input_mb']} MB, -w {row['workers']}, {row['commit']}): wall {row['wall_s']} s = "
            f"{row['mb_per_s']} MB/s; CPU {row['cpu_s']} s (main {row['cpu_main_s']}, workers {row['cpu_workers_s']}) "
            f"= {row['mb_per_cpu_s']} MB per CPU s; peak RSS {row['rss_peak_tree_mb']} MB (tree), "
            f"{row['rss_peak_one_process_mb']} MB (one process); load {row['load_average']}\n"
            + format_report(row["stage_seconds"] or {}))


def _commit() -> str:
    """HEAD's commit, with "+dirty" when src/ has uncommitted changes (the figures are of that tree)."""
    def git(*a: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *a], capture_output=True, text=True).stdout.strip()
    return git("rev-parse", "--short", "HEAD") + ("+dirty" if git("status", "--porcelain", "--", "src") else "")


# ------------------------------------------------------------------ report

def table(rows: list[dict]) -> str:
    """A markdown table of the signature-stage results with cleantext/peer ratios."""
    ref = next((r for r in rows if r.get("peer") == "cleantext" and "sig_s" in r), None)
    lines = ["| tool | corpus MB (docs) | signature s | MB/s | docs/s | cleantext speed-up | LSH s | "
             "peak RSS MB (base) |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['peer']} | failed: {r['error']} | | | | | | |")
            continue
        mbs, dps = r["mb"] / r["sig_s"], r["docs"] / r["sig_s"]
        ratio = f"{(ref['mb'] / ref['sig_s']) / mbs:.1f}×" if ref else "—"
        lines.append(f"| {r['peer']} | {r['mb']:.1f} ({r['docs']}) | {r['sig_s']:.2f} | {mbs:.1f} | {dps:,.0f} | "
                     f"{ratio} | {r['lsh_s']:.2f} | {r['rss_peak_mb']:.0f} ({r['rss_base_mb']:.0f}) |")
    return "\n".join(lines)


def ensure_corpus(mb: int) -> Path:
    path = GENERATED / f"corpus-{mb}mb.jsonl"
    if not path.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_corpus.py"), "--mb", str(mb)], check=True)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=int, default=100, help="corpus size for the signature comparison")
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--slow-mb", type=float, default=10.0, help="prefix used for the slow peers")
    ap.add_argument("--e2e", type=int, nargs="*", default=[], metavar="MB", help="corpus sizes for dedupe")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="keep the dedupe outputs under this folder")
    ap.add_argument("--text-dedup-python", default=sys.executable,
                    help="python of a venv with text-dedup installed (README: Speed)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--words", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--limit-mb", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.words, args.limit_mb, args.runs)))
        return 0
    results: dict = {"signature": [], "end_to_end": []}
    if args.out.exists():  # a part not run keeps its previous figures
        results.update(json.loads(args.out.read_text(encoding="utf-8")))
    results["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    if args.peers:
        corpus = ensure_corpus(args.mb)
        words = words_file(corpus)
        peers = args.peers.split(",")
        runs: dict[str, list[dict]] = {peer: [] for peer in peers}
        results["signature"], results["signature_commit"] = [], _commit()
        for _ in range(args.runs):  # interleaved, so a change of the machine's load hits every peer alike
            for peer in peers:
                python = args.text_dedup_python if peer in OWN_VENV else sys.executable
                runs[peer].append(run_child(peer, words, args.slow_mb if peer in SLOW else float(args.mb) * 2, 1,
                                            python))
        for peer in peers:
            row = merge_runs(runs[peer])
            results["signature"].append(row)
            print(json.dumps(row), file=sys.stderr)
        print(table(results["signature"]))
    for mb in args.e2e:
        row = end_to_end(ensure_corpus(mb), args.workers, args.keep)
        results["end_to_end"] = [r for r in results["end_to_end"] if r.get("corpus") != row["corpus"]] + [row]
        print(json.dumps(row))
        print(e2e_summary(row))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
