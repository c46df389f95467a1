"""Deduplication quality on the labelled set built by dedup_data.py (real texts, known duplicates).

    python benchmarks/bench_dedup.py                      # cleantext (if present) and the baseline
    python benchmarks/bench_dedup.py --system baseline    # one system: cleantext | cleantext-cli | baseline
    python benchmarks/bench_dedup.py --sweep              # grid over shingle sizes and thresholds
    python benchmarks/bench_dedup.py --data DIR           # another set of the same format

Document level: pairwise precision/recall/F1 over document pairs (same predicted cluster vs same
true cluster) and the Adjusted Rand Index. Passage level: precision/recall of passage links
(rule in ``match_links``). Both broken down by the transformation that made the documents.
Writes benchmarks/results/dedup_quality.json.
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
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from math import comb
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "dedup"
RESULTS = ROOT / "benchmarks" / "results" / "dedup_quality.json"
IOU_MIN = 0.5  # a predicted passage link matches a true one when both sides overlap this much

Link = tuple[str, int, int, str, int, int]  # (doc a, start, end, doc b, start, end), a < b


@dataclass
class Prediction:
    """What a system said: a cluster label per document and passage links."""

    name: str
    clusters: dict[str, str]
    links: list[Link] = field(default_factory=list)
    seconds: float = 0.0
    texts: dict[str, str] | None = None  # clean texts, when the system cleans
    removed: dict[str, list[tuple[int, int]]] | None = None  # raw spans the cleaning removed


# ---------------------------------------------------------------- metrics


def adjusted_rand_index(truth: list[Any], pred: list[Any]) -> float:
    """Hubert & Arabie's ARI of two labelings of the same items (1 = identical, ~0 = chance)."""
    n = len(truth)
    if n < 2:
        return 1.0
    cells = Counter(zip(truth, pred))
    rows, cols = Counter(truth), Counter(pred)
    index = sum(comb(c, 2) for c in cells.values())
    a = sum(comb(c, 2) for c in rows.values())
    b = sum(comb(c, 2) for c in cols.values())
    expected = a * b / comb(n, 2)
    top = (a + b) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)


def cluster_pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
    """Unordered document pairs (sorted tuples) that share a label."""
    groups: dict[str, list[str]] = defaultdict(list)
    for doc, lab in labels.items():
        groups[lab].append(doc)
    return {p for members in groups.values() for p in itertools.combinations(sorted(members), 2)}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall, F1 (an empty side counts as perfect)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": fp, "fn": fn}


def _iou(s1: int, e1: int, s2: int, e2: int) -> float:
    inter = max(0, min(e1, e2) - max(s1, s2))
    union = max(e1, e2) - min(s1, s2)
    return inter / union if union else 0.0


def normalise_links(links: Iterable[Link], texts: dict[str, str]) -> list[Link]:
    """Orient each link (a < b), drop repeats, and merge links of one pair that touch on both sides.

    Two links of the same document pair merge when on each side they overlap or are separated only
    by white space, so a passage reported as several adjacent windows counts as one.
    """
    by_pair: dict[tuple[str, str], list[tuple[int, int, int, int]]] = defaultdict(list)
    for a, s1, e1, b, s2, e2 in links:
        if a == b:
            continue
        if b < a:
            a, s1, e1, b, s2, e2 = b, s2, e2, a, s1, e1
        by_pair[(a, b)].append((s1, e1, s2, e2))

    def touch(text: str, s1: int, e1: int, s2: int, e2: int) -> bool:
        if e1 <= s2:
            return not text[e1:s2].strip()
        if e2 <= s1:
            return not text[e2:s1].strip()
        return True

    out: list[Link] = []
    for (a, b), spans in sorted(by_pair.items()):
        merged: list[list[int]] = []
        for s1, e1, s2, e2 in sorted(set(spans)):
            m = next((m for m in merged if touch(texts[a], m[0], m[1], s1, e1) and
                      touch(texts[b], m[2], m[3], s2, e2)), None)
            if m:
                m[0], m[1], m[2], m[3] = min(m[0], s1), max(m[1], e1), min(m[2], s2), max(m[3], e2)
            else:
                merged.append([s1, e1, s2, e2])
        out += [(a, m[0], m[1], b, m[2], m[3]) for m in merged]
    return out


def match_links(true: list[dict], pred: list[Link]) -> tuple[dict[int, int], set[int]]:
    """One-to-one matching of predicted to true links.

    A predicted link matches a true link of the same document pair when the spans overlap with
    intersection/union >= IOU_MIN on both sides; the best pairs (by the smaller of the two IoUs)
    are matched first. Returns {true index: predicted index} and the predicted indices matched.
    """
    cands = []
    by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, (a, *_rest) in enumerate(pred):
        by_pair[(a, pred[j][3])].append(j)
    for i, t in enumerate(true):
        for j in by_pair.get((t["a"], t["b"]), []):
            _, s1, e1, _, s2, e2 = pred[j]
            q = min(_iou(s1, e1, t["a_start"], t["a_end"]), _iou(s2, e2, t["b_start"], t["b_end"]))
            if q >= IOU_MIN:
                cands.append((-q, i, j))
    got: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in sorted(cands):
        if i not in got and j not in used:
            got[i] = j
            used.add(j)
    return got, used


def score(docs: list[dict], labels: dict, pred: Prediction) -> dict[str, Any]:
    """All figures of one prediction against the labels."""
    info = labels["documents"]
    truth = {d: v["cluster"] for d, v in info.items()}
    ambiguous = {frozenset(p) for p in labels.get("ambiguous_clusters", [])}

    def skip(x: str, y: str) -> bool:
        return frozenset((truth[x], truth[y])) in ambiguous

    ids = sorted(truth)
    pclusters = {d: pred.clusters.get(d, "self:" + d) for d in ids}
    tpairs = cluster_pairs(truth)
    ppairs = {p for p in cluster_pairs(pclusters) if not skip(*p)}
    tp, fp, fn = tpairs & ppairs, ppairs - tpairs, tpairs - ppairs
    doc = prf(len(tp), len(fp), len(fn))
    # ARI: an ambiguous pair of stories counts as one cluster when the prediction joins them
    joined = {frozenset((truth[x], truth[y])) for x, y in cluster_pairs(pclusters) if skip(x, y)}
    merged_truth = {d: min([c for pair in joined if truth[d] in pair for c in pair] or [truth[d]])
                    for d in ids}
    doc["ari"] = round(adjusted_rand_index([merged_truth[d] for d in ids],
                                           [pclusters[d] for d in ids]), 4)
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    alone: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # the pair's only edit
    for x, y in tpairs:
        kinds = set(info[x]["kinds"]) | set(info[y]["kinds"])
        for k in kinds | {f"lang:{info[x]['lang']}"}:
            by_kind[k][0] += (x, y) in tp
            by_kind[k][1] += 1
        edits = kinds - {"boilerplate", "exact"}
        key = edits.pop() if len(edits) == 1 else ("none" if not edits else None)
        if key:
            alone[key][0] += (x, y) in tp
            alone[key][1] += 1
    texts = {d["id"]: d["text"] for d in docs}
    link_pairs = {(t["a"], t["b"]) for t in labels["passages"]}
    neg: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for x, y in itertools.combinations(ids, 2):
        if truth[x] == truth[y] or skip(x, y):
            continue
        hit = (x, y) in fp
        for cat in _negative_kinds(info[x], info[y], (x, y) in link_pairs):
            neg[cat][0] += hit
            neg[cat][1] += 1
    natural = {frozenset(p) for p in labels.get("natural_cluster_pairs", [])}
    passages = score_passages(labels["passages"], pred.links, texts, truth, natural)
    if pred.removed is not None:
        passages["missed_removed_by_cleaning"] = sum(
            max(_covered(pred.removed.get(t["a"], []), t["a_start"], t["a_end"]),
                _covered(pred.removed.get(t["b"], []), t["b_start"], t["b_end"])) > 0.5
            for t in passages["missed"])
    out = {
        "system": pred.name,
        "seconds": round(pred.seconds, 2),
        "documents": doc,
        "document_recall_by_kind": {k: _ratio(*v) for k, v in sorted(by_kind.items())},
        "document_recall_by_single_edit": {k: _ratio(*v) for k, v in sorted(alone.items())},
        "false_pairs_by_negative_kind": {k: _ratio(*v) for k, v in sorted(neg.items())},
        "passages": passages,
        "missed_pairs": [{"a": x, "b": y, "kinds": sorted(set(info[x]["kinds"]) | set(info[y]["kinds"]))}
                         for x, y in sorted(fn)[:40]],
        "false_pairs": [{"a": x, "b": y, "kinds": _negative_kinds(info[x], info[y], (x, y) in link_pairs)}
                        for x, y in sorted(fp)[:40]],
    }
    if pred.texts is not None and all("body" in v for v in info.values()):
        out["clean_text"] = score_clean_text(texts, info, pred.texts)
    return out


def _bag(text: str, spans: Iterable[tuple[int, int]]) -> Counter:
    return Counter(w for s, e in spans for w in re.findall(r"\w+", text[s:e].lower()))


def score_clean_text(raw: dict[str, str], info: dict[str, dict], clean: dict[str, str]) -> dict[str, Any]:
    """How much article text survived cleaning and how much portal junk stayed (word multisets).

    body kept = |body words & clean words| / |body words|; junk left = the junk words found in the
    clean text beyond the body's own, / |junk words|; both averaged over documents (junk over
    documents that have junk). A document "lost its body" when it kept less than half of it.
    """
    kept, left, lost = {}, {}, []
    for d, v in sorted(info.items()):
        body = _bag(raw[d], v["body"])
        junk = _bag(raw[d], v["junk"])
        text = clean.get(d, "")
        words = _bag(text, [(0, len(text))])
        kept[d] = sum((body & words).values()) / max(1, sum(body.values()))
        if junk:
            left[d] = sum((junk & (words - body)).values()) / sum(junk.values())
        if kept[d] < 0.5:
            lost.append(d)
    by_kind: dict[str, list[float]] = defaultdict(list)
    for d, v in info.items():
        for k in v["kinds"] + [f"lang:{v['lang']}"]:
            by_kind[k].append(kept[d])
    return {"body_kept": round(sum(kept.values()) / len(kept), 4),
            "junk_left": round(sum(left.values()) / max(1, len(left)), 4),
            "documents_losing_body": len(lost), "lost": lost[:40],
            "body_kept_by_kind": {k: round(sum(x) / len(x), 4) for k, x in sorted(by_kind.items())}}


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> float:
    """Share of [start, end) covered by the (disjoint) spans."""
    return sum(max(0, min(end, e) - max(start, s)) for s, e in spans) / max(1, end - start)


def _negative_kinds(x: dict, y: dict, shared_passage: bool) -> list[str]:
    """Why two different stories could be confused: same site, source or topic, a shared passage."""
    out = []
    if x["site"] and x["site"] == y["site"]:
        out.append("same_site")
    if x["article_source"] == y["article_source"]:
        out.append("same_source")
    if x.get("topic") and x.get("topic") == y.get("topic"):
        out.append("same_topic")
    if shared_passage:
        out.append("shared_passage")
    return out or ["other"]


def _ratio(hit: int, total: int) -> dict[str, Any]:
    return {"hit": hit, "total": total, "rate": round(hit / total, 4) if total else None}


def score_passages(true: list[dict], links: list[Link], texts: dict[str, str],
                   truth: dict[str, str], natural: set[frozenset[str]] = frozenset()
                   ) -> dict[str, Any]:
    """Passage-link precision/recall.

    Precision is over predicted links (adjacent windows merged, see ``normalise_links``), each
    matched one-to-one to a true link by ``match_links``. Recall is over true passages: a passage
    reused in several copies of one story (a cluster) is found when at least one pair of copies
    is linked with matching spans, since the copies are themselves linked as duplicates;
    ``recall_all_document_pairs`` asks for every pair. Not scored: links inside one true cluster (the document level covers them), predictions that
    match an optional true link, and unmatched predictions between two clusters whose real
    articles print common text (only their originals' shared passages are labelled).
    """
    pred = [ln for ln in normalise_links(links, texts) if truth[ln[0]] != truth[ln[3]]]
    got, used = match_links(true, pred)
    required = [i for i, t in enumerate(true) if t["required"]]
    optional_hits = {got[i] for i, t in enumerate(true) if not t["required"] and i in got}
    unlabelled = {j for j, ln in enumerate(pred)
                  if j not in used and frozenset((truth[ln[0]], truth[ln[3]])) in natural}
    tp = sum(i in got for i in required)
    counted = len(pred) - len(optional_hits) - len(unlabelled)
    precision = (len(used) - len(optional_hits)) / counted if counted else 1.0
    # one passage seen in several copies of each side: found when any pair of copies is linked
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i in required:
        t = true[i]
        groups[(frozenset((truth[t["a"]], truth[t["b"]])), t.get("passage", i))].append(i)
    found = {g for g, members in groups.items() if any(i in got for i in members)}
    recall = len(found) / len(groups) if groups else 1.0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for g, members in groups.items():
        t = true[members[0]]
        for k in [t["kind"]] + [f"edit:{e}" for e in t["edits"]]:
            by_kind[k][0] += g in found
            by_kind[k][1] += 1
    near = 0  # wrong predictions that touch a true link of the pair (spans too different)
    spans = defaultdict(list)
    for t in true:
        spans[(t["a"], t["b"])].append(t)
    for j, (a, s1, e1, b, s2, e2) in enumerate(pred):
        if j not in used and j not in unlabelled and any(min(e1, t["a_end"]) > max(s1, t["a_start"]) for t in spans[(a, b)]):
            near += 1
    return {"precision": round(precision, 4), "recall": round(recall, 4),
            "recall_all_document_pairs": round(tp / len(required), 4) if required else 1.0,
            "true_passages": len(groups), "true_required": len(required),
            "true_optional": len(true) - len(required),
            "predicted": len(pred), "matched": tp, "matched_optional": len(optional_hits),
            "unscored_natural": len(unlabelled),
            "wrong_overlapping_a_true_link": near,
            "recall_by_kind": {k: _ratio(*v) for k, v in sorted(by_kind.items())},
            "missed": [true[m[0]] for g, m in sorted(groups.items(), key=lambda x: x[1][0])
                       if g not in found]}


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
        removed[d["id"]] = [(r["start"], r["end"]) for r in d.get("removed") or []]
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
            print(f"clean text of {r['system']}: body kept {c['body_kept']:.3f}, junk left "
                  f"{c['junk_left']:.3f}, documents keeping < half their body: {c['documents_losing_body']}"
                  f"; missed passages removed by cleaning: {r['passages'].get('missed_removed_by_cleaning')}"
                  f" of {len(r['passages']['missed'])}")
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
