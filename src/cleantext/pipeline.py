"""Orchestration: documents in, clean documents (and their kept blocks) out.

Per document (``clean_document``, a pure function of the document, the config and the
template index, so it can run in a worker process):
``to_blocks`` -> ``extract_meta`` -> ``remove_boilerplate`` -> ``join_blocks`` ->
``detect_language`` on the clean text. Skipped documents pass through untouched. A batch
(``clean_batch``) runs the other stages document by document, then the language of all its
clean texts in one ``detect_languages`` call (its tables stay warm): the same labels.

Corpus templates need two passes: ``build_templates`` counts repeated lines per site
over the whole input (pass 1), then the documents are cleaned with the frozen index
(pass 2). ``clean_paths`` reads file inputs twice and spools standard input to a
temporary file so it can be read twice too.
"""
from __future__ import annotations

import pickle
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, Callable, Iterable, Iterator, NamedTuple, Sequence

from cleantext import timing
from cleantext.boilerplate import remove_boilerplate
from cleantext.boilerplate.templates import TemplateCounter, TemplateIndex
from cleantext.config import Config
from cleantext.document import Document
from cleantext.io import Raw, ReadStats, parse_items, read_inputs, read_items, stdin_bytes
from cleantext.parallel import map_batches
from cleantext.text.lang import detect_language, detect_languages
from cleantext.text.meta import extract_meta
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
    return _cleaned(doc, cfg, templates, language=True)


def clean_batch(docs: Sequence[Document], cfg: Config, templates: TemplateIndex | None = None) -> list[CleanResult]:
    """``clean_document`` of each document, the language of all clean texts found in one call."""
    results = [_cleaned(doc, cfg, templates, language=False) for doc in docs]
    done = [r.doc for r in results if not r.doc.skipped]
    try:
        with timing.stage("language"):
            langs = detect_languages([doc.text for doc in done], cfg.lang)
    except Exception:  # noqa: BLE001 - find the document that fails, as one call per document does
        return [_with_language(r, cfg) for r in results]
    for doc, lang in zip(done, langs):
        doc.lang = lang
    return results


def _cleaned(doc: Document, cfg: Config, templates: TemplateIndex | None, language: bool) -> CleanResult:
    if doc.skipped:
        return CleanResult(doc, ())
    try:
        return _clean(doc, cfg, templates, language)
    except Exception as e:  # noqa: BLE001 - one bad document must not end a corpus run
        return _failed(doc, e, cfg)


def _failed(doc: Document, e: Exception, cfg: Config) -> CleanResult:
    """Skip a document a stage failed on as "error" (under ``cfg.read.strict``, raise)."""
    if cfg.read.strict:
        raise e
    doc.text, doc.title, doc.lang, doc.removed = "", None, "und", []
    doc.skipped = "error"
    doc.notes.append(f"error: {type(e).__name__}: {e}")
    return CleanResult(doc, ())


def _with_language(result: CleanResult, cfg: Config) -> CleanResult:
    """``result`` with its document's language, or skipped when detecting it fails."""
    doc = result.doc
    if doc.skipped:
        return result
    try:
        with timing.stage("language"):
            doc.lang = detect_language(doc.text, cfg.lang)
    except Exception as e:  # noqa: BLE001 - one bad document must not end a corpus run
        return _failed(doc, e, cfg)
    return result


def _clean(doc: Document, cfg: Config, templates: TemplateIndex | None, language: bool) -> CleanResult:
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
    if language:
        with timing.stage("language"):
            doc.lang = detect_language(doc.text, cfg.lang)
    return CleanResult(doc, tuple(blocks))


def count_templates(docs: Iterable[Document], cfg: Config) -> TemplateCounter:
    """Pass 1 over some documents: repeated-line statistics per site from the raw lines (the
    documents stay unchanged)."""
    counter = TemplateCounter(cfg.boilerplate)
    counter.add_documents(doc for doc in docs if not doc.skipped)
    return counter


def needs_templates(cfg: Config) -> bool:
    """Whether cleaning uses a corpus template index (and so a first pass)."""
    return cfg.boilerplate.enabled and cfg.boilerplate.templates


def build_templates(docs: Iterable[Document | Raw], cfg: Config) -> TemplateIndex:
    """Pass 1 over the whole corpus (documents, or ``io.read_items`` items parsed in the workers),
    in parallel when ``cfg.workers > 1``."""
    total = TemplateCounter(cfg.boilerplate)
    for part in _parsed_in_order(_count_batch, docs, cfg, (cfg,)):
        total.merge(part.value)
        timing.add(part.seconds)
    return total.freeze(cfg.boilerplate)


def clean_results(docs: Iterable[Document], cfg: Config,
                  templates: TemplateIndex | None = None) -> Iterator[CleanResult]:
    """Pass 2: clean every document, in input order, in parallel when ``cfg.workers > 1``."""
    for batch, _ in clean_batches(docs, cfg, templates):
        yield from batch


def clean_batches(docs: Iterable[Document | Raw], cfg: Config, templates: TemplateIndex | None = None,
                  then: Callable[[list[CleanResult], Config], Any] | None = None, results: bool = True
                  ) -> Iterator[tuple[list[CleanResult], Any]]:
    """Pass 2 by batches, in input order: each batch's results and ``then(results, cfg)`` (None without
    ``then``), computed in the worker process beside the cleaning; the workers' stage times are added
    to this process's ``timing``. ``docs``: documents, or ``io.read_items`` items (parsed in the worker).
    Without ``results`` a batch comes back with no results, only ``then``'s: less to send between
    processes when ``then`` keeps what the caller needs."""
    for part in _parsed_in_order(_clean_batch, docs, cfg, (cfg, templates, then, results)):
        timing.add(part.seconds)
        yield part.value, part.extra


def clean_documents(docs: Iterable[Document], cfg: Config,
                    templates: TemplateIndex | None = None) -> Iterator[Document]:
    """Clean every document, in input order (skipped ones pass through)."""
    for result in clean_results(docs, cfg, templates):
        yield result.doc


def clean_paths(paths: Sequence[str], cfg: Config, *, stats: ReadStats | None = None,
                stdin: BinaryIO | None = None,
                on_scan: Callable[[], None] | None = None) -> Iterator[CleanResult]:
    """Read and clean inputs (files, directories, "-"), with the template pass when enabled.

    ``stats`` counts the reading of the cleaning pass; ``on_scan`` is called for each
    document read by the template pass (for a progress display).
    """
    for batch, _ in clean_path_batches(paths, cfg, stats=stats, stdin=stdin, on_scan=on_scan):
        yield from batch


def clean_path_batches(paths: Sequence[str], cfg: Config, *, stats: ReadStats | None = None,
                       stdin: BinaryIO | None = None, on_scan: Callable[[], None] | None = None,
                       then: Callable[[list[CleanResult], Config], Any] | None = None, results: bool = True
                       ) -> Iterator[tuple[list[CleanResult], Any]]:
    """``clean_paths`` by batches, with ``then`` run on each batch in the worker (see ``clean_batches``).

    The inputs are parsed in the workers (``io.read_items``), except under ``cfg.read.strict``, where
    this process reads them so that the first bad input in input order stops the run.
    """
    read = read_inputs if cfg.read.strict else read_items
    if not needs_templates(cfg):
        yield from clean_batches(read(paths, cfg.read, stats=stats, stdin=stdin), cfg, then=then, results=results)
        return
    with _replayable_stdin(paths, stdin) as spool:
        scan: Iterable[Document | Raw] = read(paths, cfg.read, stdin=spool())
        if on_scan is not None:
            scan = _tapped(scan, on_scan)
        templates = build_templates(scan, cfg)
        yield from clean_batches(read(paths, cfg.read, stats=stats, stdin=spool()), cfg, templates, then, results)


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


def _tapped(items: Iterable[Document | Raw], fn: Callable[[], None]) -> Iterator[Document | Raw]:
    for item in items:
        fn()
        yield item


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
class _Batch(NamedTuple):
    """What a batch function gives back: its value, ``then``'s, the stage times, and the ids it read first."""

    value: Any
    extra: Any
    seconds: dict[str, float]
    firsts: list[str]


def _parsed_in_order(fn: Callable[..., _Batch], items: Iterable[Document | Raw], cfg: Config,
                     context: tuple[Any, ...]) -> Iterator[_Batch]:
    """``fn`` over batches of ``items`` (``map_batches``), each batch parsed with its own set of seen ids;
    a batch that first read an id an earlier batch read is redone here with the ids of all earlier
    batches, so duplicate ids are skipped exactly as one sequential read skips them."""
    seen: set[str] = set()
    for batch, part in map_batches(fn, items, workers=cfg.workers, context=context, with_batch=True):
        if seen.isdisjoint(part.firsts):
            seen.update(part.firsts)
        else:
            timing.add(part.seconds)  # the work done, though redone
            part = fn(batch, context, seen)
        yield part


def _clean_batch(batch: list[Document | Raw],
                 context: tuple[Config, TemplateIndex | None, Callable | None, bool],
                 seen: set[str] | None = None) -> _Batch:
    cfg, templates, then, keep = context
    with timing.stage("parse"):
        docs, firsts = parse_items(batch, cfg.read, seen)
    results = clean_batch(docs, cfg, templates)
    extra = then(results, cfg) if then is not None else None
    return _Batch(results if keep else [], extra, timing.take(), firsts)


def _count_batch(batch: list[Document | Raw], context: tuple[Config], seen: set[str] | None = None) -> _Batch:
    with timing.stage("parse"):
        docs, firsts = parse_items(batch, context[0].read, seen)
    with timing.stage("templates"):
        counter = count_templates(docs, context[0])
    return _Batch(counter, None, timing.take(), firsts)
