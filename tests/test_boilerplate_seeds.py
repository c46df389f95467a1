"""Line-by-line expectations for the boilerplate stage on the five seeds (issue 3).

Blocks come straight from ``to_blocks`` (no meta stage), so the title lines, which the meta
stage removes as "meta:title" / "meta:title_repeat", may go either way here. Line numbers are
the physical line numbers of the seed files.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from cleantext.boilerplate import remove_boilerplate
from cleantext.boilerplate.templates import TemplateCounter
from cleantext.config import BoilerplateConfig
from cleantext.text.segment import to_blocks

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CFG = BoilerplateConfig(template_min_count=2)  # five documents: a line on two of them repeats

# file prefix -> (article lines that must be kept, title lines left to the meta stage);
# every other non-blank line must be removed
KEEP = {
    "000": ({1, 3, 5}, set()),
    "001": ({3, 5, 7, 9, 11, 13, 15, 17}, set()),
    "002": ({1, 2, 3, 4, 5}, set()),
    "003": ({1, 2, 3, 4, 5, 6}, set()),
    "004": ({18, 24, 26, 28, 30}, {1, 14, 16}),
}
# the reason of some removed lines (001's credit line still has its "date" prefix without meta)
KINDS = {
    "002": {96: "widget:widget_id", 97: "widget:exchange_rate", 98: "widget:exchange_rate",
            99: "widget:exchange_rate", 100: "widget:exchange_rate", 101: "widget:exchange_rate",
            102: "widget:exchange_rate", 9: "widget:counter", 11: "widget:counter",
            13: "widget:counter", 6: "widget:separator", 7: "widget:headline_list"},
    "004": {2: "widget:exchange_rate", 4: "widget:weather", 6: "widget:date", 7: "widget:date",
            8: "widget:ui", 20: "widget:date", 21: "widget:counter", 22: "widget:credit",
            32: "widget:teaser", 33: "widget:trending_header"},
}


def _seed_files() -> dict[str, Path]:
    return {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="module")
def results() -> dict[str, dict[int, str | None]]:
    """seed prefix -> {line number: removal reason or None (kept)}, templates counted first."""
    files = _seed_files()
    raws = {k: p.read_text(encoding="utf-8") for k, p in files.items()}
    blocks = {k: to_blocks(raw) for k, raw in raws.items()}
    counter = TemplateCounter(CFG)
    for k in sorted(blocks):
        counter.add(None, blocks[k])
    index = counter.freeze(CFG)
    out: dict[str, dict[int, str | None]] = {}
    for k, bl in blocks.items():
        kept, removed = remove_boilerplate(bl, site=None, templates=index, cfg=CFG)
        by_start = {r.start: r.reason for r in removed}
        assert len(kept) + len(removed) == len(bl)
        out[k] = {raws[k].count("\n", 0, b.start) + 1: by_start.get(b.start) for b in bl}
    return out


def test_five_seeds_present() -> None:
    assert sorted(_seed_files()) == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("seed", sorted(KEEP))
def test_article_lines_kept(results, seed: str) -> None:
    keep, _ = KEEP[seed]
    lost = {n: r for n, r in results[seed].items() if n in keep and r is not None}
    assert not lost, f"article lines removed: {lost}"


@pytest.mark.parametrize("seed", sorted(KEEP))
def test_every_other_line_removed(results, seed: str) -> None:
    keep, titles = KEEP[seed]
    missed = [n for n, r in results[seed].items() if n not in keep | titles and r is None]
    assert not missed, f"junk lines kept: {missed}"


@pytest.mark.parametrize("seed", sorted(KINDS))
def test_widget_reasons(results, seed: str) -> None:
    for line, reason in KINDS[seed].items():
        assert results[seed][line] == reason, (seed, line, results[seed][line])


def test_headline_counters_and_separators_of_002(results) -> None:
    reasons = results["002"]
    for n in range(6, 96):
        assert reasons[n] is not None and reasons[n].startswith("widget:"), (n, reasons[n])


def test_shared_portal_lines_are_template_or_widget(results) -> None:
    """Seeds 003 and 004 come from one portal: the lines they share go as template or widget."""
    files = _seed_files()
    keys = {}
    for k in ("003", "004"):
        keys[k] = {b.key: files[k].read_text(encoding="utf-8").count("\n", 0, b.start) + 1
                   for b in to_blocks(files[k].read_text(encoding="utf-8"))}
    shared = set(keys["003"]) & set(keys["004"])
    assert len(shared) >= 15
    for key in shared:
        for k in ("003", "004"):
            reason = results[k][keys[k][key]]
            assert reason is not None and reason.split(":")[0] in ("template", "widget"), \
                (k, key, reason)


def test_reprinted_quote_is_not_template(results) -> None:
    """Seeds 000 and 001 share a long quote: a reprint for dedupe, never template."""
    for seed in ("000", "001"):
        assert not any(r and r.startswith("template:") for r in results[seed].values())
