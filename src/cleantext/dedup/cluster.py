"""Duplicate clusters from verified pairs, guarded against chaining.

Union-find joins every verified pair into components. Verified similarity is not transitive
(A ~ B and B ~ C while A !~ C), so a component is not accepted as it is:

1. its canonical is the member with the smallest rank key (``canonical.rank_key``);
2. a member stays in the cluster only if it is itself a duplicate of the canonical, checked
   directly on the exact shingle sets (Jaccard or containment, as for any pair);
3. the members that fail form new components from the verified pairs among them alone, and
   steps 1-3 repeat on each.

So every non-canonical document of a cluster is verified against its canonical, and a chain can
never pull in a document unrelated to the canonical. The result depends only on the sets of
pairs and the rank keys, not on any input order.
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
    nodes = sorted({v for pair in pairs for v in pair})
    pending = [c for c in components(nodes, pairs) if len(c) > 1]
    out: list[Cluster] = []
    while pending:
        comp = pending.pop()
        canon = min(comp, key=lambda v: rank[v])
        cluster = Cluster(canon, [canon])
        rest: list[int] = []
        for v in comp:
            if v == canon:
                continue
            key = (min(v, canon), max(v, canon))
            ov = pairs.get(key) or check(*key)
            if ov is None:
                rest.append(v)
            else:
                cluster.members.append(v)
                cluster.to_canonical[v] = ov
        cluster.members.sort()
        inside = set(cluster.members)
        cluster.pairs = {p: ov for p, ov in pairs.items() if p[0] in inside and p[1] in inside}
        for v, ov in cluster.to_canonical.items():
            cluster.pairs.setdefault((min(v, canon), max(v, canon)), ov)
        cluster.pairs = dict(sorted(cluster.pairs.items()))
        out.append(cluster)
        pending.extend(c for c in components(rest, pairs) if len(c) > 1)
    out.sort(key=lambda c: rank[c.canonical])
    return out
