"""Boilerplate benchmarks: article extraction (word 4-grams), the labelled Russian lines, speed.

    python benchmarks/bench_boilerplate.py                 # all parts
    python benchmarks/bench_boilerplate.py --part aeb      # one part: aeb | ru | speed

Prints tables and writes ``benchmarks/results/boilerplate.json`` (parts not run keep their
previous figures). See benchmarks/README.md, section "Boilerplate".
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

from boilerplate_data import (REPO_DIR, LabelledDoc, Page, load_aeb,  # noqa: E402
                              load_ru_labelled, load_seeds)
from boilerplate_scoring import (LineCounts, aggregate, clean_text_key,  # noqa: E402
                                 line_removed, merge_spans, overlap)

import cleantext  # noqa: E402
from cleantext import Config, Document  # noqa: E402
from cleantext.boilerplate import remove_boilerplate  # noqa: E402
from cleantext.boilerplate.rules import DEFAULT_RULES  # noqa: E402
from cleantext.boilerplate.templates import TemplateCounter  # noqa: E402
from cleantext.text.meta import extract_meta  # noqa: E402
from cleantext.text.segment import Block, to_blocks  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "boilerplate.json"
PARTS = ("aeb", "ru", "speed")


# --- running cleantext ---------------------------------------------------------------------

def clean_corpus(docs: list[Document], cfg: Config) -> tuple[list[Document], str]:
    """Clean ``docs`` as one corpus through the public API (template pass included), as a user
    does; returns the documents and the entry point's name."""
    return list(cleantext.clean_many(docs, config=cfg)), "cleantext.clean_many"


def _doc_blocks(doc: Document, cfg: Config) -> list[Block]:
    """Blocks of one document after the meta stage (title, date, site), as the pipeline builds them."""
    return extract_meta(doc, to_blocks(doc.raw, cfg.repair))


def _mb(texts: Sequence[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


# --- part 1: article extraction ------------------------------------------------------------

ABLATIONS = {"cleantext (rules only)": {"classifier": False, "templates": False},
             "cleantext (no templates)": {"templates": False}}


def bench_aeb(cfg: Config, ablation: bool = True) -> dict[str, Any]:
    """Score the 181 pages: baselines, ablations, cleantext (with its pipeline MB/s), worst pages."""
    pages = load_aeb()
    mb = _mb([p.text for p in pages])
    rows = {"keep-all (baseline)": _score_pages(pages, lambda p: p.text),
            "C4-style line rules": _score_pages(pages, lambda p: c4_line_filter(p.text))}
    if ablation:  # the layers' contributions: same corpus, some layers switched off
        for name, off in ABLATIONS.items():
            part = cfg.replace(boilerplate=cfg.boilerplate.replace(**off))
            by_id = {d.id: d for d in clean_corpus(_aeb_docs(pages), part)[0]}
            rows[name] = _score_pages(pages, lambda p: by_id[p.key].text)
    t0 = time.process_time()  # CPU time: the machine is shared, wall time is noisy
    cleaned, entry = clean_corpus(_aeb_docs(pages), cfg)
    seconds = time.process_time() - t0
    by_id = {d.id: d for d in cleaned}
    rows["cleantext"] = _score_pages(pages, lambda p: by_id[p.key].text)
    rows["cleantext"]["mb_per_s"] = round(mb / seconds, 3)
    per_page = sorted((_page_row(p, by_id[p.key]) for p in pages),
                      key=lambda r: (r["precision"] + r["recall"], r["key"]))
    by_lang: dict[str, list[Page]] = defaultdict(list)
    for p in pages:
        by_lang[by_id[p.key].lang].append(p)
    per_lang = {lang: {"pages": len(ps), **_score_pages(ps, lambda p: by_id[p.key].text)}
                for lang, ps in sorted(by_lang.items(), key=lambda kv: (-len(kv[1]), kv[0]))}
    reverse = {d.id: d for d in clean_corpus(_aeb_docs(pages[::-1]), cfg)[0]}
    differ = sorted(k for k, d in by_id.items()
                    if (d.text, d.removed) != (reverse[k].text, reverse[k].removed))
    return {"pages": len(pages), "entry": entry, "mb": round(mb, 3), "rows": rows,
            "per_language": per_lang, "order_dependent_pages": differ, "worst": per_page[:12]}


_TERMINAL = (".", "!", "?", '"', "”", "»", "'")
_C4_POLICY = ("javascript", "terms of use", "privacy policy", "cookie policy", "uses cookies",
              "use of cookies", "use cookies")


def c4_line_filter(text: str) -> str:
    """A reference peer: the C4 line rules (Raffel et al. 2020) - keep lines of at least five
    words that end in terminal punctuation and mention no javascript or cookie/policy notice."""
    kept = []
    for line in text.splitlines():
        s = line.strip()
        if (len(s.split()) >= 5 and s.endswith(_TERMINAL)
                and not any(w in s.lower() for w in _C4_POLICY)):
            kept.append(s)
    return "\n".join(kept)


def _aeb_docs(pages: list[Page]) -> list[Document]:
    return [Document(id=p.key, raw=p.text, url=p.url) for p in pages]


def _score_pages(pages: list[Page], output: Callable[[Page], str]) -> dict[str, Any]:
    lower = aggregate(overlap(p.truth, output(p)) for p in pages)
    exact = aggregate(overlap(p.truth, output(p), lower=False) for p in pages)
    return {**lower.to_dict(), "f1_case_sensitive": round(exact.f1, 4)}


def _page_row(page: Page, doc: Document) -> dict[str, Any]:
    """One page's scores, with the reasons of removals whose text is in the article body."""
    o = overlap(page.truth, doc.text)
    truth_key = clean_text_key(page.truth)
    lost = Counter(r.reason for r in doc.removed
                   if len(r.text.split()) >= 3 and clean_text_key(r.text) in truth_key)
    return {"key": page.key[:12], "url": page.url, "precision": round(o.precision, 3),
            "recall": round(o.recall, 3), "chars_in": len(page.text), "chars_out": len(doc.text),
            "chars_truth": len(page.truth), "article_lines_removed_by": dict(lost.most_common(4)),
            "junk_kept": [ln[:80] for ln in doc.text.splitlines()
                          if len(ln.split()) >= 3 and clean_text_key(ln) not in truth_key][:3]}


def print_aeb(res: dict[str, Any]) -> None:
    print(f"\nArticle extraction benchmark: {res['pages']} pages, {res['mb']} MB, via {res['entry']}")
    print(f"{'system':<22}{'precision':>10}{'recall':>9}{'F1':>8}{'F1 (case)':>11}{'MB/s':>9}")
    for name, r in res["rows"].items():
        mbs = f"{r['mb_per_s']:.2f}" if "mb_per_s" in r else "-"
        print(f"{name:<22}{r['precision']:>10.3f}{r['recall']:>9.3f}{r['f1']:>8.3f}"
              f"{r['f1_case_sensitive']:>11.3f}{mbs:>9}")
    print("worst pages (precision + recall):")
    for w in res["worst"]:
        print(f"  P={w['precision']:.2f} R={w['recall']:.2f} out/truth chars "
              f"{w['chars_out']}/{w['chars_truth']}  {w['url']}")
        if w["article_lines_removed_by"]:
            print(f"      article lines removed by {w['article_lines_removed_by']}")
        for line in w["junk_kept"]:
            print(f"      junk kept: {line!r}")
    differ = res["order_dependent_pages"]
    print(f"same output with the pages in reverse order: "
          f"{'yes' if not differ else f'NO, {len(differ)} pages differ'}")
    print("by detected language of the clean text: " + ", ".join(
        f"{lang} {r['pages']} pages F1 {r['f1']:.3f}" for lang, r in res["per_language"].items()))


# --- part 2: labelled Russian lines --------------------------------------------------------

def bench_ru(cfg: Config) -> dict[str, Any]:
    """Removed-line precision/recall on the labelled Russian set: overall, per source and kind."""
    labelled = load_ru_labelled()
    docs = [Document(id=d.id, raw=d.raw, url=d.url, source=d.source) for d in labelled]
    cleaned, entry = clean_corpus(docs, cfg)
    by_id = {d.id: d for d in cleaned}
    total = LineCounts()
    per_source: dict[str, LineCounts] = defaultdict(LineCounts)
    per_kind: dict[str, LineCounts] = defaultdict(LineCounts)
    errors: list[dict[str, Any]] = []
    for lab in labelled:
        doc = by_id[lab.id]
        for line, removed in zip(lab.lines, removed_lines(lab, doc)):
            for c in (total, per_source[lab.source], per_kind[line.kind]):
                c.add(line.remove, removed)
            if removed != line.remove:
                errors.append({"doc": lab.id, "kind": line.kind,
                               "error": "kept junk" if line.remove else "removed article",
                               "text": line.text[:100],
                               "reasons": _reasons_at(doc, line.start, line.end)})
    return {"documents": len(labelled), "lines": sum(len(d.lines) for d in labelled),
            "entry": entry, "total": total.to_dict(),
            "per_source": {k: v.to_dict() for k, v in sorted(per_source.items())},
            "per_kind": {k: v.to_dict() for k, v in sorted(per_kind.items())},
            "errors": errors}


def removed_lines(lab: LabelledDoc, doc: Document) -> list[bool]:
    """For every labelled line: did cleantext remove it (whole, or lose its text)?"""
    spans = merge_spans((r.start, r.end) for r in doc.removed)
    key = clean_text_key(doc.text)
    return [line_removed(ln.start, ln.end, lab.raw, spans, key) for ln in lab.lines]


def _reasons_at(doc: Document, start: int, end: int) -> list[str]:
    return sorted({r.reason for r in doc.removed if r.start < end and r.end > start})


def print_ru(res: dict[str, Any]) -> None:
    print(f"\nRussian labelled lines: {res['documents']} documents, {res['lines']} lines, "
          f"via {res['entry']}   (positive = line labelled 'remove')")
    print(f"{'group':<28}{'junk':>6}{'article':>9}{'precision':>11}{'recall':>8}{'F1':>7}"
          f"{'article kept':>14}")
    for name, r in [("all", res["total"])] + [(f"  {k}", v) for k, v in res["per_source"].items()]:
        print(f"{name:<28}{r['tp'] + r['fn']:>6}{r['tn'] + r['fp']:>9}{r['precision']:>11.3f}"
              f"{r['recall']:>8.3f}{r['f1']:>7.3f}{r['keep_rate']:>14.3f}")
    print(f"{'kind of line':<28}{'label':>8}{'lines':>7}{'handled right':>15}")
    for name, r in res["per_kind"].items():
        junk = r["tp"] + r["fn"]
        label, n, right = ("remove", junk, r["recall"]) if junk else ("keep", r["tn"] + r["fp"],
                                                                       r["keep_rate"])
        print(f"  {name:<26}{label:>8}{n:>7}{right:>15.3f}")
    groups: Counter[tuple[str, str, str, str]] = Counter()
    examples: dict[tuple[str, str, str, str], str] = {}
    for e in res["errors"]:
        key = (e["error"], e["doc"], e["kind"], ", ".join(e["reasons"]) or "-")
        groups[key] += 1
        examples.setdefault(key, e["text"])
    print(f"errors: {len(res['errors'])} lines; by (error, document, kind, reasons):")
    for key, n in groups.most_common(30):
        err, doc, kind, why = key
        print(f"  {n:>4} {err:<16}{doc:<30}{kind:<10}{why:<28}{examples[key][:50]!r}")


# --- part 3: speed of the boilerplate stage ------------------------------------------------

def bench_speed(cfg: Config, repeats: int = 1000, runs: int = 3) -> dict[str, Any]:
    """MB/s of the boilerplate stage alone on the seeds x ``repeats`` and on the AEB pages."""
    seeds = load_seeds()
    seed_docs = [Document(id=i, raw=t) for i, t in seeds]
    aeb_docs = _aeb_docs(load_aeb())
    return {"runs": runs,
            "seeds_x%d" % repeats: _time_stage(seed_docs, cfg, repeats, runs),
            "aeb_pages": _time_stage(aeb_docs, cfg, 1, runs)}


def _time_stage(docs: list[Document], cfg: Config, repeats: int, runs: int) -> dict[str, Any]:
    """Median MB/s (per CPU second) of ``remove_boilerplate`` alone over pre-built blocks
    (templates counted on the distinct documents, each document processed ``repeats`` times)."""
    blocks = [_doc_blocks(d, cfg) for d in docs]
    counter = TemplateCounter()
    for d, b in zip(docs, blocks):
        counter.add(d.site, b)
    index = counter.freeze(cfg.boilerplate)
    work = [(d.site, b) for d, b in zip(docs, blocks)] * repeats
    mb = _mb([d.raw for d in docs]) * repeats
    times, adds = [], []
    for _ in range(runs):
        DEFAULT_RULES.clear_line_cache()  # only repeats within the corpus hit the line cache
        t0 = time.process_time()
        for site, b in work:
            remove_boilerplate(b, site=site, templates=index, cfg=cfg.boilerplate)
        times.append(time.process_time() - t0)
        t0 = time.process_time()  # pass 1's share: counting the template keys
        for site, b in work:
            TemplateCounter().add(site, b)
        adds.append(time.process_time() - t0)
    med = statistics.median(times)
    return {"documents": len(work), "mb": round(mb, 3), "seconds": [round(t, 3) for t in times],
            "mb_per_s": round(mb / med, 2),
            "template_add_ms_per_doc": round(statistics.median(adds) / len(work) * 1000, 4)}


def print_speed(res: dict[str, Any]) -> None:
    print(f"\nBoilerplate stage speed (remove_boilerplate over pre-built blocks, one process, "
          f"CPU time, median of {res['runs']} runs)")
    print(f"{'corpus':<14}{'docs':>7}{'MB':>9}{'MB/s':>9}{'add ms/doc':>12}")
    for name, r in res.items():
        if isinstance(r, dict):
            print(f"{name:<14}{r['documents']:>7}{r['mb']:>9.2f}{r['mb_per_s']:>9.2f}"
                  f"{r.get('template_add_ms_per_doc', float('nan')):>12.3f}")


# --- command line --------------------------------------------------------------------------

def _git(*args: str) -> str | None:
    try:
        return subprocess.run(["git", *args], cwd=REPO_DIR, text=True, capture_output=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def _environment() -> dict[str, Any]:
    """The commit measured; ``src_modified`` when the working tree's src/ differs from it."""
    return {"commit": _git("rev-parse", "--short", "HEAD"),
            "src_modified": bool(_git("status", "--porcelain", "--", "src")),
            "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=PARTS, action="append",
                    help="run only this part (repeatable); default: all")
    ap.add_argument("--repeats", type=int, default=1000, help="seed repetitions for speed")
    ap.add_argument("--runs", type=int, default=3, help="timed runs for speed (median)")
    ap.add_argument("--output", type=Path, default=RESULTS, help="results JSON")
    ap.add_argument("--no-ablation", action="store_true",
                    help="aeb: skip the rows with boilerplate layers switched off")
    args = ap.parse_args(argv)
    cfg = Config()
    parts = args.part or list(PARTS)
    results: dict[str, Any] = {}
    if args.output.exists():
        results = json.loads(args.output.read_text(encoding="utf-8"))
    for part in parts:
        if part == "aeb":
            results["aeb"] = bench_aeb(cfg, ablation=not args.no_ablation)
            print_aeb(results["aeb"])
        elif part == "ru":
            results["ru"] = bench_ru(cfg)
            print_ru(results["ru"])
        else:
            results["speed"] = bench_speed(cfg, args.repeats, args.runs)
            print_speed(results["speed"])
        results.setdefault("environment", {})[part] = _environment()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                           encoding="utf-8")
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
