"""Per-document features for dedupe, computed a batch at a time by a pure function (so a worker
process can compute them right after cleaning): rank fields, the document shingle set, its LSH
band keys, and the passage sketches; in a worker, the documents' output fragments too."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cleantext import timing
from cleantext.config import Config, DedupConfig
from cleantext.dedup.canonical import RankInfo
from cleantext.dedup.lsh import all_bands, band_keys, lsh_params
from cleantext.dedup.passages import PassageBatch, sketch_passages
from cleantext.dedup.records import Fragments, fragments
from cleantext.dedup.shingle import shingle_hashes_lines
from cleantext.dedup.signature import minhash_flat
from cleantext.document import Document

__all__ = ["Sketch", "sketch_batch", "sketch_results"]


@dataclass(slots=True)
class Sketch:
    """Features of a batch of (not skipped) documents, in batch order."""

    info: list[RankInfo]
    sets: np.ndarray  # the documents' shingle sets in turn (each sorted unique uint32) ...
    set_sizes: np.ndarray  # ... and their sizes
    keyed: np.ndarray  # positions (in the batch) of the documents with a non-empty set ...
    keys: np.ndarray  # ... and their LSH band keys, (len(keyed), bands) uint64
    passages: PassageBatch
    fragments: list[Fragments] = field(default_factory=list)  # output fragments of every document
    # of the worker's batch, skipped ones too (``sketch_results``), so the main process does not serialise them


def sketch_batch(items: Sequence[tuple[Document, Sequence[Any]]], cfg: DedupConfig) -> Sketch:
    """The features of cleaned documents given with their kept blocks."""
    bands, rows = lsh_params(cfg.candidate_threshold, cfg.num_perm)
    # the words of all kept blocks' keys ("\n" is no word character: words never join across blocks)
    doc_lines = np.zeros(len(items) + 1, dtype=np.int64)
    np.cumsum(np.fromiter((len(blocks) for _, blocks in items), dtype=np.int64, count=len(items)), out=doc_lines[1:])
    flat, offs = shingle_hashes_lines([b.key for _, blocks in items for b in blocks], doc_lines, cfg.shingle_size)
    sig = minhash_flat(flat, offs, cfg.num_perm, cfg.seed)
    keyed = np.flatnonzero(np.diff(offs) > 0)
    keys = band_keys(sig[keyed], bands, rows)
    p_bands, p_rows = all_bands(cfg.passage_candidate_threshold, cfg.num_perm)
    passages = sketch_passages([blocks for _, blocks in items], cfg.passage_shingle_size,
                               cfg.passage_min_words, cfg.passage_window, cfg.num_perm, cfg.seed,
                               p_bands, p_rows, cfg.containment_min_shingles + cfg.shingle_size - 1)
    return Sketch([RankInfo.of(doc) for doc, _ in items],
                  flat, np.diff(offs),
                  keyed, keys, passages)


def sketch_results(results: Sequence[Any], cfg: Config) -> Sketch:
    """``sketch_batch`` of the documents of a cleaned batch that are not skipped (the ``then`` of
    ``pipeline.clean_path_batches``: it runs in the worker that cleaned the batch)."""
    with timing.stage("sketch"):
        sketch = sketch_batch([(r.doc, r.blocks) for r in results if not r.doc.skipped], cfg.dedup)
    with timing.stage("write"):
        sketch.fragments = [fragments(r.doc) for r in results]
    return sketch
