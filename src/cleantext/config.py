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

    fix_mojibake: bool = True  # ftfy's encoding fixes (UTF-8 read as cp1251, latin-1, ...)
    unescape_html: bool = True  # "&amp;" -> "&" (skipped on a line that holds a "<" tag)
    normalization: str | None = "NFC"  # unicodedata form, or None to keep the code points
    uncurl_quotes: bool = False  # ftfy's ’ -> ' (off: the output keeps its typography; keys fold quotes)
    fast_path: bool = True  # skip ftfy on lines that provably need no fixing


@dataclass(frozen=True)
class LangConfig(_Replaceable):
    """Language detection over langdetect's profiles (text.lang)."""

    engine: str = "profiles"  # "profiles": exact naive Bayes; "langdetect": its seeded random trials
    seed: int = 0  # langdetect engine only
    sample_chars: int = 2000  # detect on at most this many characters (evenly spaced slices)
    min_chars: int = 20  # fewer letters than this in the sample: "und"
    kazakh_share: float = 0.06  # Kazakh letters (ә ғ қ ң ө ұ ү һ і) per Cyrillic letter for "kk"


@dataclass(frozen=True)
class BoilerplateConfig(_Replaceable):
    """Boilerplate removal: typed widget rules, block classifier, corpus templates."""

    enabled: bool = True
    rules: bool = True
    classifier: bool = True
    templates: bool = True
    template_min_count: int = 3  # a line key seen on at least this many pages of one site is template
    template_max_chars: int = 300  # longer lines are never counted as template (memory, reprints)
    template_corpus_max_words: int = 16  # without a site, only short list-like lines can be template
    # classifier (jusText-like; lengths in characters, densities = stopwords / words)
    length_low: int = 70  # shorter lines are "short": their neighbours decide
    length_high: int = 200  # longer prose lines are "good" on their own
    length_sentence: int = 100  # a prose line ending a sentence is "good" from this length on
    # stopword density relative to the document's typical prose density (about 0.55 in English)
    stopwords_low: float = 0.55  # below: not prose
    stopwords_high: float = 0.75  # at or above: prose
    sentence_min_words: int = 8  # a line ending a sentence with this many words is never "bad" alone
    max_link_density: float = 0.25  # link-like tokens (urls, "|", "»", @, #) per word
    headline_max_chars: int = 150  # a line without sentence punctuation up to this long is headline-like
    headline_run: int = 3  # this many headline-like lines in a row are a headline list
    region: bool = True  # drop lines outside the densest run of article prose
    region_gap_cost: float = 30.0  # cost (in characters of prose) of a dropped line inside the article
    region_lone_weight: float = 0.3  # weight of a good line with no good neighbour (teaser snippets)
    region_boundary_cost: float = 200.0  # cost of a section boundary ("Related", "Comments", tags;
    # once per run of boundary lines, not charged for a run with kept prose on both sides)


@dataclass(frozen=True)
class DedupConfig(_Replaceable):
    """Document and passage level near-duplicate detection (README: "Deduplication")."""

    num_perm: int = 128
    seed: int = 1  # MinHash permutations (datasketch's seed)
    shingle_size: int = 3  # words per document shingle (matching-key words; README: why 3)
    threshold: float = 0.5  # Jaccard of shingle sets for a document duplicate
    containment: float = 0.6  # or: share of the smaller document's shingles found in the larger
    containment_min_shingles: int = 10  # the containment rule needs at least this many shingles
    candidate_threshold: float = 0.4  # LSH threshold for document candidates (contained documents,
    #                                   with a low Jaccard, come from passage links)
    passage_min_words: int = 30  # shorter paragraphs (runs of short lines) are not passages
    passage_window: int = 100  # words per window when a paragraph is longer
    passage_shingle_size: int = 3  # words per passage shingle
    passage_threshold: float = 0.5  # Jaccard of the aligned spans' shingle sets for a passage match
    passage_candidate_threshold: float = 0.2  # LSH threshold for passage candidates (below the Jaccard
    #                                     of a minimal passage inside a window: 28/98 n-grams ~ 0.29)
    passage_band_hits: int = 2  # passages are candidates when their MinHashes agree on this many LSH
    #                             bands (of all num_perm // rows): chance pairs need two coincidences
    strip_passages: bool = False  # cut passages shared with an earlier canonical document
    preferred_sources: tuple[str, ...] = ()  # sites / hosts / path prefixes ranked first as canonical

    def __post_init__(self) -> None:
        for name in ("threshold", "containment", "passage_threshold"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"dedup {name} must be in (0, 1], got {getattr(self, name)}")
        for name in ("candidate_threshold", "passage_candidate_threshold"):
            if not 0.0 < getattr(self, name) < 1.0:
                raise ValueError(f"dedup {name} must be in (0, 1), got {getattr(self, name)}")
        for name in ("num_perm", "shingle_size", "passage_shingle_size", "passage_min_words",
                     "passage_window", "containment_min_shingles", "passage_band_hits"):
            if getattr(self, name) < 1:
                raise ValueError(f"dedup {name} must be at least 1, got {getattr(self, name)}")
        if not isinstance(self.preferred_sources, tuple):
            object.__setattr__(self, "preferred_sources", tuple(self.preferred_sources))


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
