"""One immutable config object per stage, overridable by keyword (``cfg.replace(x=1)``).

``Config`` bundles them; ``Config().replace(**{"dedup.threshold": 0.8})`` or
``Config.from_options(threshold=0.8)`` override single fields.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from typing import Any


class _Replaceable:
    def replace(self, **changes: Any):
        """A copy with the given fields changed (unknown names are an error)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ReadConfig(_Replaceable):
    """Reading inputs."""

    strict: bool = False  # raise on the first bad input instead of recording a skip
    text_field: str = "text"
    id_field: str = "id"
    max_bytes: int = 50_000_000  # a document larger than this is skipped as "too_large"
    min_chars: int = 1  # a document with fewer non-space characters is skipped as "empty"


@dataclass(frozen=True)
class RepairConfig(_Replaceable):
    """Text repair (ftfy + NFC + white space)."""

    fix_mojibake: bool = True
    unescape_html: bool = True
    normalization: str = "NFC"


@dataclass(frozen=True)
class LangConfig(_Replaceable):
    """Language detection (langdetect, seeded)."""

    seed: int = 0
    sample_chars: int = 2000  # detect on at most this many characters
    min_chars: int = 20  # shorter clean text is "und"


@dataclass(frozen=True)
class BoilerplateConfig(_Replaceable):
    """Boilerplate removal: typed widget rules, block classifier, corpus templates."""

    enabled: bool = True
    rules: bool = True
    classifier: bool = True
    templates: bool = True
    template_min_count: int = 3  # a line key seen on at least this many pages of one site is template


@dataclass(frozen=True)
class DedupConfig(_Replaceable):
    """Document and passage level near-duplicate detection."""

    num_perm: int = 128
    shingle_size: int = 5
    threshold: float = 0.7  # Jaccard for a document duplicate
    containment: float = 0.8  # share of the smaller document found in the larger
    seed: int = 1
    passage_min_words: int = 30
    passage_window: int = 100  # words per window when a paragraph is longer
    passage_threshold: float = 0.6
    strip_passages: bool = False
    preferred_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config(_Replaceable):
    """The whole pipeline's configuration."""

    read: ReadConfig = field(default_factory=ReadConfig)
    repair: RepairConfig = field(default_factory=RepairConfig)
    lang: LangConfig = field(default_factory=LangConfig)
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    workers: int = 1

    @classmethod
    def from_options(cls, **options: Any) -> "Config":
        """Build a config from flat keyword options, each naming a field of one stage's config."""
        cfg = cls()
        return cfg.with_options(**options)

    def with_options(self, **options: Any) -> "Config":
        """A copy with flat options applied ("threshold=0.8" or "dedup.threshold=0.8")."""
        stages = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "workers"}
        top: dict[str, Any] = {}
        changes: dict[str, dict[str, Any]] = {name: {} for name in stages}
        for key, value in options.items():
            stage, _, name = key.rpartition(".")
            if key == "workers":
                top["workers"] = value
                continue
            owners = [s for s, c in stages.items() if name in {f.name for f in fields(c)}
                      and (not stage or s == stage)]
            if len(owners) != 1:
                raise TypeError(f"unknown or ambiguous option {key!r}" +
                                (f" (in {', '.join(owners)}: prefix it)" if owners else ""))
            changes[owners[0]][name] = value
        new = {s: stages[s].replace(**c) for s, c in changes.items() if c}
        return dataclasses.replace(self, **new, **top)
