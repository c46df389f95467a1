"""remove_boilerplate: the API contract, the classifier with context smoothing, templates."""
from __future__ import annotations

import pickle
import random
import textwrap

import pytest

from cleantext.boilerplate import remove_boilerplate
from cleantext.boilerplate.classifier import (BAD, GOOD, NEAR_GOOD, LineInfo, classify_lines,
                                              main_region, smooth)
from cleantext.boilerplate.paragraphs import wrap_width, wrapped_units
from cleantext.boilerplate.templates import TemplateCounter, digest, template_key
from cleantext.config import BoilerplateConfig
from cleantext.text.segment import Block, to_blocks

CFG = BoilerplateConfig()
WORDS = ["один", "два", "три", "четыре", "пять"]

PROSE = [
    "Глава государства подчеркнул, что политическая реформа – это дело не одного дня, и даже "
    "не одного года, и что её нужно проводить постепенно, не разрушая единство страны.",
    "По его мнению, в первую очередь в стране должна быть система, всецело направленная на "
    "сохранение гражданских прав, и об этом он говорил уже не раз на встречах с избирателями.",
    "Касым-Жомарт Токаев заметил, что выборы в селах придали новый импульс работе политических "
    "партий в регионах, которые выдвигали своих кандидатов и активно участвовали в кампании.",
]
EN_PROSE = [
    "The company, which is expected to lay off thousands of employees beginning this week as it "
    "faces ballooning losses, confirmed on Monday that it had been contacted by the office.",
    "Neumann bought properties that he then leased back to the company, borrowed against his own "
    "stake in it, and had also planned to charge it almost $6 million to use his trademark.",
    "The company shelved its plans for an initial public offering on September 30 after investors "
    "grew wary of its losses, its business model, and its corporate governance at the time.",
]


def _doc(*lines: str) -> str:
    return "\n\n".join(lines)


def _run(raw: str, **kw):
    blocks = to_blocks(raw)
    kept, removed = remove_boilerplate(blocks, site=kw.pop("site", None),
                                       templates=kw.pop("templates", None),
                                       cfg=kw.pop("cfg", CFG), **kw)
    return blocks, kept, removed


def test_contract_offsets_reasons_scores() -> None:
    raw = _doc("USD:", "513.7 / 516.3", *PROSE, "В тренде:", "Пенсия 2026",
               "В Минтруда рассказали о графике выплаты пенсий")
    blocks, kept, removed = _run(raw)
    assert [b.text for b in kept] == PROSE
    assert len(kept) + len(removed) == len(blocks)
    for r in removed:
        assert raw[r.start:r.end] == r.text
        assert ":" in r.reason and 0 <= r.score <= 1
    assert [r.reason for r in removed][:2] == ["widget:exchange_rate", "widget:exchange_rate"]
    assert removed[2].reason == "widget:trending_header"
    # the header takes the list after it
    assert [r.reason for r in removed[3:]] == ["classifier:headline_list"] * 2


def test_kept_blocks_in_order_and_disabled_stage() -> None:
    raw = _doc(*PROSE, "6549", *EN_PROSE)
    blocks, kept, removed = _run(raw)
    assert [b.start for b in kept] == sorted(b.start for b in kept)
    assert [r.reason for r in removed] == ["widget:counter"]
    _, kept_off, removed_off = _run(raw, cfg=CFG.replace(enabled=False))
    assert removed_off == [] and len(kept_off) == len(blocks)
    assert remove_boilerplate([], site=None, templates=None, cfg=CFG) == ([], [])


def test_article_text_survives() -> None:
    """Quotes, short paragraphs, dialogue lines, numbered lists and sub-headings stay."""
    inner = ["— Да.", "- Это так, - ответил он.", "«Мы готовы».", "Итоги выборов",
             "1. Провести выборы в сёлах.", "2. Подвести итоги.", "3. Обсудить с жителями."]
    raw = _doc(PROSE[0], *inner[:4], PROSE[1], *inner[4:], PROSE[2])
    _, kept, removed = _run(raw)
    assert removed == []
    assert len(kept) == 10


def test_navigation_around_english_article_removed() -> None:
    nav = ["Home", "World", "Business", "Tech", "Science", "Sign In", "Subscribe"]
    related = ["Most Read", "Brookings: AI will heavily affect tech and white-collar jobs",
               "Hearthstone gets four new heroes in big update",
               "Clumio raises $135 million for cloud data backup and recovery tools"]
    footer = ["About Us", "Privacy Policy", "© 2019 Example Media. All rights reserved."]
    raw = _doc(*nav, *EN_PROSE, "A spokeswoman declined to comment.", *related, *footer)
    _, kept, removed = _run(raw)
    assert [b.text for b in kept] == EN_PROSE + ["A spokeswoman declined to comment."]
    reasons = {r.text: r.reason for r in removed}
    assert reasons["Most Read"] == "widget:trending_header"
    assert reasons["Hearthstone gets four new heroes in big update"] == "classifier:headline_list"


def test_headline_run_after_body_without_header() -> None:
    heads = ["Минфин признал кризис и рассказал об этом в законе о бюджете",
             "Землетрясение произошло в Каспийском море",
             "В Астане служебная собака помогла пресечь перевозку наркотиков",
             "Прогноз погоды в Астане, Алматы и Шымкенте на 21-23 декабря"]
    _, kept, removed = _run(_doc(*PROSE, *heads))
    assert [b.text for b in kept] == PROSE
    assert {r.reason for r in removed} == {"classifier:headline_list"}


def test_language_given_or_guessed_gives_same_result() -> None:
    raw = _doc("Home", *EN_PROSE, "Latest news")
    _, kept_guess, _ = _run(raw)
    _, kept_en, _ = _run(raw, lang="en")
    assert [b.text for b in kept_guess] == [b.text for b in kept_en] == EN_PROSE


def test_language_without_stopword_list_keeps_its_prose() -> None:
    prose = ["Rais wa Jamhuri ya Muungano wa Tanzania amesema kuwa serikali itaendelea "
             "kuboresha huduma za afya katika maeneo ya vijijini, hasa kwa wanawake na watoto.",
             "Akizungumza jijini Dodoma leo, amesema kuwa bajeti ya mwaka huu imeongezwa ili "
             "kujenga zahanati mpya na kununua vifaa vya kisasa kwa hospitali za wilaya."]
    _, kept, removed = _run(_doc("Nyumbani", *prose, "Habari zaidi"), lang="sw")
    assert [b.text for b in kept] == prose


# --- templates -----------------------------------------------------------------------------

def _blocks(*lines: str) -> list[Block]:
    return to_blocks("\n".join(lines))


def test_template_key_and_digest_are_stable() -> None:
    assert template_key("курс 513 7 / 516 3") == "курс 0 0 / 0 0"
    assert digest("abc") == digest("abc") and digest("abc") != digest("abd")
    assert digest("abc") == 0x2d3c2d3ed0a6a3a6 or isinstance(digest("abc"), int)


def _site_docs() -> list[list[Block]]:
    docs = []
    for i in range(4):
        docs.append(_blocks(f"Просмотров: {100 + i}", "Главная | Новости | Спорт",
                            PROSE[i % 3], "Подпишитесь на рассылку портала",
                            f"Уникальная строка о событии {WORDS[i]}"))
    return docs


def test_counter_counts_documents_not_lines_and_is_order_independent() -> None:
    docs = _site_docs()
    a = TemplateCounter(CFG)
    for d in docs:
        a.add("example.kz", d + d)  # a line repeated inside one document counts once
    b = TemplateCounter(CFG)
    shuffled = docs[:]
    random.Random(3).shuffle(shuffled)
    for d in shuffled:
        b.add("example.kz", d)
    assert a.sites == b.sites and a.corpus == b.corpus
    assert max(a.sites["example.kz"].values()) == 4


def test_merge_equals_single_pass_and_pickles() -> None:
    docs = _site_docs()
    whole = TemplateCounter(CFG)
    for d in docs:
        whole.add("example.kz", d)
    left, right = TemplateCounter(CFG), TemplateCounter(CFG)
    for d in docs[:2]:
        left.add("example.kz", d)
    for d in docs[2:]:
        right.add("example.kz", d)
    merged = pickle.loads(pickle.dumps(left)).merge(right)
    assert merged.sites == whole.sites and merged.corpus == whole.corpus
    assert merged.docs == whole.docs == 4


def test_site_templates_removed_with_reason_and_score() -> None:
    docs = _site_docs()
    counter = TemplateCounter(CFG)
    for d in docs:
        counter.add("example.kz", d)
    index = counter.freeze(CFG)
    kept, removed = remove_boilerplate(docs[0], site="example.kz", templates=index,
                                       cfg=CFG.replace(classifier=False, rules=False))
    reasons = {r.text: (r.reason, r.score) for r in removed}
    assert reasons["Просмотров: 100"] == ("template:site", 1.0)  # digits -> 0: rotating counter
    assert reasons["Подпишитесь на рассылку портала"][0] == "template:site"
    assert [b.text for b in kept] == [PROSE[0], "Уникальная строка о событии один"]
    # another site does not share the first one's templates; min_count is a parameter
    _, removed_other = remove_boilerplate(docs[0], site="other.kz", templates=index,
                                          cfg=CFG.replace(classifier=False, rules=False))
    assert all(r.reason == "template:corpus" for r in removed_other)
    strict = counter.freeze(CFG.replace(template_min_count=5))
    assert strict.sites == {} and strict.corpus == {}


def test_without_site_long_prose_repeated_is_never_template() -> None:
    quote = PROSE[0]
    counter = TemplateCounter(CFG)
    docs = [_blocks("Читайте нас в Telegram", quote, f"Своя строка про события {WORDS[i]}")
            for i in range(5)]
    for d in docs:
        counter.add(None, d)
    index = counter.freeze(CFG)
    kept, removed = remove_boilerplate(docs[0], site=None, templates=index,
                                       cfg=CFG.replace(classifier=False, rules=False))
    assert [r.reason for r in removed] == ["template:corpus"]
    assert quote in [b.text for b in kept]


def test_very_short_text_keeps_its_sentences() -> None:
    _, kept, _ = _run(_doc("Акимы сёл избраны.", "Итоги подведут завтра."))
    assert [b.text for b in kept] == ["Акимы сёл избраны.", "Итоги подведут завтра."]
    _, kept_nav, _ = _run(_doc("Главная", "Новости", "Спорт", "Погода в Алматы"))
    assert kept_nav == []


def test_list_introduced_by_the_text_is_kept() -> None:
    dates = ["June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL",
             "June 10 -- MIDFLORIDA Credit Union Amphitheatre, Tampa, FL",
             "June 12 -- Walmart AMP, Rogers, AR", "June 14 -- Starwood Amphitheatre, Nashville"]
    raw = _doc(*EN_PROSE, "The band's 2020 tour dates are the following:", *dates,
               "Most Read", "Hearthstone gets four new heroes in big update",
               "Clumio raises $135 million for cloud data backup and recovery tools",
               "Why The Mandalorian cites Fortnite in its credits")
    _, kept, removed = _run(raw)
    assert [b.text for b in kept][-5:] == ["The band's 2020 tour dates are the following:", *dates]
    assert len(removed) == 4


def test_hard_wrapped_paragraphs_are_classified_whole() -> None:
    text = ("ИРКУТСК, 10 августа. Превышение предельно допустимых концентраций вредных веществ в "
            "воздухе зафиксировано из-за лесных пожаров в городах Киренск и Усть-Кут Иркутской "
            "области. Об этом сообщается на сайте регионального управления Роспотребнадзора. В "
            "ведомстве уточнили, что мониторинг качества воздуха из-за задымления от лесных "
            "пожаров проводится в городах Усть-Кут, Киренск, Братск, Бодайбо и Усть-Илимск, "
            "а также в нескольких районах области, где горят леса.")
    lines = textwrap.wrap(text, 60)
    raw = "\n".join(lines[:4]) + "\n\n" + "\n".join(lines[4:])
    _, kept, removed = _run(raw)
    assert removed == [] and len(kept) == len(lines)


# --- main region ---------------------------------------------------------------------------

def _region(lines: list[tuple[str, int]]) -> tuple[int, int]:
    """main_region over lines given as (kind, chars): "good" prose, "gap" (a dropped line),
    "bound" (a section boundary: a template or a "Related" header), "widget" (inline)."""
    infos = [LineInfo(GOOD if k == "good" else BAD, "", 1.0, n, False, False) for k, n in lines]
    final = [GOOD if k == "good" else BAD for k, _ in lines]
    fixed = [{"good": None, "gap": None, "bound": True, "widget": False}[k] for k, _ in lines]
    return main_region(infos, final, fixed, CFG)


def test_region_charges_a_run_of_boundary_lines_once() -> None:
    run = [("bound", 10)] * 4
    # a 400-character paragraph before a four-line template list stays in the article
    assert _region([("good", 400), *run, ("gap", 10), ("good", 500)]) == (0, 7)
    # inline widgets inside the run do not restart it
    assert _region([("good", 400), ("bound", 10), ("widget", 5), ("bound", 10), ("bound", 10),
                    ("gap", 10), ("good", 500)]) == (0, 7)
    # a short paragraph before the list is on navigation's side of the boundary
    assert _region([("good", 150), *run, ("gap", 10), ("good", 500)]) == (6, 7)
    # separate boundaries (dropped lines between them) are charged one by one
    broken = [("bound", 10), ("gap", 10)] * 3
    assert _region([("good", 400), *broken, ("good", 500)]) == (7, 8)


def test_region_crosses_a_boundary_run_inside_running_prose() -> None:
    run = [("bound", 10)] * 4
    # kept prose right before and after the run: an insertion, each line a dropped line's cost
    assert _region([("good", 150), *run, ("good", 500), ("good", 500)]) == (0, 7)
    assert _region([("good", 150), ("bound", 10), ("widget", 5), ("bound", 10),
                    ("good", 500)]) == (0, 5)
    # a dropped line after the run: a section end, charged in full
    assert _region([("good", 150), *run, ("gap", 10), ("good", 500), ("good", 500)]) == (6, 8)


def test_hard_wrapped_paragraphs_among_unwrapped_lines() -> None:
    """The wrap width comes from the lines that fill it, not from the longest line: a wrapped
    article between longer unwrapped headlines and short counters is still joined."""
    text = " ".join(EN_PROSE)
    lines = textwrap.wrap(text, 58)
    nav = ["Stadia Launch Line-up Almost Doubled - Extra Game for Pro Subscribers and Others",
           "UK Labour Party Proposes Big-Tech Tax to Pay for Nationalisation of Broadband",
           "Home", "12", "Video"]
    blocks = to_blocks("\n".join([*nav, *lines, *nav]))
    assert wrap_width([len(b.text) for b in blocks]) == max(len(x) for x in lines)
    units = wrapped_units(blocks, [False] * len(blocks))
    assert (len(nav), len(nav) + len(lines)) in units  # the article is one unit
    assert all(j - i == 1 for i, j in units if i < len(nav))  # the headlines stand alone
    _, kept, _ = _run("\n".join([*nav, *lines, *nav]))
    assert [b.text for b in kept] == lines


def test_long_whole_sentence_is_not_junk_for_its_neighbours_alone() -> None:
    """jusText drops a near-good line between two bad ones; a line longer than length_high
    that ends a sentence (a results line, a paragraph of names) stays."""
    results = ("Melbourne (3-0): Osas Osaro 3 goals, 1 assist. Aden O'Hara 2 goals, 2 assists. "
               "Christian Watts 1 goal. Mekhi Rhodes 1 goal, 1 assist. Rowan Barrett 1 goal. "
               "Liam Hoyt 2 assists. Nico Garcia 1 assist. Ethan Mills 4 saves.")
    short = "Melbourne (3-0): Osas Osaro 3 goals, 1 assist. Aden O'Hara 2 goals, 2 assists."
    assert len(results) > CFG.length_high > len(short)
    for line, kept in ((results, GOOD), (short, BAD)):
        infos = classify_lines(["Home", line, "Sport"], [0.0, 0.1, 0.0], [1, 30, 1],
                               [True, False, True], 0.55, CFG)
        assert infos[1].cls == NEAR_GOOD
        assert smooth(infos, [True, None, True])[1] == kept


def _guess_reference(words: list[str], min_share: float = 0.08) -> str | None:
    """guess_language spelled out: each language of the sample's script counted on its own."""
    from cleantext.boilerplate.stopwords import (_CYRILLIC, _CYRILLIC_LANGS, GUESS_LANGUAGES,
                                                 stopwords)

    if not words:
        return None
    cyr = _CYRILLIC.search(" ".join(words[:20])) is not None
    langs = [g for g in GUESS_LANGUAGES if (g in _CYRILLIC_LANGS) == cyr]
    hits = [sum(w in stopwords(g) for w in words) for g in langs]
    best = max(range(len(langs)), key=lambda i: (hits[i], -i))
    return langs[best] if hits[best] >= min_share * len(words) else None


def test_guess_language_counts_every_language_of_the_script() -> None:
    from cleantext.boilerplate.stopwords import GUESS_LANGUAGES, guess_language, stopwords

    rng = random.Random(7)
    pool = sorted(w for g in GUESS_LANGUAGES for w in stopwords(g)) + \
        ["выборы", "аким", "election", "wahl", "élection", "qwerty", "сайлау", "x1"] * 50
    for _ in range(300):
        words = rng.sample(pool, rng.randint(0, 120))
        assert guess_language(words) == _guess_reference(words)
    assert guess_language("и в на выборах акима района".split()) == "ru"
    assert guess_language("the election of the akim was held".split()) == "en"
    assert guess_language(["qwerty"] * 30) is None


def test_with_chars_copies_every_field_but_chars() -> None:
    from dataclasses import fields, replace

    from cleantext.boilerplate.classifier import with_chars

    base = LineInfo(GOOD, "classifier:context", 0.5, 40, True, False, True, False, True)
    for f in fields(LineInfo):  # each field set to a value of its own in turn
        info = replace(base)
        setattr(info, f.name, object())
        got = with_chars(info, 7)
        assert got == replace(info, chars=7) and got is not info


def test_removal_init_sets_every_field_and_stays_frozen() -> None:
    import dataclasses

    from cleantext.document import Removal

    r = Removal(3, 9, "widget:date", "1 May", 0.5)
    assert (r.start, r.end, r.reason, r.text, r.score) == (3, 9, "widget:date", "1 May", 0.5)
    assert Removal(start=3, end=9, reason="widget:date", text="1 May").score == 1.0
    assert r == Removal(3, 9, "widget:date", "1 May", 0.5) and hash(r) == hash(dataclasses.replace(r))
    assert r != dataclasses.replace(r, score=0.25)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.start = 4  # type: ignore[misc]
    with pytest.raises(TypeError):
        Removal(3, 9, "widget:date")  # type: ignore[call-arg]
    assert pickle.loads(pickle.dumps(r)) == r
