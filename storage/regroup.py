"""Regrouping stored articles into events after their facts changed (`fundwatch redetect`),
in memory, with the rules new articles follow (storage/event_rules.py), and naming what
changed: events created, merged, split, changed or withdrawn.

Nothing here touches the database: storage/redetect.py loads the articles and events and writes
the outcome.

Event identity: a regrouped event keeps the id of the stored event most of its articles came
from (so alerts already sent stay attached to it); a group with no stored event is created; a
stored event none of whose articles it keeps any more is withdrawn (or, with two or more stored
events in one group, merged into the surviving one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from fundwatch.storage.event_rules import (
    EventDraft,
    EventSettings,
    Facts,
    choose_event,
    disagreement,
    merge_facts,
    note_article,
    start_event,
)
from fundwatch.storage.pinyin_keys import across_scripts, han_romanised, latin_stems
from fundwatch.storage.timeutil import as_utc

if TYPE_CHECKING:
    from fundwatch.records import Detection

# the article columns a person reads in a diff (score and matched change silently)
SHOWN_FIELDS = (
    "flag",
    "company",
    "company_key",
    "round",
    "amount",
    "currency",
    "amount_approximate",
    "amount_low",
    "amount_high",
    "valuation_usd",
    "lead_investors",
    "investors",
)
# the event facts whose change is material (a new revision)
MATERIAL_FIELDS = (
    "round",
    "amount",
    "currency",
    "amount_low",
    "amount_high",
    "valuation_usd",
    "lead_investors",
)


@dataclass(frozen=True)
class StoredArticle:
    """One article as regrouping sees it: stored columns, and its re-detected values if any."""

    id: int
    source: str
    title: str
    duplicate_of: int | None
    event_id: int | None
    published_at: datetime | None
    fetched_at: datetime
    values: Mapping[str, Any]  # stored detection columns
    new_values: Mapping[str, Any] | None = None  # re-detected; None: keeps its stored values
    original_event_id: int | None = None  # the event of the article it copies (duplicate_of)
    detection: Detection | None = None  # the new detection (its investor keys)

    @property
    def current(self) -> Mapping[str, Any]:
        return self.values if self.new_values is None else self.new_values

    @property
    def seen_at(self) -> datetime:
        seen = as_utc(self.published_at) or as_utc(self.fetched_at)
        assert seen is not None
        return seen

    def changes(self) -> dict[str, tuple[Any, Any]]:
        """Shown fields whose value differs after re-detection: name -> (before, after)."""
        if self.new_values is None:
            return {}
        out = {}
        for name in SHOWN_FIELDS:
            before, after = self.values.get(name), self.new_values.get(name)
            if _normal(before) != _normal(after):
                out[name] = (before, after)
        return out


def _normal(value: Any) -> Any:
    if value in (None, [], "", False):
        return None
    return value


@dataclass
class Group:
    """An event after regrouping: its facts and articles, and the stored event it continues."""

    draft: EventDraft
    members: list[int] = field(default_factory=list)
    stored: bool = False  # an event outside the regrouped set: kept, articles may join it
    before: EventDraft | None = None  # a stored event's facts before articles joined it

    @property
    def id(self) -> int | None:
        return self.draft.id


ChangeKind = Literal["created", "merged", "split", "changed", "joined", "withdrawn"]


@dataclass(frozen=True)
class EventChange:
    kind: ChangeKind
    event_id: int | None  # the surviving (or withdrawn) event; None for a created one
    company: str
    round: str | None
    leads: tuple[str, ...]
    articles: tuple[int, ...]  # its articles after regrouping
    from_events: tuple[int, ...] = ()  # merged: the events it absorbed; split: the source event
    facts: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)  # before -> after


@dataclass
class Regrouping:
    groups: list[Group]
    changes: list[EventChange]
    withdrawn: list[int]  # stored events that no article reports any more


class _ByCompany:
    """Groups by company key, found also by a key in the other script (生数 by "shengshu")."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[Group]] = {}
        self._by_spelling: dict[str, list[Group]] = {}  # romanised name -> groups

    def add(self, group: Group) -> None:
        key = group.draft.company_key
        self._by_key.setdefault(key, []).append(group)
        for form in han_romanised(key) | latin_stems(key):
            self._by_spelling.setdefault(form, []).append(group)

    def get(self, key: str) -> list[Group]:
        found = list(self._by_key.get(key, []))
        seen = {id(g) for g in found}
        for form in han_romanised(key) | latin_stems(key):
            for group in self._by_spelling.get(form, []):
                if id(group) not in seen and across_scripts(group.draft.company_key, key):
                    found.append(group)
                    seen.add(id(group))
        return found


def regroup(
    articles: Sequence[StoredArticle],
    touched: Mapping[int, EventDraft],
    outside: Iterable[EventDraft],
    settings: EventSettings,
) -> Regrouping:
    """Group `articles` (every article of the `touched` events, and the re-detected ones) in
    id order. `outside` events keep their articles and facts; regrouped articles may join them.
    """
    groups: list[Group] = [Group(draft, stored=True, before=replace(draft)) for draft in outside]
    by_event: dict[int, Group] = {g.draft.id: g for g in groups if g.draft.id is not None}
    by_company = _ByCompany()
    for group in groups:
        by_company.add(group)
    of_article: dict[int, Group] = {}
    ordered = sorted(articles, key=lambda a: a.id)
    regrouped_ids = {a.id for a in ordered}
    for article in ordered:
        values = article.current
        said = Facts.from_values(values, article.detection)
        facts = said if values.get("flag") else None
        group: Group | None = None
        root = article.duplicate_of
        if root is not None:
            group = (
                of_article.get(root)
                if root in regrouped_ids
                else by_event.get(article.original_event_id or -1)
            )
            if group is not None and disagreement(group.draft, said, settings) is not None:
                group = None
        if group is None and facts is not None and facts.company_key is not None:
            same_company = by_company.get(facts.company_key)
            chosen = choose_event([g.draft for g in same_company], facts, article.seen_at, settings)
            group = next((g for g in same_company if g.draft is chosen), None)
        if group is None:
            if facts is None or facts.company_key is None:
                continue
            group = Group(start_event(facts, as_utc(article.fetched_at) or article.seen_at))
            groups.append(group)
            by_company.add(group)
        elif facts is not None:
            merge_facts(group.draft, facts)
        stored_at = as_utc(article.fetched_at) or article.seen_at
        note_article(group.draft, article.source, article.published_at, stored_at)
        group.members.append(article.id)
        of_article[article.id] = group
    return _reconcile(groups, ordered, touched)


def _reconcile(
    groups: list[Group], articles: Sequence[StoredArticle], touched: Mapping[int, EventDraft]
) -> Regrouping:
    old_event = {a.id: a.event_id for a in articles}
    rebuilt = [g for g in groups if not g.stored and g.members]
    votes = sorted(
        (
            (-count, event_id, index)
            for index, group in enumerate(rebuilt)
            for event_id, count in Counter(
                old_event[m] for m in group.members if old_event[m] in touched
            ).items()
        ),
    )
    taken: set[int] = set()
    for _, event_id, index in votes:
        group = rebuilt[index]
        if group.draft.id is None and event_id not in taken:
            old = touched[event_id]
            group.draft.id = event_id
            group.draft.first_seen_at = old.first_seen_at
            group.draft.revision = old.revision
            taken.add(event_id)
    withdrawn = sorted(set(touched) - taken)
    changes: list[EventChange] = []
    groups_of_old: dict[int, set[int]] = {}
    for index, group in enumerate(rebuilt):
        for m in group.members:
            if old_event[m] in touched:
                groups_of_old.setdefault(old_event[m], set()).add(index)
    for group in rebuilt:
        sources = sorted({old_event[m] for m in group.members if old_event[m] in touched})
        draft = group.draft
        if draft.id is None:
            split_from = tuple(e for e in sources if len(groups_of_old[e]) > 1)
            kind: ChangeKind = "split" if split_from else "created"
            changes.append(_change(kind, group, from_events=split_from))
            continue
        old = touched[draft.id]
        absorbed = tuple(e for e in sources if e != draft.id)
        facts = fact_changes(old, draft)
        old_members = sorted(m for m, e in old_event.items() if e == draft.id)
        if absorbed:
            changes.append(_change("merged", group, from_events=absorbed, facts=facts))
        elif len(groups_of_old.get(draft.id, ())) > 1:
            changes.append(_change("split", group, from_events=(draft.id,), facts=facts))
        elif facts or sorted(group.members) != old_members:
            changes.append(_change("changed", group, facts=facts))
    for group in groups:
        if group.stored and group.members and group.before is not None:
            changes.append(_change("joined", group, facts=fact_changes(group.before, group.draft)))
    merged_away = {e for c in changes if c.kind == "merged" for e in c.from_events}
    for event_id in withdrawn:
        if event_id not in merged_away:
            old = touched[event_id]
            changes.append(
                EventChange(
                    "withdrawn",
                    event_id,
                    old.company,
                    old.round,
                    tuple(old.lead_investors),
                    (),
                )
            )
    return Regrouping([g for g in groups if g.members], changes, withdrawn)


def _change(
    kind: ChangeKind,
    group: Group,
    *,
    from_events: tuple[int, ...] = (),
    facts: Mapping[str, tuple[Any, Any]] | None = None,
) -> EventChange:
    draft = group.draft
    return EventChange(
        kind,
        draft.id,
        draft.company,
        draft.round,
        tuple(draft.lead_investors),
        tuple(group.members),
        from_events,
        facts or {},
    )


def fact_changes(before: EventDraft, after: EventDraft) -> dict[str, tuple[Any, Any]]:
    """Material facts that differ: name -> (before, after)."""
    out = {}
    for name in ("company", *MATERIAL_FIELDS):
        old, new = getattr(before, name), getattr(after, name)
        if _normal(old) != _normal(new):
            out[name] = (old, new)
    return out


def is_material(changes: Mapping[str, tuple[Any, Any]]) -> bool:
    return any(name in MATERIAL_FIELDS for name in changes)
