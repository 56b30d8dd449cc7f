"""The cluster quality figures the ingest benchmark prints against the agency stories."""

from benchmarks.story_quality import clusters_against


def test_clusters_against_the_truth_count_pairs_and_the_largest_cluster():
    truth = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    # a and b together (right), c alone (a true pair missed twice), d and e with b's cluster.
    clusters = {"a": 10, "b": 10, "d": 11, "e": 10}
    found = clusters_against(clusters, truth)
    assert found["recall"] == 1 / 4  # of the true pairs ab, ac, bc, de only ab
    assert found["false"] == 2  # ae, be
    assert (found["largest"], found["largest_stories"]) == (3, 2)


def test_clusters_against_the_truth_with_no_clusters():
    assert clusters_against({}, {"a": 1, "b": 1}) == {"recall": 0.0, "false": 0, "largest": 0, "largest_stories": 0}
