"""The JSON API under /api: stable, documented fields (OpenAPI at /api/openapi.json).

Fields are only ever added, never renamed or removed; times are ISO 8601 in UTC ("...Z"), amounts
are plain numbers in the stated currency, lists are JSON arrays. Lists page with `next`: pass it
back as `after` (events, stories) or `before` (alerts).
"""

from __future__ import annotations

from fastapi import APIRouter, Body, HTTPException, Query, Request
from pydantic import BaseModel, Field

from fundwatch.storage.models import AlertAttempt, AlertOutbox, Article
from fundwatch.storage.outlets import article_outlet
from fundwatch.web import queries
from fundwatch.web.actions import ActionError, retry_alert, send_test_alert
from fundwatch.web.filters import EventFilter, StoryFilter
from fundwatch.web.formatting import iso
from fundwatch.web.presenters import event_record
from fundwatch.web.security import Access, access_of

router = APIRouter(prefix="/api", tags=["api"])
MAX_LIMIT = 500


class Event(BaseModel):
    id: int
    company: str
    company_key: str
    aliases: list[str] = Field(description="other spellings of the company in the articles")
    round: str | None
    amount: float | None = Field(description="as reported, in `currency`")
    currency: str | None
    amount_usd: float | None
    amount_approximate: bool = Field(description="the articles gave a vague amount")
    valuation_usd: float | None
    lead_investors: list[str]
    investors: list[str]
    outlets: list[str] = Field(description="sources that reported the round")
    article_count: int
    languages: list[str]
    first_seen_at: str
    last_seen_at: str
    announced_at: str | None
    revision: int


class EventList(BaseModel):
    items: list[Event]
    total: int | None
    next: str | None = Field(description="pass as `after` for the next page; null on the last")


class Story(BaseModel):
    id: int
    url: str
    source: str
    title: str
    language: str | None
    published_at: str | None
    fetched_at: str
    flagged: bool
    is_funding: bool
    is_ai_video: bool
    score: float
    matched: list[str] = Field(description="what the detector matched (its reasons)")
    company: str | None
    round: str | None
    amount: float | None
    currency: str | None
    amount_usd: float | None
    event_id: int | None
    duplicate_of: int | None


class StoryList(BaseModel):
    items: list[Story]
    next: str | None


class Attempt(BaseModel):
    attempted_at: str
    outcome: str
    status_code: int | None
    error: str | None
    duration_ms: float | None


class Alert(BaseModel):
    id: int
    event_id: int
    company: str | None
    channel: str
    revision: int
    status: str = Field(description="pending, sent or failed")
    attempts: int
    next_attempt_at: str | None
    created_at: str
    sent_at: str | None
    last_error: str | None
    history: list[Attempt]


class AlertList(BaseModel):
    items: list[Alert]
    next: str | None = Field(description="pass as `before` for the next page")


class EventDetail(Event):
    articles: list[Story]
    alerts: list[Alert]


class Source(BaseModel):
    name: str
    kind: str
    language: str | None
    cadence: str
    enabled: bool
    status: str
    last_run_at: str | None
    last_run_status: str | None
    last_run_message: str | None
    last_run_new: int | None
    consecutive_failures: int
    last_error: str | None
    backoff_until: str | None
    next_run_at: str | None


class ActionResult(BaseModel):
    ok: bool
    message: str


def story(a: Article) -> Story:
    return Story(
        id=a.id,
        url=a.url,
        source=a.source,
        title=a.title,
        language=a.language,
        published_at=iso(a.published_at) or None,
        fetched_at=iso(a.fetched_at),
        flagged=bool(a.flag),
        is_funding=bool(a.is_funding),
        is_ai_video=bool(a.is_ai_video),
        score=a.score or 0.0,
        matched=list(a.matched or []),
        company=a.company,
        round=a.round,
        amount=a.amount,
        currency=a.currency,
        amount_usd=a.amount_usd,
        event_id=a.event_id,
        duplicate_of=a.duplicate_of,
    )


def alert(row: AlertOutbox, company: str | None, history: list[AlertAttempt]) -> Alert:
    return Alert(
        id=row.id,
        event_id=row.event_id,
        company=company,
        channel=row.channel,
        revision=row.revision,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=iso(row.next_attempt_at) if row.status == "pending" else None,
        created_at=iso(row.created_at),
        sent_at=iso(row.sent_at) or None,
        last_error=row.last_error,
        history=[
            Attempt(
                attempted_at=iso(h.attempted_at),
                outcome=h.outcome,
                status_code=h.status_code,
                error=h.error,
                duration_ms=h.duration_ms,
            )
            for h in history
        ],
    )


def _limit(value: int) -> int:
    return max(1, min(value, MAX_LIMIT))


def _bad_filters(problems: list[str]) -> None:
    if problems:
        raise HTTPException(status_code=400, detail=problems)


@router.get("/events", response_model=EventList)
def list_events(
    request: Request,
    q: str | None = Query(None, description="search companies, investors and article titles"),
    since: str | None = Query(None, description="first seen on or after (YYYY-MM-DD)"),
    until: str | None = Query(None, description="first seen on or before (YYYY-MM-DD)"),
    round: str | None = Query(None, description="e.g. A, B+, Seed, Angel"),
    min_usd: str | None = Query(None, description="at least this many USD (5000000, 5m, 1.2b)"),
    max_usd: str | None = Query(None, description="at most this many USD"),
    investor: str | None = Query(None, description="an investor's name contains this"),
    lang: str | None = Query(None, description="an article in this language (zh, en)"),
    source: str | None = Query(None, description="an article from this source"),
    after: str | None = Query(None, description="`next` of the previous page"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> EventList:
    f = EventFilter.parse(request.query_params)
    _bad_filters(f.problems)
    with request.app.state.databases.reads() as session:
        page = queries.list_events(session, f, _limit(limit))
    return EventList(
        items=[Event(**event_record(row)) for row in page.rows],
        total=page.total,
        next=page.next_cursor,
    )


@router.get("/events/{event_id}", response_model=EventDetail)
def get_event(request: Request, event_id: int) -> EventDetail:
    with request.app.state.databases.reads() as session:
        detail = queries.event_detail(session, event_id)
    if detail is None:
        raise HTTPException(status_code=404, detail=f"no funding event {event_id}")
    row = queries.EventRow(
        detail.event,
        languages=detail.languages,
        aliases=detail.aliases,
        outlets=list(dict.fromkeys(article_outlet(a) for a in detail.articles)),
    )
    return EventDetail(
        **event_record(row),
        articles=[story(a) for a in detail.articles],
        alerts=[alert(d.alert, detail.event.company, d.attempts) for d in detail.deliveries],
    )


@router.get("/stories", response_model=StoryList)
def list_stories(
    request: Request,
    q: str | None = Query(None, description="search titles and company names"),
    verdict: str | None = Query(None, description="flagged, funding, not-flagged or copies"),
    since: str | None = Query(None, description="fetched on or after (YYYY-MM-DD)"),
    until: str | None = Query(None, description="fetched on or before (YYYY-MM-DD)"),
    lang: str | None = None,
    source: str | None = None,
    after: str | None = None,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> StoryList:
    f = StoryFilter.parse(request.query_params)
    _bad_filters(f.problems)
    with request.app.state.databases.reads() as session:
        page = queries.list_stories(session, f, _limit(limit))
    return StoryList(items=[story(a) for a in page.rows], next=page.next_cursor)


@router.get("/stories/{article_id}", response_model=Story)
def get_story(request: Request, article_id: int) -> Story:
    with request.app.state.databases.reads() as session:
        found = queries.story(session, article_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no stored article {article_id}")
    return story(found)


@router.get("/sources", response_model=list[Source])
def list_sources(request: Request) -> list[Source]:
    from fundwatch.configuration import load_catalog

    catalog = load_catalog(request.app.state.config.settings.seeds)
    with request.app.state.databases.reads() as session:
        states, runs = queries.source_rows(session)
    result = []
    for s in catalog:
        state, run = states.get(s.name), runs.get(s.name)
        disabled = not s.enabled or bool(state and state.disabled)
        result.append(
            Source(
                name=s.name,
                kind=s.kind,
                language=s.language,
                cadence=s.cadence_label,
                enabled=not disabled,
                status="disabled" if disabled else (state.status if state else "never run"),
                last_run_at=iso(run.started_at) if run else None,
                last_run_status=run.status if run else None,
                last_run_message=run.message if run else None,
                last_run_new=run.new if run else None,
                consecutive_failures=state.consecutive_failures if state else 0,
                last_error=state.last_error if state else None,
                backoff_until=iso(state.backoff_until) or None if state else None,
                next_run_at=iso(state.next_run_at) or None if state else None,
            )
        )
    return result


@router.get("/alerts", response_model=AlertList)
def list_alerts(
    request: Request,
    channel: str | None = None,
    status: str | None = Query(None, description="pending, sent or failed"),
    before: int | None = Query(None, description="`next` of the previous page"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> AlertList:
    with request.app.state.databases.reads() as session:
        page = queries.list_alerts(
            session, channel=channel, status=status, before_id=before, limit=_limit(limit)
        )
    return AlertList(
        items=[alert(r.alert, r.event.company if r.event else None, r.attempts) for r in page.rows],
        next=page.next_cursor,
    )


def _require_write(request: Request) -> None:
    config = request.app.state.config
    if config.token is None:
        raise HTTPException(403, "read-only dashboard: start it with FUNDWATCH_WEB_TOKEN set")
    if access_of(config, request) is not Access.WRITE:
        raise HTTPException(
            401, "send Authorization: Bearer FUNDWATCH_WEB_TOKEN", {"www-authenticate": "Bearer"}
        )


@router.post("/alerts/{alert_id}/retry", response_model=ActionResult)
def retry(request: Request, alert_id: int) -> ActionResult:
    """Queue a failed delivery again (needs the write token as a bearer token)."""
    _require_write(request)
    try:
        retry_alert(request.app.state.databases.writes, alert_id)
    except ActionError as exc:
        raise HTTPException(409, str(exc)) from None
    return ActionResult(ok=True, message=f"alert delivery {alert_id} queued again")


@router.post("/alerts/test", response_model=ActionResult)
def test_alert(request: Request, channel: str = Body(..., embed=True)) -> ActionResult:
    """Send a sample alert to one channel now (needs the write token as a bearer token)."""
    _require_write(request)
    try:
        result = send_test_alert(request.app.state.config, channel)
    except ActionError as exc:
        raise HTTPException(400, str(exc)) from None
    return ActionResult(ok=result.ok, message=result.describe())
