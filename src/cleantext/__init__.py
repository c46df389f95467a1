"""cleantext: turn scraped news text into a clean, deduplicated corpus.

``clean(text, **options)`` cleans one text; ``clean_many(items, **options)`` cleans many
(str, dict or Document), streaming, in order. Options are the flat field names of the
stage configs (``Config.from_options``), e.g. ``clean(text, template_min_count=5)``.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from cleantext.config import (BoilerplateConfig, Config, DedupConfig, LangConfig, ReadConfig,
                              RepairConfig)
from cleantext.document import Document, PassageMatch, Removal

__version__ = "0.1.0"


def _config(config: Config | None, options: dict[str, Any]) -> Config:
    base = config if config is not None else Config()
    return base.with_options(**options) if options else base


def clean_many(items: Iterable[str | dict[str, Any] | Document], *, config: Config | None = None,
               **options: Any) -> Iterator[Document]:
    """Clean many documents, yielding them in input order.

    ``items``: strings (id = position), dicts with the JSONL fields (``id``, ``text``,
    ``url``, ``source``, ``date``, others kept as ``meta``) or Documents. Bad items are
    yielded with ``skipped`` set, as in files.
    """
    from cleantext.io import to_documents
    from cleantext.pipeline import clean_items

    cfg = _config(config, options)
    for result in clean_items(to_documents(items, cfg.read), cfg):
        yield result.doc


def clean(text: str, *, url: str | None = None, config: Config | None = None, **options: Any) -> Document:
    """Clean one text: the Document with clean ``text``, ``removed`` spans, ``lang``, ``title``, ``date``."""
    item: dict[str, Any] = {"id": "0", "text": text}
    if url:
        item["url"] = url
    return next(clean_many([item], config=config, **options))


def dedupe(items: Iterable[str | dict[str, Any] | Document], *, config: Config | None = None,
           **options: Any) -> Any:
    """Clean and deduplicate documents: a ``dedup.DedupeResult`` with ``.documents`` (input order,
    with ``cluster_id``, ``duplicate_of``, ``canonical``, ``duplicate_score``, ``passages``),
    ``.clusters``, ``.stats`` and ``.related``. Options as for ``clean`` plus the dedup fields
    (``threshold``, ``containment``, ``strip_passages``, ...) and ``prefer`` (preferred sources)."""
    from cleantext.dedup import dedupe as _dedupe

    return _dedupe(items, config=config, **options)


__all__ = ["BoilerplateConfig", "Config", "DedupConfig", "Document", "LangConfig",
           "PassageMatch", "ReadConfig", "Removal", "RepairConfig", "__version__",
           "clean", "clean_many", "dedupe"]
