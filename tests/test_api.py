"""The library API: cleantext.clean and cleantext.clean_many."""
from __future__ import annotations

from pathlib import Path

import pytest

import cleantext
from cleantext import Config, Document

RU = ("Выборы сельских акимов прошли во всех регионах страны. Избиратели пришли на участки с утра, "
      "а явка оказалась выше, чем ожидали в избирательной комиссии. Кандидаты от партий и самовыдвиженцы "
      "боролись за голоса жителей, и в большинстве сел победитель определился в первом туре.")
EN = ("Voters in rural districts elected their local heads on Sunday. Turnout was higher than the election "
      "commission had expected, and in most villages the winner was decided in the first round of voting.")


def test_clean_returns_a_document_with_clean_text(seeds_dir: Path) -> None:
    raw = (seeds_dir / "004_1a49cd29ca5904ab.txt").read_text(encoding="utf-8")
    doc = cleantext.clean(raw)
    assert isinstance(doc, Document) and doc.raw == raw
    assert doc.text and len(doc.text) < len(raw) and doc.lang == "ru"
    for r in doc.removed:
        assert raw[r.start:r.end] == r.text


def test_options_reach_the_stages(seeds_dir: Path) -> None:
    raw = (seeds_dir / "002_ee57f83cae0cd9a8.txt").read_text(encoding="utf-8")
    off = cleantext.clean(raw, enabled=False)
    assert all(r.reason.startswith("meta:") for r in off.removed)
    assert cleantext.clean(raw, config=Config().with_options(enabled=False)).text == off.text
    with pytest.raises(TypeError, match="unknown"):
        cleantext.clean(raw, no_such_option=1)


def test_clean_takes_a_url_for_the_site() -> None:
    doc = cleantext.clean(RU, url="https://www.caravan.kz/news/x")
    assert (doc.url, doc.site, doc.text, doc.source) == ("https://www.caravan.kz/news/x", "caravan.kz", RU, None)


def test_clean_of_nothing_is_a_skip_not_an_error() -> None:
    doc = cleantext.clean("   \n ")
    assert doc.skipped == "empty" and doc.text == ""


def test_clean_many_keeps_order_and_accepts_str_dict_document() -> None:
    items = [RU, {"id": "b", "text": EN, "url": "https://x.kz/1"}, Document(id="c", raw=RU + "\n\n" + EN),
             {"id": "d"}]
    docs = list(cleantext.clean_many(items))
    assert [d.id for d in docs] == ["0", "b", "c", "d"]
    assert docs[1].url == "https://x.kz/1"
    assert [d.skipped for d in docs] == [None, None, None, "missing_text"]
    assert [d.text for d in docs[:2]] == [RU, EN]
    assert [d.lang for d in docs] == ["ru", "en", "ru", "und"]
    assert docs[1].site == "x.kz"


def test_public_names() -> None:
    for name in ("clean", "clean_many", "Config", "ReadConfig", "RepairConfig", "LangConfig",
                 "BoilerplateConfig", "DedupConfig", "Document", "Removal", "PassageMatch"):
        assert name in cleantext.__all__ and hasattr(cleantext, name)
