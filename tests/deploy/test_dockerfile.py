"""The Dockerfile, checked structurally: multi-stage, slim base, no build tools in the final
stage, an unprivileged user, and the paths it relies on exist."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD_TOOLS = ("gcc", "g++", "build-essential", "make", "clang", "libc6-dev", "python3-dev")

pytestmark = pytest.mark.timeout(30)


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse_dockerfile(text: str) -> tuple[dict[str, str], list[Stage]]:
    """(global ARG defaults, stages) of a Dockerfile; continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for raw in joined.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "FROM":
            match = re.match(r"(\S+)(?:\s+AS\s+(\S+))?", rest, re.IGNORECASE)
            assert match, line
            base = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m[1], m[0]), match[1])
            stages.append(Stage(base, match[2]))
        elif not stages and keyword == "ARG":
            name, _, default = rest.partition("=")
            args[name] = default
        elif stages:
            stages[-1].instructions.append((keyword, rest))
    return args, stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse_dockerfile((REPO / "Dockerfile").read_text(encoding="utf-8"))[1]


def test_multi_stage_on_a_slim_python_base(stages: list[Stage]) -> None:
    assert len(stages) >= 2
    for stage in stages:
        assert re.match(r"python:3\.1[1-9][\w.-]*-slim", stage.base), stage.base
    final = stages[-1]
    copied = " ".join(final.all("COPY"))
    assert f"--from={stages[0].name}" in copied, "the final stage takes the build's output"


def test_no_build_tools_in_the_final_stage(stages: list[Stage]) -> None:
    final = stages[-1]
    commands = " ".join(final.all("RUN"))
    for tool in BUILD_TOOLS:
        assert not re.search(rf"(?<![\w-]){re.escape(tool)}(?![\w-])", commands), tool
    assert "apt-get install" not in commands and "pip install" not in commands
    # the build stage is where they are
    assert "gcc" in " ".join(stages[0].all("RUN"))


def test_runs_as_an_unprivileged_user(stages: list[Stage]) -> None:
    final = stages[-1]
    users = final.all("USER")
    assert users, "the final stage sets USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    created = " ".join(final.all("RUN"))
    assert re.search(rf"useradd\b.*\b{re.escape(user)}\b", created), "the user is created"
    # nothing after USER switches back to root
    last_user = max(i for i, (kw, _) in enumerate(final.instructions) if kw == "USER")
    assert all(kw != "USER" for kw, _ in final.instructions[last_user + 1 :])


def test_entrypoint_and_paths(stages: list[Stage]) -> None:
    final = stages[-1]
    assert final.all("ENTRYPOINT") == ['["fundwatch"]']
    assert final.all("CMD") == ['["daemon"]']
    # the image runs the installed wheel: its catalog and keyword lists are package data
    assert "FUNDWATCH_SEEDS" not in " ".join(final.all("ENV"))
    assert final.all("COPY") == ["--from=build /opt/venv /opt/venv"], "only the virtualenv"
    build = " ".join(stages[0].all("RUN"))
    assert re.search(r"pip wheel .*--no-deps", build) and "pip install /wheels/fundwatch-" in build
    assert "-e ." not in build, "no editable install in the image"


def test_dockerignore_keeps_state_and_secrets_out() -> None:
    patterns = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "*.db", ".env"} <= patterns
