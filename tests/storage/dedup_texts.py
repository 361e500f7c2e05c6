"""Test texts for dedup (written for these tests): originals, copies and "spun" rewrites.

A spun rewrite is what content farms publish: the same story with synonyms swapped, a sentence
reordered or dropped, a new title and their own header and footer.
"""

from __future__ import annotations

ZH_ORIGINAL_TITLE = "AI视频生成公司星影科技完成1亿元B轮融资"
ZH_ORIGINAL = (
    "本报讯，专注于AI视频生成的星影科技近日宣布完成1亿元人民币B轮融资，本轮由青松资本领投，"
    "老股东远山创投跟投。星影科技成立于2021年，总部位于杭州，核心产品是一款面向短视频创作者的"
    "文本生成视频工具，用户输入一句描述即可在数十秒内得到一段高清视频。公司创始人李明表示，"
    "本轮资金将主要用于多模态大模型的研发、算力采购以及海外市场的拓展。据介绍，该产品上线一年来"
    "累计注册用户已超过八百万，其中海外用户占比接近六成，月度经常性收入增长了三倍。青松资本合伙人"
    "王芳认为，视频生成正处在从技术演示走向商业落地的关键阶段，星影科技在模型效果和产品体验上"
    "都建立了明显的优势。此前，星影科技曾在2023年获得数千万元的A轮投资。"
)

ZH_SPUN_TITLE = "星影科技拿下1亿元B轮融资 青松资本领投"
ZH_SPUN = (
    "据悉，致力于AI视频生成的星影科技日前宣布完成1亿元人民币B轮融资，此轮由青松资本领投，"
    "老股东远山创投跟投。星影科技创立于2021年，总部设在杭州，主要产品是一款面向短视频创作者的"
    "文本生成视频工具，用户输入一句描述就能在数十秒内获得一段高清视频。公司创始人李明称，"
    "本轮资金将主要用于多模态大模型的研发、算力采购以及海外市场的开拓。据了解，该产品上线一年来"
    "累计注册用户已超过八百万，其中海外用户占比接近六成，月度经常性收入增长了三倍。青松资本合伙人"
    "王芳认为，视频生成正处于从技术演示走向商业落地的关键阶段，星影科技在模型效果和产品体验上"
    "均建立了明显的优势。此前，星影科技曾于2023年获得数千万元的A轮投资。"
)

ZH_BOILERPLATE_HEAD = "首页 > 科技 > 创投快讯 | 今日热点 | 登录 注册\n"
ZH_BOILERPLATE_TAIL = (
    "\n欢迎分享本文，转载请注明出处。原文地址已附于文末。关注我们的公众号获取更多创投资讯。"
)

# Same outlet, same company, a later round: structurally similar, a different story.
ZH_OTHER_ROUND_TITLE = "星影科技完成3亿元C轮融资，红杉领投"
ZH_OTHER_ROUND = (
    "星影科技今天宣布完成3亿元人民币C轮融资，由红杉中国领投，青松资本和远山创投继续加注。"
    "距离上一轮融资仅过去十个月。这家杭州公司去年推出了面向电商商家的商品视频自动生成服务，"
    "目前已有超过两万家店铺付费使用。创始人李明透露，新一轮资金将用于自建训练集群和招募研究人员，"
    "并计划在东南亚设立办公室。红杉中国表示，看好团队在视频生成模型上的持续迭代能力。"
    "根据第三方统计，国内视频生成赛道今年前三季度共发生四十余起融资，总金额超过八十亿元。"
)

ZH_UNRELATED = (
    "本市今年将新建二十座口袋公园，并对老旧小区的雨水管网进行改造。市园林局负责人介绍，"
    "新建公园将优先选址在人口密集、绿地稀缺的街道，每座面积在一千到三千平方米之间，"
    "配套建设儿童游乐设施和健身步道。改造工程预计在明年汛期前全部完工，届时将明显缓解"
    "暴雨天气下的积水问题。市民可通过政务服务平台对选址方案提出意见和建议。"
)

EN_ORIGINAL_TITLE = "Lumenframe raises $40 million Series B for AI video generation"
EN_ORIGINAL = (
    "Lumenframe, a startup that turns text prompts into short video clips, has raised $40 million "
    "in a Series B round led by Harbor Ridge Ventures, with participation from existing investors "
    "Northlight Capital and Copperfield Partners. The company said it will use the money to train "
    "larger video models, expand its research team in London and Toronto, and grow its enterprise "
    "sales. Lumenframe was founded in 2022 by two former graphics researchers and says its tools "
    "are now used by more than three hundred thousand creators and several advertising agencies. "
    "Revenue grew fivefold over the past year, according to chief executive Dana Okafor, who added "
    "that demand from marketing teams has outpaced the company's ability to serve it. The round "
    "values the company at roughly $350 million, people familiar with the deal said."
)

EN_SPUN_TITLE = "AI video startup Lumenframe lands $40M in Series B funding"
EN_SPUN = (
    "Lumenframe, a startup that converts text prompts into short video clips, has secured "
    "$40 million in a Series B round led by Harbor Ridge Ventures, with participation from "
    "existing backers Northlight Capital and Copperfield Partners. The company said it will use "
    "the funds to train larger video models, expand its research team in London and Toronto, and "
    "grow its enterprise sales. Lumenframe was founded in 2022 by two former graphics researchers "
    "and says its tools are now used by over three hundred thousand creators and several "
    "advertising agencies. Revenue grew fivefold over the past year, according to CEO Dana Okafor, "
    "who added that demand from marketing teams has outpaced the company's capacity to serve it. "
    "The round values the company at about $350 million, people familiar with the deal said."
)

EN_OTHER = (
    "Lumenframe today released version three of its video model, which can now generate clips of "
    "up to two minutes with consistent characters across scenes. The update also adds a timeline "
    "editor, support for vertical formats, and an API for developers who want to embed generation "
    "in their own products. Pricing for the professional plan is unchanged. The company did not "
    "disclose new funding and declined to comment on reports of a partnership with a studio."
)
