"""On-disk feature storage for a dedupe run: append-only flat arrays read back through a memory map.

The per-word features of a corpus (n-gram sequences, raw word offsets, shingle sets) grow with the
corpus, so they are written to files as the batches arrive and only their offsets stay in memory.
Analysis reads them through a read-only memory map; ``release`` tells the kernel to drop the pages
read so far from this process (they stay in the page cache), which keeps the resident memory of a
long scan bounded by what one chunk of work touches, not by the size of the files.
"""
from __future__ import annotations

import mmap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload

import numpy as np

__all__ = ["FlatSpool", "Segments", "offsets_of"]


class FlatSpool:
    """An append-only flat array of one dtype in a file (written first, then read)."""

    def __init__(self, path: str | Path, dtype: type | np.dtype) -> None:
        self.path = Path(path)
        self.dtype = np.dtype(dtype)
        self.size = 0
        self._file = open(self.path, "w+b")  # noqa: SIM115 - kept open for the run
        self._map: mmap.mmap | None = None

    def append(self, values: np.ndarray) -> None:
        """Append ``values`` (converted to the spool's dtype)."""
        if self._map is not None:
            raise ValueError(f"{self.path.name}: appended after being read")
        a = np.ascontiguousarray(values, dtype=self.dtype)
        self._file.write(memoryview(a).cast("B"))
        self.size += a.size

    def view(self) -> np.ndarray:
        """The whole array, read-only, backed by the file."""
        if self._map is None:
            self._file.flush()
            if not self.size:
                return np.empty(0, dtype=self.dtype)
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        return np.frombuffer(self._map, dtype=self.dtype, count=self.size)

    def load(self) -> np.ndarray:
        """The whole array, read into memory (for a short-lived full read; no pages stay mapped)."""
        self._file.flush()
        self._file.seek(0)
        out = np.fromfile(self._file, dtype=self.dtype, count=self.size)
        self._file.seek(0, 2)
        return out

    def release(self) -> None:
        """Drop the pages read so far from this process's resident memory."""
        if self._map is not None and hasattr(self._map, "madvise"):
            self._map.madvise(mmap.MADV_DONTNEED)

    def close(self) -> None:
        """Close the file (views already handed out keep the mapping alive)."""
        self._file.close()


class Segments(Sequence[np.ndarray]):
    """Item i is ``spool[offsets[i]:offsets[i + 1]]``. Iterating releases the spool's pages every
    ``release_every`` items, so a scan over all items keeps little resident memory."""

    def __init__(self, spool: FlatSpool, offsets: np.ndarray, release_every: int = 4096) -> None:
        self.spool = spool
        self.flat = spool.view()
        self.offsets = offsets
        self.release_every = release_every

    def __len__(self) -> int:
        return self.offsets.size - 1

    @overload
    def __getitem__(self, i: int) -> np.ndarray: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[np.ndarray]: ...

    def __getitem__(self, i: int | slice) -> np.ndarray | Sequence[np.ndarray]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return self.flat[self.offsets[i]:self.offsets[i + 1]]

    def sizes(self) -> np.ndarray:
        """The length of every item."""
        return np.diff(self.offsets)

    def __iter__(self) -> Iterator[np.ndarray]:
        for i in range(len(self)):
            if i and i % self.release_every == 0:
                self.spool.release()
            yield self[i]
        self.spool.release()


def offsets_of(counts: list[np.ndarray]) -> np.ndarray:
    """Start offsets (plus the end) of consecutive items given their lengths, batch by batch."""
    out = np.zeros(sum(c.size for c in counts) + 1, dtype=np.int64)
    if counts:
        np.cumsum(np.concatenate(counts), out=out[1:])
    return out
