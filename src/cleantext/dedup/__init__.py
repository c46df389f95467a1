"""Near-duplicate documents and passages over cleaned documents: clusters, canonicals, outputs.

``dedupe_results`` consumes cleaned documents (``pipeline.CleanResult``: the document and its kept
blocks) as a stream, a batch at a time. Memory stays bounded by what candidate generation needs:

- each document's output fragments (its contract fields serialised once, ``records``; made in the
  worker that cleaned it) go to a spool file, with the document object and its blocks only when they
  are needed at the end (the in-memory API, ``--strip-passages``);
- the per-word features (document shingle sets, passage n-gram sequences, raw word offsets, passage
  n-gram sets) go to flat on-disk arrays (``store``), the passage band keys to one file per band;
- in memory: the rank fields and LSH band keys per document, the word ranges per passage, offsets.

Then: document candidates (LSH; every pair of documents sharing a passage; an exact search of each
short document's rare shingles in all others, so a short document contained in a long one is found
whatever their Jaccard) -> exact verification (compiled, on the spooled sets) -> clusters guarded
against chaining (``cluster``) -> canonical per cluster (``canonical``) -> passage links
(``passages``, band by band, verified in chunks) -> optional passage stripping (``strip``). The
outputs are written from the spool: ``documents.jsonl`` in input order, ``canonical.jsonl`` and
``clusters.jsonl`` in id order, ``stats.json``. Every decision is a function of the documents' ids
and contents, never of the input order.
"""
from __future__ import annotations

import json
import os
import pickle
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from cleantext import timing
from cleantext.config import Config, DedupConfig
from cleantext.dedup.canonical import RankInfo, rank_key
from cleantext.dedup.cluster import build_clusters
from cleantext.dedup.lsh import all_bands, candidate_pairs, lsh_params
from cleantext.dedup.passages import PassageIndex
from cleantext.dedup.sketch import Sketch, sketch_batch, sketch_results
from cleantext.dedup.strip import strip_passages
from cleantext.dedup.store import FlatSpool, Segments, offsets_of
from cleantext.dedup.verify import Overlap, contained_pairs, is_duplicate, overlap
from cleantext.dedup.verify import overlaps as verify_overlaps
from cleantext.dedup.records import Fragments, fragments
from cleantext.document import Document, PassageMatch, dedupe_fields
from cleantext.io import jsonl_line

__all__ = ["DedupeResult", "dedupe", "dedupe_paths", "dedupe_results", "document_record", "write_outputs"]

_BATCH = 256  # documents per feature batch (vectorised shingles and signatures)
_PAIR_CHUNK = 1 << 16  # candidate document pairs verified between two releases of the sets' pages
_SPAN_CHUNK = 1 << 14  # passage matches whose raw spans are read between two releases of the pages


@dataclass(slots=True)
class DedupeResult:
    """What dedupe found: the documents (input order, dedupe fields set), the duplicate clusters
    (records of clusters.jsonl) and the statistics (stats.json)."""

    documents: list[Document]
    clusters: list[dict[str, Any]]
    stats: dict[str, Any]
    related: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # id -> "related" records


@dataclass(slots=True)
class _Links:
    """Per-document decisions of the analysis phase (feature index -> ...)."""

    cluster_of: dict[int, int] = field(default_factory=dict)  # member -> canonical (clusters >= 2)
    score: dict[int, Overlap] = field(default_factory=dict)  # non-canonical member -> overlap
    passages: dict[int, list[tuple[int, int, int, int, int, float]]] = field(default_factory=dict)
    related: dict[int, list[tuple[int, Overlap]]] = field(default_factory=dict)
    cuts: dict[int, list[tuple[int, int, int, int, int, float]]] = field(default_factory=dict)


class _Corpus:
    """Features of the documents seen so far, and the spool holding the documents themselves."""

    def __init__(self, cfg: DedupConfig, spool: IO[bytes], directory: Path, keep_documents: bool,
                 threads: int = 1) -> None:
        self.cfg = cfg
        self.threads = threads  # threads of the analysis's compiled parts (the run's worker count)
        self.spool = spool
        self.keep_documents = keep_documents or cfg.strip_passages  # spool Document objects and blocks
        self.removals: Counter[str] = Counter()  # removal reasons of the output documents
        self.passages = PassageIndex(cfg.passage_shingle_size, directory,
                                     all_bands(cfg.passage_candidate_threshold, cfg.num_perm)[0], cfg.passage_band_hits)
        self.doc_sets = FlatSpool(directory / "doc_sets.u32", np.uint32)  # document shingle sets
        self.set_sizes: list[np.ndarray] = []  # per batch: the size of each document's set
        self.sets: Segments | None = None  # the sets and ...
        self.sizes = np.empty(0, dtype=np.int64)  # ... their sizes (set by ``analyse``)
        self.offsets: list[int] = []  # per input document: its position in the spool
        self.skipped: Counter[str] = Counter()
        self.feature_of: dict[int, int] = {}  # input index -> feature index (documents not skipped)
        self.input_of: list[int] = []  # feature index -> input index
        self.info: list[RankInfo] = []
        self.keys: list[np.ndarray] = []  # LSH band keys of documents with a non-empty set
        self.keyed: list[np.ndarray] = []  # their feature indices
        self.pending: list[tuple[Document, Sequence[Any]]] = []
        self.ids: list[str] = []  # feature index -> document id (set by ``analyse``)
        self.seconds: Counter[str] = Counter()

    def add(self, doc: Document, blocks: Sequence[Any]) -> None:
        if self._record(fragments(doc), (doc, tuple(blocks))):
            self.pending.append((doc, blocks))
            if len(self.pending) >= _BATCH:
                self.flush()

    def add_sketched(self, results: Sequence[Any], sketch: Sketch) -> None:
        """Add a batch of cleaned documents whose features and fragments were computed beside them (in a
        worker); ``results`` (the documents and blocks) may be empty when the run does not keep them."""
        self.flush()  # features stay in input order
        if self.keep_documents and len(results) != len(sketch.fragments):
            raise ValueError("a run that keeps its documents needs the cleaned results")
        with timing.stage("collect"):  # the main process's share of each batch: spooling, appending features
            for k, part in enumerate(sketch.fragments):
                self._record(part, (results[k].doc, tuple(results[k].blocks)) if self.keep_documents else None)
            self.extend(sketch)

    def _record(self, part: Fragments, kept: tuple[Document, tuple[Any, ...]] | None) -> bool:
        """Spool a document's output fragments (and the document and its blocks, ``kept``, when they are
        needed at the end); whether it takes part in dedupe (is not skipped)."""
        self.offsets.append(self.spool.tell())
        kept = kept if self.keep_documents else None
        pickle.dump((part.head, part.meta, part.empty, kept), self.spool, protocol=pickle.HIGHEST_PROTOCOL)
        self.removals.update(part.reasons)
        if part.skipped:
            self.skipped[part.skipped] += 1
            return False
        self.feature_of[len(self.offsets) - 1] = len(self.input_of)
        self.input_of.append(len(self.offsets) - 1)
        return True

    def flush(self) -> None:
        """Compute the features of the pending batch."""
        if self.pending:
            t0 = time.perf_counter()
            with timing.stage("sketch"):
                self.extend(sketch_batch(self.pending, self.cfg))
            self.pending = []
            self.seconds["sketch"] += time.perf_counter() - t0

    def extend(self, sketch: Sketch) -> None:
        """Append the features of the next documents (in feature order)."""
        first = len(self.info)
        self.info.extend(sketch.info)
        self.doc_sets.append(sketch.sets)
        self.set_sizes.append(sketch.set_sizes)
        if sketch.keyed.size:
            self.keyed.append(sketch.keyed + first)
            self.keys.append(sketch.keys)
        self.passages.add(sketch.passages)

    # -- analysis ------------------------------------------------------------------------------
    def is_duplicate(self, pair: tuple[int, int], ov: Overlap) -> bool:
        """Whether documents ``pair`` with overlap ``ov`` are duplicates (``verify.is_duplicate``)."""
        smaller = int(min(self.sizes[pair[0]], self.sizes[pair[1]]))
        return is_duplicate(ov, smaller, threshold=self.cfg.threshold, containment=self.cfg.containment,
                            min_contained=self.cfg.containment_min_shingles)

    def check(self, i: int, j: int) -> Overlap | None:
        """The overlap of documents i and j when they are duplicates, else None."""
        ov = overlap(self.sets[i], self.sets[j])
        return ov if self.is_duplicate((i, j), ov) else None

    def analyse(self) -> tuple[_Links, list[Any], dict[str, Any]]:
        """Candidates, verification, clusters, passage links and cuts."""
        cfg = self.cfg
        t0 = time.perf_counter()
        n = len(self.info)
        self.sets = sets = Segments(self.doc_sets, offsets_of(self.set_sizes))
        by_id = sorted(range(n), key=lambda f: (self.info[f].id, self.info[f].digest))
        order = [0] * n
        for pos, f in enumerate(by_id):
            order[f] = pos
        rank = [rank_key(info, cfg.preferred_sources) for info in self.info]
        self.ids = [info.id for info in self.info]
        candidates: set[tuple[int, int]] = set()
        doc_lsh: dict[str, int] = {}
        passage_lsh: dict[str, int] = {}
        if self.keys:
            keyed = np.concatenate(self.keyed)
            id_rank = np.asarray(order, dtype=np.int64)[keyed]  # independent of input order
            for i, j in candidate_pairs(np.concatenate(self.keys), rank=id_rank, stats=doc_lsh).tolist():
                a, b = int(keyed[i]), int(keyed[j])
                candidates.add((min(a, b), max(a, b)))
        lsh_candidates = len(candidates)
        self.sizes = sizes = sets.sizes()
        small = np.flatnonzero((sizes >= cfg.containment_min_shingles) & (sizes <= cfg.passage_window)).tolist()
        candidates |= contained_pairs(sets, small, cfg.containment)
        contained_candidates = len(candidates) - lsh_candidates
        t1 = time.perf_counter()
        spans, linked = self.passages.matches(cfg.passage_threshold, cfg.passage_min_words, order, passage_lsh,
                                              self.threads)
        t2 = time.perf_counter()
        candidates.update((min(x, y), max(x, y)) for x, y in (*spans, *linked))
        ordered = sorted(candidates)
        overlaps: dict[tuple[int, int], Overlap] = {}
        for c in range(0, len(ordered), _PAIR_CHUNK):  # the pages of the sets read are released per chunk
            part = ordered[c:c + _PAIR_CHUNK]
            overlaps.update(zip(part, verify_overlaps(np.asarray(part, dtype=np.int64), sets.flat, sets.offsets)))
            self.doc_sets.release()
        pairs = {p: ov for p, ov in overlaps.items() if self.is_duplicate(p, ov)}
        clusters = build_clusters(pairs, rank, self.check)
        self.doc_sets.release()
        links = _Links()
        for c in clusters:
            for v in c.members:
                links.cluster_of[v] = c.canonical
            links.score.update(c.to_canonical)
        t3 = time.perf_counter()
        passage_pairs = 0
        kept = _reported_pairs(spans, links.cluster_of)
        reported = [(x, y, m) for (x, y), matches in spans.items() if (x, y) in kept for m in matches]
        x_starts: list[int] = []
        x_ends: list[int] = []
        y_starts: list[int] = []
        y_ends: list[int] = []
        for c in range(0, len(reported), _SPAN_CHUNK):  # raw spans from the word-offset spools, whose
            part = reported[c:c + _SPAN_CHUNK]  # pages are dropped after each chunk
            for side, (starts, ends) in enumerate(((x_starts, x_ends), (y_starts, y_ends))):
                s, e = self.passages.raw_spans([r[side] for r in part],
                                               [r[2].y_lo if side else r[2].x_lo for r in part],
                                               [r[2].y_hi if side else r[2].x_hi for r in part])
                starts.extend(s)
                ends.extend(e)
            self.passages.release()
        at = 0  # position in ``reported``
        for (x, y), matches in spans.items():
            if (x, y) not in kept:
                continue
            cx, cy = links.cluster_of.get(x, x), links.cluster_of.get(y, y)
            if cx != cy:
                key = (min(x, y), max(x, y))
                links.related.setdefault(x, []).append((y, overlaps[key]))
                links.related.setdefault(y, []).append((x, overlaps[key]))
            first, second = (x, y) if rank[x] < rank[y] else (y, x)  # "first" keeps a shared passage
            for m in matches:
                passage_pairs += 1
                xs, xe, ys, ye = x_starts[at], x_ends[at], y_starts[at], y_ends[at]
                at += 1
                links.passages.setdefault(x, []).append((xs, xe, y, ys, ye, m.similarity))
                links.passages.setdefault(y, []).append((ys, ye, x, xs, xe, m.similarity))
                if cfg.strip_passages and links.cluster_of.get(first, first) == first:
                    cut = (xs, xe, y, ys, ye) if second == x else (ys, ye, x, xs, xe)
                    links.cuts.setdefault(second, []).append((*cut, m.similarity))
        t4 = time.perf_counter()
        self.seconds["document_candidates"] += t1 - t0
        self.seconds["passage_matching"] += t2 - t1
        self.seconds["verify_and_cluster"] += t3 - t2
        self.seconds["passage_links"] += t4 - t3
        counts = {"document_candidates": len(candidates), "document_lsh_candidates": lsh_candidates,
                  "document_contained_candidates": contained_candidates,
                  "verified_duplicate_pairs": len(pairs), "passage_links": passage_pairs,
                  "passage_candidate_pairs": passage_lsh.get("candidate_pairs", 0),
                  # rows of oversized LSH buckets paired only with the bucket's first lsh.MAX_BUCKET rows
                  "document_bucket_rows_capped": doc_lsh.get("capped_rows", 0),
                  "passage_bucket_rows_capped": passage_lsh.get("capped_rows", 0)}
        return links, clusters, counts

    def close(self) -> None:
        """Close the feature spools."""
        self.doc_sets.close()
        self.passages.close()

    # -- output --------------------------------------------------------------------------------
    def load(self, index: int) -> tuple[str, str, bool, tuple[Document, tuple[Any, ...]] | None]:
        """What ``_record`` spooled for input document ``index``."""
        self.spool.seek(self.offsets[index])
        return pickle.load(self.spool)

    def _matches(self, found: list[tuple[int, int, int, int, int, float]]) -> list[PassageMatch]:
        ids = self.ids
        return [PassageMatch(s, e, ids[o], os_, oe, sim)
                for s, e, o, os_, oe, sim in sorted(found, key=lambda p: (p[0], p[1], ids[p[2]], p[3]))]

    def _fields(self, f: int, links: _Links, empty: bool) -> dict[str, Any]:
        """The dedupe fields of feature document ``f`` whose clean text is ``empty`` or not."""
        canon = links.cluster_of.get(f, f)
        duplicate = canon != f
        return dedupe_fields(None if empty else self.ids[canon], self.ids[canon] if duplicate else None,
                             not empty and not duplicate, links.score[f].to_dict() if duplicate else None,
                             self._matches(links.passages.get(f, [])))

    def finished(self, index: int, links: _Links, count: bool = True) -> Document:
        """Input document ``index`` with its dedupe fields set and its shared passages cut (the
        document must have been spooled: ``keep_documents``); ``count``: add the cuts to ``removals``."""
        kept = self.load(index)[3]
        assert kept is not None, "finished() needs the spooled document"
        doc, blocks = kept
        f = self.feature_of.get(index)
        if f is None:  # skipped
            doc.canonical = False
            return doc
        cuts = self._matches(links.cuts.get(f, []))
        if cuts:
            before = len(doc.removed)
            strip_passages(doc, blocks, cuts)
            self.removals["dedup:passage"] += (len(doc.removed) - before) * count
        fields = self._fields(f, links, not doc.text)
        doc.cluster_id, doc.duplicate_of = fields["cluster_id"], fields["duplicate_of"]
        doc.canonical, doc.duplicate_score = fields["canonical"], fields["duplicate_score"]
        doc.passages = self._matches(links.passages.get(f, []))
        return doc

    def _cut(self, index: int, links: _Links, count: bool) -> Document | None:
        """Input document ``index`` finished when passages are cut from it (its text changes), else None."""
        f = self.feature_of.get(index)
        return self.finished(index, links, count) if f is not None and links.cuts.get(f) else None

    def document_line(self, index: int, links: _Links) -> tuple[bytes, bool]:
        """The documents.jsonl line of input document ``index`` (its cuts are counted in
        ``removals``), and whether it is canonical."""
        doc = self._cut(index, links, count=True)
        if doc is not None:
            record = doc.to_dict(dedupe=True)
            record["related"] = self.related(index, links)
            return jsonl_line(record).encode(), doc.canonical
        head, meta, empty, _ = self.load(index)
        part = Fragments(head, meta)
        f = self.feature_of.get(index)
        if f is None:  # skipped
            return part.document_line(dedupe_fields(None, None, False, None, []), []), False
        fields = self._fields(f, links, empty)
        return part.document_line(fields, self.related(index, links)), fields["canonical"]

    def canonical_line(self, index: int, links: _Links) -> bytes:
        """The canonical.jsonl line of input document ``index`` (a canonical one)."""
        doc = self._cut(index, links, count=False)
        if doc is not None:
            return jsonl_line(doc.to_dict()).encode()
        head, meta, _, _ = self.load(index)
        return Fragments(head, meta).canonical_line()

    def related(self, index: int, links: _Links) -> list[dict[str, Any]]:
        """Documents sharing a passage with input document ``index`` without being in its cluster,
        with the document-level overlap (why they are not duplicates)."""
        f = self.feature_of.get(index)
        rel = links.related.get(f, []) if f is not None else []
        return [{"id": self.ids[o], **ov.to_dict()} for o, ov in sorted(rel, key=lambda r: self.ids[r[0]])]


def _reported_pairs(spans: dict[tuple[int, int], Any], cluster_of: dict[int, int]) -> set[tuple[int, int]]:
    """The passage-linked document pairs that are reported: every pair of documents of different
    clusters; inside a cluster (where the whole text is shared) only a member and its canonical."""
    kept = set()
    for x, y in spans:
        cx, cy = cluster_of.get(x, x), cluster_of.get(y, y)
        if cx != cy or x == cx or y == cy:
            kept.add((x, y))
    return kept


def document_record(doc: Document, related: list[dict[str, Any]]) -> dict[str, Any]:
    """A documents.jsonl record: the contract fields, the dedupe fields and "related"."""
    record = doc.to_dict(dedupe=True)
    record["related"] = related
    return record


def _cluster_record(c: Any, ids: Sequence[str]) -> dict[str, Any]:
    return {
        "cluster_id": ids[c.canonical],
        "canonical": ids[c.canonical],
        "size": len(c.members),
        "members": sorted(ids[v] for v in c.members),
        "scores": {ids[v]: ov.to_dict() for v, ov in sorted(c.to_canonical.items(), key=lambda kv: ids[kv[0]])},
        "pairs": sorted(({"a": min(ids[i], ids[j]), "b": max(ids[i], ids[j]), **ov.to_dict()}
                         for (i, j), ov in c.pairs.items()), key=lambda r: (r["a"], r["b"])),
    }


class _Run:
    """One dedupe run over a stream of cleaned documents (see the module docstring)."""

    def __init__(self, results: Iterable[Any], cfg: Config, directory: Path, spool: IO[bytes],
                 keep_documents: bool) -> None:
        """``results``: ``pipeline.CleanResult`` items, or ``(batch of CleanResult, its Sketch)`` pairs
        (``pipeline.clean_path_batches`` with ``then=sketch_results``: sketched in the workers)."""
        self.cfg = cfg
        self.corpus = _Corpus(cfg.dedup, spool, directory, keep_documents, threads=max(1, cfg.workers))
        timing.take()  # stage times of this run only
        t0 = time.perf_counter()
        try:
            for item in results:
                if isinstance(item, tuple):
                    self.corpus.add_sketched(*item)
                else:
                    self.corpus.add(item.doc, item.blocks)
            self.corpus.flush()
        except BaseException:
            self.corpus.close()
            raise
        feature_seconds = self.corpus.seconds["sketch"]
        self.read_seconds = time.perf_counter() - t0 - feature_seconds
        with timing.stage("dedupe_analysis"):
            try:
                self.links, clusters, self.counts = self.corpus.analyse()
            finally:
                self.corpus.close()
        self.clusters = sorted((_cluster_record(c, self.corpus.ids) for c in clusters), key=lambda r: r["cluster_id"])
        self.canonical: list[tuple[str, int]] = []  # (id, input index) of canonical documents

    def documents(self) -> Iterator[tuple[Document, list[dict[str, Any]]]]:
        """Every input document in input order, finished, with its related documents (the run
        must keep its documents); counts canonicals."""
        for index in range(len(self.corpus.offsets)):
            doc = self.corpus.finished(index, self.links)
            if doc.canonical:
                self.canonical.append((doc.id, index))
            yield doc, self.corpus.related(index, self.links)

    def write_documents(self, f: IO[bytes]) -> None:
        """Write documents.jsonl (input order); note the canonical documents."""
        ids = self.corpus.feature_of
        for index in range(len(self.corpus.offsets)):
            line, canonical = self.corpus.document_line(index, self.links)
            f.write(line)
            if canonical:
                self.canonical.append((self.corpus.ids[ids[index]], index))

    def write_canonical(self, f: IO[bytes]) -> None:
        """Write canonical.jsonl (id order), after ``write_documents``."""
        for _, index in sorted(self.canonical):
            f.write(self.corpus.canonical_line(index, self.links))

    def stats(self, seconds: dict[str, float]) -> dict[str, Any]:
        d = self.cfg.dedup
        corpus = self.corpus
        bands, rows = lsh_params(d.candidate_threshold, d.num_perm)
        p_bands, p_rows = all_bands(d.passage_candidate_threshold, d.num_perm)
        clusters = self.clusters
        return {
            "documents": len(corpus.offsets),
            "skipped": dict(sorted(corpus.skipped.items())),
            "deduplicated": len(corpus.info),
            "canonical": len(self.canonical),
            "clusters": len(clusters),
            "duplicates": sum(c["size"] - 1 for c in clusters),
            "largest_cluster": max((c["size"] for c in clusters), default=0),
            **self.counts,
            "removals": dict(sorted(corpus.removals.items())),
            "parameters": {
                "num_perm": d.num_perm, "seed": d.seed, "shingle_size": d.shingle_size,
                "threshold": d.threshold, "containment": d.containment,
                "containment_min_shingles": d.containment_min_shingles,
                "candidate_threshold": d.candidate_threshold, "bands": bands, "rows": rows,
                "passage_min_words": d.passage_min_words, "passage_window": d.passage_window,
                "passage_shingle_size": d.passage_shingle_size, "passage_threshold": d.passage_threshold,
                "passage_candidate_threshold": d.passage_candidate_threshold,
                "passage_bands": p_bands, "passage_rows": p_rows, "passage_band_hits": d.passage_band_hits,
                "strip_passages": d.strip_passages, "preferred_sources": list(d.preferred_sources),
            },
            "seconds": {k: round(v, 3) for k, v in seconds.items()},
            "stage_seconds": timing.report(timing.take()),
        }

    def seconds(self, **extra: float) -> dict[str, float]:
        return {"read_and_clean": self.read_seconds, **self.corpus.seconds, **extra}


@contextmanager
def _workspace() -> Iterator[tuple[Path, IO[bytes]]]:
    """A temporary directory for the run's spools (removed afterwards), and the document spool in it."""
    with tempfile.TemporaryDirectory(prefix="cleantext-dedupe-") as tmp, open(Path(tmp) / "documents.pkl", "w+b") as spool:
        yield Path(tmp), spool


def dedupe_results(results: Iterable[Any], cfg: Config) -> DedupeResult:
    """Deduplicate cleaned documents (``pipeline.CleanResult`` items) in memory."""
    with _workspace() as (directory, spool):
        run = _Run(results, cfg, directory, spool, keep_documents=True)
        t0 = time.perf_counter()
        docs: list[Document] = []
        related: dict[str, list[dict[str, Any]]] = {}
        for doc, rel in run.documents():
            docs.append(doc)
            if rel:
                related[doc.id] = rel
        stats = run.stats(run.seconds(finish=time.perf_counter() - t0))
    return DedupeResult(docs, run.clusters, stats, related)


def write_outputs(results: Iterable[Any], cfg: Config, outdir: str | os.PathLike[str]) -> dict[str, Any]:
    """Deduplicate cleaned documents and write OUTDIR/{documents,canonical,clusters}.jsonl and
    stats.json (each atomically); return the stats."""
    from cleantext.io import atomic_writer

    out = Path(outdir)
    with _workspace() as (directory, spool):
        run = _Run(results, cfg, directory, spool, keep_documents=False)
        t0 = time.perf_counter()
        with timing.stage("write"):
            with atomic_writer(out / "documents.jsonl", "wb") as f:
                run.write_documents(f)
            with atomic_writer(out / "canonical.jsonl", "wb") as f:
                run.write_canonical(f)
            with atomic_writer(out / "clusters.jsonl") as f:
                for record in run.clusters:
                    f.write(jsonl_line(record))
        stats = run.stats(run.seconds(write=time.perf_counter() - t0))
    with atomic_writer(out / "stats.json") as f:
        f.write(json.dumps(stats, ensure_ascii=False, indent=2) + "\n")
    return stats


def _config(config: Config | None, options: dict[str, Any]) -> Config:
    """``config`` (default ``Config()``) with flat options applied; ``prefer`` (a source or a list
    of them) sets ``preferred_sources``."""
    prefer = options.pop("prefer", None)
    if prefer is not None:
        options["preferred_sources"] = (prefer,) if isinstance(prefer, str) else tuple(prefer)
    base = config if config is not None else Config()
    return base.with_options(**options) if options else base


def dedupe(documents: Iterable[Any], *, config: Config | None = None, **options: Any) -> DedupeResult:
    """Clean and deduplicate documents (str, dict like a JSONL record, or ``Document``) in memory.

    Options are the flat config fields (``threshold=0.8``, ``strip_passages=True``, ...) plus
    ``prefer`` (preferred sources for the canonical rule).
    """
    from cleantext.io import to_documents
    from cleantext.pipeline import clean_items

    cfg = _config(config, dict(options))
    return dedupe_results(clean_items(list(to_documents(documents, cfg.read)), cfg), cfg)


def dedupe_paths(paths: Sequence[str], outdir: str | os.PathLike[str], cfg: Config,
                 read_stats: Any = None) -> dict[str, Any]:
    """``cleantext dedupe PATHS -o OUTDIR``: read, clean, deduplicate, write; return the stats.
    ``read_stats`` (an ``io.ReadStats``) collects the bytes read."""
    from cleantext.io import ReadStats
    from cleantext.pipeline import clean_path_batches

    # the documents come back from the workers only when passages may be cut (``strip_passages``);
    # otherwise the sketch's fragments hold all the run needs of them
    batches = clean_path_batches(paths, cfg, stats=read_stats or ReadStats(), then=sketch_results,
                                 results=cfg.dedup.strip_passages)
    return write_outputs(batches, cfg, outdir)
