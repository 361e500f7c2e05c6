"""Finding the article a new one copies: exact (content hash) or near (LSH bands + SimHash).

A copy points to the first article of its story (`duplicate_of` is always a root, never a copy).

Threshold: `DEFAULT_MAX_DISTANCE` = 18 of 64 SimHash bits, measured with the texts in
tests/storage/dedup_texts.py and random rewording: light rewrites ("spun" copies, swapped
synonyms, a new title, a site's own header and footer) differ in 4-14 bits; with 10 % of the
characters replaced at random: median 11, 95th percentile 17. Different stories differ in 23-30
bits even when they share a site's boilerplate or are two rounds of the same company told by the
same outlet. Raise it to catch heavier rewrites, at the risk of merging same-template stories.

A candidate must also share LSH bands: two bands and at most `DEFAULT_TWO_BAND_DISTANCE` = 16
bits, or three or more bands and at most 18 bits. Measured with bench/dedup.py (synthetic news
with Zipf word frequencies, 100,000 stored articles): of 300 copies with 8 % of the words swapped
and a header and footer added, 97 % share two or more of the 8 bands and lie 3-19 bits away; the
few unrelated articles that share two bands and lie within 18 bits lie 17-18 bits away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ScalarSelect, Select, bindparam, func, select, union_all
from sqlalchemy.orm import Session

from fundwatch.storage.fingerprints import BANDS, Fingerprint, Sketch, hamming, to_unsigned
from fundwatch.storage.models import Article

DEFAULT_MAX_DISTANCE = 18
DEFAULT_TWO_BAND_DISTANCE = 16
_BAND_COLUMNS = [getattr(Article, f"lsh_band{i}") for i in range(BANDS)]


@dataclass(frozen=True)
class DedupSettings:
    """A stored article is a near duplicate when it shares at least two LSH bands and its SimHash
    is within `two_band_distance` bits, or shares three or more bands and is within
    `max_distance` bits."""

    max_distance: int = DEFAULT_MAX_DISTANCE  # 0 disables near-duplicate matching
    two_band_distance: int = DEFAULT_TWO_BAND_DISTANCE

    def __post_init__(self) -> None:
        for name in ("max_distance", "two_band_distance"):
            value = getattr(self, name)
            if not 0 <= value <= 64:
                raise ValueError(
                    f"near-duplicate {name} must be between 0 and 64 bits, got {value}"
                )

    def limit(self, shared_bands: int) -> int:
        if shared_bands < 2:
            return -1
        if shared_bands == 2:
            return min(self.two_band_distance, self.max_distance)
        return self.max_distance


@dataclass(frozen=True)
class DuplicateMatch:
    original_id: int  # the first article of the story
    kind: Literal["exact", "near"]
    distance: int  # SimHash bits (0 for exact)


def exact_original() -> ScalarSelect[int]:
    """Scalar subquery: the root of the first article whose content hash is the `content_hash`
    parameter (NULL when there is none, or when the parameter is NULL)."""
    return (
        select(func.coalesce(Article.duplicate_of, Article.id))
        .where(Article.content_hash == bindparam("content_hash"))
        .order_by(Article.id)
        .limit(1)
        .scalar_subquery()
    )


def find_exact(session: Session, content_hash: str) -> int | None:
    """The first article with this content hash (its root, if it is itself a copy)."""
    row = session.execute(
        select(Article.id, Article.duplicate_of)
        .where(Article.content_hash == content_hash)
        .order_by(Article.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    return row.duplicate_of or row.id


def _candidates_statement() -> Select:
    """Built once: one probe per band index returns only ids (index-only: no table rows are read
    for the many articles that share a single band); rows are fetched for the ids that share
    enough bands."""
    probes = union_all(
        *(
            select(Article.id.label("id")).where(column == bindparam(f"band{i}"))
            for i, column in enumerate(_BAND_COLUMNS)
        )
    ).subquery()
    hits = (
        select(probes.c.id, func.count().label("shared"))
        .group_by(probes.c.id)
        .having(func.count() >= bindparam("min_shared"))
        .subquery()
    )
    return (
        select(Article.id, Article.simhash, Article.duplicate_of, hits.c.shared)
        .join(hits, Article.id == hits.c.id)
        .where(Article.simhash.is_not(None))
    )


_CANDIDATES = _candidates_statement()


def near_candidates(
    session: Session, sketch: Sketch, min_shared: int = 2
) -> list[tuple[int, int, int | None, int]]:
    """(id, unsigned simhash, duplicate_of, shared bands) of stored articles sharing at least
    `min_shared` LSH bands."""
    params: dict[str, int] = {f"band{i}": band for i, band in enumerate(sketch.bands)}
    params["min_shared"] = min_shared
    rows = session.connection().execute(_CANDIDATES, params).all()  # Core: no ORM overhead
    return [(row.id, to_unsigned(row.simhash), row.duplicate_of, row.shared) for row in rows]


def near_originals(
    session: Session, sketch: Sketch, settings: DedupSettings
) -> list[DuplicateMatch]:
    """Every story `sketch` is a near copy of: one match per root, closest first (ties: the
    older root). The caller picks the first whose facts agree (storage/ingest.py)."""
    closest: dict[int, int] = {}  # root id -> distance
    for article_id, value, duplicate_of, shared in near_candidates(session, sketch):
        distance = hamming(value, sketch.simhash)
        if distance > settings.limit(shared):
            continue
        root = duplicate_of or article_id
        closest[root] = min(distance, closest.get(root, distance))
    ranked = sorted((distance, root) for root, distance in closest.items())
    return [DuplicateMatch(root, "near", distance) for distance, root in ranked]


def find_near(session: Session, sketch: Sketch, settings: DedupSettings) -> tuple[int, int] | None:
    """(root id, distance) of the closest stored near duplicate, or None."""
    matches = near_originals(session, sketch, settings)
    return (matches[0].original_id, matches[0].distance) if matches else None


def find_duplicate(
    session: Session,
    fingerprint: Fingerprint,
    settings: DedupSettings | None = None,
    *,
    exact: int | Literal["lookup"] | None = "lookup",
) -> DuplicateMatch | None:
    """The article `fingerprint` copies, or None. `exact` is the exact original when the caller
    has looked it up already (see exact_original; storage.ingest does it in the same round trip
    as its seen-URL check)."""
    matches = find_duplicates(session, fingerprint, settings, exact=exact)
    return matches[0] if matches else None


def find_duplicates(
    session: Session,
    fingerprint: Fingerprint,
    settings: DedupSettings | None = None,
    *,
    exact: int | Literal["lookup"] | None = "lookup",
) -> list[DuplicateMatch]:
    """The exact original (alone), else every near original, closest first."""
    settings = settings or DedupSettings()
    if exact == "lookup":
        exact = None
        if fingerprint.content_hash is not None:
            exact = find_exact(session, fingerprint.content_hash)
    if exact is not None:
        return [DuplicateMatch(exact, "exact", 0)]
    if fingerprint.sketch is not None and settings.max_distance > 0:
        return near_originals(session, fingerprint.sketch, settings)
    return []
