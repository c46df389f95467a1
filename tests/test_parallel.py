"""The ordered process-pool map gives the one-worker results, in order, for any worker count."""
import os

import pytest

from cleantext.parallel import batches, map_batches


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


def test_two_workers_use_other_processes():
    pids = {pid for part in map_batches(_square_with_pid, range(40), workers=2, context=0, batch_size=2)
            for _, pid in part}
    assert os.getpid() not in pids


def test_worker_error_propagates_and_early_stop_is_clean():
    with pytest.raises(RuntimeError, match="seven"):
        list(map_batches(_fail_on_seven, range(20), workers=2, batch_size=2))
    gen = map_batches(_square_with_pid, range(1000), workers=2, context=0, batch_size=1)
    assert next(gen)[0][0] == 0
    gen.close()
