"""Which encoding a page is in, from its bytes, the server's header and the page's own <meta>.

Used alike by the crawl (Scrapy responses), `fundwatch preview` and `fundwatch add` (httpx
responses), so all three read a page the same way. The order:

1. the catalog entry's `encoding:` override;
2. a byte-order mark;
3. UTF-8, when the bytes hold non-ASCII text that is valid UTF-8: legacy text (GBK, Big5,
   Latin-1) almost never forms valid UTF-8 by chance, so a stale `<meta charset=gbk>` or a
   blanket `charset=gbk` header on a UTF-8 page loses;
4. when the header and the page's `<meta charset>` / `<meta http-equiv>` name different
   encodings and the bytes decode under both, the one whose text holds fewer unlikely
   characters (symbols, box drawing, bopomofo, Cyrillic amid Chinese, an ideograph between
   two Latin letters: what a wrong decoding makes), the <meta> on a tie. A single-byte header
   (Latin-1, cp1252) decodes any bytes and a Big5 page decodes as GBK, so "it decodes" cannot
   tell them apart; the header is often the server's blanket setting (`ISO-8859-1` or
   `gb2312` for every page) while the <meta> was written for this page;
5. else the first of header, <meta>, UTF-8, GB18030 under which the bytes decode (Chinese
   pages without any declaration are GB18030 more often than anything else);
6. failing all, the declared encoding with invalid bytes replaced.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

_UTF8 = "utf-8"


def _name(encoding: str | None) -> str | None:
    """The codec Python uses for an encoding label (gb2312 -> gb18030, big5 -> big5hkscs)."""
    if not encoding:
        return None
    resolved = resolve_encoding(encoding) or encoding
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None


def decodes(body: bytes, encoding: str) -> bool:
    name = _name(encoding)
    if name is None:
        return False
    try:
        body.decode(name)
    except UnicodeDecodeError:
        return False
    return True


def _unlikely(char: str) -> bool:
    """A character that text rarely holds but a wrong decoding often makes."""
    code = ord(char)
    if code < 0x80 or 0x4E00 <= code <= 0x9FFF:  # ASCII, CJK ideographs
        return False
    if 0x3000 <= code <= 0x30FF or 0xFF00 <= code <= 0xFFEF or 0x2000 <= code <= 0x206F:
        return False  # CJK punctuation and kana, full-width forms, quotes and dashes
    if 0xAC00 <= code <= 0xD7AF:  # Hangul
        return False
    return not (code < 0x250 and unicodedata.category(char).startswith("L"))  # Latin letters


_SANDWICHED = re.compile(r"(?<=[A-Za-z])[\u4e00-\u9fff](?=[A-Za-z])")  # "Zo雝rope": é+t as GBK


def unlikely_count(text: str) -> int:
    """Characters a wrong decoding makes: unlikely ones, and an ideograph between two Latin
    letters (a Latin-1 letter and the next byte read as one GBK character)."""
    return sum(1 for char in text if _unlikely(char)) + len(_SANDWICHED.findall(text))


def choose_encoding(body: bytes, header: str | None, meta: str | None) -> str | None:
    """The encoding to read `body` in (steps 3-6 above; None: nothing declared or decodable)."""
    header_name, meta_name = _name(header), _name(meta)
    if not body.isascii() and decodes(body, _UTF8):
        return _UTF8
    if header_name and meta_name and header_name != meta_name and decodes(body, meta_name):
        if not decodes(body, header_name):
            return meta_name
        as_header = unlikely_count(body.decode(header_name))
        return header_name if as_header < unlikely_count(body.decode(meta_name)) else meta_name
    for encoding in dict.fromkeys(e for e in (header_name, meta_name, _UTF8, "gb18030") if e):
        if decodes(body, encoding):
            return encoding
    return header_name or meta_name


def page_encoding(body: bytes, content_type: str | None, override: str | None = None) -> str:
    """The encoding of a page fetched with this Content-Type header (steps 1-6)."""
    if override:
        return _name(override) or override
    bom, _ = read_bom(body)
    if bom:
        return bom
    header = http_content_type_encoding(content_type) if content_type else None
    meta = html_body_declared_encoding(body)
    return choose_encoding(body, header, meta) or _UTF8


def page_text(body: bytes, content_type: str | None, override: str | None = None) -> str:
    """The page as text (a byte-order mark dropped, invalid bytes replaced)."""
    encoding = page_encoding(body, content_type, override)
    bom, length = read_bom(body)
    if bom:
        body = body[length:]
    return body.decode(_name(encoding) or _UTF8, errors="replace")
