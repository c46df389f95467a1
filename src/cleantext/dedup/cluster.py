"""Duplicate clusters from verified pairs, guarded against chaining.

Union-find joins every verified pair into components. Verified similarity is not transitive
(A ~ B and B ~ C while A !~ C), so a component is not accepted as it is. Inside a component the
documents are taken in canonical rank order (``canonical.rank_key``, best first):

1. a document that is a duplicate (checked directly on the exact shingle sets, Jaccard or
   containment) of none of the canonicals chosen so far becomes a canonical itself;
2. otherwise it joins the canonical it is most similar to (highest Jaccard, then containment, then
   the better-ranked canonical), so a truncated reprint contained both in its own article and in
   another article that quotes it joins its own article.

Every non-canonical member is thus verified against its own canonical, and a chain can never pull
in a document unrelated to the canonical. The result depends only on the verified pairs, the
shingle sets and the rank keys, not on any input order.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from cleantext.dedup.verify import Overlap

__all__ = ["Cluster", "build_clusters", "components"]


@dataclass(slots=True)
class Cluster:
    """A duplicate group: the canonical index, every member index (sorted) and the scores."""

    canonical: int
    members: list[int]
    to_canonical: dict[int, Overlap] = field(default_factory=dict)  # member -> overlap with canonical
    pairs: dict[tuple[int, int], Overlap] = field(default_factory=dict)  # every verified pair inside


def components(nodes: Iterable[int], pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components (union-find) of ``nodes`` under the pairs with both ends in ``nodes``;
    each sorted, singletons included, listed by their smallest node."""
    parent = {v: v for v in nodes}

    def find(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for i, j in pairs:
        if i in parent and j in parent:
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = {}
    for v in sorted(parent):
        groups.setdefault(find(v), []).append(v)
    return [groups[r] for r in sorted(groups)]


def build_clusters(pairs: dict[tuple[int, int], Overlap], rank: Sequence[tuple],
                   check: Callable[[int, int], Overlap | None]) -> list[Cluster]:
    """Clusters of two or more documents, sorted by their canonical's rank.

    ``pairs`` maps verified duplicate pairs (i < j) to their overlap; ``rank[i]`` is document i's
    canonical rank key; ``check(i, j)`` verifies a pair directly (the overlap, or None when the two
    are not duplicates).
    """
    def verified(a: int, b: int) -> Overlap | None:
        key = (min(a, b), max(a, b))
        return pairs[key] if key in pairs else check(*key)

    nodes = sorted({v for pair in pairs for v in pair})
    comps = [c for c in components(nodes, pairs) if len(c) > 1]
    comp_of = {v: k for k, comp in enumerate(comps) for v in comp}
    comp_pairs: list[dict[tuple[int, int], Overlap]] = [{} for _ in comps]
    for p, ov in pairs.items():
        comp_pairs[comp_of[p[0]]][p] = ov
    out: list[Cluster] = []
    for comp, inner in zip(comps, comp_pairs):
        canonicals: list[int] = []
        clusters: dict[int, Cluster] = {}
        for v in sorted(comp, key=lambda u: rank[u]):
            best: tuple[tuple[float, float, int], int, Overlap] | None = None
            for k, c in enumerate(canonicals):
                ov = verified(v, c)
                if ov is not None and (best is None or (ov.jaccard, ov.containment, -k) > best[0]):
                    best = ((ov.jaccard, ov.containment, -k), c, ov)
            if best is None:
                canonicals.append(v)
                clusters[v] = Cluster(v, [v])
            else:
                cluster = clusters[best[1]]
                cluster.members.append(v)
                cluster.to_canonical[v] = best[2]
        for cluster in clusters.values():
            if len(cluster.members) < 2:
                continue
            cluster.members.sort()
            inside = set(cluster.members)
            found = {p: ov for p, ov in inner.items() if p[0] in inside and p[1] in inside}
            for v, ov in cluster.to_canonical.items():
                found.setdefault((min(v, cluster.canonical), max(v, cluster.canonical)), ov)
            cluster.pairs = dict(sorted(found.items()))
            out.append(cluster)
    out.sort(key=lambda c: rank[c.canonical])
    return out
