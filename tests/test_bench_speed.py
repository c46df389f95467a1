"""The speed benchmark's harness (benchmarks/bench_speed.py): chunks, run merging, the table, process-tree RSS."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_speed as bs  # noqa: E402


def _words(tmp_path: Path, docs: list[str]) -> Path:
    path = tmp_path / "c.jsonl.words.tsv"
    path.write_text("".join(f"{len(d.encode())}\t{d}\n" for d in docs), encoding="utf-8")
    return path


def test_read_chunks_stops_at_the_byte_limit(tmp_path):
    path = _words(tmp_path, ["a b c d e f"] * 5)  # 11 bytes each
    chunks = list(bs.read_chunks(path, 30))
    assert sum(len(c.words) for c in chunks) == 3 and chunks[0].words[0] == ["a", "b", "c", "d", "e", "f"]
    assert sum(c.nbytes for c in chunks) == 33


def test_cleantext_peer_signs_and_finds_the_duplicate(tmp_path):
    text = "the mayor of the city opened a new bridge over the river on monday morning"
    path = _words(tmp_path, [text, text, "an unrelated story about the weather in almaty and snow in the hills"])
    sign, lsh = bs.FACTORIES["cleantext"]()
    states = [sign(c) for c in bs.read_chunks(path, 10**9)]
    assert lsh(states) == 1


def test_merge_runs_takes_medians_and_the_largest_peak():
    rows = [{"peer": "p", "docs": 2, "mb": 1.0, "sig_cpu_s": [t], "sig_wall_s": [t * 2], "lsh_s": t,
             "rss_peak_mb": 100 + t, "rss_base_mb": 50} for t in (3.0, 1.0, 2.0)]
    row = bs.merge_runs(rows)
    assert row["sig_s"] == 2.0 and row["lsh_s"] == 2.0 and row["rss_peak_mb"] == 103.0 and row["runs"] == 3
    assert bs.merge_runs([*rows, {"peer": "p", "error": "boom"}])["error"] == "boom"


def test_table_gives_the_ratio_to_cleantext():
    rows = [{"peer": "cleantext", "docs": 100, "mb": 10.0, "sig_s": 0.5, "lsh_s": 0.1, "rss_peak_mb": 300,
             "rss_base_mb": 200},
            {"peer": "slow", "docs": 50, "mb": 5.0, "sig_s": 2.5, "lsh_s": 0.2, "rss_peak_mb": 90, "rss_base_mb": 80},
            {"peer": "broken", "error": "ModuleNotFoundError: x"}]
    out = bs.table(rows)
    assert "| slow | 5.0 (50) | 2.50 | 2.0 | 20 | 10.0× |" in out
    assert "| broken | failed: ModuleNotFoundError: x |" in out


def test_tree_rss_counts_the_children():
    code = "import subprocess, sys, time; a = bytearray(60_000_000); " \
           "p = subprocess.Popen([sys.executable, '-c', 'b = bytearray(60_000_000); import time; time.sleep(1.5)']); " \
           "p.wait()"
    proc = subprocess.Popen([sys.executable, "-c", code])
    tree = bs.TreeRss(proc.pid)
    proc.wait()
    time.sleep(0.1)
    assert tree.stop() > 110  # both processes' 60 MB, sampled while the child lived


def test_end_to_end_row_on_a_tiny_corpus(tmp_path):
    corpus = tmp_path / "corpus-0mb.jsonl"
    text = "Аким области встретился с жителями села и обсудил ремонт дорог, школ и больниц в этом году. " * 3
    corpus.write_text("".join(json.dumps({"id": str(i), "text": text + str(i)}, ensure_ascii=False) + "\n"
                              for i in range(4)), encoding="utf-8")
    row = bs.end_to_end(corpus, workers=1)
    assert row["documents"] == 4 and row["cpu_s"] > 0 and row["rss_peak_tree_mb"] > 0
    assert row["structure"] is None and row["verified_duplicate_pairs"] >= 1
    assert row["commit"] and os.getloadavg()
    assert row["cpu_main_s"] > 0 and row["cpu_workers_s"] == 0  # -w 1: no worker process
    summary = bs.e2e_summary(row)
    assert "MB/s" in summary and "language" in summary and summary.splitlines()[-1].startswith("total")
