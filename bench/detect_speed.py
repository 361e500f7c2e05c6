"""Detector throughput on one core for ~3 KB synthetic news texts (mixed zh/en), and the
time of one long text (1, 5 and 10 MB of repeated funding sentences, English and Chinese).

Usage: python bench/detect_speed.py [--n 2000] [--sizes 1,5,10] [--vocab DIR]
Generates texts (about one in ten reports a raise, the rest are ordinary tech news),
runs the detector over all of them and prints articles per second; then one text per size
and language, whose time must stay flat (detection reads a bounded prefix, see
docs/detection.md) and under a second.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fundwatch.detection import DEFAULT_VOCAB_DIR, load_detector  # noqa: E402

ZH_FILLER = [
    "今年以来,多家科技公司加快了产品迭代的节奏,用户增长成为行业关注的焦点。",
    "业内人士认为,视频内容的生产方式正在发生变化,创作者对工具的要求越来越高。",
    "该平台表示,新版本将在下个月向所有用户开放,并支持更多语言。",
    "分析师指出,市场竞争加剧,价格战可能在下半年进一步升级。",
    "公司创始人在接受采访时说,团队目前有一百多名员工,主要分布在北京和上海。",
    "這家公司的產品在海外市場表現亮眼,月活躍用戶數持續增長。",
]
EN_FILLER = [
    "The company said its new editor lets creators cut clips in minutes rather than hours. ",
    "Analysts expect competition among app makers to intensify later this year. ",
    "The startup employs about 80 people across offices in London and Toronto. ",
    "Users can export their projects in several formats and share them directly. ",
    "Executives declined to comment on revenue figures during the briefing. ",
]
ZH_RAISE = (
    "AI视频生成公司「光影跃动」宣布完成{n}亿元人民币A轮融资,本轮融资由星河资本领投,远山基金跟投。"
)
EN_RAISE = (
    "Framewell, an AI video generation startup, has raised ${n} million in a Series B round "
    "led by Northstar Ventures with participation from Bluebird Capital. "
)


def make_texts(n: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    texts = []
    for i in range(n):
        zh = rng.random() < 0.5
        filler = ZH_FILLER if zh else EN_FILLER
        parts: list[str] = []
        size = 0
        while size < 3000:
            piece = rng.choice(filler)
            parts.append(piece)
            size += len(piece.encode("utf-8"))
        if i % 10 == 0:
            raise_text = (ZH_RAISE if zh else EN_RAISE).format(n=rng.randint(1, 9))
            parts.insert(rng.randint(0, len(parts)), raise_text)
        title = parts[0][:30]
        texts.append((title, "".join(parts)))
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="number of texts (default 2000)")
    parser.add_argument("--sizes", default="1,5,10", help="long-text sizes in MB (default 1,5,10)")
    parser.add_argument("--vocab", type=Path, default=DEFAULT_VOCAB_DIR)
    args = parser.parse_args(argv)
    detector = load_detector(args.vocab)
    texts = make_texts(args.n)
    avg = sum(len((t + b).encode("utf-8")) for t, b in texts) / len(texts)
    for title, body in texts[:50]:  # warm up
        detector.detect(title, body)
    started = time.process_time()
    flagged = sum(detector.detect(title, body).flag for title, body in texts)
    elapsed = time.process_time() - started
    print(f"{len(texts)} texts, {avg / 1024:.1f} KB average, {flagged} flagged")
    print(f"{len(texts) / elapsed:,.0f} articles/s on one core ({elapsed * 1000:.0f} ms CPU)")
    for mb in (float(x) for x in args.sizes.split(",") if x.strip()):
        for lang, unit in (("en", EN_RAISE.format(n=5)), ("zh", ZH_RAISE.format(n=3))):
            body = unit * max(1, int(mb * 1024 * 1024) // len(unit.encode("utf-8")))
            started = time.process_time()
            result = detector.detect(unit[:40], body)
            elapsed = time.process_time() - started
            print(f"{mb:g} MB {lang} text: {elapsed * 1000:.0f} ms CPU (flag {result.flag})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
