"""Raises told in many forms are flagged with their company, amount, currency and round.

One invented case per form the detector learned from the blind-written sets
(fixtures/blind_corpus.jsonl); texts are written for this test, company names are invented.
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector
from tests.detection.form_checks import check_raise

# (title, text, company)
RAISES_WITH_COMPANY = [
    # a subject verb prefers the name before it over a known rival after it
    ("Berlin's Klipp closes €12m Series A to take on Runway",
     "Klipp builds generative video tools for broadcasters.", "Klipp"),
    # "X launches Y and announces $22M": X raises
    ("Storyvolt launches Director mode and announces $22 million Series A",
     "The launch comes as the company announced a $22 million Series A led by Lux Capital. "
     "Storyvolt makes a video generation model for filmmakers.", "Storyvolt"),
    # an object verb with no known company after it: the object, not the known investor
    ("OpenAI in talks to invest in AI video startup Vantic",
     "OpenAI is in talks to invest in Vantic, a text-to-video startup, as part of a $60 million "
     "round.", "Vantic"),
    # "backed by X" is passive
    ("NVIDIA-backed Vidflow closes oversubscribed Series A",
     "Vidflow, the AI video generation company backed by NVentures, announced today the close "
     "of an oversubscribed $28 million Series A round led by Accel.", "Vidflow"),
    # an investor-named subject investing is a raise without an amount
    ("Adobe Ventures invests in AI video startup Kinora",
     "Adobe Ventures has made an investment in Kinora, an AI video startup.", "Kinora"),
    ("Persona Forge taps Tiger Global for $40M",
     "Digital human developer Persona Forge has tapped Tiger Global for $40 million in fresh "
     "funding.", "Persona Forge"),
    ("ScriptReel emerges from stealth with $7M",
     "ScriptReel, which turns scripts into animated storyboards and short videos, emerged from "
     "stealth with $7 million in funding from Greylock.", "ScriptReel"),
    # 获得X投资 without an amount; Taiwanese video words
    ("數位分身新創獲日本軟銀投資",
     "台灣數位分身新創「分身工坊」宣布獲得日本軟銀集團旗下基金投資,金額未公開。分身工坊可產出AI虛擬主播影片。",
     "分身工坊"),
    ("AI影音新創「映趣」獲3,000萬元天使輪投資",
     "映趣宣布獲得新台幣3,000萬元天使輪投資。映趣利用生成式AI協助網紅自動剪輯短影音。", "映趣"),
    # a name never holds an amount; names may start with 无
    ("港科大團隊創辦AI視頻公司 完成千萬美元融資",
     "AI視頻生成公司「幻維」宣布完成千萬美元級別的天使輪融資。", "幻維"),
    ("无界帧完成600万美元种子轮融资",
     "视频基础模型公司无界帧完成600万美元种子轮融资,小米前高管个人跟投。", "无界帧"),
]  # fmt: skip

# (title, text, company, amount, currency, round)
RAISES_WITH_FIELDS = [
    # "X said Monday it has raised": "it" is the subject of "said"
    ("Seoul video startup closes Series B",
     "South Korean AI video generation startup Clipyeon said Monday it has raised 9 billion won "
     "in a Series B round led by Mirae Asset.", "Clipyeon", 9_000_000_000, "KRW", "B"),
    # "the company announced it has closed": the known company the title is about
    ("HeyGen CEO on life after the avatar boom",
     "Joshua Xu talked about the next product. The company this week announced it has closed a "
     "$75 million Series B led by Benchmark.", "HeyGen", 75_000_000, "USD", "B"),
    # 战略投资 + quoted object; 注册资本 in a registry change is not the round's amount
    ("网易战略投资AI视频公司「镜语」",
     "企查查显示，北京镜语科技有限公司新增股东网易，注册资本由 100 万元增至 112 万元。镜语科技"
     "确认已获得网易的战略投资，金额未披露。镜语主打文生视频。", "镜语", None, None, "strategic"),
    # "这笔钱" is not a deal count
    ("对话「光迹」创始人",
     "就在上个月，光迹科技刚刚完成了由启明创投领投、高榕创投跟投的 2 亿元 B 轮融资，这笔钱将投入"
     "视频生成模型的训练。", "光迹科技", 200_000_000, "CNY", "B"),
    # a bracketed English name followed by a time word
    ("港產AI視頻初創獲投",
     "本地 AI 視頻生成初創「影港智能」(HKFrame AI)昨日宣布,完成 3000 萬港元 A 輪融資,由維港投資"
     "領投,多名天使投資人參投。", "影港智能", 30_000_000, "HKD", "A"),
    # "a funding round worth several hundred million yuan" is the round's size (vague: no
    # figure, the currency stays), not a valuation
    ("Chinese AI video developer raises funds",
     "BEIJING (Reuters) - Kuangying Technology, the Chinese developer of a video generation "
     "model, has completed a new funding round worth several hundred million yuan, led by Baidu "
     "Ventures, it said on Wednesday.", "Kuangying Technology", None, "CNY", "undisclosed"),
    # "at $1 billion value" in a wire title is a valuation, not the amount
    ("AI Video Startup Castor Is Said to Seek Funding at $1 Billion Value",
     "(Bloomberg) -- Castor Inc., a startup that makes AI-generated character videos, is seeking "
     "to raise funds at a valuation of about $1 billion, according to people familiar with the "
     "matter.", "Castor", None, None, "undisclosed"),
    # ... but under a raise title the month dates the news
    ("Clipnova raises $50 million Series A",
     "Clipnova, an AI video generation app, raised $50 million in a Series A in September, the "
     "company said on Monday.", "Clipnova", 50_000_000, "USD", "A"),
    # a time word between the name and the verb is no part of the name
    ("幻影AI完成1亿元A轮融资", "AI视频生成公司幻影今年初完成了1亿元A轮融资，由红杉领投。",
     "幻影", 100_000_000, "CNY", "A"),
    # what the money is for ("plans to acquire") is no acquisition story
    ("AI video startup raises $40M to fund acquisitions",
     "Vidora, an AI video generation startup, has raised $40 million in a Series B led by Accel "
     "and plans to acquire smaller rivals.", "Vidora", 40_000_000, "USD", "B"),
    # a title that tells a raise and a hire in one clause still tells a raise
    ("Seoul video startup gets $10M as it hires ex-Naver staff",
     "Vidkor, an AI video generation startup, said on Monday it has raised $10 million in a "
     "Series A.", "Vidkor", 10_000_000, "USD", "A"),
    # Taiwanese usage: 策略投資 (strategic investment), a 今(3)日 date before the verb
    ("這家台灣AI影片新創,剛拿到日本大廠投資",
     "台灣 AI 影片生成新創「動景科技」今(3)日宣布,獲得日本 KDDI Open Innovation Fund 策略投資,"
     "金額未揭露。", "動景科技", None, None, "strategic"),
    # a bridge round is named; "Series C next year" is not this round
    ("Motionlab secures $15 million bridge round",
     "Motionlab, an AI video generation startup, has secured a $15 million bridge round from "
     "existing investors as it prepares to raise a larger Series C next year.",
     "Motionlab", 15_000_000, "USD", "bridge"),
    # "received an undisclosed investment from": a raise without an amount; "Kling rival"
    # describes the raiser, it does not name it
    (
        "Kling rival Vidmo gets backing from Tencent",
        "Vidmo, a Shenzhen text-to-video startup, has received an undisclosed investment from "
        "Tencent, according to business registry records.",
        "Vidmo",
        None,
        None,
        "undisclosed",
    ),
    # a weak title verb with a money word or an investor still tells the raise
    (
        "Clipnova picks up cash from Elevate Ventures",
        "Clipnova, which generates AI video clips, picked up $6 million from Elevate Ventures in "
        "March, it disclosed on Tuesday.",
        "Clipnova",
        6_000_000,
        "USD",
        "undisclosed",
    ),
    (
        "影途科技获腾讯投资",
        "AI视频生成公司影途科技今年初获得腾讯投资,具体金额未披露。",
        "影途科技",
        None,
        None,
        "undisclosed",
    ),
    # "Runway rival Vidmo": the rival describes the raiser, it is not the raiser
    (
        "Runway rival Vidmo raises $20M Series A",
        "The Shenzhen text-to-video startup raised $20 million in a Series A led by Tencent.",
        "Vidmo",
        20_000_000,
        "USD",
        "A",
    ),
    # a year date does not make the raise history when the title tells the raise
    (
        "Reelwise raises $18M Series A for text-to-video ads",
        "Reelwise, which turns product photos into video ads with a text-to-video model, raised "
        "$18 million in a Series A led by Hillcrest Ventures. Reelwise was founded in 2023.",
        "Reelwise",
        18_000_000,
        "USD",
        "A",
    ),
    # from blind batch 7 (real news reworded): "The UK AI video generation company" (five
    # descriptive words) refers back to the company the text named
    ("The big moment of Lumaro Studio",
     "That is where Lumaro Studio just made its biggest move. The UK AI video generation "
     "company has closed a $30 million funding round led by Index Ventures.",
     "Lumaro Studio", 30_000_000, "USD", "undisclosed"),
    # a company named as the yardstick ("compete with OpenAI's model") is not the raiser
    ("Chinese text-to-video startups line up funding",
     "Venture money is pouring into young video-generation startups, with investors committing "
     "hundreds of millions of yuan in the hope that they can compete with OpenAI's Sora. "
     "Beijing-based Yingshu Technology said it raised several hundred million yuan in its "
     "latest round, led by Qiming Venture Partners.",
     "Yingshu Technology", None, "CNY", "undisclosed"),
    # "单笔融资额的新高" is a record for one deal, not a deal count; a registered name's place
    # of registration is not part of the name
    ("AI视频赛道再迎大额融资",
     "北京影帆科技有限公司正式宣布,已完成5000万美元(约合人民币3.6亿元)的B轮融资,创下国内视频"
     "生成领域单笔融资额的新高。", "影帆科技", 50_000_000, "USD", "B"),
    # a fund named as the investor ("from Northwind's Opportunity Fund") is no fund close
    ("Avatar video startup Facelane lands seed funding",
     "Facelane, an AI avatar video startup, said it had secured $2 million in seed funding from "
     "Northwind's diversity-focused Opportunity Fund and two angels.",
     "Facelane", 2_000_000, "USD", "seed"),
    # "the startup said it had secured": the name the body introduced with a company noun
    ("Digital doubles for every brand",
     "LONDON - Brands will soon speak through digital doubles, says the CEO of AI avatar video "
     "maker Twinreel. On Tuesday the startup said it had secured $4 million in seed funding from "
     "Hillcrest Ventures.", "Twinreel", 4_000_000, "USD", "seed"),
    # "The company recently opened a round and raised": the company the title's verb names
    ("Snap invests in talking-avatar startup Mimicly",
     "Mimicly turns selfies into talking AI avatar videos. The company recently opened a round "
     "and raised US$ 5 million, part of it from Snap.",
     "Mimicly", 5_000_000, "USD", "undisclosed"),
    # the round between the name and the verb ("Vidora種子輪募得") is no part of the name
    ("AI影片新創Vidora種子輪募得300萬美元",
     "該公司利用生成式AI為品牌製作短影音廣告。", "Vidora", 3_000_000, "USD", "seed"),
    # "還沒拿到天使投資時" is a time before any raise; "就在最近" dates the new round
    ("專訪影幕創辦人:影片大模型在中國有機會",
     "影幕科技做AI影片生成。在影幕科技還沒拿到天使投資時,創辦人就被一位投資人勸退。創業一年後,他讀到一篇文章。"
     "他說自己一點也不意外。他依然堅持自己的判斷。短影片在中國有很好的用戶基礎。"
     "就在最近,影幕科技拿到了億級人民幣的A1輪融資,由達晨財智領投。",
     "影幕科技", 100_000_000, "CNY", "A1"),
    # a founder raises "for his ... startup, Name": the startup, not the founder, is the raiser
    ("Avatar calls get a new backer",
     "Dana Holt appears on the call as a cartoon fox. Holt has raised $4.2 million for her "
     "Austin startup, Mirrorpeak, which animates avatars from a webcam feed in live video.",
     "Mirrorpeak", 4_200_000, "USD", "undisclosed"),
    # Taiwanese press says 對嘴 for lip-sync, and 加幣 for Canadian dollars
    ("歌影募得850萬加幣",
     "多倫多新創歌影宣布募得850萬加幣,由楓林資本領投。歌影的應用能讓用戶上傳自拍,"
     "做出自己對嘴演唱歌曲的短片。",
     "歌影", 8_500_000, "CAD", "undisclosed"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "text", "company"), RAISES_WITH_COMPANY)
def test_raise_is_flagged_with_its_company(
    detector: Detector, title: str, text: str, company: str
) -> None:
    result = detector.detect(title, text)
    assert result.flag, result.matched
    assert detector.company_key(result.company or "") == detector.company_key(company)


@pytest.mark.parametrize(
    ("title", "text", "company", "amount", "currency", "round_"), RAISES_WITH_FIELDS
)
def test_raise_is_flagged_with_its_fields(
    detector: Detector,
    title: str,
    text: str,
    company: str,
    amount: int | None,
    currency: str | None,
    round_: str,
) -> None:
    check_raise(detector, title, text, company, amount, currency, round_)


def test_audio_startup_saying_it_has_no_video_product_is_not_ai_video(detector: Detector) -> None:
    result = detector.detect(
        "AI語音新創聲紋獲2000萬美元A輪",
        "AI語音合成新創「聲紋智能」宣布完成2,000萬美元A輪融資。公司強調暫無影片生成的產品規劃。",
    )
    assert result.is_funding and not result.is_ai_video, result.matched


def test_named_currency_beats_plain_yuan_of_the_same_amount(detector: Detector) -> None:
    result = detector.detect(
        "虛擬主播新創鏡界完成種子輪募資5000萬元",
        "虛擬主播新創「鏡界AI」宣布完成種子輪募資,金額達新台幣5000萬元。鏡界AI產出數位分身影片。",
    )
    assert (result.amount, result.currency) == (50_000_000, "TWD")


def test_roundup_title_names_count_only_for_their_own_sector(detector: Detector) -> None:
    result = detector.detect(
        "This week in AI funding: Motionary, Quillstack, Borealis Robotics",
        "Motionary, a startup building a video foundation model for game studios, raised $22 "
        "million in a Series A led by a16z.",
    )
    assert result.flag and result.company == "Motionary"


def test_three_d_avatar_maker_raise_is_not_ai_video(detector: Detector) -> None:
    """A 3-D avatar maker for the metaverse is 3D-only: funding, not AI video."""
    d = detector.detect(
        "Polymo raises $2 million seed for metaverse avatars",
        "Polymo, a 3-D avatar maker, raised $2 million in seed funding to let people build "
        "avatars for games and the metaverse.",
    )
    assert d.is_funding and not d.is_ai_video, d.matched
