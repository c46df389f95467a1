"""Document metadata from the text: site, date and title, with the spans they remove.

``extract_meta(doc, blocks)`` sets ``doc.site``, ``doc.date`` (only when the input gave none)
and ``doc.title``, appends a ``Removal`` for each span it takes out of the text ("meta:date"
for a leading ``date 2025-11-28`` prefix, "meta:title" for a headline first line,
"meta:title_repeat" for later copies of it) and returns the remaining blocks.

It is conservative about titles: the first line is a title only when it is headline-shaped
and there is evidence beyond its shape -- a portal suffix (" - Караван", " | Site"), a later
copy of it in the text, or a title given with the input.  A document that starts straight
with an article sentence has no title.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Callable, TypeVar
from urllib.parse import urlsplit

from cleantext.document import Document, Removal
from cleantext.text.keys import matching_key
from cleantext.text.segment import Block

_MONTHS = {
    # Russian (stems), Kazakh, English
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7,
    "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6, "шілде": 7,
    "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")[^\W\d_]*\.?)"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)"
_DATES = [re.compile(p, re.I) for p in (
    r"(?<!\d)" + _YEAR + r"-(?P<mon>[01]\d)-" + _DAY + r"(?!\d)",  # ISO
    r"(?<![\d.])" + _DAY + r"\.(?P<mon>[01]?\d)\." + _YEAR + r"(?!\d)",  # 28.11.2025
    r"(?<!\d)" + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + r"(?!\d)",  # 26 Апреля 2023
    r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"(?!\d)",  # April 26, 2023
    r"(?<!\d)" + _YEAR + r"\s*(?:ж\.|жылғы)\s*" + _DAY + r"\s+" + _MONTH,  # 2023 жылғы 26 сәуір
)]
_YEAR_HINT = re.compile(_YEAR.replace("?P<year>", ""))
_DAY_MONTH = re.compile(r"^\W*" + _DAY + r"\s+" + _MONTH + r"\W*$", re.I)
_YEAR_LINE = re.compile(r"^\W*" + _YEAR + r"(?:\s*(?:год|г\.|жыл|year)\w*)?\W*$", re.I)
_DATE_PREFIX = re.compile(r"^(?:date|дата|күні)\s*[:=]?\s*", re.I)
_DATE_LINE_MAX = 60  # a line this short that holds a date is a date line (not prose)
_DATE_SCAN_BLOCKS = 30  # dates are looked for in the first blocks only

_HOST_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_PLAIN_URL = re.compile(r"https?://([A-Za-z0-9.-]+)(?:[/?#]|$)")  # no user, port, odd characters
_DOMAIN = re.compile(r"^(?:" + _HOST_LABEL + r"\.)+(?:[^\W\d_]{2,24}|xn--[a-z0-9-]+)$")
_SUFFIX = re.compile(r"^(?P<title>.*\S)\s+(?:(?P<bar>[|·])|[-–—])\s+"
                     r"(?P<site>(?:(?!\s[-–—|·]\s).){2,40})$")
_SEPARATOR = re.compile(r"\s[-–—|·]\s")  # what every _SUFFIX match holds
_SITE_MAX_WORDS = 5
_SECTION_MAX_WORDS = 3
_TITLE_MIN, _TITLE_MAX = 15, 200  # headline length in characters
_TITLE_MIN_WORDS = 3
_K = TypeVar("_K")


def site_of(url_or_path: str | None) -> str | None:
    """The host of a URL without "www.", or the first directory of a path when it is a domain."""
    if not url_or_path:
        return None
    if (m := _PLAIN_URL.match(url_or_path)) is not None:  # what urlsplit gives, faster
        host = m.group(1)
    elif "://" in url_or_path:
        host = urlsplit(url_or_path).hostname
    else:
        parts = [p for p in re.split(r"[/\\]", url_or_path) if p]
        host = parts[0] if len(parts) > 1 else None
    return _site(host) if host else None


@lru_cache(maxsize=4096)
def _site(host: str) -> str | None:
    """A host lowercased, without "www." and a final dot, when it is a domain name."""
    host = host.lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    return host if _DOMAIN.match(host) else None


def _iso(year: str, month: int, day: str) -> str | None:
    try:
        return dt.date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None


def _month(name: str) -> int:
    name = name.casefold().rstrip(".")
    return next(n for stem, n in _MONTHS.items() if name.startswith(stem))


def parse_date(s: str) -> str | None:
    """The first date in ``s`` as yyyy-mm-dd (ISO, dotted, or with a month name), or None."""
    if _YEAR_HINT.search(s) is None:  # every pattern holds a year
        return None
    for pattern in _DATES:
        for m in pattern.finditer(s):
            groups = m.groupdict()
            month = int(groups["mon"]) if groups.get("mon") else _month(groups["month"])
            found = _iso(groups["year"], month, groups["day"])
            if found:
                return found
    return None


def _find_date(blocks: list[Block]) -> str | None:
    """A date line near the top; else a "6 Февраля" line next to a "2026 Год" line."""
    head = blocks[:_DATE_SCAN_BLOCKS]
    for b in head:
        if len(b.text) <= _DATE_LINE_MAX:
            found = parse_date(b.text)
            if found:
                return found
    for i, b in enumerate(head):
        m = _DAY_MONTH.match(b.text)
        if not m:
            continue
        for other in head[max(0, i - 2):i + 3]:
            y = _YEAR_LINE.match(other.text)
            if y:
                found = _iso(y.group("year"), _month(m.group("month")), m.group("day"))
                if found:
                    return found
    return None


def _cut(block: Block, raw: str, i: int) -> Block:
    """The part of ``block`` from index ``i`` of its text, with raw offsets kept right."""
    start = block.raw_offset(i)
    offsets = None
    if block.offsets is not None:
        shift = start - block.start
        offsets = tuple(o - shift for o in block.offsets[i:])
    text = block.text[i:]
    return Block(start, block.end, raw[start:block.end], text, matching_key(text),
                 block.blank_before, offsets)


def _remove(doc: Document, start: int, end: int, reason: str, score: float = 1.0) -> None:
    """Record a removed span once (extracting twice from one document adds nothing)."""
    removal = Removal(start, end, reason, doc.raw[start:end], score)
    if removal not in doc.removed:
        doc.removed.append(removal)


def date_prefix(text: str) -> tuple[int, str] | None:
    """A leading "date 2025-11-28" of a line: (the end of the date, the index where the rest of
    the line starts, the date as yyyy-mm-dd), or None."""
    m = _DATE_PREFIX.match(text)
    if not m:
        return None
    d = _DATES[0].match(text, m.end())
    found = d and _iso(d.group("year"), int(d.group("mon")), d.group("day"))
    if not found:
        return None
    return d.end(), len(text) - len(text[d.end():].lstrip()), found


def _date_prefix(doc: Document, blocks: list[Block]) -> list[Block]:
    """Remove a leading "date 2025-11-28" and set the date from it."""
    if not blocks:
        return blocks
    first = blocks[0]
    cut = date_prefix(first.text)
    if cut is None:
        return blocks
    date_end, rest, found = cut
    if doc.date is None:
        doc.date = found
    end = first.raw_offset(date_end - 1) + 1
    _remove(doc, first.start, end, "meta:date")
    if rest == len(first.text):
        return blocks[1:]
    return [_cut(first, doc.raw, rest)] + blocks[1:]


def _headline(text: str) -> bool:
    return (_TITLE_MIN <= len(text) <= _TITLE_MAX and not text.endswith((".", ",", ":", ";"))
            and not text[0].islower() and (text[0].isalnum() or text[0] in "«\"“„'‘[(")
            and len(text.split()) >= _TITLE_MIN_WORDS and any(map(str.isalpha, text)))


def _strip_suffix(text: str) -> tuple[str, bool]:
    """A headline without its portal suffix, and whether it had one.

    After a "| Site" suffix, short "| Section" parts before it go too ("X | World | Site").
    """
    m = _SUFFIX.match(text) if _SEPARATOR.search(text) is not None else None
    if not m:
        return text, False
    site = m.group("site").strip()
    named = not site[0].islower() or "." in site  # "Караван", "NBC 5 Dallas", "nj.com"
    if len(site.split()) > _SITE_MAX_WORDS or not (m.group("bar") or named):
        return text, False
    if not _headline(m.group("title")):
        return text, False
    title = m.group("title")
    while m.group("bar") and (m := _SUFFIX.match(title)) and m.group("bar") \
            and len(m.group("site").split()) <= _SECTION_MAX_WORDS and _headline(m.group("title")):
        title = m.group("title")
    return title, True


def title_rule(doc: Document, first: str, key_of: Callable[[str], _K],
               has_copy: Callable[[_K], bool]) -> tuple[str, _K, bool] | None:
    """The title decision for a document whose first line is ``first``: None (no title), else
    (the title, its key, whether the first line is it); the lines with that key (the first line
    aside) are its copies.  ``key_of`` keys a text, ``has_copy`` tells whether a line after the
    first has a key."""
    given = _given_title(doc)
    headline = _headline(first)
    if given is None and not headline:
        return None
    title, suffix = _strip_suffix(first) if headline else (first, False)
    key = key_of(given or title)
    if given is not None:
        return given, key, key_of(title) == key
    if not (suffix or has_copy(key)):
        return None
    return title, key, True


def _given_title(doc: Document) -> str | None:
    given = doc.meta.get("title")
    return " ".join(given.split()) if isinstance(given, str) and given.strip() else None


def _title(doc: Document, blocks: list[Block]) -> list[Block]:
    """Take a title off the top (see the module docstring) and drop its later copies."""
    if not blocks:
        return blocks
    first = blocks[0]
    rule = title_rule(doc, first.text, matching_key,
                      lambda key: any(b.key == key for b in blocks[1:]))
    if rule is None:
        return blocks
    doc.title, key, first_is_title = rule
    repeats = [b for b in blocks[1:] if b.key == key]
    if first_is_title:
        score = 1.0 if (repeats or _given_title(doc)) else 0.8  # a portal suffix alone is weaker
        _remove(doc, first.start, first.end, "meta:title", score)
    for b in repeats:
        _remove(doc, b.start, b.end, "meta:title_repeat")
    return [b for b in blocks[1 if first_is_title else 0:] if b.key != key]


def document_site(doc: Document) -> str | None:
    """The document's site: given, else from its URL, else from its id."""
    return doc.site if doc.site is not None else site_of(doc.url) or site_of(doc.id)


def extract_meta(doc: Document, blocks: list[Block]) -> list[Block]:
    """Set ``doc.site``, ``doc.date`` and ``doc.title``; return the blocks left as text."""
    doc.site = document_site(doc)
    blocks = _title(doc, _date_prefix(doc, blocks))
    if doc.date is None:
        doc.date = _find_date(blocks)
    return blocks
