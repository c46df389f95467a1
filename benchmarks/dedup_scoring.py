"""Scoring of near-duplicate detection against the labels of dedup_data.py.

Document level: pairwise precision/recall/F1 over document pairs (same predicted cluster vs same
true cluster) and the Adjusted Rand Index. Passage level: precision/recall of passage links (rule
in ``match_links``, recall per shared passage in ``score_passages``). Clean text: how much article
text survived and how much portal junk stayed. All broken down by transformation kind.
"""
from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from math import comb
from typing import Any

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
    removed: dict[str, list[tuple[int, int, str]]] | None = None  # raw spans the cleaning removed, why


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
    ambiguous_docs = {frozenset(p) for p in labels.get("ambiguous_pairs", [])}

    def skip(x: str, y: str) -> bool:
        return frozenset((truth[x], truth[y])) in ambiguous or frozenset((x, y)) in ambiguous_docs

    ids = sorted(truth)
    pclusters = {d: pred.clusters.get(d, "self:" + d) for d in ids}
    tpairs = cluster_pairs(truth)
    ppairs = {p for p in cluster_pairs(pclusters) if not skip(*p)}
    tp, fp, fn = tpairs & ppairs, ppairs - tpairs, tpairs - ppairs
    doc = prf(len(tp), len(fp), len(fn))
    # ARI: an ambiguous pair of stories counts as one cluster when the prediction joins them
    joined = {frozenset((truth[x], truth[y])) for x, y in cluster_pairs(pclusters)
              if frozenset((truth[x], truth[y])) in ambiguous}
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
        if pred.removed is not None:
            out["clean_text"]["body_removed_by_reason"] = body_removed_by_reason(info, pred.removed)
    return out


def body_removed_by_reason(info: dict[str, dict], removed: dict[str, list[tuple[int, int, str]]]
                           ) -> dict[str, dict[str, int]]:
    """Characters of the labelled article body inside removed spans, per removal reason
    (and in how many documents), largest first: which rules cut article text."""
    chars: Counter = Counter()
    docs: Counter = Counter()
    for d, v in info.items():
        seen = set()
        for s, e, reason in removed.get(d, []):
            n = sum(max(0, min(e, be) - max(s, bs)) for bs, be in v["body"])
            if n:
                chars[reason] += n
                seen.add(reason)
        docs.update(seen)
    return {r: {"chars": n, "documents": docs[r]} for r, n in chars.most_common()}


def _bag(text: str, spans: Iterable[tuple[int, int]]) -> Counter:
    return Counter(w for s, e in spans for w in re.findall(r"\w+", text[s:e].lower()))


def score_clean_text(raw: dict[str, str], info: dict[str, dict], clean: dict[str, str]) -> dict[str, Any]:
    """How much article text survived cleaning and how much portal junk stayed (word multisets).

    body kept = |body words & clean words| / |body words|; junk left = the junk words found in the
    clean text beyond the body's own, / |junk words|; both averaged over documents (junk over
    documents that have junk). A document "lost its body" when it kept less than half of it.
    Copies of one article that differ only by portal boilerplate should clean to the same words
    (``portal_only_copies_equal``, compared as word multisets).
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
    # copies of one article that differ only by their portal: their clean texts should be equal
    plain: dict[str, list[str]] = defaultdict(list)
    for d, v in sorted(info.items()):
        if set(v["kinds"]) <= {"boilerplate", "exact"}:
            plain[v["cluster"]].append(d)
    pairs = [p for m in plain.values() for p in itertools.combinations(m, 2)]
    same = sum(_bag(clean.get(x, ""), [(0, len(clean.get(x, "")))]) ==
               _bag(clean.get(y, ""), [(0, len(clean.get(y, "")))]) for x, y in pairs)
    return {"body_kept": round(sum(kept.values()) / len(kept), 4),
            "junk_left": round(sum(left.values()) / max(1, len(left)), 4),
            "portal_only_copies_equal": _ratio(same, len(pairs)),
            "documents_losing_body": len(lost), "lost": lost[:40],
            "body_kept_by_kind": {k: round(sum(x) / len(x), 4) for k, x in sorted(by_kind.items())}}


def _covered(spans: list[tuple[int, int, str]], start: int, end: int) -> float:
    """Share of [start, end) covered by the (disjoint) spans."""
    return sum(max(0, min(end, e) - max(start, s)) for s, e, _ in spans) / max(1, end - start)


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
    known = [ln for ln in links if ln[0] in truth and ln[3] in truth]  # ids outside the set: ignored
    pred = [ln for ln in normalise_links(known, texts) if truth[ln[0]] != truth[ln[3]]]
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
