"""End-to-end decisions on hand-written texts (simplified, traditional Chinese, English)."""

from __future__ import annotations

import json

from fundwatch.detection import Detection, Detector


def test_simplified_chinese_raise(detector: Detector) -> None:
    result = detector.detect(
        "AI视频生成公司「光影跃动」完成1.5亿元A+轮融资",
        "36氪获悉,AI视频生成公司「光影跃动」近日宣布完成1.5亿元人民币A+轮融资,"
        "本轮融资由星河资本领投,青松创投、远山基金跟投。光影跃动成立于2023年,"
        "主要产品为文生视频模型。",
    )
    assert result.flag and result.is_funding and result.is_ai_video
    assert result.company == "光影跃动"
    assert (result.amount, result.currency, result.round) == (150_000_000, "CNY", "A+")
    assert result.lead_investors == ["星河资本"]
    assert result.investors == ["星河资本", "青松创投", "远山基金"]
    assert result.amount_usd is not None and 15_000_000 < result.amount_usd < 30_000_000
    assert any(m.startswith("ai_video:") for m in result.matched)


def test_traditional_chinese_raise(detector: Detector) -> None:
    result = detector.detect(
        "數字人公司幻影科技完成數千萬元天使輪融資",
        "數字人公司幻影科技宣布完成數千萬元人民幣天使輪融資,由北辰創投領投。",
    )
    assert result.flag
    assert result.company == "幻影科技"
    assert result.amount is None and result.currency == "CNY" and result.amount_approximate
    assert result.round == "angel"
    assert result.lead_investors == ["北辰創投"]


def test_english_raise_with_valuation_and_investors(detector: Detector) -> None:
    result = detector.detect(
        "Framewell raises $45 million for its text-to-video model",
        "Framewell, a San Francisco startup that turns scripts into video, has raised $45 "
        "million in a Series B round led by Northstar Ventures with participation from "
        "Bluebird Capital and Quarry Partners. The round values the company at $600 million.",
    )
    assert result.flag
    assert result.company == "Framewell"
    assert (result.amount, result.currency, result.round) == (45_000_000, "USD", "B")
    assert result.valuation_usd == 600_000_000
    assert result.lead_investors == ["Northstar Ventures"]
    assert result.investors == ["Northstar Ventures", "Bluebird Capital", "Quarry Partners"]


def test_known_alias_in_mixed_script(detector: Detector) -> None:
    result = detector.detect(
        "PixVerse母公司愛詩科技完成新一輪融資",
        "愛詩科技宣布完成B輪融資,投後估值達5億美元。",
    )
    assert result.flag
    assert detector.company_key(result.company or "") == "aisphere"
    assert result.round == "B"
    assert result.valuation_usd == 500_000_000


def test_in_talks_counts_as_funding(detector: Detector) -> None:
    result = detector.detect(
        "Avatar maker Mirrorly in talks to raise new funding",
        "Mirrorly, which builds AI avatars for sales teams, is in talks to raise funds at a "
        "valuation that could reach $1 billion, people familiar said.",
    )
    assert result.is_funding and result.flag
    assert result.valuation_usd is None  # hypothetical valuation
    assert result.round == "undisclosed"


def test_roundup_uses_first_named_raise(detector: Detector) -> None:
    result = detector.detect(
        "本周AI视频赛道三笔融资",
        "本周共有3家AI视频生成公司获得融资。幻影科技完成3000万美元A轮融资;"
        "流光智能完成1亿元人民币天使轮融资。",
    )
    assert result.flag
    assert result.company == "幻影科技"
    assert (result.amount, result.currency, result.round) == (30_000_000, "USD", "A")


def test_cumulative_total_is_not_the_round_amount(detector: Detector) -> None:
    result = detector.detect(
        "幻影科技完成B轮融资",
        "数字人公司幻影科技完成B轮融资,累计融资金额超5亿元。",
    )
    assert result.flag
    assert result.amount is None and result.round == "B"


# -- hard negatives -------------------------------------------------------------------------


def test_product_launch(detector: Detector) -> None:
    result = detector.detect(
        "Framewell launches a new text-to-video model",
        "Framewell unveiled its second video generation model on Tuesday, with longer clips.",
    )
    assert not result.is_funding and not result.flag
    assert result.is_ai_video


def test_acquisition_with_background_raise(detector: Detector) -> None:
    result = detector.detect(
        "Northgate acquires AI video startup Framewell",
        "Northgate has acquired Framewell, a video generation startup, for an undisclosed "
        "sum. Framewell raised $12 million in seed funding last year.",
    )
    assert not result.is_funding and not result.flag


def test_hiring_story(detector: Detector) -> None:
    result = detector.detect(
        "Big tech hires the founders of an AI video startup",
        "A large tech company hired the two cofounders of Framewell, an AI video generation "
        "startup that previously raised $20 million from investors.",
    )
    assert not result.flag


def test_arr_story(detector: Detector) -> None:
    result = detector.detect(
        "HeyGen passes $100M ARR",
        "The AI avatar company HeyGen said its annual recurring revenue passed $100 million.",
    )
    assert not result.is_funding and result.is_ai_video


def test_stock_move(detector: Detector) -> None:
    result = detector.detect(
        "AI视频概念股集体涨停",
        "受AI视频生成消息刺激,多只概念股盘中涨停,某公司股价创出新高,市值突破200亿元。",
    )
    assert not result.is_funding and not result.flag


def test_gpu_cost(detector: Detector) -> None:
    result = detector.detect(
        "视频大模型的算力账",
        "训练一个视频生成模型需要上万张GPU,光芯片就值4.4亿美元,推理成本更高。",
    )
    assert not result.is_funding and not result.flag


def test_market_total(detector: Detector) -> None:
    result = detector.detect(
        "AI video investments hit a record",
        "Investors poured a total of $2.1 billion into 45 AI video deals worth more than "
        "the previous year combined, a new report tracked.",
    )
    assert not result.flag


def test_valuation_without_raise(detector: Detector) -> None:
    result = detector.detect(
        "这家数字人公司估值超10亿",
        "幻影科技的数字人产品用户数突破千万,业内人士估计其估值已超10亿元。",
    )
    assert not result.is_funding and not result.flag


def test_llm_raise_is_funding_but_not_video(detector: Detector) -> None:
    result = detector.detect(
        "智譜完成新一輪融資",
        "大模型公司智譜宣布完成新一輪融資,金額約30億元人民幣。",
    )
    assert result.is_funding and not result.is_ai_video and not result.flag


def test_unknown_llm_company_raise(detector: Detector) -> None:
    result = detector.detect(
        "Chatwise raises $30 million for its LLM chatbot",
        "Chatwise, which builds a large language model chatbot for banks, raised $30 million.",
    )
    assert result.is_funding and not result.flag


def test_robotics_raise(detector: Detector) -> None:
    result = detector.detect(
        "人形机器人公司铁甲动力完成2亿元A轮融资",
        "人形机器人公司铁甲动力完成2亿元A轮融资,资金将用于机器人量产。",
    )
    assert result.is_funding and not result.is_ai_video and not result.flag


def test_past_raise_as_background(detector: Detector) -> None:
    result = detector.detect(
        "Framewell opens a London office",
        "Framewell, the AI video generation startup, opened an office in London. The company "
        "raised $25 million last year.",
    )
    assert not result.is_funding


def test_empty_text(detector: Detector) -> None:
    result = detector.detect("", "")
    assert isinstance(result, Detection)
    assert not result.flag and result.matched == []


def test_to_dict_is_json_ready(detector: Detector) -> None:
    result = detector.detect("幻影科技完成1亿元A轮融资", "数字人公司幻影科技完成1亿元A轮融资。")
    data = result.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["flag"] is True and data["amount"] == 100_000_000


def test_deterministic_on_many_inputs(detector: Detector) -> None:
    # property: any mix of vocabulary never raises and flag always equals both booleans
    pieces = [
        "融资",
        "raised",
        "$5 million",
        "A轮",
        "视频生成",
        "acquired",
        "估值",
        "去年",
        "led by Northstar",
        "数字人",
        "1亿元",
        ",",
        "。",
        "Series B",
        "LLM",
        "(",
        ")",
    ]
    for i in range(300):
        words = [pieces[(i * 7 + j * 3) % len(pieces)] for j in range(i % 11)]
        result = detector.detect(" ".join(words[:3]), " ".join(words))
        assert result.flag == (result.is_funding and result.is_ai_video)
        assert 0.0 <= result.score <= 1.0


def test_english_variants(detector: Detector) -> None:
    cases = [
        (
            "Clipforge nabs $12M for AI video editing",
            "Clipforge, a startup that uses AI to edit "
            "video, has raised $12 million in seed funding led by Alpine Ventures.",
            ("Clipforge", 12_000_000, "seed", ["Alpine Ventures"]),
        ),
        (
            "Tencent invests in AI video startup Vivid",
            "Tencent has invested $30 million in Vivid, an AI video generation startup.",
            ("Vivid", 30_000_000, "undisclosed", []),
        ),
        (
            "Motionly secures €8m seed round",
            "Paris-based Motionly, which makes a generative video model, secured €8 million.",
            ("Motionly", 8_000_000, "seed", []),
        ),
    ]
    for title, text, (company, amount, round_name, leads) in cases:
        result = detector.detect(title, text)
        assert result.flag, title
        assert (result.company, result.amount, result.round) == (company, amount, round_name)
        assert result.lead_investors == leads


def test_traditional_investor_list_drops_generic_shareholders(detector: Detector) -> None:
    result = detector.detect(
        "數字人企業光語科技獲得億元級B輪融資",
        "光語科技日前宣布獲得億元級B輪融資,由北辰創投以及南山資本領投,老股東繼續追投。",
    )
    assert result.lead_investors == ["北辰創投", "南山資本"]
    assert result.investors == ["北辰創投", "南山資本"]
    assert (result.amount, result.amount_approximate) == (100_000_000, True)
