"""Story clusters compared as partitions, by pairs of articles (no pair list is built: pairs
are counted per cluster and per overlap of two clusters, so a million articles cost little)."""

from collections import Counter


def together(labels: dict) -> int:
    """Pairs of items with the same label (``labels``: item -> label; unlabelled items are absent)."""
    return sum(count * (count - 1) // 2 for count in Counter(labels.values()).values())


def together_in_both(first: dict, second: dict) -> int:
    """Pairs of items with the same label in ``first`` and the same label in ``second``."""
    cells = Counter((label, second[item]) for item, label in first.items() if item in second)
    return sum(count * (count - 1) // 2 for count in cells.values())


def clusters_compared(ours: dict, theirs: dict, truth: dict) -> dict:
    """How two clusterings (item -> cluster) differ, and how each matches ``truth`` (item -> story)."""
    both = together_in_both(ours, theirs)
    found = {
        "ours": len(set(ours.values())), "theirs": len(set(theirs.values())),
        "same": len(_groups(ours) & _groups(theirs)),
        "only_ours": together(ours) - both, "only_theirs": together(theirs) - both,
    }
    true_pairs = together(truth)
    for name, clusters in (("ours", ours), ("theirs", theirs)):
        right = together_in_both(clusters, truth)
        found[f"{name}_recall"] = right / max(1, true_pairs)
        found[f"{name}_false"] = together(clusters) - right
    return found


def clusters_against(clusters: dict, truth: dict) -> dict:
    """How one clustering (item -> cluster) matches ``truth`` (item -> story): the share of true
    pairs found, the pairs put together wrongly, and the largest cluster with its stories."""
    right = together_in_both(clusters, truth)
    sizes = Counter(clusters.values())
    largest = max(sizes, key=sizes.get) if sizes else None
    return {
        "recall": right / max(1, together(truth)), "false": together(clusters) - right,
        "largest": sizes.get(largest, 0),
        "largest_stories": len({truth[item] for item, cluster in clusters.items() if cluster == largest and item in truth}),
    }


def _groups(labels: dict) -> set[frozenset]:
    groups = {}
    for item, label in labels.items():
        groups.setdefault(label, set()).add(item)
    return {frozenset(group) for group in groups.values()}
