"""Metadata: site, date and title, and the spans they take out of the text."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.config import RepairConfig
from cleantext.document import Document
from cleantext.text.meta import extract_meta, parse_date, site_of
from cleantext.text.segment import join_blocks, to_blocks

SEEDS = {p.name[:3]: p for p in (Path(__file__).parent.parent / "seeds").glob("*.txt")}


def _run(raw: str, **fields) -> tuple[Document, list]:
    doc = Document(id=fields.pop("id", "doc"), raw=raw, **fields)
    return doc, extract_meta(doc, to_blocks(raw, RepairConfig()))


def _seed(name: str) -> tuple[Document, list]:
    return _run(SEEDS[name].read_text(encoding="utf-8"), id=SEEDS[name].stem)


@pytest.mark.parametrize("value, site", [
    ("https://www.caravan.kz/news/1", "caravan.kz"), ("https://Tengrinews.KZ:443/a", "tengrinews.kz"),
    ("caravan.kz/2023/article.txt", "caravan.kz"), ("президент.рф/новости/1", "президент.рф"),
    ("seeds/000.txt", None), ("000_8b13ecfee196e07e", None), ("caravan.kz", None),
    ("http://localhost:8000/x", None), (None, None), ("", None)])
def test_site_of(value, site) -> None:
    assert site_of(value) == site


def test_site_from_url_then_id() -> None:
    assert _run("Текст.", url="https://www.zakon.kz/x")[0].site == "zakon.kz"
    assert _run("Текст.", id="inform.kz/2025/1")[0].site == "inform.kz"


@pytest.mark.parametrize("text, iso", [
    ("• 26 Апреля 2023", "2023-04-26"), ("28.11.2025 10:45", "2025-11-28"),
    ("2025-11-28T10:00:00", "2025-11-28"), ("April 26, 2023", "2023-04-26"),
    ("3 декабря 2024 г.", "2024-12-03"), ("2023 жылғы 26 сәуір", "2023-04-26"),
    ("31 февраля 2023", None), ("в 2023-2024 годах", None), ("1 500 человек", None)])
def test_parse_date(text, iso) -> None:
    assert parse_date(text) == iso


def test_date_prefix_is_removed_and_remainder_kept_with_offsets() -> None:
    for name in ("000", "001"):
        doc, blocks = _seed(name)
        assert doc.date == "2025-11-28"
        (removal,) = [r for r in doc.removed if r.reason == "meta:date"]
        assert removal.text == "date 2025-11-28" == doc.raw[removal.start:removal.end]
        first = blocks[0]
        assert doc.raw[first.start:first.end] == first.raw
        assert first.text.startswith(("— Выборы", "Фото:"))
        assert doc.raw[first.raw_offset(0)] == first.text[0]


def test_date_prefix_in_a_repaired_line_maps_back() -> None:
    raw = "date 2025-11-28 &amp;  Текст статьи"
    doc, blocks = _run(raw)
    assert blocks[0].text == "& Текст статьи"
    assert raw[blocks[0].raw_offset(0)] == "&"
    assert raw[blocks[0].raw_offset(2)] == "Т"


def test_a_date_only_first_line_is_dropped() -> None:
    doc, blocks = _run("date 2025-11-28\n\n«5 фактов о выборах акимов» - Караван\nТекст.")
    assert doc.date == "2025-11-28" and doc.title == "«5 фактов о выборах акимов»"
    assert [b.text for b in blocks] == ["Текст."]
    assert [r.reason for r in doc.removed] == ["meta:date", "meta:title"]


def test_given_date_is_kept_but_prefix_still_removed() -> None:
    doc, blocks = _run("date 2025-11-28\nТекст статьи.", date="2024-01-01")
    assert doc.date == "2024-01-01" and [b.text for b in blocks] == ["Текст статьи."]


def test_date_from_a_date_line_and_from_day_month_plus_year_lines() -> None:
    assert _seed("004")[0].date == "2023-04-26"  # the article's date, not the header widget's
    assert _run("Алматы\n2026 Год\n6 Февраля\nТекст статьи.")[0].date == "2026-02-06"
    assert _run("Текст о событиях 26 апреля 2023 года в длинном предложении статьи.")[0].date is None


def test_title_with_portal_suffix_and_repeats() -> None:
    doc, blocks = _seed("004")
    assert doc.title == "Более 1,3 тысячи сельских акимов изберут в 2023-2024 годах"
    reasons = [r.reason for r in doc.removed]
    assert reasons.count("meta:title") == 1 and reasons.count("meta:title_repeat") == 2
    for r in doc.removed:
        assert doc.raw[r.start:r.end] == r.text
    assert all(b.key != blocks[0].key or "тысячи" not in b.text for b in blocks)
    assert "Более 1,3 тысячи" not in join_blocks(blocks).split("\n")[0]


def test_no_title_when_the_text_starts_with_the_article() -> None:
    for name in ("000", "001", "002", "003"):
        assert _seed(name)[0].title is None


def test_title_needs_evidence_beyond_its_shape() -> None:
    assert _run("Фото: Агентство / Иван Петров\n\nДлинный текст статьи о выборах.")[0].title is None
    doc, blocks = _run("Токаев провёл совещание по выборам | Tengrinews.kz\nТекст статьи.")
    assert doc.title == "Токаев провёл совещание по выборам"
    assert [b.text for b in blocks] == ["Текст статьи."]
    doc, blocks = _run("Акимы сел избраны впервые\n\nАкимы сел избраны впервые\nТекст.")
    assert doc.title == "Акимы сел избраны впервые" and [b.text for b in blocks] == ["Текст."]


@pytest.mark.parametrize("first, title", [
    ("US service members killed in helicopter crash | Afghanistan News | Al Jazeera",
     "US service members killed in helicopter crash"),
    ("LeBron sets triple-double mark, Lakers hold off OKC 112-107 - San Antonio Express-News",
     "LeBron sets triple-double mark, Lakers hold off OKC 112-107"),
    ("악녀의 덫에 걸린 이유리, 의외로 막장극 어울리는 남상미 - Entermedia",
     "악녀의 덫에 걸린 이유리, 의외로 막장극 어울리는 남상미"),
    ("Диета Аткинса (14 дней) - потеря веса до 10 кг. Отзывы", None),  # not a site name
    ("Выборы акимов сельских округов прошли спокойно - итоги дня", None),
])
def test_portal_suffixes(first: str, title: str | None) -> None:
    assert _run(first + "\n\nТекст статьи о выборах.")[0].title == title


def test_given_title_removes_its_copies() -> None:
    doc, blocks = _run("Выборы акимов\nТекст.\nвыборы  акимов", meta={"title": "Выборы акимов"})
    assert doc.title == "Выборы акимов" and [b.text for b in blocks] == ["Текст."]
    doc, blocks = _run("Первая строка статьи.\nТекст.", meta={"title": "Заголовок"})
    assert doc.title == "Заголовок" and len(blocks) == 2


def test_extract_meta_twice_adds_nothing() -> None:
    raw = SEEDS["004"].read_text(encoding="utf-8")
    doc = Document(id="x", raw=raw)
    blocks = to_blocks(raw, RepairConfig())
    extract_meta(doc, blocks)
    removed = list(doc.removed)
    extract_meta(doc, blocks)
    assert doc.removed == removed


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "date 2025-11-28 ", "Заголовок статьи о выборах - Караван", "Заголовок статьи о выборах",
    "26 Апреля 2023", "2026 Год", "6 Февраля", "&amp; ", "Текст статьи.", "\r\n", "\n\n", "  ",
    "Сaravan.kz", "| Site", "\u200b"]), max_size=12).map("".join))
def test_removals_and_blocks_point_into_the_raw_text(raw: str) -> None:
    doc, blocks = _run(raw)
    for r in doc.removed:
        assert 0 <= r.start < r.end <= len(raw) and raw[r.start:r.end] == r.text
    for b in blocks:
        assert raw[b.start:b.end] == b.raw
        assert all(b.start <= b.raw_offset(i) <= b.end for i in range(len(b.text) + 1))
    assert doc.date is None or parse_date(doc.date) == doc.date


def test_date_prefix() -> None:
    from cleantext.text.meta import date_prefix
    assert date_prefix("date 2025-11-28  Текст") == (15, 17, "2025-11-28")
    assert date_prefix("Дата: 2025-11-28") == (16, 16, "2025-11-28")
    assert date_prefix("date 2025-13-28 Текст") is None and date_prefix("Текст 2025-11-28") is None


def test_title_rule_keys_copies_with_any_key() -> None:
    from cleantext.text.meta import title_rule
    lines = ["Аким села избран в районе области", "Текст.", "АКИМ СЕЛА ИЗБРАН В РАЙОНЕ ОБЛАСТИ"]
    doc = Document(id="d", raw="\n".join(lines))
    assert title_rule(doc, lines[0], str.lower, lambda k: k in [s.lower() for s in lines[1:]]) == \
        ("Аким села избран в районе области", "аким села избран в районе области", True)
    assert title_rule(doc, lines[0], str, lambda k: k in lines[1:]) is None  # no copy: no evidence
    given = Document(id="d", raw="", meta={"title": " Другой  заголовок "})
    assert title_rule(given, lines[0], str, lambda k: False) == \
        ("Другой заголовок", "Другой заголовок", False)


def test_every_date_pattern_needs_a_year() -> None:
    from cleantext.text.meta import _DATES, _YEAR_HINT
    assert all("(?P<year>(?:19|20)\\d\\d)" in p.pattern for p in _DATES)
    assert _YEAR_HINT.search("26 апреля") is None and parse_date("26 апреля") is None


def _site_by_urlsplit(url: str) -> str | None:
    from urllib.parse import urlsplit

    from cleantext.text.meta import _DOMAIN
    host = urlsplit(url).hostname
    if not host:
        return None
    host = host.lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    return host if _DOMAIN.match(host) else None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["https://", "http://", "HTTP://", " https://", "ftp://"]),
       st.text(alphabet=st.sampled_from(list("aZ9.-_@:[]/?#\t wWкз")), max_size=20))
def test_site_of_a_url_is_urlsplits_host(scheme: str, rest: str) -> None:
    try:
        expected = _site_by_urlsplit(scheme + rest)
    except ValueError:  # urlsplit refuses it (a bad port or IPv6 literal): so does site_of
        with pytest.raises(ValueError):
            site_of(scheme + rest)
        return
    assert site_of(scheme + rest) == expected
