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
