"""Deduplication quality on the labelled set built by dedup_data.py (real texts, known duplicates).

    python benchmarks/bench_dedup.py                      # cleantext (if present) and the baseline
    python benchmarks/bench_dedup.py --system baseline    # one system: cleantext | cleantext-cli | baseline
    python benchmarks/bench_dedup.py --sweep              # grid over shingle sizes and thresholds
    python benchmarks/bench_dedup.py --data DIR           # another set of the same format

Runs the systems (cleantext's API or CLI, a datasketch baseline), scores them with
dedup_scoring.py (pairwise P/R/F1 and ARI of document clusters, passage-link P/R, clean text kept),
prints a table and the breakdown by transformation kind, and writes
benchmarks/results/dedup_quality.json.
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dedup_scoring import IOU_MIN, Prediction, cluster_pairs, score

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "dedup"
RESULTS = ROOT / "benchmarks" / "results" / "dedup_quality.json"


# ---------------------------------------------------------------- systems


def run_cleantext(docs: list[dict], **options: Any) -> Prediction:
    """cleantext.dedupe on the documents (clean pipeline included)."""
    t0 = time.perf_counter()
    result = _dedupe_api()([dict(d) for d in docs], **options)
    seconds = time.perf_counter() - t0
    records = [d.to_dict(dedupe=True) if hasattr(d, "to_dict") else d for d in result.documents]
    pred = run_from_records(records)
    pred.name, pred.seconds = "cleantext", seconds
    return pred


def run_cleantext_cli(docs: list[dict], **options: Any) -> Prediction:
    """`cleantext dedupe IN -o OUTDIR` as a user runs it; reads OUTDIR/documents.jsonl."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
        args = [sys.executable, "-m", "cleantext", "dedupe", str(src), "-o", str(Path(tmp) / "out")]
        for k, v in options.items():
            args += ["--set", f"{k}={v}"]
        t0 = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"{' '.join(args[2:4])} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        seconds = time.perf_counter() - t0
        out = [json.loads(x) for x in (Path(tmp) / "out" / "documents.jsonl").open(encoding="utf-8")]
    pred = run_from_records(out)
    pred.name, pred.seconds = "cleantext-cli", seconds
    return pred


def run_from_records(records: list[dict]) -> Prediction:
    """A prediction from output records of the documents.jsonl contract."""
    clusters, links, texts, removed = {}, [], {}, {}
    for d in records:
        clusters[d["id"]] = d.get("cluster_id") or "self:" + d["id"]
        texts[d["id"]] = d.get("text") or ""
        removed[d["id"]] = [(r["start"], r["end"], r.get("reason", "")) for r in d.get("removed") or []]
        for p in d.get("passages") or []:
            p = p.to_dict() if hasattr(p, "to_dict") else p
            links.append((d["id"], p["start"], p["end"], p["other_id"], p["other_start"], p["other_end"]))
    return Prediction("records", clusters, links, texts=texts, removed=removed)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _minhash(words: list[str], n: int, num_perm: int):
    from datasketch import MinHash

    m = MinHash(num_perm=num_perm, seed=1)
    grams = {" ".join(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}
    m.update_batch([g.encode("utf-8") for g in grams])
    return m


def run_baseline(docs: list[dict], shingle_size: int = 5, threshold: float = 0.5,
                 num_perm: int = 128, passage_min_words: int = 30,
                 passage_threshold: float = 0.5) -> Prediction:
    """datasketch as a user writes it, on the raw text: MinHash + MinHashLSH, union-find clusters;
    passages are raw lines of passage_min_words+ words matched the same way on word 3-shingles."""
    from datasketch import MinHashLSH

    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    sigs = {}
    for d in docs:
        sigs[d["id"]] = _minhash(_words(d["text"]), shingle_size, num_perm)
        lsh.insert(d["id"], sigs[d["id"]])
    parent = {d["id"]: d["id"] for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d in docs:
        for other in sorted(lsh.query(sigs[d["id"]])):
            if other != d["id"] and sigs[d["id"]].jaccard(sigs[other]) >= threshold:
                parent[max(find(d["id"]), find(other))] = min(find(d["id"]), find(other))
    clusters = {d["id"]: find(d["id"]) for d in docs}
    plsh = MinHashLSH(threshold=passage_threshold, num_perm=num_perm)
    lines = {}
    for d in docs:
        for m in re.finditer(r"[^\n]+", d["text"]):
            w = _words(m.group(0))
            if len(w) >= passage_min_words:
                key = f"{d['id']}:{m.start()}"
                lines[key] = (d["id"], m.start(), m.end(), _minhash(w, 3, num_perm))
                plsh.insert(key, lines[key][3])
    links = []
    for key, (doc, s, e, sig) in sorted(lines.items()):
        for other in sorted(plsh.query(sig)):
            odoc, os_, oe, osig = lines[other]
            if odoc > doc and sig.jaccard(osig) >= passage_threshold:
                links.append((doc, s, e, odoc, os_, oe))
    return Prediction(f"baseline(n={shingle_size},t={threshold})", clusters, links,
                      time.perf_counter() - t0)


def _dedupe_api():
    """cleantext.dedupe (or cleantext.dedup.dedupe while the top-level export is missing)."""
    import cleantext

    if callable(getattr(cleantext, "dedupe", None)):
        return cleantext.dedupe
    from cleantext.dedup import dedupe

    return dedupe


def has_cleantext_dedupe() -> bool:
    """Whether the installed cleantext has the dedupe API yet."""
    try:
        _dedupe_api()
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------- reporting


def load_set(path: Path = DATA) -> tuple[list[dict], dict]:
    """The documents and labels of a set written by dedup_data.py."""
    docs = [json.loads(x) for x in (path / "documents.jsonl").open(encoding="utf-8")]
    labels = json.loads((path / "labels.json").read_text("utf-8"))
    return docs, labels


def table(results: list[dict]) -> str:
    """The headline figures, one row per system."""
    w = max([34] + [len(r["system"]) for r in results])
    head = f"{'system':{w}} {'pairP':>6} {'pairR':>6} {'pairF1':>6} {'ARI':>6} {'psgP':>6} {'psgR':>6} {'sec':>6}"
    rows = [head, "-" * len(head)]
    for r in results:
        d, p = r["documents"], r["passages"]
        rows.append(f"{r['system']:{w}} {d['precision']:6.3f} {d['recall']:6.3f} {d['f1']:6.3f} "
                    f"{d['ari']:6.3f} {p['precision']:6.3f} {p['recall']:6.3f} {r['seconds']:6.1f}")
    return "\n".join(rows)


def kinds_table(results: list[dict]) -> str:
    """Recall per transformation kind (any pair it touches, and pairs where it is the only edit
    besides boilerplate), false pairs per negative kind, passage recall per kind."""
    names = [r["system"][:16] for r in results]
    rows = [f"{'kind':34} " + " ".join(f"{n:>16}" for n in names)]
    sections = [("document_recall_by_kind", "doc "), ("document_recall_by_single_edit", "doc only "),
                ("false_pairs_by_negative_kind", "false pairs "),
                (("passages", "recall_by_kind"), "passage ")]
    for key, prefix in sections:
        get = (lambda r, k=key: r[k[0]][k[1]]) if isinstance(key, tuple) else (lambda r, k=key: r[k])
        kinds = sorted({k for r in results for k in get(r)})
        for k in kinds:
            cells = []
            for r in results:
                v = get(r).get(k)
                cells.append(f"{v['hit']:>6}/{v['total']:<5}({v['rate'] or 0:.2f})" if v else "-")
            rows.append(f"{prefix + k:34} " + " ".join(f"{c:>16}" for c in cells))
    return "\n".join(rows)


def parse_grid(spec: list[str]) -> list[dict[str, Any]]:
    """["shingle_size=3,5", "threshold=0.5,0.7"] -> every combination as option dicts."""
    axes = []
    for item in spec:
        name, _, values = item.partition("=")
        axes.append([(name, _value(v)) for v in values.split(",")])
    return [dict(combo) for combo in itertools.product(*axes)]


def _value(v: str) -> Any:
    for conv in (int, float):
        try:
            return conv(v)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(v.lower(), v)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA, help="a set written by dedup_data.py build")
    ap.add_argument("--system", action="append", choices=["cleantext", "cleantext-cli", "baseline"],
                    help="systems to score (default: cleantext if available, and baseline)")
    ap.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                    help="an option passed to cleantext.dedupe (repeatable)")
    ap.add_argument("--sweep", nargs="*", metavar="NAME=V1,V2",
                    help="grid of options (default shingle_size=3,4,5,7 threshold=0.5,0.6,0.7,0.8)")
    ap.add_argument("-o", "--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    docs, labels = load_set(args.data)
    systems = args.system or (["cleantext"] if has_cleantext_dedupe() else []) + ["baseline"]
    options: dict[str, Any] = {}
    for o in args.option:
        options.update(parse_grid([o])[0])
    runners = {"cleantext": run_cleantext, "cleantext-cli": run_cleantext_cli, "baseline": run_baseline}
    results = []
    if args.sweep is not None:
        grid = parse_grid(args.sweep or ["shingle_size=3,4,5,7", "threshold=0.5,0.6,0.7,0.8"])
        for name in systems:
            for combo in grid:
                r = score(docs, labels, runners[name](docs, **{**options, **combo}))
                r["system"] = f"{name} " + " ".join(f"{k}={v}" for k, v in combo.items())
                r["options"] = {**options, **combo}
                results.append(r)
                print(table([r]).splitlines()[-1], flush=True)
    else:
        for name in systems:
            opts = options if name != "baseline" else {}
            r = score(docs, labels, runners[name](docs, **opts))
            r["options"] = opts
            results.append(r)
    n_true = len(cluster_pairs({d: v["cluster"] for d, v in labels["documents"].items()}))
    n_psg = results[0]["passages"]["true_passages"] if results else 0
    print(f"set: {args.data} ({len(docs)} documents, {n_true} duplicate pairs, {n_psg} shared passages "
          f"in {sum(t['required'] for t in labels['passages'])} document pairs)")
    print(table(results))
    for r in results:
        if "clean_text" in r:
            c = r["clean_text"]
            eq = c["portal_only_copies_equal"]
            print(f"clean text of {r['system']}: body kept {c['body_kept']:.3f}, junk left "
                  f"{c['junk_left']:.3f}, copies differing only by portal cleaned alike: "
                  f"{eq['hit']}/{eq['total']}, documents keeping < half their body: {c['documents_losing_body']}"
                  f"; missed passages removed by cleaning: {r['passages'].get('missed_removed_by_cleaning')}"
                  f" of {len(r['passages']['missed'])}")
            if c.get("body_removed_by_reason"):
                top = list(c["body_removed_by_reason"].items())[:6]
                print("  article text removed, by reason (chars, documents): " +
                      ", ".join(f"{k} {v['chars']} ({v['documents']})" for k, v in top))
    if args.sweep is None:
        print()
        print(kinds_table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"data": str(args.data.relative_to(ROOT) if args.data.is_relative_to(ROOT) else args.data),
              "documents": len(docs), "true_pairs": n_true, "iou_min": IOU_MIN,
              "sweep": args.sweep is not None, "results": results}
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
