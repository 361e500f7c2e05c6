"""docker-compose.yml, checked offline (no Docker engine here): valid against the
compose-spec JSON schema vendored by check-jsonschema, and wired as the README promises."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from fundwatch.configuration.settings import _ENV_KEYS

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker-compose.yml"
SCHEMA_CHECK = (sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec")
SECRET_VARIABLES = {"FUNDWATCH_WEBHOOK_SECRET", "FUNDWATCH_SMTP_PASSWORD"}
WEB_VARIABLES = {"FUNDWATCH_WEB_TOKEN", "FUNDWATCH_WEB_READ_TOKEN"}  # fundwatch/web/config.py
_VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")

pytestmark = pytest.mark.timeout(60)


def check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SCHEMA_CHECK, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def interpolate(value: str, environ: dict[str, str] | None = None) -> str:
    """Compose's `${VAR:-default}` interpolation, with an empty environment by default."""
    env = environ or {}
    return _VARIABLE.sub(lambda m: env.get(m["name"]) or (m["default"] or ""), value)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_valid_against_the_compose_spec_schema() -> None:
    result = check_jsonschema(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_file(tmp_path: Path, compose: dict) -> None:
    broken = yaml.safe_load(yaml.safe_dump(compose))
    broken["services"]["db"]["healthcheck"]["intervall"] = "5s"
    broken["services"]["daemon"]["depends_on"]["migrate"]["condition"] = "service_finished"
    path = tmp_path / "docker-compose.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    result = check_jsonschema(path)
    assert result.returncode != 0
    assert "intervall" in result.stdout + result.stderr


def test_services_and_their_order(compose: dict) -> None:
    services = compose["services"]
    assert set(services) == {"db", "migrate", "daemon", "web", "mailpit", "redis", "worker"}
    daemon = services["daemon"]["depends_on"]
    assert daemon["db"]["condition"] == "service_healthy"
    assert daemon["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["migrate"]["restart"] == "no", "the migration is a one-shot job"
    assert services["daemon"]["command"] == ["daemon"]
    assert services["daemon"]["restart"] == "unless-stopped"
    # one image: built by the migration service, reused by the daemon
    assert services["migrate"]["image"] == services["daemon"]["image"]
    build = services["migrate"]["build"]
    assert (REPO / build["context"] / build["dockerfile"]).is_file()


def test_database_has_a_healthcheck_and_a_named_volume(compose: dict) -> None:
    db = compose["services"]["db"]
    health = db["healthcheck"]
    assert "pg_isready" in " ".join(health["test"])
    assert health["retries"] >= 3 and health["interval"]
    volume, _, target = db["volumes"][0].partition(":")
    assert target == "/var/lib/postgresql/data"
    assert volume in compose["volumes"], "PostgreSQL data lives in a named volume"


def test_fundwatch_services_point_at_the_database(compose: dict) -> None:
    services = compose["services"]
    db_env = services["db"]["environment"]
    for name in ("migrate", "daemon", "web", "worker"):
        env = services[name]["environment"]
        url = make_url(interpolate(env["FUNDWATCH_DATABASE_URL"]))
        assert url.drivername == "postgresql+psycopg"
        assert url.host == "db" and (url.port or 5432) == 5432
        assert url.username == db_env["POSTGRES_USER"]
        assert url.database == db_env["POSTGRES_DB"]
        assert url.password == interpolate(db_env["POSTGRES_PASSWORD"])
        # a password from the environment reaches both sides
        custom = {"POSTGRES_PASSWORD": "s3cret"}
        assert make_url(interpolate(env["FUNDWATCH_DATABASE_URL"], custom)).password == "s3cret"
        assert interpolate(db_env["POSTGRES_PASSWORD"], custom) == "s3cret"


def test_fundwatch_variables_are_real_settings(compose: dict) -> None:
    known = set(_ENV_KEYS.values()) | SECRET_VARIABLES | WEB_VARIABLES
    for name in ("migrate", "daemon", "web", "worker"):
        env = compose["services"][name]["environment"]
        fundwatch_vars = {key for key in env if key.startswith("FUNDWATCH_")}
        assert fundwatch_vars <= known, fundwatch_vars - known
        assert {"FUNDWATCH_DATABASE_URL", "FUNDWATCH_SEEDS", "FUNDWATCH_ALERTS"} <= fundwatch_vars
        assert interpolate(env["FUNDWATCH_SEEDS"]) == "/app/seeds"
        assert interpolate(env["FUNDWATCH_ALERTS"]) == "", "no alerts file unless configured"


def test_mail_catcher_only_under_its_profile(compose: dict) -> None:
    services = compose["services"]
    assert services["mailpit"]["profiles"] == ["mail"]
    assert all("profiles" not in services[name] for name in ("db", "migrate", "daemon", "web"))
    assert all(port.startswith("127.0.0.1:") for port in services["mailpit"]["ports"])


def test_daemon_gets_time_to_shut_down_gracefully(compose: dict) -> None:
    grace = compose["services"]["daemon"]["stop_grace_period"]
    seconds = int(grace.removesuffix("s"))
    assert seconds >= 70, "crawls get 60 s after SIGTERM plus 10 s before SIGKILL"


def test_dashboard_service(compose: dict) -> None:
    from fundwatch.web.config import READ_TOKEN_VARIABLE, TOKEN_VARIABLE

    web = compose["services"]["web"]
    assert web["image"] == compose["services"]["daemon"]["image"]
    assert web["command"][0] == "serve"
    port = web["command"][web["command"].index("--port") + 1]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    published = [interpolate(p) for p in web["ports"]]
    assert published == [f"127.0.0.1:8800:{port}"], "the dashboard is published on loopback only"
    assert f"127.0.0.1:{port}/healthz" in " ".join(web["healthcheck"]["test"])
    assert {TOKEN_VARIABLE, READ_TOKEN_VARIABLE} <= set(web["environment"])
    assert interpolate(web["environment"][TOKEN_VARIABLE]) == "", "no token unless configured"


def test_scale_profile_adds_a_broker_and_workers(compose: dict) -> None:
    services = compose["services"]
    assert services["redis"]["profiles"] == services["worker"]["profiles"] == ["scale"]
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]
    worker = services["worker"]
    assert worker["command"][0] == "worker"
    assert worker["image"] == services["daemon"]["image"]
    assert worker["depends_on"]["redis"]["condition"] == "service_healthy"
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert worker["deploy"]["replicas"] >= 2
    env = worker["environment"]
    assert interpolate(env["FUNDWATCH_BROKER_URL"]) == "redis://redis:6379/0"
    # the daemon keeps one crawl process per run unless told otherwise
    assert interpolate(services["daemon"]["environment"]["FUNDWATCH_EXECUTOR"]) == "process"
    workers = {"FUNDWATCH_EXECUTOR": "workers"}
    assert (
        interpolate(services["daemon"]["environment"]["FUNDWATCH_EXECUTOR"], workers) == "workers"
    )
