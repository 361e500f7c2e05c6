"""Formulaic funding briefs (written for these tests): one template per language, filled in
with different companies, so that two briefs of different rounds lie within near-duplicate
distance of each other, plus reworded reposts of one brief (the same round)."""

from __future__ import annotations

from dataclasses import dataclass

EN_TITLE = "{company} raises {amount} {round} for AI video generation"
EN_BODY = (
    "{company}, a startup building AI video generation tools for marketing teams, has raised "
    "{amount} in a {round} round led by {lead}, with participation from existing investors. "
    "The company said it will use the funds to expand its research team and grow its customer "
    "base in North America and Europe. Founded in 2023, {company} lets users turn scripts into "
    "short videos with generated footage and presenters."
)
EN_REPOST_TITLE = "AI video startup {company} secures {amount} {round}"
EN_REPOST_BODY = (
    "Tech Wire | Funding roundup. {company}, a young company making AI video generation tools "
    "for marketing teams, has raised {amount} in a {round} round led by {lead}, joined by "
    "existing investors. The company said the money will go to expanding its research team and "
    "growing its customer base in North America and Europe. Founded in 2023, {company} lets "
    "people turn scripts into short videos with generated footage and presenters. "
    "Subscribe to Tech Wire for daily funding news."
)

ZH_TITLE = "{company}完成{amount}{round}融资,{lead}领投"
ZH_BODY = (
    "36氪获悉,AI视频生成公司{company}近日完成{amount}{round}融资,本轮由{lead}领投,老股东继续"
    "跟投。本轮融资将主要用于模型研发、团队扩充和海外市场拓展。{company}成立于2023年,专注于AI"
    "视频生成技术,为电商和品牌客户提供从脚本到成片的视频创作工具。"
)
ZH_REPOST_TITLE = "AI视频生成公司{company}获{amount}{round}融资"
ZH_REPOST_BODY = (
    "投资界消息,AI视频生成公司{company}日前完成{amount}{round}融资,本轮由{lead}领投,老股东继续"
    "跟投。本轮资金将主要用于模型研发、团队扩充和海外市场拓展。{company}成立于2023年,专注于AI"
    "视频生成技术,为电商和品牌客户提供从脚本到成片的视频创作工具。(来源:投资界)"
)


@dataclass(frozen=True)
class Brief:
    company: str
    amount: str
    round: str
    lead: str
    chinese: bool = False

    def text(self, repost: bool = False) -> tuple[str, str]:
        """(title, body) of the brief, or of a reworded repost of it."""
        if self.chinese:
            title, body = (ZH_REPOST_TITLE, ZH_REPOST_BODY) if repost else (ZH_TITLE, ZH_BODY)
        else:
            title, body = (EN_REPOST_TITLE, EN_REPOST_BODY) if repost else (EN_TITLE, EN_BODY)
        fields = vars(self)
        return title.format(**fields), body.format(**fields)


ENGLISH_BRIEFS = (
    Brief("Yarvid", "$22 million", "pre-Series A", "Stonebridge Capital"),
    Brief("Fenvid", "$36 million", "Series A", "Redpine Capital"),
    Brief("Lumaro", "$15 million", "seed", "Northgate Ventures"),
)
CHINESE_BRIEFS = (
    Brief("影途科技", "8000万元", "A轮", "红杉中国", chinese=True),
    Brief("幻帧智能", "1亿元", "B轮", "高瓴创投", chinese=True),
    Brief("星绘AI", "5000万元", "Pre-A轮", "启明创投", chinese=True),
)
