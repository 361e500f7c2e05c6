"""The HTML pages: events (home), one event, stories, one story, sources, alerts, sign-in."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response, StreamingResponse

from fundwatch.web import queries
from fundwatch.web.actions import ActionError, configured_channels, retry_alert, send_test_alert
from fundwatch.web.config import WebConfig
from fundwatch.web.feeds import atom_feed, csv_lines, json_feed
from fundwatch.web.filters import EventFilter, StoryFilter
from fundwatch.web.rendering import page
from fundwatch.web.security import (
    COOKIE,
    Access,
    access_of,
    csrf_valid,
    safe_next,
    same_origin,
    session_cookie,
    token_access,
)

router = APIRouter(include_in_schema=False)
FEED_SIZE = 50
ALERT_STATUSES = ("pending", "sent", "failed")
CHOICES_TTL_SECONDS = 60.0


def _config(request: Request) -> WebConfig:
    return request.app.state.config


def _reads(request: Request) -> Any:
    return request.app.state.databases.reads()


def _choices(request: Request) -> dict[str, list[str]]:
    """The filter drop-downs' values: distinct over every article, so computed once a minute."""
    cached = getattr(request.app.state, "choices", None)
    if cached is not None and time.monotonic() - cached[0] < CHOICES_TTL_SECONDS:
        return cached[1]
    with _reads(request) as session:
        choices = queries.filter_choices(session)
    request.app.state.choices = (time.monotonic(), choices)
    return choices


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/")
def events_page(request: Request) -> Response:
    f = EventFilter.parse(request.query_params)
    with _reads(request) as session:
        result = queries.list_events(session, f, _config(request).page_size)
        last_crawl = queries.last_crawl_at(session)
    return page(
        request,
        "events.html",
        {
            "nav": "events",
            "f": f,
            "page": result,
            "choices": _choices(request),
            "last_crawl": last_crawl,
        },
    )


@router.get("/events.csv")
def events_csv(request: Request) -> Response:
    f = EventFilter.parse(request.query_params)
    root = base_url(request)

    def lines():  # type: ignore[no-untyped-def]
        with _reads(request) as session:
            yield from csv_lines(queries.iter_events(session, f), base_url=root)

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="fundwatch-events.csv"'},
    )


def _feed_rows(request: Request) -> list[queries.EventRow]:
    f = EventFilter.parse(request.query_params)
    f.after = None
    with _reads(request) as session:
        return queries.list_events(session, f, FEED_SIZE, count=False).rows


@router.get("/feeds/events.atom")
def events_atom(request: Request) -> Response:
    body = atom_feed(_feed_rows(request), base_url=base_url(request), self_url=str(request.url))
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/feeds/events.json")
def events_json_feed(request: Request) -> Response:
    body = json_feed(_feed_rows(request), base_url=base_url(request), self_url=str(request.url))
    return Response(body, media_type="application/feed+json; charset=utf-8")


@router.get("/events/{event_id}")
def event_page(request: Request, event_id: int) -> Response:
    with _reads(request) as session:
        detail = queries.event_detail(session, event_id)
    if detail is None:
        return _not_found(request, f"There is no funding event {event_id}.")
    return page(request, "event.html", {"nav": "events", "d": detail})


@router.get("/stories")
def stories_page(request: Request) -> Response:
    f = StoryFilter.parse(request.query_params)
    with _reads(request) as session:
        result = queries.list_stories(session, f, _config(request).page_size)
    return page(
        request,
        "stories.html",
        {"nav": "stories", "f": f, "page": result, "choices": _choices(request)},
    )


@router.get("/stories/{article_id}")
def story_page(request: Request, article_id: int) -> Response:
    with _reads(request) as session:
        article = queries.story(session, article_id)
        original = (
            queries.story(session, article.duplicate_of)
            if article and article.duplicate_of
            else None
        )
    if article is None:
        return _not_found(request, f"There is no stored article {article_id}.")
    return page(request, "story.html", {"nav": "stories", "a": article, "original": original})


@router.get("/sources")
def sources_page(request: Request) -> Response:
    from fundwatch.configuration import load_catalog
    from fundwatch.configuration.errors import ConfigError

    config = _config(request)
    catalog_error = None
    try:
        catalog = list(load_catalog(config.settings.seeds))
    except ConfigError as exc:
        catalog, catalog_error = [], str(exc)
    with _reads(request) as session:
        states, runs = queries.source_rows(session)
        extras = queries.source_extras(session)
        extra_values = queries.state_extra_values(session, extras.state_columns)
    names = [s.name for s in catalog]
    unlisted = sorted((set(states) | set(runs)) - set(names))
    return page(
        request,
        "sources.html",
        {
            "nav": "sources",
            "catalog": catalog,
            "unlisted": unlisted,
            "states": states,
            "runs": runs,
            "extras": extras,
            "extra_values": extra_values,
            "catalog_error": catalog_error,
        },
    )


def _alerts_context(request: Request) -> dict[str, Any]:
    from fundwatch.configuration.errors import ConfigError
    from fundwatch.storage.outbox import disabled_channels

    config = _config(request)
    channel = request.query_params.get("channel") or None
    status = request.query_params.get("status") or None
    if status not in (None, *ALERT_STATUSES):
        status = None
    before = request.query_params.get("before")
    before_id = int(before) if before and before.isdigit() else None
    channels_error = None
    try:
        channels = configured_channels(config)
    except ConfigError as exc:
        channels, channels_error = [], str(exc)
    with _reads(request) as session:
        result = queries.list_alerts(
            session, channel=channel, status=status, before_id=before_id, limit=config.page_size
        )
        summary = queries.alert_summary(session)
        disabled = disabled_channels(session)
    return {
        "nav": "alerts",
        "page": result,
        "summary": summary,
        "disabled": disabled,
        "channels": channels,
        "channels_error": channels_error,
        "channel": channel,
        "status_filter": status,
        "statuses": ALERT_STATUSES,
    }


@router.get("/alerts")
def alerts_page(request: Request) -> Response:
    return page(request, "alerts.html", _alerts_context(request))


def _refuse_write(request: Request, csrf: str | None) -> Response | None:
    """A page explaining why this post may not change anything, or None when it may."""
    config = _config(request)
    if config.token is None:
        why = (
            "This dashboard is read-only: start `fundwatch serve` with FUNDWATCH_WEB_TOKEN set "
            "to allow retries and test alerts."
        )
    elif not same_origin(request):
        why = "This form was posted from another site; it was ignored."
    elif access_of(config, request) is not Access.WRITE:
        why = "Changing anything needs the dashboard token (FUNDWATCH_WEB_TOKEN): sign in first."
    elif not csrf_valid(config, request, csrf):
        why = "The form's security token is missing or stale; reload the page and try again."
    else:
        return None
    return page(request, "error.html", {"title": "Not allowed", "message": why}, status_code=403)


@router.post("/alerts/{alert_id}/retry")
def retry_alert_form(request: Request, alert_id: int, csrf: str = Form("")) -> Response:
    refused = _refuse_write(request, csrf)
    if refused is not None:
        return refused
    try:
        retry_alert(request.app.state.databases.writes, alert_id)
    except ActionError as exc:
        return page(
            request, "error.html", {"title": "Not retried", "message": str(exc)}, status_code=409
        )
    return RedirectResponse(f"/alerts?notice=retried#alert-{alert_id}", status_code=303)


@router.post("/alerts/test")
def test_alert_form(request: Request, channel: str = Form(""), csrf: str = Form("")) -> Response:
    refused = _refuse_write(request, csrf)
    if refused is not None:
        return refused
    try:
        result = send_test_alert(_config(request), channel)
    except ActionError as exc:
        return page(
            request, "error.html", {"title": "No test alert", "message": str(exc)}, status_code=400
        )
    return page(request, "alerts.html", {**_alerts_context(request), "test_result": result})


@router.get("/login")
def login_page(request: Request) -> Response:
    return page(
        request, "login.html", {"nav": "login", "next": safe_next(request.query_params.get("next"))}
    )


@router.post("/login")
def login(request: Request, token: str = Form(""), next: str = Form("/")) -> Response:
    config = _config(request)
    access = token_access(config, token) if same_origin(request) else Access.NONE
    if access is Access.NONE:
        context = {"nav": "login", "next": safe_next(next), "error": "That token is not right."}
        if config.token is None and config.read_token is None:
            context["error"] = (
                "This dashboard has no tokens configured; there is nothing to sign in to."
            )
        return page(request, "login.html", context, status_code=403)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        COOKIE,
        session_cookie(config, access),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=30 * 24 * 3600,
    )
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    response = RedirectResponse("/?notice=signed-out", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def _not_found(request: Request, message: str) -> Response:
    return page(request, "error.html", {"title": "Not found", "message": message}, status_code=404)
