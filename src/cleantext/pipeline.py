"""Orchestration: documents in, clean documents (and their kept blocks) out.

Per document (``clean_document``, a pure function of the document, the config and the
template index, so it can run in a worker process):
``to_blocks`` -> ``extract_meta`` -> ``remove_boilerplate`` -> ``join_blocks`` ->
``detect_language`` on the clean text. Skipped documents pass through untouched.

Corpus templates need two passes: ``build_templates`` counts repeated lines per site
over the whole input (pass 1), then the documents are cleaned with the frozen index
(pass 2). ``clean_paths`` reads file inputs twice and spools standard input to a
temporary file so it can be read twice too.
"""
from __future__ import annotations

import dataclasses
import pickle
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, Callable, Iterable, Iterator, Sequence

from cleantext import timing
from cleantext.boilerplate import remove_boilerplate
from cleantext.boilerplate.templates import TemplateCounter, TemplateIndex
from cleantext.config import Config
from cleantext.document import Document
from cleantext.io import ReadStats, read_inputs, stdin_bytes
from cleantext.parallel import map_batches
from cleantext.text.lang import detect_language
from cleantext.text.meta import extract_meta, text_blocks
from cleantext.text.segment import Block, join_blocks, to_blocks


@dataclass(frozen=True, slots=True)
class CleanResult:
    """A cleaned document and the blocks kept in its clean text (empty when skipped)."""

    doc: Document
    blocks: tuple[Block, ...]


def clean_document(doc: Document, cfg: Config, templates: TemplateIndex | None = None) -> CleanResult:
    """Clean one document in place: clean text, title, date, site, removals, language.

    A stage failing on a document skips that document as "error" with the exception in
    its notes (under ``cfg.read.strict`` the exception propagates).
    """
    if doc.skipped:
        return CleanResult(doc, ())
    try:
        return _clean(doc, cfg, templates)
    except Exception as e:  # noqa: BLE001 - one bad document must not end a corpus run
        if cfg.read.strict:
            raise
        doc.text, doc.title, doc.lang, doc.removed = "", None, "und", []
        doc.skipped = "error"
        doc.notes.append(f"error: {type(e).__name__}: {e}")
        return CleanResult(doc, ())


def _clean(doc: Document, cfg: Config, templates: TemplateIndex | None) -> CleanResult:
    with timing.stage("repair_segment"):
        blocks = to_blocks(doc.raw, cfg.repair)
    with timing.stage("meta"):
        blocks = extract_meta(doc, blocks)
    if cfg.boilerplate.enabled:
        with timing.stage("boilerplate"):
            blocks, removals = remove_boilerplate(blocks, site=doc.site, templates=templates,
                                                  cfg=cfg.boilerplate)
        doc.removed.extend(removals)
    with timing.stage("join"):
        doc.removed.sort(key=lambda r: (r.start, r.end, r.reason))
        doc.text = join_blocks(blocks)
    with timing.stage("language"):
        doc.lang = detect_language(doc.text, cfg.lang)
    return CleanResult(doc, tuple(blocks))


def count_templates(docs: Iterable[Document], cfg: Config) -> TemplateCounter:
    """Pass 1 over some documents: repeated-line statistics per site (the documents stay unchanged)."""
    counter = TemplateCounter(cfg.boilerplate)
    for doc in docs:
        if doc.skipped:
            continue
        scratch = dataclasses.replace(doc, removed=[], notes=[])
        blocks = text_blocks(scratch, to_blocks(doc.raw, cfg.repair))
        counter.add(scratch.site, blocks)
    return counter


def needs_templates(cfg: Config) -> bool:
    """Whether cleaning uses a corpus template index (and so a first pass)."""
    return cfg.boilerplate.enabled and cfg.boilerplate.templates


def build_templates(docs: Iterable[Document], cfg: Config) -> TemplateIndex:
    """Pass 1 over the whole corpus, in parallel when ``cfg.workers > 1``."""
    total = TemplateCounter(cfg.boilerplate)
    for part, seconds in map_batches(_count_batch, docs, workers=cfg.workers, context=(cfg, None)):
        total.merge(part)
        timing.add(seconds)
    return total.freeze(cfg.boilerplate)


def clean_results(docs: Iterable[Document], cfg: Config,
                  templates: TemplateIndex | None = None) -> Iterator[CleanResult]:
    """Pass 2: clean every document, in input order, in parallel when ``cfg.workers > 1``."""
    for batch, _ in clean_batches(docs, cfg, templates):
        yield from batch


def clean_batches(docs: Iterable[Document], cfg: Config, templates: TemplateIndex | None = None,
                  then: Callable[[list[CleanResult], Config], Any] | None = None, blocks: bool = True
                  ) -> Iterator[tuple[list[CleanResult], Any]]:
    """Pass 2 by batches, in input order: each batch's results and ``then(results, cfg)`` (None without
    ``then``), computed in the worker process beside the cleaning; the workers' stage times are added
    to this process's ``timing``. Without ``blocks`` the results come back without their blocks
    (``then`` still sees them): less to send between processes."""
    for batch, extra, seconds in map_batches(_clean_batch, docs, workers=cfg.workers,
                                             context=(cfg, templates, then, blocks)):
        timing.add(seconds)
        yield batch, extra


def clean_documents(docs: Iterable[Document], cfg: Config,
                    templates: TemplateIndex | None = None) -> Iterator[Document]:
    """Clean every document, in input order (skipped ones pass through)."""
    for result in clean_results(docs, cfg, templates):
        yield result.doc


def clean_paths(paths: Sequence[str], cfg: Config, *, stats: ReadStats | None = None,
                stdin: BinaryIO | None = None,
                on_scan: Callable[[Document], None] | None = None) -> Iterator[CleanResult]:
    """Read and clean inputs (files, directories, "-"), with the template pass when enabled.

    ``stats`` counts the reading of the cleaning pass; ``on_scan`` is called with each
    document read by the template pass (for a progress display).
    """
    for batch, _ in clean_path_batches(paths, cfg, stats=stats, stdin=stdin, on_scan=on_scan):
        yield from batch


def clean_path_batches(paths: Sequence[str], cfg: Config, *, stats: ReadStats | None = None,
                       stdin: BinaryIO | None = None, on_scan: Callable[[Document], None] | None = None,
                       then: Callable[[list[CleanResult], Config], Any] | None = None, blocks: bool = True
                       ) -> Iterator[tuple[list[CleanResult], Any]]:
    """``clean_paths`` by batches, with ``then`` run on each batch in the worker (see ``clean_batches``)."""
    if not needs_templates(cfg):
        yield from clean_batches(read_inputs(paths, cfg.read, stats=stats, stdin=stdin), cfg, then=then,
                                 blocks=blocks)
        return
    with _replayable_stdin(paths, stdin) as spool:
        scan: Iterable[Document] = read_inputs(paths, cfg.read, stdin=spool())
        if on_scan is not None:
            scan = _tapped(scan, on_scan)
        templates = build_templates(scan, cfg)
        yield from clean_batches(read_inputs(paths, cfg.read, stats=stats, stdin=spool()), cfg, templates, then,
                                 blocks)


def clean_items(docs: Iterable[Document], cfg: Config) -> Iterator[CleanResult]:
    """Clean documents given in memory, with the template pass when enabled.

    A list or tuple is iterated twice; any other iterable is spooled to a temporary
    file for the second pass, so memory stays bounded.
    """
    if not needs_templates(cfg):
        yield from clean_results(docs, cfg)
        return
    if isinstance(docs, (list, tuple)):
        yield from clean_results(docs, cfg, build_templates(docs, cfg))
        return
    with tempfile.TemporaryFile() as spool:
        templates = build_templates(_spooled(docs, spool), cfg)
        spool.seek(0)
        yield from clean_results(_unspool(spool), cfg, templates)


# -- two passes over one-shot streams ---------------------------------------------------------
@contextmanager
def _replayable_stdin(paths: Sequence[str], stdin: BinaryIO | None) -> Iterator[Callable[[], Any]]:
    """A function giving, on each call, standard input from its start (spooled if needed)."""
    if "-" not in paths:
        yield lambda: stdin
        return
    source = stdin if stdin is not None else stdin_bytes()
    if source is None:  # no standard input at all: the reader records that
        yield lambda: None
        return
    with tempfile.TemporaryFile() as spool:
        shutil.copyfileobj(source, spool)

        def rewound() -> BinaryIO:
            spool.seek(0)
            return spool  # type: ignore[return-value]

        yield rewound


def _tapped(docs: Iterable[Document], fn: Callable[[Document], None]) -> Iterator[Document]:
    for doc in docs:
        fn(doc)
        yield doc


def _spooled(docs: Iterable[Document], spool: IO[bytes]) -> Iterator[Document]:
    """Yield the documents while pickling a fresh copy of each into ``spool``."""
    for doc in docs:
        pickle.dump(doc, spool, protocol=pickle.HIGHEST_PROTOCOL)
        yield pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))


def _unspool(spool: IO[bytes]) -> Iterator[Document]:
    while True:
        try:
            yield pickle.load(spool)
        except EOFError:
            return


# -- batch functions for the worker processes (context: the config and the template index) --
def _clean_batch(batch: list[Document], context: tuple[Config, TemplateIndex | None, Callable | None, bool]
                 ) -> tuple[list[CleanResult], Any, dict[str, float]]:
    cfg, templates, then, blocks = context
    results = [clean_document(doc, cfg, templates) for doc in batch]
    extra = then(results, cfg) if then is not None else None
    if not blocks:
        results = [CleanResult(r.doc, ()) for r in results]
    return results, extra, timing.take()


def _count_batch(batch: list[Document], context: tuple[Config, None]) -> tuple[TemplateCounter, dict[str, float]]:
    with timing.stage("templates"):
        counter = count_templates(batch, context[0])
    return counter, timing.take()
