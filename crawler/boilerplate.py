"""Lines of a generically extracted body that are not the article: related-story teasers,
"read more" links, newsletter and app prompts, share/follow calls (English and Chinese, the
catalog's languages, plus German, French, Spanish and Japanese seen on real pages).

A line is dropped only when it is short and a marker starts it or makes up most of it, so an
article sentence that mentions a newsletter stays.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LINE = 160  # characters: longer lines are article text whatever they contain

_STARTS = re.compile(
    r"^(?:"
    # English
    r"read (?:more|also|next|the full (?:story|article))|related(?: (?:stories|articles|coverage|"
    r"reading|content)|\s*:)|see also|more on this|recommended(?: for you)?|you (?:may|might) also "
    r"like|also read|most (?:read|popular)|trending(?: now)?|sign up (?:for|to)|subscribe (?:to|"
    r"for|now)|get (?:our|the) .{0,40}newsletter|join our .{0,40}(?:newsletter|mailing list)|"
    r"follow us on|share (?:this|on)|click here|continue reading|"
    r"download (?:the|our) app|"
    # Chinese (simplified and traditional)
    r"相关(?:阅读|文章|新闻|推荐|报道)|相關(?:閱讀|文章|新聞|推薦|報導)|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|"
    r"阅读更多|閱讀更多|更多(?:精彩|内容|內容|新闻|新聞|阅读|閱讀)|点击(?:阅读|查看|进入|关注)|點擊|"
    r"扫码|掃碼|扫描二维码|長按|长按|关注(?:我们|公众号)|關注我們|订阅(?:我们|本刊)|訂閱我們|"
    r"下载(?:APP|app|客户端)|下載(?:APP|app)|责任编辑|責任編輯|往期回顾|往期回顧|猜你喜欢|猜你喜歡|"
    r"热门(?:文章|推荐)|熱門(?:文章|推薦)|"
    # German, French, Spanish
    r"mehr zum thema|lesen sie (?:auch|mehr)|weiterlesen|auch interessant|newsletter abonnieren|"
    r"lire (?:aussi|la suite)|à lire aussi|abonnez-vous|inscrivez-vous|"
    r"lee (?:también|más)|leer más|suscríbete|te puede interesar|"
    # Japanese
    r"関連記事|あわせて読みたい|続きを読む|もっと見る|こちらもおすすめ"
    r")(?:\b|(?<=[^\x00-\x7f]))",
    re.IGNORECASE,
)
_WHOLE = re.compile(
    r"newsletter|subscribe|sign up|read more|weiterlesen|阅读原文|閱讀原文|点击阅读|点此|"
    r"原标题|原標題",
    re.IGNORECASE,
)


_ONLY = re.compile(
    r"(?:advertisement|sponsored|anzeige|werbung|publicité|publicidad|广告|廣告|広告)[\s:：]*",
    re.IGNORECASE,
)


def is_boilerplate(line: str) -> bool:
    text = unicodedata.normalize("NFKC", line).strip().lstrip("»›>•·-–—*[【(（ ")
    if not text or len(text) > MAX_LINE:
        return False
    if _STARTS.match(text) or _ONLY.fullmatch(text):
        return True
    # a short line that is mostly a marker ("Newsletter", "Read more »")
    found = _WHOLE.search(text)
    return bool(found) and len(found.group(0)) >= 0.5 * len(text.rstrip(" »›>.:：…"))


def drop_boilerplate_lines(text: str) -> str:
    """The text without teaser / "read more" / newsletter lines (other lines untouched)."""
    return "\n".join(line for line in text.split("\n") if not is_boilerplate(line))
