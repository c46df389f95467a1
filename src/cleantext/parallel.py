"""An ordered, bounded process-pool map over batches: the same results, in the same order, for any worker count.

``map_batches(fn, items, workers=N, context=ctx)`` cuts ``items`` into consecutive batches and yields
``fn(batch, ctx)`` for each, in input order. With one worker it runs in the calling process (no pool);
with more, the first batch still runs in the calling process (it warms what ``fn`` loads lazily, before
the workers are forked), ``ctx`` (config, template index, ...) is sent once to each worker process, and at most
``2 * workers`` batches are in flight, so memory stays bounded on any input size. Batches and results
cross between processes pickled by us, so the CPU time of that is the stage "transfer" of ``timing``; making the
batches (reading the items in the calling process) is the stage "read". ``fn`` must be a pure,
picklable (module-level) function of its batch and context: that is what makes the output independent
of the worker count.
"""
from __future__ import annotations

import gc
import pickle
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

from cleantext import timing

__all__ = ["batches", "map_batches", "quiet_gc"]

T = TypeVar("T")
R = TypeVar("R")
_CONTEXT: dict[str, Any] = {}  # the context of a worker process
GC_THRESHOLD = 100_000  # allocations between two young-generation collections (CPython's default: 700)


def quiet_gc() -> None:
    """Fewer cyclic garbage collections in a process cleantext owns (the command, its workers): the young
    generation is collected every ``GC_THRESHOLD`` container allocations instead of 700. A batch's documents,
    blocks and removals hold no reference cycles (freed by reference counting), so this skips collections
    that found nothing to free; cyclic garbage, if any, is still collected."""
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def _init_worker(context: Any) -> None:
    gc.freeze()  # what the worker inherited (modules, tables, the context) is never scanned, so never copied
    quiet_gc()
    timing.take()  # a forked worker starts with a copy of its parent's stage times: not its own
    _CONTEXT["context"] = context


def _in_worker(fn: Callable[[list[T], Any], Any], payload: bytes) -> tuple[bytes, float]:
    """``fn`` on a pickled batch: its pickled result and the CPU seconds of both (un)picklings."""
    start = time.process_time()
    batch = pickle.loads(payload)
    seconds = time.process_time() - start
    out = fn(batch, _CONTEXT["context"])
    start = time.process_time()
    data = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
    return data, seconds + time.process_time() - start


def _sent(batch: list[T]) -> bytes:
    with timing.stage("transfer"):
        return pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)


def _received(batch: list[Any] | None, future: Future[tuple[bytes, float]]) -> Any:
    """The result of a batch sent to a worker; with the batch (when kept), the pair."""
    data, seconds = future.result()
    with timing.stage("transfer"):
        out = pickle.loads(data)
    timing.add({"transfer": seconds})
    return out if batch is None else (batch, out)


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last one shorter)."""
    if size < 1:
        raise ValueError("batch size must be >= 1")
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _read(parts: Iterator[list[T]]) -> Iterator[list[T]]:
    """``parts`` with the CPU time of making each batch (reading its items, e.g. input lines) as stage "read"."""
    while True:
        with timing.stage("read"):
            batch = next(parts, None)
        if batch is None:
            return
        yield batch


def map_batches(fn: Callable[[list[T], Any], R], items: Iterable[T], *, workers: int = 1,
                context: Any = None, batch_size: int = 32, with_batch: bool = False) -> Iterator[Any]:
    """``fn(batch, context)`` for consecutive batches of ``items``, in input order; with ``with_batch``,
    ``(batch, fn(batch, context))`` pairs."""
    parts = _read(batches(items, batch_size))
    if workers <= 1:
        for batch in parts:
            out = fn(batch, context)
            yield (batch, out) if with_batch else out
        return
    first = next(parts, None)
    if first is None:
        return
    # the first batch runs here: what ``fn`` loads on first use (profiles, tables, compiled
    # kernels) is then loaded once, and forked workers share it instead of each loading it
    out = fn(first, context)
    yield (first, out) if with_batch else out
    pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(context,))
    try:
        pending: deque[tuple[list[T] | None, Future[tuple[bytes, float]]]] = deque()
        for batch in parts:
            pending.append((batch if with_batch else None, pool.submit(_in_worker, fn, _sent(batch))))
            if len(pending) >= 2 * workers:
                yield _received(*pending.popleft())
        while pending:
            yield _received(*pending.popleft())
    finally:  # also when the consumer stops early or a batch failed: drop the queued work
        pool.shutdown(wait=True, cancel_futures=True)
