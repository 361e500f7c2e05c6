"""Company names: known aliases (``companies.yaml``), canonical keys, and name extraction.

``CompanyBook.key`` maps every spelling of a known company (爱诗科技 / 愛詩科技 / AIsphere /
PixVerse) to one key; unknown names get a folded form with legal suffixes removed
("Acme Labs Inc." -> "acme"). ``subject_en``/``object_en``/``subject_zh`` pull an unknown
company name out of a sentence around the verb or cue that anchors a raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .vocab import CompanyEntry

_CAP_TOKEN = r"(?:[A-Z][A-Za-z0-9]*(?:[.\-&'][A-Za-z0-9]+)*|[0-9]+[A-Za-z][A-Za-z0-9]*)"
_CAP_RUN = rf"{_CAP_TOKEN}(?:[ ]+(?:{_CAP_TOKEN}|de|of|&))*(?<![ ])"
CAP_RUN = re.compile(_CAP_RUN)
_CAP_RUN_END = re.compile(rf"({_CAP_RUN})(?:'s)?\s*$")
_EN_AUX = re.compile(
    r"(?:\s+|,\s*)(?:has|have|had|is|was|are|were|just|now|also|officially|quietly|reportedly|"
    r"recently|today|yesterday|this week|this month|on [A-Za-z]+day|finally|said it|says it|"
    r"said|says|announced it|which|that|who)\s*$"
)
_EN_DESCRIPTOR = re.compile(
    r"\b(?:startup|start-up|company|firm|developer|maker|platform|provider|unicorn|rival|"
    r"creator|generator|app|upstart|outfit|specialist|pioneer|editor|tool|newcomer|player|"
    r"studio|lab)\s+(?:[-\u2013\u2014:]\s+)?(" + _CAP_RUN + ")"
)
# "it has raised", "the company said it raised", "The Paris startup has raised": the subject
# refers back to a company named earlier.
_EN_REFERS_BACK = re.compile(
    # "the UK AI video generation company": up to five descriptive words
    r"(?:\b(?:it|they|we|which|who)|\b(?:the|its|this|that)\s+(?:[\w-]+\s+){0,5}?"
    r"(?:company|startup|start-up|firm|business|group|platform|developer|maker|outfit|upstart|"
    r"unicorn|venture|team))\s*$",
    re.IGNORECASE,
)
# "the team of four engineers led by Demi Guo and Chenlin Meng (has raised)": the company's own
# team, named by the people who lead it; the people are no raiser
_EN_TEAM_LED_BY = re.compile(
    r"\b(?:the|its|this)\s+(?:[\w-]+\s+){0,3}?(?:team|founders|company|startup)"
    r"(?:\s+of\s+(?:[\w-]+\s+){0,3}?[\w-]+)?\s+(?:led|founded|co-founded|headed|run)\s+by\s+"
    r"[A-Z][^,;:]{0,60}$"
)
# "Acme, a video startup based in Paris, (said it) has raised"
_EN_APPOSITION = re.compile(
    # after a wire dateline too: "(Bloomberg) -- Acme Inc., a video startup, is raising"
    rf"(?:^|(?<=[,;:])\s|(?<=-)\s|(?<=\u2014)\s|\b(?:but|and|while|yet)\s)"
    rf"\s*(?:[A-Z][\w-]*-based\s+)?({_CAP_RUN})\.?"
    r"\s*,\s*(?:a|an|the|which|who|whose|one|"
    r"founded|based|backed|headquartered|known|best|creator|maker|developer|owner|operator)\b"
    r"[^,]*(?:,[^,]*)?,\s*$"
)
_EN_DASH_APPOSITION = re.compile(
    rf"\s*({_CAP_RUN})\s+[\u2014\u2013]\s[^\u2014\u2013]+[\u2014\u2013]"
)
_EN_TRAILING_APPOSITION = re.compile(r",\s*[^,]{1,60},?\s*$")
# "On Tuesday, the startup X, ...", "Today, the AI video startup X has": a phrase of time
# opening the sentence is no name in apposition
_EN_TIME_OPENER = re.compile(
    r"(?:On|In|At|By|During|Since|After|Before|Earlier|Later|Last|This|Today|Yesterday|"
    r"Meanwhile|Now)\b"
)
# the period of an abbreviated legal form ending a subject: "Acme Inc.", "Acme Co."
_EN_ABBREVIATION_END = re.compile(r"(\b[A-Z][a-z]{1,3})\.\s*$")
_EN_AND_END = re.compile(r"\s(?:and|&)\s*$")
_EN_FIRST_SUBJECT = re.compile(
    rf"\s*(?:[A-Z][\w-]*-based\s+)?({_CAP_RUN})\s+(?:also\s+|today\s+|has\s+)?[a-z]+(?:s|ed)\b"
)
# the first finite verb of a clause ("The company recently opened a round and raised")
_EN_FIRST_VERB = re.compile(r"\s+(?:(?:also|recently|just|today|now)\s+)?[a-z]+ed\b")
# "$4.7m" read as a capital run: a money figure's tail is no name
_EN_MONEY_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:m|mn|bn|b|k)$", re.IGNORECASE)
# "pulled in $20 million for Deep Voodoo": people raise money for their company
_EN_RAISED_FOR = re.compile(
    rf"\s*(?:[$€£¥]|US\$|us\$|RMB\s?)?[\d.,]+\s*"
    rf"(?:[Mm]illion|[Bb]illion|[Tt]housand|[Mm]|mn|bn|[Kk])?\b"
    rf"(?:\s+(?:in|of)\s+[a-z -]{{0,30}}?)?\s+(?:for|For)\s+"
    # "raised $6.5 million for his San Francisco startup, Hologram Labs"
    rf"(?:(?:his|her|their)\s+(?:[A-Za-z][\w-]*\s+){{0,4}}?(?:startup|start-up|company)\s*,?\s+)?"
    rf"({_CAP_RUN})"
)
# "puts money into an AI 'Netflix'": an indefinite description, not a name
# "Acme's new funding round", "leading Acme's $9 million seed round": the owner of the round
_EN_POSSESSIVE_END = re.compile(
    rf"({_CAP_RUN})['’]s\s+(?:(?:us|s|a|c|hk|nt)?[$€£¥]\s?\d[\d.,]*(?:\s?[a-z]+)?\s+)?"
    r"(?:[a-z\-]+\s+){0,3}$"
)
_EN_INDEFINITE = re.compile(r"\b(?:a|an)\s")
# the object of an investing verb owning a product: "into Fable's Showrunner" -> Fable
_EN_OWNER_OBJECT = re.compile(rf"\s*({_CAP_RUN})['’]s\s+{_CAP_TOKEN}")
_EN_PREPOSITION_END = re.compile(
    r"\b(?:behind|of|for|with|from|at|by|on|to|against|like|than|about)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:[a-z-]+\s+){0,2}$"
)
_EN_PREPOSITION = re.compile(r"\b(?:across|in|for|to|of|with|from|at|on|into|over|as)\s")
# a clause with no subject of its own: "在今年8月的最新一轮融资中", "于近日"
_ZH_ADVERBIAL_START = re.compile(r"(?:在|于)(?!此前|之前|去年|前年)")
_ZH_BOUNDARY = re.compile(r"[,,;;::。!?!?\n()()\[\]【】|]")
_ZH_TIME = re.compile(
    # "据36氪报道", "據…報導", "36氪获悉": a lead-in naming the source
    r"^(?:\s|[-–•·*]|据.{0,10}?(?:获悉|报道|报导|消息)|[^,,。;;「」“”]{1,10}?获悉|"
    r"据悉|据了解|据介绍|据称|当时|彼时|那时|"
    r"\d{4}\s*年(?:初|底|末)?|\d{1,2}\s*月(?:初|底|末)?|\d{1,2}\s*日|今年|近日|日前|今日|"
    r"今天|昨日|昨天|近期|目前|本周|上周|最近|近来|同时|此外|另外|其中|其次|首先|而且|而|并且|并|就有|就|"
    r"但是|但|不过|然而)+"
)
_ZH_TAIL = re.compile(
    r"(?:已经|已|刚刚|刚|正式|也|再次|又|再|今日|近日|日前|于|成功|顺利|先后|此次|此番|共|再度|将|"
    r"宣布|官宣|称|表示|透露|对外|这轮|本轮|此轮|新一轮|的|获得|完成|获|拿下|正在洽谈|正洽谈|洽谈|"
    r"[今昨前][((]\d{1,2}[))]日|今天|昨天|昨日|本周|上周|本月|今年初|年初|年中|年底|上半年|下半年|今年|上个月|上月|月初|月底|"
    r"正在|拟|计划|即将|寻求|开启|启动|又一次|再获|又获|再迎|迎来|大额|巨额|一笔|新|\s|"
    # "影翼在今年3月的最新一轮融资中筹集了": a phrase of time or occasion before the verb
    r"在[^,,。;;「」“”]{1,24}|"
    # "Humans&种子轮募得": the round named between the name and the verb
    r"(?:pre-?)?[a-f][+\d]*\s*轮|天使\+*轮|种子\+*轮|战略轮)+$"
)
_ZH_DESCRIPTORS = (
    "的", "公司", "企业", "创企", "初创", "厂商", "平台", "品牌", "独角兽", "团队", "旗下",
    "开发商", "服务商", "提供商", "创业", "明星", "黑马", "新锐", "赛道", "新创", "工具", "应用",
    "供应商", "领军者", "玩家",
)  # fmt: skip
# words that only describe or qualify: a "name" made of them alone is no name ("早期新创")
_ZH_GENERIC_WORDS = (
    *_ZH_DESCRIPTORS, "ai", "科技", "初创企业", "创业公司", "新创公司", "多家", "各家", "早期",
    "中后期", "后期", "头部", "中小", "部分", "不少", "许多", "很多", "一些", "相关", "今年",
    "去年", "本月", "上月", "目前", "近年", "近期", "年内", "上半年", "下半年", "全年", "整体",
    "行业", "市场",
)  # fmt: skip
_ZH_GENERIC = re.compile("|".join(sorted(_ZH_GENERIC_WORDS, key=len, reverse=True)))
_ZH_NOT_NAME = re.compile(
    r"融资|投资|领投|跟投|参投|注资|估值|由|轮|累计|共计|合计|总计|迄今|至今|明年|后年|预计|^(?:完成|获得|获|宣布|披露|公布|透露|显示|发生|共|实现)|[\d千百十]\s*[万亿]|[万亿]元|美元|美金|港元|港币|人民币|新台币|"
    r"欧元|英镑|日元|^(?:[暂没未不再又]|无(?:需|法|论|意|任何|新|融资|投资|此|该))|(?:赛道|领域|行业|市场|板块|概念|方面)$|[着了们在是这那被把让又都就也还而其之或吗呢吧已]|[\d一二两三四五六七八九十几数多单每]\s*(?:个|月|年|日|天|周|家|笔|起|位)|"
    # a clause of condition or modality, not a name: "若只问…", "最多可募得", "初创企业可用的"
    r"^(?:若|如果|假如|只|最多)|(?:可|可用|能够)$|"
    # an ordinal counts raises, it names no company: "第二次募资", "第3笔融资"
    r"第\s*[\d一二两三四五六七八九十百几]+\s*(?:次|轮|笔|回|期|届)"
)
# capitalized words that are stopwords alone but end many names ("Halo Video", "Genmo AI")
_NAME_TAILS = frozenset({"ai", "video", "tech"})
_ZH_SHORT_NAME = re.compile(
    r"[((]\s*(?:以下)?简称\s*[::]?\s*[「“\"『]?([^「」“”\"『』()()]{2,12}?)[」”\"』]?\s*[))]"
    r"(?:已|已经|于|近日|日前|今日|正式|宣布|成功|顺利|\s)*$"
)
_ZH_TRAILING_PAREN = re.compile(r"[((][^()()]{1,40}[))]\s*$")
_ZH_QUOTED_END = re.compile(r"[「“\"《『]([^「」“”\"《》『』]{1,20})[」”\"》』]\s*$")
_ZH_TW_DATE_END = re.compile(r"[今昨前明][((]\s*\d{1,2}\s*[))]日\s*$")
_ZH_DESCRIPTION_ENDS = ("公司", "企业", "创企", "初创", "厂商")
# "帧影公司", "小冰公司", "Vidora公司": a short name before 公司 is a name; a trade, a place, a
# kind or a relation before it ("视频公司", "美国公司", "上市公司", "投资公司") describes
_ZH_NAME_BEFORE_GONGSI = re.compile(r"([\u4e00-\u9fff]{2,4}|[a-z][a-z0-9 .&'\-]{1,30})公司")
_ZH_DESCRIPTIVE_STEM = re.compile(
    r"视频|影视|影像|传媒|媒体|动画|游戏|芯片|半导体|模型|生成|智能|科技|技术|数据|机器人|软件|"
    r"硬件|网络|互联网|内容|文化|娱乐|电商|汽车|医疗|教育|金融|国产|国内|海外|外国|本土|美国|"
    r"中国|日本|韩国|欧洲|创业|初创|新创|独角兽|上市|控股|关联|投资|资本|基金|证券|银行|保险|"
    r"咨询|广告|营销|制作|影业|某|一家|多家|这家|那家|该|此|小型|中型|大型|头部|龙头|明星|领先|"
    r"知名|老牌|新兴|同类|竞争|对手|合资|外资|民营|国有|国企|央企|空壳|运营|管理|服务|平台|算力|"
    r"ai|母|子|分|总|"
    # a relation or a selection: "入选公司", "被投公司", "上述公司", "其他公司", "两家公司"
    r"入选|入围|候选|目标|被投|参股|合作|上述|其他|其它|相关|同行|所有|各|这些|那些|多数|少数|"
    r"部分|不少|[两三四五六七八九十几数多]家|新|老|本|我|你|他|她|它|对方|自家|旗下|下属|附属|"
    r"参与|涉事|所属|获奖|获投|出海|境外|境内|国外|外地|本地|当地|全球|国际|跨国|巨头|大厂|腰部"
)
# "这家成立刚满一年的AI视频生成公司", "该视频生成创企": a demonstrative opening the clause and a
# company noun closing it, right before the verb, point back to the company already named
_ZH_DEMONSTRATIVE_SUBJECT = re.compile(
    r"(?:^|[,,;;::。!?!?\n])\s*(?:这家|该|此|这个|这间)[^,,;;::。!?!?\n]{0,24}?"
    r"(?:公司|企业|创企|初创|新创|厂商|独角兽)(?:已经|已|刚刚|刚|正式|也|近日|日前|今日)?\s*$"
)
_ZH_DESCRIBED_OBJECT = re.compile(
    # "初创公司Metaphysic": the whole run of company nouns describes, not its first noun
    r"[^,,。;;::「」“”]{0,16}?(?:公司|企业|创企|初创|新创|平台|厂商|團隊|团队)+"
    r"([^,,。;;::「」“”的\s]{2,12})(?=[,,。;;::的\s]|$)"
)
_ZH_QUOTED_OBJECT = re.compile(r"[^,,。;;:：「」“”『』]{0,16}?[「“『]([^「」“”『』]{2,20})[」”』]")
# "这轮750万美元的融资由…领投": the subject is the story's round itself, not a company
_ZH_THIS_ROUND = re.compile(
    r"(?:这|本|此|该)一?(?:轮|笔|次)\s*(?:(?:[\d.,]+\s*[千百万亿]*|[千百万亿]+)\s*"
    r"(?:美元|美金|元|人民币|港元|港币|欧元|日元|英镑|新台币)?)?"
)
# "岚山资本领投影帧科技2000万美元A轮融资", "领投了Vidora的A轮融资": the object of an investing
# verb runs up to the round's amount, its name or 融资
_ZH_ROUND_OBJECT = re.compile(
    r"(?:了)?\s*([^,,。;;::「」“”『』()()\s的]{2,20}?)\s*(?:[((][^()()]{1,40}[))])?\s*的?\s*"
    r"(?=(?:近|超|约|逾|数|几|上)?\d|(?:近|超|约|逾|数|几|上)[千百万亿]|"
    r"[千百万亿]+(?:级|(?:元|美元|美金|人民币|港元|港币|新台币|日元|欧元))|"
    r"(?:pre-?)?[a-h][+\d]*\s*轮|天使|种子|战略融资|新一轮|融资)"
)
_ZH_ROUND_IN_CLAUSE = re.compile(r"[^,,。;;]*?(?:融资|轮)")
_ZH_DEMONSTRATIVE_START = re.compile(r"^(?:此|该|本|这|其|各|多)")
_QUOTES = str.maketrans("", "", "「」“”\"'《》『』‘’")
# longest company name before a Chinese raise verb: Han characters, or letters of a Latin name
_ZH_NAME_MAX = 20
_LATIN_NAME_MAX = 40
_ZH_PRONOUNS = (
    "该公司", "公司", "其", "该", "这家公司", "这家", "他们", "它", "本轮", "此轮", "该企业",
    "对方", "这家企业", "创始人", "团队", "双方", "项目", "平台",
)  # fmt: skip


# a topic clause that is a name: Latin words ("Vidora", "Moon Valley AI"), or a few Chinese
# characters after a description ("新创影帧")
_ZH_TOPIC_LATIN = re.compile(r"[a-z0-9][a-z0-9 .&'\-]{0,40}")
# ("在这样的预期下,融资也…": a phrase of place or time ends in 下, 中, 时 ..., no name does)
_ZH_TOPIC_CJK = re.compile(r"[\u4e00-\u9fff]{1,7}(?<![下中时后前里内间上外])")

_MISSING = object()


def _subjectless(clause: str) -> bool:
    """The clause before a raise verb has no subject of its own: only words of time and
    manner ("刚", "近日已", "日前正式")."""
    m = _ZH_TIME.match(clause)
    rest = clause[m.end() :] if m else clause
    m = _ZH_TAIL.search(rest)
    return not (rest[: m.start()] if m else rest).strip()


def _opening_clause(text: str, start: int) -> bool:
    """The clause at ``start`` opens its sentence, or only clauses of time come before it
    ("2025年3月,由…创立的某某,刚…")."""
    return all(_subjectless(part) for part in _ZH_BOUNDARY.split(text[:start]))


def _apposition(text: str) -> re.Match[str] | None:
    """ "Acme, a video startup, (said it)": a name in apposition, not a phrase of time."""
    m = _EN_APPOSITION.search(text)
    return m if m and not _EN_TIME_OPENER.match(m.group(1)) else None


def _named_gongsi(folded: str) -> bool:
    """ "帧影公司": a short name before 公司, no word of trade, place or kind in it."""
    m = _ZH_NAME_BEFORE_GONGSI.fullmatch(folded)
    return m is not None and _ZH_DESCRIPTIVE_STEM.search(m.group(1)) is None


class CompanyBook:
    def __init__(
        self,
        entries: Iterable[CompanyEntry],
        legal_suffixes: Iterable[str],
        stopwords: Iterable[str],
        fold: Callable[[str], str],
        registration_places: Iterable[str] = (),
    ) -> None:
        self._fold = fold
        self._places = sorted({fold(s) for s in registration_places}, key=len, reverse=True)
        self.entries = tuple(entries)
        self._suffixes = sorted({fold(s) for s in legal_suffixes}, key=len, reverse=True)
        self._stop = {fold(s) for s in stopwords}
        self._lookup_cache: dict[str, object] = {}
        self._by_name: dict[str, CompanyEntry] = {}
        self._by_stripped: dict[str, CompanyEntry] = {}
        for entry in self.entries:
            for name in (entry.key, *entry.names):
                folded = fold(name)
                self._by_name.setdefault(folded, entry)
                if name not in entry.case_sensitive and not (
                    name == entry.key and entry.case_sensitive
                ):
                    # a case-sensitive name is made of common words ("Wonder Studio"): its
                    # stem without the suffix ("Wonder") names other companies too
                    self._by_stripped.setdefault(self._strip(folded), entry)

    # -- keys ------------------------------------------------------------------------------
    def _strip(self, folded: str) -> str:
        name = folded.strip(" .,-")
        changed = True
        while changed:
            changed = False
            for suffix in self._suffixes:
                if not name.endswith(suffix) or len(name) <= len(suffix):
                    continue
                rest = name[: -len(suffix)]
                latin = suffix[0].isascii() and suffix[0].isalnum()
                if latin and rest[-1].isascii() and rest[-1].isalnum():
                    continue  # "...ai" inside a word: "Haiper" must not lose its tail
                rest = rest.rstrip(" .,-")
                if len(rest) >= 2 or (rest and not rest.isascii()):
                    name, changed = rest, True
                    break
        return name

    def _strip_place(self, folded: str, stripped: str) -> str:
        """ "杭州李未可科技有限公司" -> "李未可": a registered name (one that ended in a legal
        suffix) opens with the place of registration, which is not part of the name."""
        if stripped == folded:
            return stripped
        for place in self._places:
            if stripped.startswith(place) and len(stripped) - len(place) >= 2:
                return stripped[len(place) :]
        return stripped

    def lookup(self, name: str) -> CompanyEntry | None:
        hit = self._lookup_cache.get(name, _MISSING)
        if hit is _MISSING:
            if len(self._lookup_cache) > 4096:
                self._lookup_cache.clear()
            hit = self._lookup_cache[name] = self._lookup(name)
        return hit  # type: ignore[return-value]

    def _lookup(self, name: str) -> CompanyEntry | None:
        folded = self._fold(name).strip()
        return self._by_name.get(folded) or self._by_stripped.get(self._strip(folded))

    def key(self, name: str) -> str:
        entry = self.lookup(name)
        if entry is not None:
            return entry.key
        folded = self._fold(name).strip()
        stripped = self._strip_place(folded, self._strip(folded))
        return re.sub(r"[\s\W_]+", "", stripped) or stripped

    def same(self, key_a: str, key_b: str | None) -> bool:
        """Two company keys name the same company: equal, or one ends the other
        ("singaporeskaleido" / "kaleido", "影像生成新创画境" / "画境"), or a long enough
        Latin name starts the other (a short name and its full legal name)."""
        if not key_b:
            return False
        if key_a == key_b:
            return True
        short, long_ = sorted((key_a, key_b), key=len)
        if len(short) < 2 or (short.isascii() and len(short) < 4):
            return False
        if short.isascii() and len(short) >= 6 and long_.startswith(short):
            return True  # "Next Generation" / "Next Generation Culture Media Co Ltd"
        return long_.endswith(short)

    def is_stopword(self, name: str) -> bool:
        return self._fold(name) in self._stop

    # -- extraction --------------------------------------------------------------------------
    def _clean_en(self, name: str | None) -> str | None:
        if not name:
            return None
        tokens = name.split()
        # "Singapore's Kaleido Studio": a place or owner in the possessive is not the name
        for i in range(len(tokens) - 1, -1, -1):
            if i < len(tokens) - 1 and re.search(r"['’]s$", tokens[i]):
                tokens = tokens[i + 1 :]
                break
        tokens = [re.sub(r"['’]s$", "", t) for t in tokens]
        tokens = [t for t in tokens if not _EN_MONEY_TOKEN.fullmatch(t)]
        based = [i for i, t in enumerate(tokens[:-1]) if t.lower().endswith("-based")]
        if based:
            tokens = tokens[based[-1] + 1 :]  # "Paris-based Clipforge", "San Francisco-based X"
        while tokens and self._fold(tokens[0]) in self._stop:
            tokens.pop(0)
        while (
            tokens
            and self._fold(tokens[-1]) in self._stop
            and (len(tokens) == 1 or self._fold(tokens[-1]) not in _NAME_TAILS)
        ):
            tokens.pop()
        cleaned = " ".join(tokens)
        if not cleaned or self._fold(cleaned) in self._stop or len(cleaned) < 2:
            return None
        return cleaned

    def clean_en(self, name: str) -> str | None:
        """A capitalized run made a name (stopwords, money fragments, possessors dropped)."""
        return self._clean_en(name)

    def _strip_aux(self, left: str) -> str:
        text = left
        while True:
            stripped = _EN_AUX.sub("", text)
            if stripped == text:
                return text
            text = stripped

    def refers_back_en(self, left: str) -> bool:
        """The subject before a raise verb is a pronoun or "the company"."""
        text = self._strip_aux(left)
        if _apposition(left) or _apposition(text + ","):
            return False
        # "The startup, based in London, has just raised": drop the apposition
        bare = _EN_TRAILING_APPOSITION.sub("", text)
        if _EN_REFERS_BACK.search(text) or _EN_REFERS_BACK.search(bare):
            return True
        if _EN_TEAM_LED_BY.search(text):
            return True
        # "The company recently opened a round and raised": the first verb's subject
        m = _EN_AND_END.search(text)
        first = _EN_FIRST_VERB.search(text, 0, m.start()) if m else None
        return bool(first and _EN_REFERS_BACK.search(text, 0, first.start()))

    def subject_en(self, left: str) -> str | None:
        """Company named right before a raise verb: "Acme, a video startup, has raised"."""
        text = _EN_ABBREVIATION_END.sub(r"\1", self._strip_aux(left))  # "Acme Inc. raises"
        # apposition: "Acme, a video startup based in Paris, has raised"
        for candidate in (left, text if text.rstrip().endswith(",") else text + ","):
            m = _apposition(candidate)
            if m:
                name = self._clean_en(m.group(1))
                if name:
                    return name
        m = _CAP_RUN_END.search(text.rstrip().rstrip(","))
        if m and not text.rstrip().endswith(","):
            if _EN_PREPOSITION_END.search(text, 0, m.start()):
                return None  # "start-up behind the rigged Tom Cruise wraps up": not the subject
            return self._clean_en(m.group(1))
        if _EN_AND_END.search(text):
            # "Acme launches Director mode and announces $22M": the first verb's subject
            m = _EN_FIRST_SUBJECT.match(left)
            if m:
                return self._clean_en(m.group(1))
        m = _EN_DASH_APPOSITION.fullmatch(text.rstrip())
        if m:
            return self._clean_en(m.group(1))  # "Promise — the generative AI studio ... — has"
        m = re.match(rf"\s*(?:[A-Z][\w-]*-based\s+)?({_CAP_RUN})\s*,", left)
        if m and "," in left[m.end() :] + text[-2:]:
            return self._clean_en(m.group(1))
        return None

    def raised_for_en(self, right: str) -> str | None:
        """ "(Stone and Parker) have pulled in $20 million for Deep Voodoo" -> Deep Voodoo."""
        m = _EN_RAISED_FOR.match(right)
        if m is None or re.search(r"-[a-z]", m.group(1)):
            return None  # "for AI-generated training videos": a description
        return self._clean_en(m.group(1))

    def raw_subject_en(self, left: str) -> str | None:
        """The capitalized words right before a verb, uncleaned ("Adobe Ventures")."""
        m = _CAP_RUN_END.search(self._strip_aux(left).rstrip())
        return m.group(1) if m else None

    def possessive_en(self, left: str) -> str | None:
        """ "Acme's new funding round" -> Acme."""
        m = _EN_POSSESSIVE_END.search(left)
        return self._clean_en(m.group(1)) if m else None

    def object_en(self, right: str) -> str | None:
        """Company named after an investing verb: "invests in video startup Acme"."""
        m = _EN_DESCRIPTOR.search(right)
        if m and m.start() < 80:
            return self._clean_en(m.group(1))
        owner = _EN_OWNER_OBJECT.match(right)
        if owner and not self.is_stopword(owner.group(1)):
            return self._clean_en(owner.group(1))  # "puts money into Fable's Showrunner"
        for m in CAP_RUN.finditer(right[:80]):
            between = right[: m.start()]
            if len(between.split()) > 4 or _EN_PREPOSITION.search(between):
                return None  # "invests $500m in AI infrastructure across Europe": no company
            if _EN_INDEFINITE.search(between):
                return None  # "backs a Generative AI Film Studio": a description
            name = self._clean_en(m.group(0))
            if name:
                return name
        return None

    def _zh_candidate(
        self, left_display: str, left_folded: str, verb: bool = False
    ) -> tuple[str, str]:
        m = _ZH_TW_DATE_END.search(left_folded)
        if m:  # 某某今(3)日宣布: the Taiwanese date's brackets are no boundary
            left_display, left_folded = left_display[: m.start()], left_folded[: m.start()]
        m = _ZH_SHORT_NAME.search(left_folded)
        if m:  # 深圳市某某科技有限公司(以下简称“某某”)完成
            return left_display[m.start(1) : m.end(1)], m.group(1)
        m = _ZH_TAIL.search(left_folded)
        if m and _ZH_TRAILING_PAREN.search(left_folded, 0, m.start()):
            left_display, left_folded = left_display[: m.start()], left_folded[: m.start()]
        m = _ZH_TRAILING_PAREN.search(left_folded)
        if m:  # 某某科技(Acme AI)宣布完成: the English name in brackets is an aside
            left_display, left_folded = left_display[: m.start()], left_folded[: m.start()]
        cut = 0
        for m in _ZH_BOUNDARY.finditer(left_folded):
            cut = m.end()
        disp, fold = left_display[cut:], left_folded[cut:]
        if cut and left_folded[cut - 1] in ",,":
            prev = 0
            for m in _ZH_BOUNDARY.finditer(left_folded, 0, cut - 1):
                prev = m.end()
            if _ZH_ADVERBIAL_START.match(fold):
                # "成立三年的某某,在今年8月的最新一轮融资中筹集了…": the clause before the
                # comma holds the subject
                disp, fold = left_display[prev : cut - 1], left_folded[prev : cut - 1]
            elif (
                (fold.strip() or verb) and _subjectless(fold) and _opening_clause(left_folded, prev)
            ):
                # "由两名研究员创立的新创某某,刚募得…", "某某,近日完成…", "某某,完成…": a
                # clause of adverbs alone (or none, when a verb opens it; not a noun: "…的
                # 当口,融资接连发生") takes its subject from the sentence's opening clause
                topic = self._zh_topic(left_display[prev : cut - 1], left_folded[prev : cut - 1])
                if topic:
                    return topic
        return self._zh_name_end(disp, fold)[:2]

    def _zh_name_end(self, disp: str, fold: str, topic: bool = False) -> tuple[str, str, bool]:
        """The name that ends a clause, the clause's words of time, manner and description
        dropped; and whether a description (的, 新创, 公司 ...) came before it."""
        m = _ZH_TIME.match(fold)
        if m:
            disp, fold = disp[m.end() :], fold[m.end() :]
        # a topic ends in its name, not in words before a verb ("在杭州创立的新创某某")
        m = None if topic else _ZH_TAIL.search(fold)
        if m:
            disp, fold = disp[: m.start()], fold[: m.start()]
        # a quoted name right before the verb: AI视频公司「某某」宣布完成
        q = _ZH_QUOTED_END.search(disp)
        if q:
            return q.group(1), fold[q.start(1) : q.end(1)], True
        best = -1
        for word in _ZH_DESCRIPTORS:
            i = fold.rfind(word)
            if i >= 0 and i + len(word) < len(fold):
                best = max(best, i + len(word))
        if best > 0:
            disp, fold = disp[best:], fold[best:]
        return disp.translate(_QUOTES).strip(), fold.translate(_QUOTES).strip(), best > 0

    def _zh_topic(self, disp: str, fold: str) -> tuple[str, str] | None:
        """The name a topic clause ends in, when the clause is a name and not a clause of its
        own ("它做AI视频,刚…"): a Latin name, a name with a company suffix ("某某科技"), or a
        Chinese name after a description ("由…创立的某某", "新创某某")."""
        time = _ZH_TIME.match(fold)
        if fold.startswith(_ZH_PRONOUNS, time.end() if time else 0):
            return None  # "公司专注视频生成,刚…": the clause has a subject and verb of its own
        name, folded, described = self._zh_name_end(disp, fold, topic=True)
        latin = _ZH_TOPIC_LATIN.fullmatch(folded) is not None
        suffixed = any(
            folded.endswith(s) and len(folded) > len(s) for s in self._suffixes if not s.isascii()
        )
        chinese = described and _ZH_TOPIC_CJK.fullmatch(folded) is not None
        return (name, folded) if folded and (latin or suffixed or chinese) else None

    def refers_back_zh(self, left_display: str, left_folded: str) -> bool:
        """The subject before a Chinese raise verb is 该公司, 其, 公司 ..., or a described
        company after a demonstrative: "这家成立刚满一年的AI视频公司宣布完成…"."""
        _, folded = self._zh_candidate(left_display, left_folded)
        return (
            folded in _ZH_PRONOUNS
            or _ZH_THIS_ROUND.fullmatch(folded) is not None
            or _ZH_DEMONSTRATIVE_SUBJECT.search(left_folded) is not None
        )

    def subject_zh(self, left_display: str, left_folded: str, verb: bool = False) -> str | None:
        """Company named before a Chinese raise verb: "AI视频公司「某某科技」宣布完成"; ``verb``:
        the word after ``left`` is a verb, not a noun that may be a subject ("融资")."""
        name, folded = self._zh_candidate(left_display, left_folded, verb)
        # a Latin name before a Chinese verb is counted in letters ("Spire Animation Studios")
        longest = _LATIN_NAME_MAX if name.isascii() else _ZH_NAME_MAX
        if not (2 <= len(name) <= longest) or folded in _ZH_PRONOUNS or folded in self._stop:
            return None
        if re.fullmatch(r"[\d\s.,%]+", name) or _ZH_NOT_NAME.search(folded):
            return None
        if not _ZH_GENERIC.sub("", folded).strip():
            return None  # "新创", "初创企业", "AI公司": a description, no name
        if (
            folded.endswith(_ZH_DESCRIPTION_ENDS)
            and not any(
                folded.endswith(s) and len(folded) > len(s) for s in self._suffixes if s != "公司"
            )
            and not _named_gongsi(folded)
        ):
            return None  # "国产GPU公司", "某AI视频创企": a description, no name
        return name

    def _round_object(self, right_display: str) -> str | None:
        """ "(领投)影帧科技2000万美元A轮融资": a name the round's words follow."""
        folded = self._fold(right_display)
        m = _ZH_ROUND_OBJECT.match(folded)
        if m is None or not _ZH_ROUND_IN_CLAUSE.match(folded, m.end(1)):
            return None
        if len(folded) != len(right_display):
            return None  # offsets differ: the folded match cannot be read back
        return right_display[m.start(1) : m.end(1)]

    def object_zh(self, right_display: str) -> str | None:
        """Quoted company right after a Chinese object verb: "战略投资AI视频公司「帧语」"."""
        m = _ZH_QUOTED_OBJECT.match(right_display)
        if m:
            return m.group(1).strip()
        # "押注AI视频生成公司影动科技,…": the name right after a description; "领投影帧科技
        # 2000万美元A轮融资": the name before the round's words
        described = _ZH_DESCRIBED_OBJECT.match(right_display)
        for name in (described.group(1) if described else None, self._round_object(right_display)):
            if name and self._object_name(name.strip()):
                return name.strip()
        return None

    def _object_name(self, name: str) -> bool:
        if _ZH_DEMONSTRATIVE_START.match(name):
            return False  # "领投了此次融资": no name
        folded = self._fold(name)
        return not (_ZH_NOT_NAME.search(folded) or folded in self._stop or folded in _ZH_PRONOUNS)
