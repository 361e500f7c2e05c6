"""Tokens, CSRF, origins and headers: who may read, who may change state."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from fundwatch.storage.models import AlertOutbox
from fundwatch.web.security import CSP
from fundwatch.web.server import BackgroundServer
from tests.web.conftest import READ_TOKEN, WRITE_TOKEN, client, web_config
from tests.web.seed import Seeded

pytestmark = pytest.mark.timeout(120)


def alert_status(database_url: str, alert_id: int) -> str:
    engine = create_engine(database_url)
    with Session(engine) as session:
        status = session.scalar(select(AlertOutbox.status).where(AlertOutbox.id == alert_id))
    engine.dispose()
    assert status is not None
    return status


def sign_in(http, token: str) -> None:  # type: ignore[no-untyped-def]
    response = http.post(
        "/login",
        data={"token": token, "next": "/alerts"},
        headers={"origin": str(http.base_url).rstrip("/")},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/alerts"


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]*)"', html)
    assert match
    return match.group(1)


def test_security_headers_everywhere(dashboard: tuple[str, Seeded]) -> None:
    base, _ = dashboard
    with client(base) as http:
        for path in ("/", "/api/events", "/static/app.css", "/events/999", "/feeds/events.atom"):
            headers = http.get(path).headers
            assert headers["content-security-policy"] == CSP, path
            assert "'unsafe-inline'" not in headers["content-security-policy"]
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["x-frame-options"] == "DENY"
            assert headers["referrer-policy"] == "no-referrer"


def test_no_inline_script_or_style_in_pages(dashboard: tuple[str, Seeded]) -> None:
    base, seeded = dashboard
    with client(base) as http:
        for path in (
            "/",
            f"/events/{seeded.events['lumora']}",
            "/stories",
            "/sources",
            "/alerts",
            "/login",
        ):
            html = http.get(path).text
            assert re.findall(r"<script(?![^>]*\bsrc=)", html) == [], path
            assert " style=" not in html and "<style" not in html and " on" + "click=" not in html


def test_retry_needs_the_token_and_a_csrf_token(seeded: tuple[str, Seeded]) -> None:
    database_url, found = seeded
    with (
        BackgroundServer(web_config(database_url, token=WRITE_TOKEN)) as server,
        client(server.url) as http,
    ):
        origin = {"origin": server.url}
        path = f"/alerts/{found.failed_alert}/retry"
        anonymous = http.post(path, data={"csrf": ""}, headers=origin)
        assert anonymous.status_code == 403 and "needs the dashboard token" in anonymous.text
        assert alert_status(database_url, found.failed_alert) == "failed"

        api_anonymous = http.post(f"/api{path}")
        api_wrong = http.post(
            f"/api{path}", headers={"authorization": "Bearer not-the-token-at-all"}
        )
        assert api_anonymous.status_code == 401 and api_wrong.status_code == 401

        sign_in(http, WRITE_TOKEN)
        page = http.get("/alerts").text
        token = csrf_of(page)
        assert token
        no_csrf = http.post(path, data={"csrf": ""}, headers=origin)
        assert no_csrf.status_code == 403 and "security token" in no_csrf.text
        forged = http.post(path, data={"csrf": token}, headers={"origin": "http://evil.example"})
        assert forged.status_code == 403 and "another site" in forged.text
        assert alert_status(database_url, found.failed_alert) == "failed"

        done = http.post(path, data={"csrf": token}, headers=origin)
        assert done.status_code == 303 and "notice=retried" in done.headers["location"]
        assert alert_status(database_url, found.failed_alert) == "pending"
        again = http.post(path, data={"csrf": token}, headers=origin)
        assert again.status_code == 409 and "only failed deliveries" in again.text


def test_retry_through_the_api_with_a_bearer_token(seeded: tuple[str, Seeded]) -> None:
    database_url, found = seeded
    with (
        BackgroundServer(web_config(database_url, token=WRITE_TOKEN)) as server,
        client(server.url) as http,
    ):
        response = http.post(
            f"/api/alerts/{found.failed_alert}/retry",
            headers={"authorization": f"Bearer {WRITE_TOKEN}"},
        )
        assert response.status_code == 200 and response.json()["ok"] is True
        assert alert_status(database_url, found.failed_alert) == "pending"
        sent = http.post(
            f"/api/alerts/{found.sent_alert}/retry",
            headers={"authorization": f"Bearer {WRITE_TOKEN}"},
        )
        assert sent.status_code == 409


def test_without_a_write_token_the_dashboard_is_read_only(seeded: tuple[str, Seeded]) -> None:
    database_url, found = seeded
    with BackgroundServer(web_config(database_url)) as server, client(server.url) as http:
        response = http.post(
            f"/alerts/{found.failed_alert}/retry",
            data={"csrf": "x"},
            headers={"origin": server.url},
        )
        api = http.post(
            f"/api/alerts/{found.failed_alert}/retry",
            headers={"authorization": "Bearer anything-at-all-here"},
        )
    assert response.status_code == 403 and "read-only" in response.text
    assert api.status_code == 403
    assert alert_status(database_url, found.failed_alert) == "failed"


def test_read_token_guards_pages_api_and_feeds(seeded: tuple[str, Seeded]) -> None:
    database_url, _ = seeded
    config = web_config(database_url, token=WRITE_TOKEN, read_token=READ_TOKEN)
    with BackgroundServer(config) as server, client(server.url) as http:
        page = http.get("/stories")
        assert page.status_code == 303 and page.headers["location"] == "/login?next=/stories"
        assert http.get("/api/events").status_code == 401
        assert http.get("/feeds/events.atom").status_code == 401
        assert http.get("/events.csv").status_code == 401
        assert http.get("/static/app.css").status_code == 200
        assert http.get("/login").status_code == 200
        assert http.get("/feeds/events.atom", params={"token": READ_TOKEN}).status_code == 200
        assert (
            http.get("/api/events", headers={"authorization": f"Bearer {READ_TOKEN}"}).status_code
            == 200
        )
        wrong = http.post(
            "/login", data={"token": "guess-guess-guess"}, headers={"origin": server.url}
        )
        assert wrong.status_code == 403
        sign_in(http, READ_TOKEN)
        assert http.get("/stories").status_code == 200
        cookie = http.cookies.get("fundwatch_session") or ""
        assert READ_TOKEN not in cookie, "the cookie holds an HMAC, never the token"
        # a read token never allows writing, not even as a bearer token
        api = http.post("/api/alerts/1/retry", headers={"authorization": f"Bearer {READ_TOKEN}"})
        assert api.status_code == 401


def test_sign_in_only_redirects_within_the_site(seeded: tuple[str, Seeded]) -> None:
    database_url, _ = seeded
    with (
        BackgroundServer(web_config(database_url, token=WRITE_TOKEN)) as server,
        client(server.url) as http,
    ):
        for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
            response = http.post(
                "/login",
                data={"token": WRITE_TOKEN, "next": target},
                headers={"origin": server.url},
            )
            assert response.headers["location"] == "/", target


def test_short_tokens_are_refused() -> None:
    from fundwatch.web.config import WebConfigError

    with pytest.raises(WebConfigError, match="at least 16"):
        web_config("sqlite:///unused.db", token="short")


def test_send_a_test_alert_to_a_real_receiver(seeded: tuple[str, Seeded], tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from fundwatch.demo.catalog import (
        CHANNEL_NAME,
        SECRET_VARIABLE,
        new_webhook_secret,
        write_alert_channels,
    )
    from fundwatch.demo.receiver import WebhookReceiver

    database_url, _ = seeded
    secret = new_webhook_secret()
    with WebhookReceiver(secret) as receiver:
        config = web_config(database_url, token=WRITE_TOKEN)
        alerts = write_alert_channels(tmp_path / "alerts.yaml", receiver.url)
        config.settings = replace(config.settings, alerts=alerts)
        config.environ = {SECRET_VARIABLE: secret}
        with BackgroundServer(config) as server, client(server.url) as http:
            refused = http.post("/api/alerts/test", json={"channel": CHANNEL_NAME})
            assert refused.status_code == 401 and receiver.count == 0
            api = http.post(
                "/api/alerts/test",
                json={"channel": CHANNEL_NAME},
                headers={"authorization": f"Bearer {WRITE_TOKEN}"},
            )
            assert api.status_code == 200 and api.json()["ok"], api.text
            assert receiver.count == 1 and not receiver.rejected
            sign_in(http, WRITE_TOKEN)
            page = http.get("/alerts").text
            assert f"<option>{CHANNEL_NAME}</option>" in page
            form = http.post(
                "/alerts/test",
                data={"channel": CHANNEL_NAME, "csrf": csrf_of(page)},
                headers={"origin": server.url},
            )
            assert form.status_code == 200 and f"test alert to {CHANNEL_NAME}: sent" in form.text
            assert receiver.count == 2
            unknown = http.post(
                "/alerts/test",
                data={"channel": "nope", "csrf": csrf_of(page)},
                headers={"origin": server.url},
            )
            assert unknown.status_code == 400 and "no channel &#39;nope&#39;" in unknown.text
