"""What a new user meets in the first hour: one clear line for every database problem, read-only
commands that never create a database, arguments checked before work starts, readable --help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fundwatch.cli import build_parser

REPO_ROOT = Path(__file__).resolve().parents[2]
UNUSED_PORT_URL = "postgresql+psycopg://postgres@127.0.0.1:9/test"


def fundwatch(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("FUNDWATCH_")}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "fundwatch", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "command",
    [("events",), ("stories",), ("alerts",), ("redetect",), ("redetect", "--dry-run")],
    ids=" ".join,
)
def test_read_only_command_in_an_empty_folder_creates_nothing(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Commands that read, or change only rows that exist (redetect), create no database."""
    message = one_line_error(fundwatch(*command, cwd=tmp_path))
    assert f"no fundwatch database at {tmp_path / 'fundwatch.db'}" in message
    assert list(tmp_path.iterdir()) == []


def test_sources_before_any_crawl_lists_the_catalog_and_creates_nothing(tmp_path: Path) -> None:
    result = fundwatch("sources", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "jinhanchuan" in result.stdout and "never run" in result.stdout
    assert "no fundwatch database at" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_mistyped_sqlite_path_creates_no_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "fw.db"
    message = one_line_error(
        fundwatch("events", "--database-url", f"sqlite:///{missing}", cwd=tmp_path)
    )
    assert str(missing) in message
    assert not (tmp_path / "no").exists()


@pytest.mark.postgres
def test_read_only_command_leaves_a_foreign_postgres_database_untouched(
    tmp_path: Path, postgres_url: str
) -> None:
    from sqlalchemy import create_engine, inspect

    message = one_line_error(fundwatch("events", "--database-url", postgres_url, cwd=tmp_path))
    assert "has no fundwatch tables" in message and "fundwatch db upgrade" in message
    engine = create_engine(postgres_url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_missing_postgres_database_is_one_line(tmp_path: Path, postgres_server: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(postgres_server).set(database="fundwatch_no_such_db").render_as_string(False)
    for command in (("events",), ("crawl", "--all"), ("db", "upgrade")):
        message = one_line_error(fundwatch(*command, "--database-url", url, cwd=tmp_path))
        assert 'database "fundwatch_no_such_db" does not exist' in message


def test_unreachable_postgres_is_one_line_and_fails_check(tmp_path: Path) -> None:
    for command in (("events",), ("crawl", "--all"), ("daemon", "--once")):
        message = one_line_error(
            fundwatch(*command, "--database-url", UNUSED_PORT_URL, cwd=tmp_path)
        )
        assert "127.0.0.1:9" in message and "refused" in message.lower()
    check = fundwatch("check", "--database-url", UNUSED_PORT_URL, cwd=tmp_path)
    assert check.returncode == 1
    assert "database: cannot use the database at" in check.stderr


def test_check_reports_the_database(tmp_path: Path) -> None:
    fresh = fundwatch("check", cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    assert "will be created by the first crawl" in fresh.stdout
    assert not (tmp_path / "fundwatch.db").exists()
    assert fundwatch("db", "upgrade", cwd=tmp_path).returncode == 0
    ready = fundwatch("check", cwd=tmp_path)
    assert "at schema revision" in ready.stdout, ready.stdout


def test_arguments_naming_missing_rows_are_refused(tmp_path: Path) -> None:
    assert fundwatch("db", "upgrade", cwd=tmp_path).returncode == 0
    message = one_line_error(fundwatch("alerts", "--retry", "999", cwd=tmp_path))
    assert "no alert 999" in message
    result = fundwatch("crawl", "jinhanchuan", "--run-id", "999", cwd=tmp_path)
    assert result.returncode == 2
    assert "no crawl run 999" in one_line_error(result)


def test_scrapy_list_with_a_broken_catalog_prints_the_entry_not_a_traceback(tmp_path: Path) -> None:
    catalog = tmp_path / "sources.yaml"
    catalog.write_text("- name: broken\n  kind: feed\n  every: 30m\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUNDWATCH_")}
    env["FUNDWATCH_SEEDS"] = str(catalog)
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # one bad entry disables only itself (issue 11): it is named, the rest is listed
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "entry 1 'broken': field 'url'" in result.stderr


def test_every_sub_command_describes_itself_without_markup() -> None:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, type(parser._subparsers._actions[-1]))]
    sub_commands = actions[0].choices
    assert len(sub_commands) >= 11
    for name, sub_parser in sub_commands.items():
        assert sub_parser.description, f"{name} has no description"
        assert "`" not in sub_parser.description, f"{name}: markup in --help"
        help_text = sub_parser.format_help()
        if name != "db":
            assert "--database-url" in help_text, f"{name} lacks --database-url"
