"""Per-stage CPU times: accumulated per process, handed back by workers, reported with shares."""
import copy
import os
from pathlib import Path

from cleantext import timing
from cleantext.config import Config
from cleantext.io import read_inputs
from cleantext.pipeline import clean_batches

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _busy(n: int) -> int:
    return sum(i * i for i in range(n))


def test_stage_take_add_report():
    timing.take()
    with timing.stage("a"):
        _busy(200_000)
    with timing.stage("b"):
        pass
    got = timing.take()
    assert set(got) == {"a", "b"} and got["a"] > 0
    assert timing.take() == {}
    timing.add({"a": 3.0, "c": 1.0})
    timing.add({"a": 1.0})
    rep = timing.report(timing.take())
    assert list(rep) == ["a", "c"]
    assert rep["a"] == {"seconds": 4.0, "share": 0.8}


def _pid_and_count(results, cfg):
    return os.getpid(), len(results)


def _seed_docs(copies: int) -> list:
    docs = list(read_inputs([str(SEEDS)], Config().read))
    return [copy.deepcopy(d) for _ in range(copies) for d in docs]


def test_clean_batches_runs_then_in_workers_and_collects_their_stage_times():
    docs = _seed_docs(8)  # 40 documents: two batches
    timing.take()
    one = list(clean_batches(docs, Config(workers=1), then=_pid_and_count))
    seconds_one = timing.take()
    docs = _seed_docs(8)
    two = list(clean_batches(docs, Config(workers=2), then=_pid_and_count))
    seconds_two = timing.take()
    assert [r.doc.to_dict() for b, _ in one for r in b] == [r.doc.to_dict() for b, _ in two for r in b]
    assert {pid for _, (pid, _) in one} == {os.getpid()}
    assert os.getpid() not in {pid for _, (pid, _) in two[1:]}  # the first batch runs here
    assert sum(n for _, (_, n) in two) == len(docs)
    assert {"repair_segment", "language"} <= set(seconds_one)
    assert set(seconds_two) == set(seconds_one) | {"transfer"}  # pickling between processes


def test_workers_do_not_send_back_the_stage_times_they_inherited():
    docs = list(read_inputs([str(SEEDS)], Config().read))
    timing.take()
    timing.add({"before": 100.0})  # in this process when the (forked) workers start
    list(clean_batches(docs, Config(workers=2)))
    assert timing.take()["before"] == 100.0


def test_dedupe_stats_have_the_stage_breakdown(tmp_path):
    from cleantext.dedup import dedupe_paths

    stats = dedupe_paths([str(SEEDS)], tmp_path, Config(workers=2))
    stages = stats["stage_seconds"]
    assert {"repair_segment", "language", "sketch", "dedupe_analysis", "write"} <= set(stages)
    assert abs(sum(s["share"] for s in stages.values()) - 1) < 0.01
    assert list(stages) == sorted(stages, key=lambda k: -stages[k]["seconds"])


def test_cli_dedupe_profile_prints_the_stage_table(tmp_path, capsys):
    from cleantext.cli import main

    assert main(["dedupe", str(SEEDS), "-o", str(tmp_path), "--profile"]) == 0
    err = capsys.readouterr().err
    table = err[err.index("stage"):].splitlines()
    assert table[0].split() == ["stage", "CPU", "s", "share"]
    assert any(line.split()[0] == "language" for line in table) and table[-1].endswith("100.0%")
