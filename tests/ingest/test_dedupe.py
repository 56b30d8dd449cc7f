"""Exact-duplicate hashes and MinHash same-story detection (pure, no database)."""

import numpy as np

from ingest.cleaning import dedupe
from ingest.cleaning.normalize import content_hash, normalize_words
from tests.ingest.stories import REWRITE, SAME_EVENT, WIRE, text


def test_content_hash_ignores_typography_case_and_spacing():
    plain = 'He said "yes" -- and left.\n\nThe end.'
    fancy = "He said \u201cYES\u201d \u2014 and   left.\n\n\n The end."
    assert content_hash(plain) == content_hash(fancy)
    assert content_hash(plain) != content_hash("He said no and left. The end.")


def test_normalize_words_keeps_non_latin_words():
    assert normalize_words("Zoë met José in Zürich — مرحبا بكم 🚀") == ["zoë", "met", "josé", "in", "zürich",
                                                                      "مرحبا", "بكم"]


def test_syndicated_rewrite_is_same_story():
    wire, rewrite = dedupe.fingerprint(text(WIRE)), dedupe.fingerprint(text(REWRITE))
    assert dedupe.estimate_containment(wire, rewrite) >= dedupe.SAME_STORY_CONTAINMENT
    assert dedupe.same_story(wire, rewrite)
    assert set(wire.band_keys) & set(rewrite.band_keys), "a rewrite must share a band key to be a candidate"


def test_same_event_different_story_is_not_same_story():
    wire, other = dedupe.fingerprint(text(WIRE)), dedupe.fingerprint(text(SAME_EVENT))
    assert dedupe.estimate_containment(wire, other) < 0.05
    assert not dedupe.same_story(wire, other)


def test_fingerprint_is_stable_and_round_trips_through_bytes():
    first, second = dedupe.fingerprint(text(WIRE)), dedupe.fingerprint(text(WIRE))
    assert np.array_equal(first.signature, second.signature)
    restored = dedupe.signature_from_bytes(first.to_bytes())
    assert np.array_equal(restored, first.signature)
    assert len(first.to_bytes()) == dedupe.NUM_PERM * 4


def test_band_keys_one_per_band_and_distinct():
    keys = dedupe.fingerprint(text(WIRE)).band_keys
    assert len(keys) == dedupe.BANDS
    assert len(set(keys)) == dedupe.BANDS
    assert all(-(2**63) <= key < 2**63 for key in keys)


def test_identical_texts_estimate_full_overlap_and_empty_text_none():
    one = dedupe.fingerprint(text(WIRE))
    assert dedupe.estimate_jaccard(one.signature, one.signature) == 1.0
    empty = dedupe.fingerprint("")
    assert empty.shingle_count == 0
    assert dedupe.estimate_containment(one, empty) == 0.0


def test_short_text_has_one_shingle():
    assert dedupe.fingerprint("Storm warning issued").shingle_count == 1


def exact_jaccard(a: str, b: str) -> float:
    first, second = set(dedupe.shingle_hashes(a).tolist()), set(dedupe.shingle_hashes(b).tolist())
    return len(first & second) / len(first | second)


def datasketch_jaccard(a: str, b: str) -> float:
    from datasketch import MinHash

    sketches = []
    for value in (a, b):
        sketch = MinHash(num_perm=dedupe.NUM_PERM, seed=1)
        sketch.update_batch([int(h).to_bytes(4, "little") for h in dedupe.shingle_hashes(value)])
        sketches.append(sketch)
    return sketches[0].jaccard(sketches[1])


def test_jaccard_estimate_agrees_with_exact_value_and_with_datasketch():
    pairs = [(text(WIRE), text(REWRITE)), (text(WIRE), text(WIRE[:4])), (text(WIRE), text(SAME_EVENT))]
    for a, b in pairs:
        ours = dedupe.estimate_jaccard(dedupe.fingerprint(a).signature, dedupe.fingerprint(b).signature)
        exact, reference = exact_jaccard(a, b), datasketch_jaccard(a, b)
        # 128 permutations: the standard error is at most sqrt(0.25/128) ≈ 0.044.
        assert abs(ours - exact) < 0.13, (ours, exact)
        assert abs(reference - exact) < 0.13, (reference, exact)
