"""Run statistics, a progress line and the closing summary (all on standard error)."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from cleantext.document import Document
from cleantext.io import ReadStats


@dataclass
class RunStats:
    """Counts of one run: documents read, written, skipped by reason; bytes and time."""

    read: ReadStats = field(default_factory=ReadStats)
    scanned: int = 0  # documents read by the template pass (pass 1)
    documents: int = 0
    written: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)

    def scan(self) -> None:
        """Count a document of the template pass."""
        self.scanned += 1

    def add(self, doc: Document) -> None:
        """Count a document of the cleaning pass."""
        self.documents += 1
        if doc.skipped:
            self.skipped[doc.skipped] += 1

    @property
    def usable(self) -> int:
        """Documents that were read and not skipped."""
        return self.documents - sum(self.skipped.values())

    def summary(self) -> str:
        """The closing summary: one line, then the skips by reason."""
        seconds = max(time.perf_counter() - self.started, 1e-9)
        mb = self.read.bytes / 1e6
        skipped = sum(self.skipped.values())
        lines = [f"cleantext: read {self.documents} documents ({mb:.2f} MB) in {seconds:.2f} s "
                 f"({mb / seconds:.2f} MB/s); wrote {self.written}; skipped {skipped}"]
        if skipped:
            lines.append("  skipped: " + ", ".join(f"{reason} {n}" for reason, n in sorted(self.skipped.items())))
        if self.read.ignored:
            shown = ", ".join(self.read.ignored[:3]) + (", ..." if len(self.read.ignored) > 3 else "")
            lines.append(f"  ignored {len(self.read.ignored)} file(s) that are not .txt or .jsonl: {shown}")
        return "\n".join(lines)


class Progress:
    """A one-line progress indicator, redrawn at most every ``interval`` seconds; silent when disabled."""

    def __init__(self, stats: RunStats, stream: TextIO, enabled: bool, interval: float = 0.2) -> None:
        self.stats = stats
        self.stream = stream
        self.enabled = enabled
        self.interval = interval
        self._last = 0.0
        self._drawn = False

    def update(self) -> None:
        """Redraw the line if enabled and the interval has passed."""
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self._last < self.interval:
            return
        self._last = now
        if self.stats.documents == 0 and self.stats.scanned:
            self.stream.write(f"\r  pass 1 (templates): {self.stats.scanned} documents ")
        else:
            seconds = max(now - self.stats.started, 1e-9)
            mb = self.stats.read.bytes / 1e6
            self.stream.write(f"\r  {self.stats.documents} documents  {mb:.1f} MB  {mb / seconds:.1f} MB/s ")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Clear the progress line."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
