from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from fundwatch.commands import detect as detect_command
from fundwatch.detection import DEFAULT_VOCAB_DIR
from fundwatch.records import DETECTION_FIELDS

REPO = Path(__file__).resolve().parents[2]
LINES = [
    {
        "id": "r1",
        "title": "数字人公司幻影科技完成1亿元A轮融资",
        "text": "数字人公司幻影科技完成1亿元A轮融资。",
        "url": "https://example.test/1",
        "lang": "zh-Hans",
    },
    {"id": "r2", "title": "Framewell launches an editor", "text": "Framewell released a new app."},
]


def write_input(tmp_path: Path, extra: list[str]) -> Path:
    path = tmp_path / "in.jsonl"
    lines = [json.dumps(LINES[0], ensure_ascii=False), *extra, json.dumps(LINES[1])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fundwatch")
    detect_command.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_run_writes_one_line_per_input(tmp_path: Path, capsys) -> None:
    path = write_input(tmp_path, [])
    args = parse(["detect", str(path)])
    assert args.func is detect_command.run
    assert detect_command.run(args) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["r1", "r2"]
    first = out[0]
    for field in (
        "id",
        "flag",
        "is_funding",
        "is_ai_video",
        "score",
        "company",
        "amount",
        "currency",
        "amount_usd",
        "amount_approximate",
        "amount_low",
        "amount_high",
        "round",
        "valuation_usd",
        "investors",
        "matched",
    ):
        assert field in first
    assert list(first) == ["id", "url", *DETECTION_FIELDS]  # every field of the verdict
    assert first["company_key"]  # the key events group by
    assert first["flag"] is True and first["amount"] == 100_000_000 and first["round"] == "A"
    assert first["company"] == "幻影科技"
    assert first["amount_low"] == first["amount_high"] == 100_000_000
    assert out[1]["flag"] is False


def test_malformed_lines_give_error_records(tmp_path: Path, capsys) -> None:
    path = write_input(tmp_path, ["{not json", json.dumps({"id": "x", "title": "no text"})])
    assert detect_command.run(parse(["detect", str(path)])) == 1
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert len(out) == 4
    assert out[1]["line"] == 2 and "error" in out[1] and out[1]["id"] is None
    assert out[2] == {"line": 3, "id": "x", "error": "missing 'text' (a string)"}
    assert out[3]["id"] == "r2"
    assert "line 2" in captured.err and "line 3" in captured.err


def test_stdin_subprocess_utf8(tmp_path: Path) -> None:
    code = (
        "import argparse, sys\n"
        "from fundwatch.commands import detect\n"
        "p = argparse.ArgumentParser(); detect.register(p.add_subparsers())\n"
        "a = p.parse_args(['detect']); sys.exit(a.func(a))\n"
    )
    data = json.dumps(LINES[0], ensure_ascii=False) + "\nnot json\n"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        input=data.encode("utf-8"),
        capture_output=True,
        cwd=REPO,
        env={"PYTHONIOENCODING": "ascii", "PATH": ""},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    lines = proc.stdout.decode("utf-8").splitlines()
    assert "幻影科技" in lines[0]  # ensure_ascii=False, UTF-8 whatever the locale
    assert json.loads(lines[1])["line"] == 2
    assert b"line 2" in proc.stderr


def test_vocab_dir_from_environment(tmp_path: Path, monkeypatch) -> None:
    assert (
        detect_command.vocab_dir(None) == DEFAULT_VOCAB_DIR
        or "FUNDWATCH_SEEDS" in __import__("os").environ
    )
    seeds = tmp_path / "seeds"
    (seeds / "detection").mkdir(parents=True)
    monkeypatch.setenv("FUNDWATCH_SEEDS", str(seeds))
    assert detect_command.vocab_dir(None) == seeds / "detection"
    assert detect_command.vocab_dir(Path("/x")) == Path("/x")
    monkeypatch.setenv("FUNDWATCH_SEEDS", str(tmp_path / "elsewhere"))
    assert detect_command.vocab_dir(None) == DEFAULT_VOCAB_DIR


def test_bad_vocab_dir_exit_code(tmp_path: Path, capsys) -> None:
    path = write_input(tmp_path, [])
    assert detect_command.run(parse(["detect", str(path), "--vocab", str(tmp_path)])) == 2
    assert "t2s.yaml" in capsys.readouterr().err


def test_headline_body_and_content_are_read_for_a_missing_title_or_text(
    tmp_path: Path, capsys
) -> None:
    story = "影帧科技完成1亿元A轮融资，专注AI视频生成。"
    lines = [
        json.dumps({"id": "b", "headline": "影帧科技完成A轮融资", "body": story}),
        json.dumps({"id": "c", "title": "影帧科技完成A轮融资", "content": story}),
        json.dumps({"id": "t", "title": "影帧科技完成A轮融资", "text": "", "body": story}),
    ]
    assert detect_command.run(parse(["detect", str(write_input(tmp_path, lines))])) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()][1:-1]
    assert [o["id"] for o in out] == ["b", "c", "t"]  # between write_input's two rows
    assert [o["flag"] for o in out] == [True, True, False]  # an empty "text" is the text
    assert out[0]["company"] == out[1]["company"] == "影帧科技"
