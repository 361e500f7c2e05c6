"""Text fingerprints for dedup: an exact content hash and a 64-bit SimHash (no I/O).

Both work on the same normalized text: NFKC, case-folded, punctuation, symbols and whitespace
dropped, so that full-width/half-width forms, spacing between CJK and Latin and quote styles do
not matter.

Near duplicates use shingles of `SHINGLE_SIZE` consecutive units, where a unit is one CJK
character (Han, kana, hangul) or one whole Latin/digit word: Chinese is shingled by characters and
English by words, and mixed text works without a segmenter. Each article gets a `Sketch`:

- eight MinHash LSH bands (`BANDS` x `ROWS_PER_BAND` minima, each band hashed to 31 bits), stored
  in indexed columns: two texts whose shingle sets have Jaccard similarity J share a band with
  probability J^2 each, so at least two of the eight (what dedup asks for) with probability
  0.84 for J = 0.6, 0.96 for J = 0.7, 0.996 for J = 0.8, and 0.003 for J = 0.1;
- a 64-bit SimHash (shingles weighted by frequency) that verifies a candidate by Hamming distance.

Why not a SimHash pigeonhole lookup alone: measured on our rewritten ("spun") test texts, a story
and its light rewrite differ in 4-14 of 64 SimHash bits, beyond the distance of 3 that four
16-bit SimHash bands can guarantee to find. See storage/dedup.py for the threshold.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import struct
import unicodedata
from collections import Counter
from dataclasses import dataclass

from fundwatch.storage.text import fold

SHINGLE_SIZE = 2
MIN_SHINGLES = 16  # shorter texts get no sketch: too few shingles to compare reliably
SKETCH_CHARS = 20_000  # the sketch reads the start of a long article (time stays bounded)
BANDS = 8
ROWS_PER_BAND = 2
_BAND_MASK = 0x7FFF_FFFF  # fits a signed 32-bit INTEGER column
_DIGEST = 4 * BANDS * ROWS_PER_BAND  # 64 bytes: blake2b's largest digest

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_UNITS = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_MASK64 = (1 << 64) - 1
# Runs of characters that are neither letters nor digits (Unicode categories L and N, which is
# what \w means for str patterns, underscore aside); marks (category M) are non-word characters
# that normalize_text keeps, so _marks_of picks them out of each run.
_NOT_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=4096)
def _marks_of(run: str) -> str:
    if run.isascii():
        return ""
    return "".join(ch for ch in run if unicodedata.category(ch)[0] == "M")


def _word_chars(folded: str) -> str:
    return _NOT_WORD.sub(lambda run: _marks_of(run.group()), folded)


def normalize_text(text: str) -> str:
    """NFKC, casefold, and keep only letters, digits and marks (punctuation, symbols, whitespace
    and control characters removed)."""
    return _word_chars(fold(text))


def _hash_of(normalized: str) -> str | None:
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest() if normalized else None


def content_hash(title: str, body: str) -> str | None:
    """SHA-256 of the normalized body (the title when there is no body); None for empty text.

    The title is left out when there is a body because copies often retitle a story.
    """
    return _hash_of(normalize_text(body) or normalize_text(title))


def units(text: str) -> list[str]:
    """CJK characters one by one, other words whole (after NFKC and casefold)."""
    return _UNITS.findall(fold(text))


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[str]:
    return _shingles_of(units(text), size)


def _shingles_of(parts: list[str], size: int) -> Counter[str]:
    if len(parts) < size:
        return Counter()
    if size == 2:
        return Counter(map("\x1f".join, itertools.pairwise(parts)))
    return Counter(map("\x1f".join, zip(*(parts[k:] for k in range(size)), strict=False)))


def _digests(counts: Counter[str]) -> bytes:
    """One 64-byte blake2b digest per shingle, concatenated: bytes 0-7 are the SimHash input
    (little-endian), and the digest read as 16 little-endian 32-bit words gives the MinHash
    values, so one hash call per shingle serves both."""
    assert _DIGEST == 64  # blake2b's default digest size: no keyword to parse per call
    blake2b = hashlib.blake2b
    return b"".join([blake2b(shingle.encode()).digest() for shingle in counts])


def _simhash(digests: bytes, weights: list[int]) -> int:
    """Per-bit weighted vote over the shingles' 64-bit hashes (bytes 0-7 of each digest, read
    little-endian): bit k is set when the shingles with bit k set weigh more than half."""
    import numpy as np  # here, not at module level: the CLI imports storage for every command

    prefixes = np.frombuffer(digests, dtype=np.uint8).reshape(-1, _DIGEST)[:, :8]
    bits = np.unpackbits(prefixes, axis=1, bitorder="little")  # column 8 * byte + bit
    weight = np.asarray(weights, dtype=np.int64)
    votes = weight @ bits  # total weight of the shingles that set each bit
    chosen = np.packbits(2 * votes > int(weight.sum()), bitorder="little")
    return int.from_bytes(chosen.tobytes(), "little")


def _minima(digests: bytes) -> list[int]:
    """The minimum of each of the 16 little-endian 32-bit words over all digests."""
    import numpy as np

    words = np.frombuffer(digests, dtype="<u4").reshape(-1, BANDS * ROWS_PER_BAND)
    return [int(value) for value in words.min(axis=0)]


def _lsh_bands(digests: bytes) -> tuple[int, ...]:
    """MinHash LSH: band i is a 31-bit hash of ROWS_PER_BAND minima (each over its own hash)."""
    minima = _minima(digests)
    out = []
    for i in range(BANDS):
        chunk = minima[i * ROWS_PER_BAND : (i + 1) * ROWS_PER_BAND]
        packed = struct.pack(f"<B{ROWS_PER_BAND}I", i, *chunk)
        digest = hashlib.blake2b(packed, digest_size=4).digest()
        out.append(int.from_bytes(digest, "little") & _BAND_MASK)
    return tuple(out)


@dataclass(frozen=True)
class Sketch:
    """Near-duplicate fingerprint: unsigned 64-bit SimHash and eight 31-bit MinHash LSH bands."""

    simhash: int
    bands: tuple[int, ...]


def sketch(
    text: str, *, size: int = SHINGLE_SIZE, min_shingles: int = MIN_SHINGLES
) -> Sketch | None:
    """SimHash and LSH bands of `text`, or None when it has fewer than `min_shingles` shingles."""
    return _sketch_of(units(text), size, min_shingles)


def _sketch_of(parts: list[str], size: int, min_shingles: int) -> Sketch | None:
    counts = _shingles_of(parts, size)
    if len(counts) < min_shingles:
        return None
    digests = _digests(counts)
    return Sketch(_simhash(digests, list(counts.values())), _lsh_bands(digests))


def simhash(text: str, *, size: int = SHINGLE_SIZE, min_shingles: int = MIN_SHINGLES) -> int | None:
    """Unsigned 64-bit SimHash of `text` (None for texts too short to compare)."""
    result = sketch(text, size=size, min_shingles=min_shingles)
    return None if result is None else result.simhash


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & _MASK64).bit_count()


def to_signed(value: int) -> int:
    """Store an unsigned 64-bit value in a signed BIGINT column."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    return value & _MASK64


@dataclass(frozen=True)
class Fingerprint:
    """What dedup stores per article."""

    content_hash: str | None
    sketch: Sketch | None

    @property
    def simhash(self) -> int | None:
        return None if self.sketch is None else self.sketch.simhash

    def columns(self) -> dict[str, int | str | None]:
        values: dict[str, int | str | None] = {
            "content_hash": self.content_hash,
            "simhash": None,
            **{f"lsh_band{i}": None for i in range(BANDS)},
        }
        if self.sketch is not None:
            values["simhash"] = to_signed(self.sketch.simhash)
            for i, band in enumerate(self.sketch.bands):
                values[f"lsh_band{i}"] = band
        return values


def fingerprint(title: str, body: str) -> Fingerprint:
    """Content hash and near-duplicate sketch of an article (the sketch covers title and body).

    The same as content_hash(title, body) and sketch(f"{title}\\n{body[:SKETCH_CHARS]}"), with
    the body folded once for both: folding works character by character, and a line break
    neither changes nor joins with its neighbours."""
    folded_title = fold(title)
    folded_body = fold(body)
    folded_sketch = fold(body[:SKETCH_CHARS]) if len(body) > SKETCH_CHARS else folded_body
    hashed = _hash_of(_word_chars(folded_body) or _word_chars(folded_title))
    parts = _UNITS.findall(f"{folded_title}\n{folded_sketch}")
    return Fingerprint(hashed, _sketch_of(parts, SHINGLE_SIZE, MIN_SHINGLES))
