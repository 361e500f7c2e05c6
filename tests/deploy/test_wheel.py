"""The wheel is the product: built from this tree, installed into a fresh virtualenv (not
editable, no source tree beside it), it installs one import name and runs `fundwatch check`
and `fundwatch demo` with the catalog and keyword lists it carries."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a clean copy: setuptools reuses a build/ folder, which keeps deleted modules.
    source = tmp_path_factory.mktemp("source") / "fundwatch"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "artifacts", "*.db"
        ),
    )
    out = tmp_path_factory.mktemp("dist")
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        source,
    )
    (built,) = out.glob("fundwatch-*.whl")
    return built


def test_the_wheel_installs_one_import_name_with_its_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {
        name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")
    }
    assert top_level == {"fundwatch"}
    for data in (
        "fundwatch/seeds/sources/jinhanchuan.yaml",
        "fundwatch/seeds/detection/keywords.yaml",
        "fundwatch/storage/migrations/versions/0001_initial_schema.py",
        "fundwatch/demo/articles.yaml",
    ):
        assert data in names


def test_demo_and_check_run_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "-q", str(wheel)], tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FUNDWATCH_", "PYTHON"))}
    fundwatch = str(venv / "bin" / "fundwatch")

    located = run(
        [str(python), "-c", "import fundwatch.crawler, fundwatch.seeds as s; print(s.__file__)"],
        work,
        env,
    )
    assert str(venv) in located and str(REPO) not in located, "imports come from the wheel"

    check = run([fundwatch, "check"], work, env)
    assert "sources in" in check and str(venv) in check, check

    demo = run([fundwatch, "demo", "--crawl-timeout", "240"], work, env)
    assert "Funding events found (6)" in demo, demo
    assert (work / "fundwatch.db").is_file()
