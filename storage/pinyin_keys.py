"""Company keys across scripts: 生数 and "shengshu" through the Hanyu pinyin of the Han name,
影駿 and 影骏 through the Simplified form of the Traditional one.

A company the detector's list (seeds/detection/companies.yaml) does not know gets its key from
its spelling: 生数科技 gives "生数", "ShengShu AI" gives "shengshu". One round reported by a
Chinese and an English outlet then has two keys. The event rules (storage/event_rules.py) let
two such keys meet when one is all Han characters, the other all Latin letters and digits, and
the toneless pinyin of the Han key (written without spaces) is the Latin key, each without a
company suffix (科技, 智能, 网络, 公司 ...; technology, tech, ai, labs, inc ...). The name alone
never joins: the rules also want the round or the amount to agree.

A Taiwan or Hong Kong outlet writes the name in Traditional characters, a mainland one in
Simplified: the detector folds only the characters of its own map (seeds/detection/t2s.yaml),
so 影駿 and 影骏 can be two keys too. Two keys all in Han characters are one name when their
Simplified forms are equal (OpenCC's Traditional -> Simplified tables, through
opencc-python-reimplemented): an exact character mapping, where equal pinyin alone would also
join two homophones (画屿 and 画语 are both "huayu"). The pinyin is read from the Simplified
form, so the two forms of a name always share their romanised forms (the lookups and locks go
by those). As across Han and Latin, the name alone never joins: the event rules also want the
round or the amount to agree.

pypinyin picks a character's reading from the words around it; only that reading is tried.
Keys are compared as stored, so events stored before this rule join too, with no new column.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+$")
_LATIN = re.compile(r"^[a-z0-9]*[a-z][a-z0-9]*$")

# Company suffixes after a Han name, as pinyin syllables (Simplified and Traditional read
# alike: 网络 and 網絡 are both "wang luo"), the longest first.
_HAN_SUFFIXES: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(s.split())
            for s in (
                "gu fen you xian gong si",  # 股份有限公司
                "you xian ze ren gong si",  # 有限责任公司
                "you xian gong si",  # 有限公司
                "gong si",  # 公司
                "ji tuan",  # 集团
                "ke ji",  # 科技
                "ji shu",  # 技术
                "xin xi",  # 信息
                "wang luo",  # 网络
                "zhi neng",  # 智能
                "ren gong zhi neng",  # 人工智能
            )
        ),
        key=len,
        reverse=True,
    )
)
# Company suffixes after a Latin key (keys are folded: lower case, no spaces or dots).
LATIN_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {"technology", "technologies", "tech", "ai", "labs", "lab", "inc", "ltd", "co", "corp"},
        key=len,
        reverse=True,
    )
)
# a Han name of one character, or a Latin one of under four letters, names too many companies
_MIN_SYLLABLES = 2
_MIN_LATIN = 4


def is_han(key: str) -> bool:
    return bool(_HAN.match(key))


def is_latin(key: str) -> bool:
    return bool(_LATIN.match(key))


@lru_cache(maxsize=4096)
def simplified(key: str) -> str:
    """A Han key in Simplified characters: "影駿" -> "影骏" ("影骏" and "shengshu" unchanged)."""
    if key.isascii():
        return key
    return str(_t2s().convert(key))


@lru_cache(maxsize=1)
def _t2s() -> Any:
    # imported on first use, like pypinyin: most commands never meet a Han key
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=4096)
def han_romanised(key: str) -> frozenset[str]:
    """The Latin keys a Han key's pinyin can stand for: "生数科技" -> {"shengshukeji",
    "shengshu"} (ü also as u: 绿 is "lv" and "lu"); empty for a key not all Han, or of one
    character."""
    if not is_han(key) or len(key) < _MIN_SYLLABLES:
        return frozenset()
    # imported on first use: its dictionaries take 0.15 s to load, which a command that never
    # meets a Han key (most of the CLI) should not pay
    from pypinyin import Style, lazy_pinyin

    # read from the Simplified form: 影駿 and 影骏 then always share their forms
    syllables = lazy_pinyin(simplified(key), style=Style.NORMAL, v_to_u=False)
    stems = [syllables]
    changed = True
    while changed:
        changed = False
        for suffix in _HAN_SUFFIXES:
            n = len(suffix)
            if len(syllables) - n >= _MIN_SYLLABLES and tuple(syllables[-n:]) == suffix:
                syllables = syllables[:-n]
                stems.append(syllables)
                changed = True
                break
    forms = {"".join(s) for s in stems}
    return frozenset(forms | {f.replace("v", "u") for f in forms})


@lru_cache(maxsize=4096)
def latin_stems(key: str) -> frozenset[str]:
    """A Latin key and what is left of it without company suffixes: "shengshuai" ->
    {"shengshuai", "shengshu"}; empty for a key that is not all Latin letters and digits, or
    is shorter than four."""
    if not is_latin(key) or len(key) < _MIN_LATIN:
        return frozenset()
    stems = {key}
    changed = True
    while changed:
        changed = False
        for suffix in LATIN_SUFFIXES:
            if key.endswith(suffix) and len(key) - len(suffix) >= _MIN_LATIN:
                key = key[: -len(suffix)]
                stems.add(key)
                changed = True
                break
    return frozenset(stems)


def traditional_and_simplified(a: str, b: str) -> bool:
    """Two different keys all in Han characters (two or more) whose Simplified forms are equal:
    影駿 and 影骏, 帧跡 and 帧迹. False for homophones (画屿 and 画语)."""
    if a == b or not (is_han(a) and is_han(b)) or min(len(a), len(b)) < _MIN_SYLLABLES:
        return False
    return simplified(a) == simplified(b)


def across_scripts(a: str, b: str) -> bool:
    """Two keys that are one name in two scripts: one key Han, the other Latin, and the Han
    name's pinyin is the Latin name (each without company suffixes): 生数 and "shengshu", 愛詩
    and "aishi"; or two Han keys, one Traditional, one Simplified (`traditional_and_simplified`).
    False for two Latin keys, and for two Han ones that differ in more than script."""
    if is_han(a) and is_han(b):
        return traditional_and_simplified(a, b)
    if is_han(a) and is_latin(b):
        return not han_romanised(a).isdisjoint(latin_stems(b))
    if is_latin(a) and is_han(b):
        return not han_romanised(b).isdisjoint(latin_stems(a))
    return False
