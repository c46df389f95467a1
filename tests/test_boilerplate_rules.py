"""Typed widget detectors: each reason on real-looking lines in several languages, and article
lines that must never match."""
from __future__ import annotations

import re

import pytest

from cleantext.boilerplate.rules import DEFAULT_RULES, RULES, Rule, RuleSet

HITS = {
    "widget:exchange_rate": ["USD:", "513.7 / 516.3", "$ 495.1", "EUR 601.0 / 606.0", "€ 1,08",
                             "RUB: 6.39 / 6.51", "Нефть Brent 63.5"],
    "widget:weather": ["+3 °C", "-12°", "Погода: +5 °C", "Алматы +3 °C", "Wetter 12 °C"],
    "widget:counter": ["6549", "0", "1 250", "12 просмотров", "5 comments", "Комментарии: 3",
                       "3 пікір", "120 Aufrufe", "👁 1234", "Image 3 of 5", "Фото 2 из 10",
                       "(16 Videos)"],
    "widget:date": ["26 Апреля 2023", "6 Февраля", "2026 Год", "November 20, 2019", "10:31",
                    "2019-11-20", "20.11.2019 14:05", "Сегодня, 14:30", "12 қараша 2024 ж.",
                    "5 hours ago", "3 часа назад", "2 days ago at 08:12 am", "Published: Nov 19, 2019", "19. März 2024",
                    "12 de marzo de 2024", "3 listopada 2023", "le 4 juin 2024"],
    "widget:ui": ["A A A", "• A", "Print", "Версия для печати", "Поделиться", "Subscribe Sign In",
                  "Бөлісу", "Drucken", "Partager", "Compartir", "Udostępnij",
                  "Follow VentureBeat on Facebook", "Подписывайтесь на наш Telegram-канал"],
    "widget:credit": ["Фото: Kazpravda.kz / Адильбек Тауекелов", "Фото - Caravan.kz",
                      "Image Credit: WeWork", "Photo by John Smith", "Сурет: Akorda.kz",
                      "Quelle: dpa", "Źródło: PAP"],
    "widget:trending_header": ["В тренде:", "Читайте также", "Read more", "Lesen Sie auch",
                               "Lire aussi", "Leer más", "Czytaj też", "Most Read",
                               "Related Articles", "Тағы оқыңыз"],
    "widget:teaser": ["Читайте также: Токаев провел встречу с акимами",
                      "Напомним, ранее аким уволился по собственному желанию в Костанайской области.",
                      "Read more: Why the markets fell today"],
    "widget:headline_list": ["1🥩 В Астане откроется праздничная ярмарка «Соғым-FEST»",
                             "10🍫 Санврачи опровергли сообщения об опасных веществах"],
    "widget:tags": ["Теги: выборы, акимы, Казахстан", "Tags: politics, elections",
                    "#выборы #акимы", "Рубрика: Политика"],
    "widget:widget_id": ["lw-3094948329-4", "9f86d081884c7d659a2feaa0c55ad015"],
    "widget:separator": ["-", "***", "———", "• • •", "=== ==="],
    "widget:copyright": ["© 2005-2019 SlashGear, All Rights Reserved.",
                         "Все права защищены. При цитировании ссылка обязательна."],
    "widget:cookies": ["We use cookies to improve your experience on our site."],
    "widget:comments": ["Join the discussion", "Leave a Reply", "Оставить комментарий"],
    "widget:byline": ["By John Smith", "Chris Davies - Nov 19, 2019, 10:31 pm CST"],
}

ARTICLE = [
    "Более 40 процентов населения Казахстана проживает в селах.",
    "— Акимы — прямые представители власти в каждом населенном пункте.",
    "- Это очень ответственная работа, - сказал Токаев.",
    "«С 2021 года в стране внедрен институт прямых выборов сельских акимов.",
    "1. Провести выборы в сельских округах.",
    "Выборы акимов районов",
    "The company shelved its plans for an initial public offering on September 30.",
    "A spokeswoman for Neumann declined to comment.",
    "Photos show the damage.",
    "In 2019 the rate rose to 5.25%.",
    "Ауыл әкімдерінің сайлауы өтті.",
    "COVID-19",
    "Пенсия 2026",
    "Нефть",
    "Доллар",
]


@pytest.mark.parametrize("reason,text", [(r, t) for r, ts in HITS.items() for t in ts])
def test_rule_hits(reason: str, text: str) -> None:
    hit = DEFAULT_RULES.match(text)
    assert hit is not None and hit[0] == reason, (text, hit)
    assert 0 < hit[1] <= 1


@pytest.mark.parametrize("text", ARTICLE)
def test_article_lines_do_not_match(text: str) -> None:
    assert DEFAULT_RULES.match(text) is None


def test_long_lines_skip_rules() -> None:
    assert DEFAULT_RULES.match("Фото: " + "слово " * 100) is None


def test_rules_are_data_without_capturing_groups() -> None:
    assert all(isinstance(r, Rule) and re.compile(r.pattern).groups == 0 for r in RULES)
    with pytest.raises(ValueError):
        RuleSet((Rule("widget:x", r"(a)"),))


def test_custom_ruleset() -> None:
    rules = RuleSet((Rule("widget:promo", r"promo code \w+", 0.5),))
    assert rules.match("Promo code SAVE10") == ("widget:promo", 0.5)
    assert rules.match("USD:") is None


def test_case_insensitive_parts_of_cased_rules_are_prefiltered_correctly() -> None:
    # the first-character prefilter reads (?i) flags: a global or group flag lets "B" start "by"
    for pattern in (r"(?i)by [A-Z]\w+", r"(?i:by) [A-Z]\w+"):
        rules = RuleSet((Rule("widget:byline", pattern, cased=True),), ())
        assert rules.match("BY Smith") == ("widget:byline", 1.0)
        assert rules.match("By Smith") == ("widget:byline", 1.0)
        assert rules.match("Bx Smith") is None


def test_match_lines_equals_match_line_by_line() -> None:
    lines = [t for ts in HITS.values() for t in ts] + ARTICLE + ["• • •", "* Share", "▶ 12:30",
                                                                "• cookie policy", "İSTANBUL 12"]
    assert DEFAULT_RULES.match_lines(lines) == [DEFAULT_RULES.match(t) for t in lines]
    skip = [i % 3 == 0 for i in range(len(lines))]
    assert DEFAULT_RULES.match_lines(lines, skip) == [
        None if s else DEFAULT_RULES.match(t) for t, s in zip(lines, skip)]


def test_line_cache_gives_the_same_hits(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleantext.boilerplate.rules as rules_mod

    lines = [t for ts in HITS.values() for t in ts] + ARTICLE + ["• • •", "* Share"]
    cold = [RuleSet().match(t) for t in lines]  # a fresh rule set per line: nothing cached
    rules = RuleSet()
    assert rules.match_lines(lines) == cold
    assert rules.match_lines(lines[::-1]) == cold[::-1]  # every line from the cache now
    assert rules.match_lines(lines + lines) == cold + cold
    monkeypatch.setattr(rules_mod, "_LINE_CACHE", 5)  # a full cache is cleared, hits unchanged
    small = RuleSet()
    for k in range(0, len(lines), 4):
        assert small.match_lines(lines[k:k + 4]) == cold[k:k + 4]
        assert len(small._lines) <= 5
    small.clear_line_cache()
    assert not small._lines
