"""Fingerprints are stored: a new version must compute the very same values for the same text,
or every stored article stops matching its copies. Pinned values (computed before the
fingerprint was made faster), and the faster folding checked against its definition."""

from __future__ import annotations

import random
import unicodedata

import pytest

from fundwatch.storage.fingerprints import (
    SKETCH_CHARS,
    Fingerprint,
    content_hash,
    fingerprint,
    sketch,
)
from fundwatch.storage.text import fold, nfkc

PINNED = [
    (
        "测试科技：完成A轮融资",
        "测试科技宣布完成５０００万元Ａ轮融资，由资本１号领投。资金将用于ＡＩ视频生成模型研发；"
        "公司表示：“今年将扩大团队”……",
        "a967d0bcfd3291f6810f324ad0cb0d1d19d5d35c6d8e1f27410f23fb91a68bfd",
        3635956439901209688,
        (768493836, 1598434478, 1718148642, 1202029466),
        (1173389433, 1617236173, 930736084, 1949880464),
    ),
    (
        "Reelmint Raises $9M",
        "Reelmint, a startup that turns scripts into AI-generated videos, has raised $9 million "
        "in a Series A round led by Quarry Hill Capital. Ｆｕｌｌ－ｗｉｄｔｈ text and the ﬁle "
        "ligature fold too.",
        "9d53b339fcbd6f58c29b7396eb2cd97ff6ddcd2b28c64a3ebe713b5cc48ccc30",
        10816191621617757339,
        (1352833319, 1581326639, 1557183098, 1828444199),
        (1986569668, 602632015, 68596011, 669608024),
    ),
]


@pytest.mark.parametrize(("title", "body", "digest", "simhash", "bands", "more_bands"), PINNED)
def test_fingerprint_values_do_not_change(
    title: str,
    body: str,
    digest: str,
    simhash: int,
    bands: tuple[int, ...],
    more_bands: tuple[int, ...],
) -> None:
    found = fingerprint(title, body)
    assert found.content_hash == digest
    assert found.sketch is not None
    assert (found.sketch.simhash, found.sketch.bands) == (simhash, (*bands, *more_bands))


# characters that make NFKC and case folding do something: full-width forms, the ideographic
# space and ellipsis, combining marks (composing and reordering), Hangul jamo, ligatures, final
# sigma, the German sharp s, the dotted I, circled digits, half-width katakana with voicing marks
_TRICKY = [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xFF01, 0xFF5F)]
_TRICKY += list("\u3000\u2026\u0301\u0308\u0323\u3099\u309a\u1100\u1161\u11a8\uac00\u03a3\u03c2")
_TRICKY += list("\u00df\u0130\ufb01\u2460\u212b\u1e9e\n\u2028\u0085\u00a0\u4e00\u304b\u30ab")
_TRICKY += list("\uff76\uff9e\u2126\u3300\U0001d400\uf900\u00c5\u0041")


def test_fast_folding_is_nfkc_and_casefold() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(_TRICKY) for _ in range(rng.randint(0, 80)))
        assert nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)
        assert fold(text) == unicodedata.normalize("NFKC", text).casefold(), repr(text)


def test_fingerprint_is_content_hash_and_sketch_of_the_article() -> None:
    """fingerprint() folds the body once for both; the result is the two computed apart."""
    rng = random.Random(6)
    for number in range(1500):
        title = "".join(rng.choice(_TRICKY) for _ in range(rng.randint(0, 12)))
        body = "".join(rng.choice(_TRICKY) for _ in range(rng.randint(0, 300)))
        if number % 100 == 0:  # longer than the sketch reads
            body *= SKETCH_CHARS // max(len(body), 1) + 2
        expected = Fingerprint(content_hash(title, body), sketch(f"{title}\n{body[:SKETCH_CHARS]}"))
        assert fingerprint(title, body) == expected, (title, body)
