"""Near-duplicate detection with MinHash and LSH banding (pure; keys are stored by the service).

Syndicated rewrites of one wire story share few 5-word shingles overall (Jaccard ~0.15)
but much of the shorter version appears in the longer one (containment ~0.3). So the
bands are narrow (2 rows: a pair with Jaccard 0.15 becomes a candidate with p≈0.77 over
64 bands, 0.95 at 128), and candidates are confirmed by the containment estimated from
the signatures and the shingle-set sizes.
"""

import zlib
from dataclasses import dataclass

import numpy as np

from .normalize import normalize_words

SHINGLE_WORDS = 5
NUM_PERM = 128
ROWS_PER_BAND = 2
BANDS = NUM_PERM // ROWS_PER_BAND
# Share of the smaller article's shingles found in the larger one that makes them one story.
SAME_STORY_CONTAINMENT = 0.15
# Equal signature values (of NUM_PERM) a pair sharing a single band must have as well: an
# estimated Jaccard of ~0.09. On generated wire copy (benchmarks/README.md) that kept 3,666 of
# the 3,736 confirmed single-band pairs of copies of one story and 1 of the 30 of different
# stories, each of which merged two whole stories.
SINGLE_BAND_MIN_EQUAL = 12
# Equal signature values (of NUM_PERM) an article must have with a member of each of two
# story clusters to merge them: an estimated Jaccard of 0.25, far above what chance gives. A weak
# match (a chance hit on shared boilerplate between copies of different stories) may place one
# article wrongly, but must not merge two whole stories: on generated wire copy 145 of 88,955
# matches in 100,000 articles were such hits (5 to 21 equal values), and merging through each
# chained 1,315 agency stories into one cluster of 258,204 articles by a million. Real rewrites
# agree less than generated ones (18 to 38 in sample_data's wire group): an unclustered match
# joins whatever the strength.
MERGE_MIN_EQUAL = 32
# Fixed seed: signatures are stored, so the permutations must never change.
MINHASH_SEED = 20210108
_RNG = np.random.default_rng(MINHASH_SEED)
_MULTIPLIERS = _RNG.integers(0, 2**64, NUM_PERM, dtype=np.uint64, endpoint=False) | np.uint64(1)  # odd
_OFFSETS = _RNG.integers(0, 2**64, NUM_PERM, dtype=np.uint64, endpoint=False)
_MAX_HASH = (1 << 32) - 1
_SHINGLE_BASE = np.uint64(0x100000001B3)  # FNV prime: spreads word order into the window hash
# News vocabulary repeats; caching word hashes halves hashing time. Bounded to cap memory.
_WORD_HASH_CACHE_SIZE = 500_000
class _WordHashes(dict):
    """word -> CRC-32, computed on first lookup (``__missing__`` keeps hits in C)."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode())
        return value


_WORD_HASHES = _WordHashes()
# Odd 64-bit multipliers that mix a band's row values into one key (arithmetic wraps mod 2**64).
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F], dtype=np.uint64)
_BAND_SALT = (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x165667B19E3779F9)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedupe stores for an article: its signature, the shingle count and LSH band keys."""

    signature: np.ndarray  # NUM_PERM uint32 values
    shingle_count: int

    @property
    def band_keys(self) -> list[int]:
        return band_keys(self.signature)

    def to_bytes(self) -> bytes:
        return self.signature.astype("<u4").tobytes()


def shingle_hashes(text: str, words: list[str] | None = None) -> np.ndarray:
    """Distinct 32-bit hashes of the 5-word shingles of the normalised text.

    Words are hashed once (CRC-32, stable across processes) and combined per window in
    numpy, which is ~10x faster than hashing each shingle string. Pass ``words`` when
    the caller already has ``normalize_words(text)``.
    """
    words = normalize_words(text) if words is None else words
    if len(_WORD_HASHES) >= _WORD_HASH_CACHE_SIZE:
        _WORD_HASHES.clear()
    word_hashes = np.fromiter(map(_WORD_HASHES.__getitem__, words), dtype=np.uint64, count=len(words))
    windows = max(1, len(words) - SHINGLE_WORDS + 1) if words else 0
    combined = np.zeros(windows, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(min(SHINGLE_WORDS, len(words))):
            combined = combined * _SHINGLE_BASE + word_hashes[offset:offset + windows]
    folded = (combined >> np.uint64(32)) ^ (combined & np.uint64(0xFFFFFFFF))
    return np.unique(folded.astype(np.uint32))


def fingerprint(text: str, words: list[str] | None = None) -> Fingerprint:
    """MinHash fingerprint of ``text``.

    The NUM_PERM hash functions are multiply-shift hashes h(x) = (a·x + b) >> 32 over
    64-bit words: a 2-universal family with no division, about twice as fast as the
    modulo-prime permutations of datasketch (the tests check both estimate alike).
    """
    hashes = shingle_hashes(text, words)
    if not len(hashes):
        return Fingerprint(np.full(NUM_PERM, _MAX_HASH, dtype=np.uint32), 0)
    with np.errstate(over="ignore"):
        permuted = (hashes.astype(np.uint64)[:, None] * _MULTIPLIERS + _OFFSETS) >> np.uint64(32)
    return Fingerprint(permuted.min(axis=0).astype(np.uint32), len(hashes))


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 64-bit key per band, distinct across bands."""
    rows = signature.astype(np.uint64).reshape(BANDS, ROWS_PER_BAND)
    with np.errstate(over="ignore"):
        mixed = (rows * _MIX).sum(axis=1, dtype=np.uint64) ^ _BAND_SALT
    return mixed.view(np.int64).tolist()


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / NUM_PERM


def estimate_containment(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated share of the smaller shingle set contained in the larger one."""
    smaller, larger = sorted((a.shingle_count, b.shingle_count))
    if smaller == 0:
        return 0.0
    jaccard = estimate_jaccard(a.signature, b.signature)
    # |A∩B| = J·|A∪B| = J·(|A|+|B|)/(1+J)
    intersection = jaccard * (smaller + larger) / (1 + jaccard)
    return min(1.0, intersection / smaller)


def same_story(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether two articles are versions of one story (see ``story_agreement``)."""
    return story_agreement(a, b) > 0


def story_agreement(a: Fingerprint, b: Fingerprint) -> int:
    """How many signature values two versions of one story share (0 if they are not versions
    of one story): the strength of the match.

    A pair whose signatures agree on at most one band must also agree on
    ``SINGLE_BAND_MIN_EQUAL`` values: one shared band is two equal values by construction, and
    a few more chance agreements lift a short article's estimated containment in a long one
    over the threshold.
    """
    # The containment of ``estimate_containment``, from the one comparison of the signatures
    # used for the bands too (this runs for every candidate of every imported article).
    smaller, larger = sorted((a.shingle_count, b.shingle_count))
    if smaller == 0:
        return 0
    equal = a.signature == b.signature
    equal_values = int(np.count_nonzero(equal))
    jaccard = equal_values / NUM_PERM
    if min(1.0, jaccard * (smaller + larger) / (1 + jaccard) / smaller) < SAME_STORY_CONTAINMENT:
        return 0
    if equal_values >= SINGLE_BAND_MIN_EQUAL or np.count_nonzero(equal.reshape(BANDS, ROWS_PER_BAND).all(axis=1)) > 1:
        return equal_values
    return 0
