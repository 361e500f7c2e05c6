"""End to end in headless Chromium on the demo data (the real demo crawl), on SQLite and
PostgreSQL: filter, open an event, follow an article, export CSV, retry an alert with and
without the token, and screenshots of every page at desktop and phone widths (artifacts/web/)."""

from __future__ import annotations

import csv
import io
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from fundwatch.demo.flow import DemoOptions, run_demo
from fundwatch.storage.models import AlertOutbox, FundingEvent
from fundwatch.web.server import BackgroundServer
from tests.web.browser import DESKTOP, PHONE, screenshot, start_chromium
from tests.web.conftest import WRITE_TOKEN, web_config
from tests.web.seed import Seeded

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(400)]


def _wait(condition, timeout: float = 15.0):  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import WebDriverException

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except WebDriverException:  # the page is being replaced: its old nodes are gone
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting in the browser")


def _element(driver, by: str, value: str):  # type: ignore[no-untyped-def]
    """The element once the page that has it is there (a click that submits a form returns
    before the next page is loaded)."""
    return _wait(lambda: (driver.find_elements(by, value) or [None])[0])


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """A database filled by the real `fundwatch demo` crawl: (backend, URL)."""
    admin = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    else:
        server_url = request.getfixturevalue("postgres_server")
        name = f"fw_web_{uuid.uuid4().hex[:10]}"
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    code, result = run_demo(DemoOptions(database_url=url), out=io.StringIO())
    assert code == 0 and len(result.events) >= 5, f"the demo crawl failed ({code})"
    # The demo's receiver accepts every alert; the retry tests need one that failed.
    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        first = session.scalar(select(AlertOutbox.id).order_by(AlertOutbox.id))
        session.execute(
            update(AlertOutbox)
            .where(AlertOutbox.id == first)
            .values(status="failed", last_error="HTTP 503 Service Unavailable (receiver down)")
        )
    engine.dispose()
    yield request.param, url
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="module")
def site(demo_database: tuple[str, str]) -> Iterator[tuple[str, str, str]]:
    """(backend, database URL, dashboard URL)."""
    backend, url = demo_database
    with BackgroundServer(web_config(url, token=WRITE_TOKEN)) as server:
        yield backend, url, server.url


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path):  # type: ignore[no-untyped-def]
    driver = start_chromium(downloads)
    yield driver
    driver.quit()


def rows(driver) -> list[str]:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "td.company > a")]


def fits(driver) -> bool:  # type: ignore[no-untyped-def]
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


def test_filter_the_events(site, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    backend, _, base = site
    browser.set_window_size(*DESKTOP)
    browser.get(base + "/")
    everything = rows(browser)
    assert len(everything) >= 5 and "Lumora" in everything and "数影智能" in everything
    assert fits(browser), "the events table fits a laptop screen"
    Select(browser.find_element(By.NAME, "round")).select_by_value("A")  # submits by itself
    _wait(lambda: "round=A" in browser.current_url)
    assert sorted(rows(browser)) == ["Avaloop", "Lumora"]
    search = browser.find_element(By.NAME, "q")
    search.clear()
    search.send_keys("北岬")
    search.submit()
    _wait(lambda: "q=" in browser.current_url)
    assert rows(browser) == ["Lumora"]
    assert "min_usd=" not in browser.current_url, "empty fields stay out of the shared link"
    screenshot(browser, f"{backend}-events-filtered-desktop", DESKTOP)


def test_open_an_event_and_follow_an_article(site, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _, _, base = site
    browser.set_window_size(*DESKTOP)
    browser.get(base + "/?q=Lumora")
    browser.find_element(By.LINK_TEXT, "Lumora").click()
    _wait(lambda: "/events/" in browser.current_url)
    timeline = browser.find_elements(By.CSS_SELECTOR, ".timeline li")
    assert len(timeline) == 3
    assert len(browser.find_elements(By.CSS_SELECTOR, ".timeline .badge-copy")) == 1
    assert "demo-webhook" in browser.find_element(By.TAG_NAME, "main").text
    first = browser.find_element(By.CSS_SELECTOR, ".timeline a.title")
    title = first.text
    first.click()
    _wait(lambda: "/stories/" in browser.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    assert "Detector verdict: flagged" in browser.find_element(By.CSS_SELECTOR, ".verdict").text
    original = browser.find_element(By.PARTIAL_LINK_TEXT, "Open the original")
    assert original.get_attribute("href").startswith("http://127.0.0.1:")
    assert original.get_attribute("rel") == "noopener noreferrer nofollow"


def test_export_csv_of_the_filter(site, browser, downloads: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _, _, base = site
    browser.get(base + "/?lang=en")
    shown = rows(browser)
    browser.find_element(By.LINK_TEXT, "Export CSV").click()
    target = downloads / "fundwatch-events.csv"
    _wait(
        lambda: (
            target.exists()
            and target.stat().st_size > 0
            and not list(downloads.glob("*.crdownload"))
        )
    )
    exported = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    target.unlink()
    assert [r["company"] for r in exported] == shown and shown
    assert all(r["url"].startswith(base + "/events/") for r in exported)


def test_retry_an_alert_without_then_with_the_token(site, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    backend, url, base = site
    browser.delete_all_cookies()
    browser.set_window_size(*DESKTOP)
    browser.get(base + "/alerts?status=failed")
    _element(browser, By.CSS_SELECTOR, "button.retry").click()
    _wait(lambda: "Not allowed" in browser.find_element(By.TAG_NAME, "h1").text)
    assert "needs the dashboard token" in _element(browser, By.CSS_SELECTOR, ".problems").text
    screenshot(browser, f"{backend}-retry-refused-desktop", DESKTOP)
    engine = create_engine(url)
    with Session(engine) as session:
        assert session.scalar(select(AlertOutbox.status).where(AlertOutbox.status == "failed"))

    _element(browser, By.LINK_TEXT, "Sign in with the token").click()
    _element(browser, By.NAME, "token").send_keys(WRITE_TOKEN)
    _element(browser, By.CSS_SELECTOR, "form.stack button").click()
    _wait(lambda: browser.current_url.endswith("/alerts"))
    _element(browser, By.CSS_SELECTOR, "button.retry").click()
    _wait(lambda: "notice=retried" in browser.current_url)
    assert "Queued again" in _element(browser, By.CSS_SELECTOR, ".notice").text
    with Session(engine) as session:
        statuses = set(session.scalars(select(AlertOutbox.status)))
    engine.dispose()
    assert "failed" not in statuses and "pending" in statuses
    _element(browser, By.CSS_SELECTOR, ".who button").click()  # sign out


@pytest.mark.parametrize(("label", "size"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_of_every_page(site, browser, label: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    backend, url, base = site
    engine = create_engine(url)
    with Session(engine) as session:
        event_id = session.scalar(select(FundingEvent.id).where(FundingEvent.company == "Lumora"))
    engine.dispose()
    browser.set_window_size(*size)
    pages = {
        "events": "/",
        "event": f"/events/{event_id}",
        "stories": "/stories",
        "story": f"/stories/{_first_story(browser, base)}",
        "sources": "/sources",
        "alerts": "/alerts",
        "login": "/login",
    }
    for name, path in pages.items():
        browser.set_window_size(*size)
        browser.get(base + path)
        assert browser.find_element(By.TAG_NAME, "h1").text
        assert fits(browser), f"{name} is wider than the {label} screen"
        shot = screenshot(browser, f"{backend}-{name}-{label}", size)
        assert shot.stat().st_size > 5000


def _first_story(browser, base: str) -> str:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(base + "/stories?verdict=flagged&lang=zh")
    href = browser.find_element(By.CSS_SELECTOR, "td.headline-cell a").get_attribute("href")
    return href.rsplit("/", 1)[-1]


def test_crawled_markup_stays_text_in_the_browser(
    dashboard: tuple[str, Seeded], downloads: Path
) -> None:
    from selenium.webdriver.common.by import By

    base, seeded = dashboard
    driver = start_chromium(downloads)
    try:
        driver.get(f"{base}/events/{seeded.events['hostile']}")
        heading = driver.find_element(By.TAG_NAME, "h1").text
        assert heading.startswith("<script>alert('company')</script>")
        titles = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".timeline a.title")]
        assert '"><img src=x onerror=alert(1)> AI video round' in titles
        assert driver.find_elements(By.CSS_SELECTOR, "main img") == []
        assert driver.execute_script("return document.querySelectorAll('main script').length") == 0
        # a javascript: URL from a crawled page is not a link
        assert not driver.find_elements(By.CSS_SELECTOR, "a[href^='javascript']")
        screenshot(driver, f"hostile-event-{'pg' if 'postgres' in base else 'db'}-desktop", DESKTOP)
    finally:
        driver.quit()
