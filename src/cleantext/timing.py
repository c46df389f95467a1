"""Per-stage CPU time: where a run spends its time (stats.json "stage_seconds", ``--profile``).

Each process accumulates the CPU seconds of the stages it runs (``with stage("language"): ...``);
a worker hands its totals back with each batch (``take()``) and the main process adds them
(``add()``), so the breakdown covers all processes whatever the worker count. CPU time, not wall
time: on a shared machine it measures the work, and the stages of two workers add up.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

__all__ = ["add", "format_processes", "format_report", "process_seconds", "report", "stage", "take"]

_TOTALS: Counter[str] = Counter()


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the CPU time of the block to stage ``name`` of this process."""
    start = time.process_time()
    try:
        yield
    finally:
        _TOTALS[name] += time.process_time() - start


def take() -> dict[str, float]:
    """This process's totals so far, which are then reset (a worker sends them with a batch)."""
    out = dict(_TOTALS)
    _TOTALS.clear()
    return out


def add(seconds: Mapping[str, float]) -> None:
    """Add another process's totals to this process's."""
    _TOTALS.update(seconds)


def report(seconds: Mapping[str, float]) -> dict[str, dict[str, float]]:
    """Stages by decreasing time, each with its seconds and its share of the total."""
    total = sum(seconds.values()) or 1.0
    return {name: {"seconds": round(s, 3), "share": round(s / total, 3)}
            for name, s in sorted(seconds.items(), key=lambda kv: (-kv[1], kv[0]))}


def format_report(stages: Mapping[str, Mapping[str, float]]) -> str:
    """A ``report`` as an aligned text table (``cleantext dedupe --profile``)."""
    width = max((len(name) for name in stages), default=5)
    lines = [f"{'stage':<{width}}  CPU s   share"]
    lines += [f"{name:<{width}}  {v['seconds']:>7.2f}  {100 * v['share']:5.1f}%" for name, v in stages.items()]
    total = sum(v["seconds"] for v in stages.values())
    lines.append(f"{'total':<{width}}  {total:>7.2f}  100.0%")
    return "\n".join(lines)


def process_seconds() -> dict[str, float]:
    """CPU seconds so far of this process ("main") and of its ended child processes ("workers": a run's
    worker pool is shut down when its batches are done)."""
    try:
        import resource
    except ImportError:  # not on this platform: this process only
        return {"main": time.process_time(), "workers": 0.0}
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"main": own.ru_utime + own.ru_stime, "workers": kids.ru_utime + kids.ru_stime}


def format_processes(processes: Mapping[str, float], stages: Mapping[str, Mapping[str, float]]) -> str:
    """One line: the CPU seconds of the main process and of the workers, and the part outside the stage
    table ``stages`` (start-up, process pool, work no stage times)."""
    staged = sum(v["seconds"] for v in stages.values())
    outside = processes["main"] + processes["workers"] - staged
    return (f"CPU: main process {processes['main']:.2f} s, workers {processes['workers']:.2f} s, "
            f"outside the table {outside:.2f} s")
