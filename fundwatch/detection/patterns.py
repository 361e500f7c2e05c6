"""The detector's grammar: every regex and veto category it applies, grouped by stage.

Like trafilatura's ``xpaths.py``: heuristics apart from the algorithm. The stage modules
import these by name; vocabulary (terms, weights) stays in ``seeds/detection/*.yaml``.
"""

from __future__ import annotations

import re

# -- passage: sentences and clauses --------------------------------------------------------
# (not after an abbreviated legal form or title: "Acme Inc. Raises $5M", "Mr. Li")
SENTENCE_END = re.compile(
    r"[。!?!?;;\n]+|(?<=[a-z0-9)\"'”’%])(?<!\bInc)(?<!\bCorp)(?<!\bLtd)(?<!\bCo)(?<!\bMr)"
    r"(?<!\bMs)(?<!\bDr)\.\s+(?=[A-Z\"'“(])"
)
CLAUSE_END = re.compile(r"[,;:()、]|\s[-\u2013\u2014]\s|\u2014")
CJK = re.compile(r"[\u4e00-\u9fff]")
# the end of a negation's reach: "暂无视频产品", "no plans to move into video"
NEGATION_SPAN = re.compile(r"[,;:()、。!?!?;;\n]|[,.]\s")
CLAUSE_ALONE = re.compile(r"\s*[,,:]")

# pinyin annotations on some mirrors: "認(rèn)知", "創(chuàng)投" (a toned vowel or a tone digit)
PINYIN_NOTE = re.compile(
    r"(?<=[\u3400-\u9fff])[(\uff08]\s*"
    r"[a-zü]*(?:[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*|[1-5])\s*[)\uff09]"
)

# a raise dated to a month and year or to a bare month ("in a November 2025 Series C",
# "3月官宣了…融资"): like the `dated` words, history when the title tells no raise; a day
# ("3月11日") dates the news itself and is not matched. Years are rare, so the month is looked
# for only right before a year (a month-name alternation tried at every position is slow).
DATED_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
YEAR = re.compile(r"(?:19|20)\d\d")
MONTH_BEFORE_YEAR = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\s+(?:of\s+)?$"
)
DATED_MONTH_ZH = re.compile(r"(?<![\d年.])(?:1[0-2]|[1-9])月")
# a Chinese year ("2021年", "2021年11月", "到2024年"), not a full date ("2025年3月11日"), which
# dates the news itself: like "in 2021", history when the title tells no raise
DATED_YEAR_ZH = re.compile(
    r"(?<!\d)(?:19|20)\d\d\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号])(?:\s*\d{1,2}\s*月(?![\d份]))?"
)
# a clause that says its raise is news: a date in the clause before it ("2023年底创立的X,刚募得…")
# is the company's history, not the raise's
NEWS_NOW = re.compile(r"刚|剛|近日|日前|今日|今天|本周|本週|\b(?:just|recently|today)\b")
# a 月 that no day or 份 follows: where a bare month may end
BARE_MONTH_END = re.compile(r"月(?![\d份日号初中底末])")

# a social-media handle ("@Rephrase_AI", not "press@acme.com")
HANDLE = re.compile(r"(?<![\w.])@([A-Za-z][A-Za-z0-9_]{1,30})\b")

# -- cues: is a sentence a raise? ----------------------------------------------------------
PURPOSE_BEFORE = re.compile(
    r"(?:\b(?:plans?|planning|intends?|aims?|money|funds|capital|proceeds)\s+to\s+|用于|用来|计划)$"
)
REPORTED = re.compile(
    r"\b(?:said|says|announced|announces|confirmed|confirms|disclosed|revealed|told [a-z]+)\b"
    r"[^,.;]{0,30}$"
)
ZH_GOT_INVESTMENT = re.compile(
    r"(?<!曾)获(?!评|选|奖|颁|批|誉)(?:得)?[^,。;,;:]{2,20}?(?:战略)?投资(?!价值|机构|人|者|方|圈|界|回报)"
)
# "has received an undisclosed investment from Tencent": a raise even without an amount
EN_GOT_INVESTMENT = re.compile(
    r"\b(?:receives|received|secures|secured|gets|got|lands|landed|wins|won|takes|took)\s+"
    r"(?:an?\s+)?(?:(?:undisclosed|new|fresh|minority|strategic|equity|significant|"
    r"seven-figure|eight-figure|nine-figure)\s+)*(?:investment|backing)\s+from\b"
)
# "CJ ENM has bought a minority stake in X": buying a small part of a company is investing
# in it, not taking it over (the `acquisition` word does not veto the clause)
MINORITY_STAKE_AFTER = re.compile(r"\s+(?:an?\s+)?(?:minority|small)\s+(?:equity\s+)?stake\b")
STAKE_BOUGHT_END = re.compile(
    r"\b(?:has|have)\s+(?:now\s+|also\s+|just\s+)?(?:bought|taken|acquired|purchased)\s+"
    r"(?:an?\s+)?(?:minority|small)\s+(?:equity\s+)?$"
)
# "Chernin and a16z are backing a new studio that ... . The studio, Promise, is ...": an
# investing verb's object told as a description, named by apposition in the next sentence
DESCRIBED_OBJECT = re.compile(
    r"\s*(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(startup|start-up|studio|company|venture|firm|lab)\b",
    re.IGNORECASE,
)
APPOSITION_NAME = re.compile(
    r"\s*(?i:the)\s+(?i:(startup|start-up|studio|company|venture|firm|lab)),\s+"
    r"([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,2}),"
)
# "Nvidia has invested in X": the perfect right before an investing verb (not "AT&T, which
# has invested in X": a relative clause is history)
PRESENT_PERFECT_END = re.compile(
    r"\b(?<!which )(?<!that )(?<!who )(?:has|have)\s+(?:now\s+|also\s+|just\s+)?$"
)
# the backers of a stealth exit: "with backing from X", "backed by X", "we at X are thrilled"
STEALTH_BACKERS = re.compile(
    r"\b(?:with\s+(?:\w+\s+)?(?:backing|funding|investment|support)\s+from|backed\s+by)\b|"
    r"\bwe\b[^.;]{0,40}?\b(?:are|'re|’re)\s+(?:so\s+)?(?:thrilled|excited|delighted|proud)\b"
)
# money words that make a weak title cue a raise: "Clipnova picks up seed cash"
TITLE_MONEY_NOUN = re.compile(
    r"\b(?:cash|capital|money|seed|backing|investment|investors?|war chest|funds)\b|资金|投资"
)
# a fund named as the investor ("from SoftBank's Opportunity Fund", "led by its seed fund"):
# the fund's name is no fund close
FUND_AS_INVESTOR = re.compile(r"\b(?:from|by|including|via|through)\s+(?:[\w'’.&-]+\s+){0,4}$")
# "invested by NVIDIA", "backed by a16z": a weak cue followed by its agent is a participle
PARTICIPLE_BY = re.compile(r"\s+by\b")
CUE_KINDS = ("funding", "funding_weak", "verb_subject", "verb_object")
RAISE_KINDS = ("funding", "funding_weak")

# -- amounts -------------------------------------------------------------------------------
# "a funding round worth ...", "a Series A worth several hundred million yuan": the round's size
ROUND_BEFORE_WORTH = re.compile(
    r"\b(?:round|funding|financing|investment|deal|seed|pre-seed|"
    r"(?:pre-)?series\s+[a-h]\d?\+?)(?:,?\s+(?:this|that|which)\s+(?:one|is|was))?\s+$"
)
RANGE_BEFORE = re.compile(r"between\s*$|介于\s*$")
RANGE_AFTER = re.compile(r"\s*(?:-|–|~|至|到|to|and)\s*(?:[$€£¥]|us\$|rmb)?\s*\d")
RANGE_JOIN_BEFORE = re.compile(r"(?:-|–|~|至|到|\bto|\band)\s*$")

# -- valuation (valuation.py) ------------------------------------------------------------
# "the new deal values the New York-based company at $1.5 billion", "values Luma at more than"
VALUES_AT_BEFORE = re.compile(
    r"\bvalu(?:e|es|ed|ing)\s+(?:[^\s,;:]+\s+){0,6}?at\s+(?:[a-z]+\s+){0,2}$"
)
# "Framewell, a Paris startup, ...": a sentence whose subject is a name in apposition
NAMED_APPOSITION = re.compile(
    r"\s*((?!(?:The|It|Its|This|That)\b)[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3}),\s+(?:a|an)\s"
)
VALUES_AT = re.compile(r"\bvalu(?:e|es|ing)\s+(?:[^\s,;:]+\s+){0,6}?at\b")
# a clause that only continues the valuation of the clause before: ",达到53亿美元"
VALUATION_CONTINUES = re.compile(
    r"\s*(?:并|且|已|再|一举|进一步|几乎|接近|now\s+)?"
    r"(?:达到|达|升至|增至|涨至|提升至|提高至|跃升至|来到|突破|超过|超|逾|"
    r"reaching|to reach|hitting|topping|to)[^\d,;]{0,10}$"
)
# an earlier value: "up from $500 million", "从20亿美元升至…", "当时公司在C轮融资后估值" (before
# the figure) ...
VALUATION_EARLIER_BEFORE = re.compile(
    r"(?:\b(?:up|down)\s+)?\bfrom\s+(?:[a-z]+\s+)?$|从\s*$|(?:当时|彼时|那时)[^,;。]{0,16}(?:轮|融资)[^,;。]{0,8}$"
)
# ... "valued at $440M only a few months back", "the valuation it had a year earlier" (after)
VALUATION_EARLIER_AFTER = re.compile(
    r"[^,;.]{0,32}?\b(?:days?|weeks?|months?|years?)\s+(?:back|ago|earlier|before)\b"
    r"|[^,;.]{0,24}?\b(?:last|previously|in\s+its\s+(?:previous|prior|last))\b"
    r"|[^,;。]{0,8}?(?:此前|之前|去年|前年|上一轮|上轮)"
)
# a valuation word that names the figure after it: "valuation of $600 million", "估值为"
VALUATION_OF_FIGURE = re.compile(
    r"[a-z\s-]{0,12}?\b(?:of|at)\s+(?:[a-z]+\s+){0,2}(?:us\$|[$€£¥]|\d)|\s*(?:为|是|达|约)"
)
# a multiple between the valuation word and the figure: "valued at 20 times its $50m revenue"
VALUATION_MULTIPLE = re.compile(r"\b(?:times|multiples?)\b|\d\s*x\b|(?<!翻)倍")
# "worth"/"value" after these names no company's value: "$1 trillion market value",
# "assets worth $12 billion", "a stake worth"
VALUATION_NOT_COMPANY_BEFORE = re.compile(
    r"(?:\b(?:market|assets?|stakes?|shares?|holdings?|portfolio|property|estate)\s+|市)$"
)
# a person's 身价 is their wealth: "创始人身价"
VALUATION_PERSON_BEFORE = re.compile(r"(?:创始人|创办人|董事长|首富|本人|个人|夫妇|家族)的?$")
# another company's value: "rival Lumora is valued at", "竞争对手的估值"
VALUATION_RIVAL = re.compile(r"\b(?:rivals?|competitors?)\b|对手|竞品")
# a post-money valuation wins over a pre-money or unqualified one
VALUATION_POST_MONEY = re.compile(r"post-money|post money|投后")

# "closes its $100M fund", "完成5亿元新基金的募集": a figure that sizes a fund is no round
FUND_SIZED_AFTER = re.compile(
    r"\s*(?:(?:new|debut|first|second|third|venture|seed|early-stage|growth|flagship|"
    r"opportunity|dedicated|ai)\s+){0,3}funds?\b|\s*的?(?:新|首期|二期|三期|专项)?基金"
)

# "完成总额1.2亿元的A轮融资", "获得总计5000万元投资": a total right after the verb of this
# raise is the round's own size, not a cumulative one
ROUND_TOTAL_BEFORE = re.compile(r"(?:完成|获得|获|募得|募集|拿下|斩获)(?:了)?\s*$")

# "小冰已是10亿美金公司", "a $1 billion company": a figure that sizes the company is its value
VALUED_COMPANY_AFTER = re.compile(r"\s*(?:的)?(?:公司|企业|独角兽|company|startup|unicorn|firm)")

# -- subject: who raises -------------------------------------------------------------------
# "Tencent has invested $30 million in Vivid", "drew $7m of VC money into Acme"
MONEY_OBJECT = re.compile(
    r"\d[\w.,]*(?:\s+(?:million|billion|thousand|[a-z]+ dollars|euros|yuan))?"
    r"(?:\s+of\s+(?:[A-Za-z]+\s+){0,2}?(?:money|cash|capital|funding|investment))?"
    r"\s+(?:in|into|to)\s+"
)
SAID_IT = re.compile(
    r"\s+(?:said|says|announced|announces|confirmed|told [A-Z][\w ]{0,30}?)\b[^,;]{0,30}?"
    r"\b(?:it|they)(?:\s+(?:has|have|had|was|is|just|now))?\s*$"
)
# a newsletter's digest title: three items or more joined by semicolons or bars
DIGEST_TITLE = re.compile(r"[^;|]+[;|][^;|]+[;|][^;|]+")
DIGEST_SEPARATOR = re.compile(r"[;|]")
# "Runway Gets a Challenger", "Synthesia faces a new rival": the title is about a rival
CHALLENGED = re.compile(
    r"\s+(?:gets|has|faces|meets|sees)\s+(?:a|an|its)\s+(?:new\s+|first\s+|big\s+)?"
    r"(?:challenger|rival|competitor|contender)"
)
# a name introduced by a company noun: "3-D avatar maker DNABlock", "the startup Vidra",
# "a company called Runway"
DESCRIBED_NAME = re.compile(
    r"\b(?:startup|start-up|company|maker|developer|firm|platform|studio|provider)\s+"
    r"(?:called\s+|named\s+|dubbed\s+)?([A-Z][\w.&-]*[A-Za-z0-9](?:\s+[A-Z][\w.&-]*){0,2})"
)
PASSIVE_BY = re.compile(r"\s+by\b")
# a clause that describes the subject by its backers: "获OpenAI高层支持的X", "腾讯投资的X"
BACKED_BY_BEFORE = re.compile(
    r"(?:支持|投资|青睐|加持|孵化|押注|领投|背书|力挺|看好|参投|注资|入股)的"
)
# "Wonder Studios, an AI studio backed by executives from OpenAI, has collected ...": a
# known company inside an apposition's backing phrase backs the subject, it is not the subject
EN_BACKING_APPOSITION = re.compile(
    r"^\s*[A-Z][^,]{0,60},\s+(?:an?|the)\s+[^,]{0,80}?\b(?:backed|supported|funded|"
    r"incubated|advised)\s+by\b[^,]*$"
)
# raise words that are nouns as often as verbs: "融资接连发生" has 融资 as its subject
ZH_NOUN_CUES = ("融资", "募集", "募资", "获投", "启动", "官宣")
# "in the hope that they can compete with OpenAI's model", "rivals such as Runway": a
# company named as the yardstick or rival of the story's subject is not the raiser
RIVAL_BEFORE = re.compile(
    r"\b(?:(?:compete|competes|competing)(?:\s+with)?|rival|rivals|rivalling|rivaling|"
    r"take on|takes on|taking on|challenge|challenges|challenging|against|versus|vs\.?|"
    r"such as|like)\s+$|"
    r"(?:对标|比肩|挑战|对抗|媲美|超越|赶超)$"
)
FORMER = re.compile(r"(?:\bex-|\bformer\s+|\bex\s+|(?<![此之日目提以事眼当空年])前)$")
AFFILIATE = re.compile(
    r"(?:'s\s+)?\s*(?:former\s+)?(?:executives?|execs?|founders?|co-?founders?|alum(?:ni|nus)?|"
    r"veterans?|engineers?|researchers?|employees?|staff(?:ers)?|ceo|cto|rivals?|competitors?|"
    r"challengers?|高管|高层|管理层|创始人|联合创始人|"
    r"前员工|员工|工程师|研究员|负责人|核心成员|团队成员|出身|"
    # "打造OpenAI Sora的对手": the company (or its product) is the yardstick
    r"[^,,。;;、\s]{0,12}?的(?:竞争对手|对手|劲敌|挑战者))"
)
DESCRIPTION_HEAD = re.compile(
    r"(?:[\s「」“”\"'《》]|公司|企业|创企|初创|新创|厂商|平台|品牌|团队|开发商|服务商|"
    r"提供商|工具|应用|的|赛道|领域|行业|工作室|startup|start-up|company|firm|developer|maker|platform|app|tool|"
    r"editor|provider)+",
    re.IGNORECASE,
)

# -- sector --------------------------------------------------------------------------------
# a sentence about the company named before: "Its model ...", "The startup ...", "该公司…"
REFERS_BACK_START = re.compile(
    r"\s*(?:(?:its|it|the (?:company|startup|firm|platform)|this startup)\b|该公司|公司|其|该平台)"
)

# -- veto categories (keywords.yaml `vetoes`) ----------------------------------------------
# a funding cue in the same clause as a clause veto is ignored; title vetoes lower a weak
# story; amount vetoes void an amount right after them.
CLAUSE_VETOES = ("acquisition", "personnel", "stock", "fund_close", "layoff", "ipo", "grant")
TITLE_VETOES = (
    *CLAUSE_VETOES,
    "revenue",
    "compute",
    "launch",
    "market",
    "retrospective",
    "lawsuit",
    "ranking",
)
# a title about an acquisition, a layoff, a hire, a lawsuit or a funding ranking, with no raise of
# its own: the body's raises are background however strong
HARD_TITLE_VETOES = ("acquisition", "personnel", "layoff", "retrospective", "lawsuit", "ranking")
AMOUNT_VETOES = ("revenue", "compute", "market", "grant", "capital")
