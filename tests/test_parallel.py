"""The ordered process-pool map gives the one-worker results, in order, for any worker count."""
import gc
import multiprocessing
import os

import pytest

from cleantext.parallel import GC_THRESHOLD, batches, map_batches, quiet_gc


def _square_with_pid(batch, offset):
    return [(x * x + offset, os.getpid()) for x in batch]


def _fail_on_seven(batch, _context):
    if 7 in batch:
        raise RuntimeError("seven")
    return batch


def test_batches():
    assert list(batches(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batches([], 3)) == []
    with pytest.raises(ValueError):
        list(batches([1], 0))


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_same_results_in_input_order(workers):
    out = [v for part in map_batches(_square_with_pid, range(50), workers=workers, context=1, batch_size=4)
           for v, _ in part]
    assert out == [x * x + 1 for x in range(50)]


def test_two_workers_use_other_processes_after_the_first_batch():
    parts = list(map_batches(_square_with_pid, range(40), workers=2, context=0, batch_size=2))
    assert {pid for _, pid in parts[0]} == {os.getpid()}
    assert os.getpid() not in {pid for part in parts[1:] for _, pid in part}


_LOADED: list[int] = []  # a lazily loaded resource of this module


def _loads_once(batch, _context):
    loaded_here = not _LOADED
    if loaded_here:
        _LOADED.append(os.getpid())
    return loaded_here


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="workers inherit only when forked")
def test_what_the_first_batch_loads_is_loaded_once_for_all_workers():
    _LOADED.clear()
    assert list(map_batches(_loads_once, range(40), workers=2, batch_size=2)) == [True] + [False] * 19


def test_worker_error_propagates_and_early_stop_is_clean():
    with pytest.raises(RuntimeError, match="seven"):
        list(map_batches(_fail_on_seven, range(20), workers=2, batch_size=2))
    gen = map_batches(_square_with_pid, range(1000), workers=2, context=0, batch_size=1)
    assert next(gen)[0][0] == 0
    gen.close()


def test_dedupe_outputs_are_byte_identical_for_one_and_two_workers(tmp_path):
    from pathlib import Path

    from cleantext.config import Config
    from cleantext.dedup import dedupe_paths

    source = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "dedup" / "documents.jsonl"
    with source.open(encoding="utf-8") as f:
        lines = [next(f) for _ in range(60)]  # reprints, edited copies and reused passages among them
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("".join(lines), encoding="utf-8")
    stats = {}
    for workers in (1, 2):
        stats[workers] = dedupe_paths([str(corpus)], tmp_path / f"out{workers}", Config(workers=workers))
    for name in ("documents.jsonl", "canonical.jsonl", "clusters.jsonl"):
        assert (tmp_path / "out1" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes(), name
    timings = {"seconds", "stage_seconds"}
    assert {k: v for k, v in stats[1].items() if k not in timings} == \
        {k: v for k, v in stats[2].items() if k not in timings}
    assert stats[1]["duplicates"] > 0


def test_removals_cross_processes_unchanged():
    import copy
    import pickle

    from cleantext.document import Removal
    r = Removal(3, 9, "widget:share", "Share", 0.75)
    assert pickle.loads(pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)) == r
    assert copy.deepcopy(r) == r and copy.copy(r) == r


def _gc_state(batch, _context):
    return [(gc.get_threshold()[0], gc.get_freeze_count() > 0, os.getpid())]


def test_workers_collect_less_often_and_skip_what_they_inherited():
    out = [v for part in map_batches(_gc_state, range(4), workers=2, batch_size=1) for v in part]
    here = os.getpid()
    assert all(t == GC_THRESHOLD and frozen for t, frozen, pid in out if pid != here)
    assert any(pid != here for _, _, pid in out)


def test_quiet_gc_raises_only_the_young_threshold():
    before = gc.get_threshold()
    try:
        quiet_gc()
        assert gc.get_threshold() == (GC_THRESHOLD, *before[1:])
    finally:
        gc.set_threshold(*before)


def _slowly_read(n):
    for i in range(n):
        sum(range(20000))  # reading an item costs CPU time in the calling process
        yield i


@pytest.mark.parametrize("workers", [1, 2])
def test_making_the_batches_is_the_stage_read(workers):
    from cleantext import timing

    timing.take()
    list(map_batches(_square_with_pid, _slowly_read(40), workers=workers, context=0, batch_size=8))
    assert timing.take().get("read", 0) > 0
