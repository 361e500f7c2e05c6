"""Which encoding a page is in, from its bytes, the server's header and the page's own <meta>.

Used alike by the crawl (Scrapy responses), `fundwatch preview` and `fundwatch add` (httpx
responses), so all three read a page the same way. The order:

1. the catalog entry's `encoding:` override;
2. a byte-order mark;
3. UTF-8, when the bytes are valid UTF-8 and either the header or the page says UTF-8 (legacy
   multi-byte text almost never forms valid UTF-8 by chance: a stale `<meta charset=gbk>` on a
   UTF-8 page loses);
4. the page's `<meta charset>` / `<meta http-equiv>` when the header names another encoding
   and the bytes decode under both: the header is the server's blanket setting
   (`ISO-8859-1` or `gb2312` for every page), the <meta> was written for this page. A
   single-byte header (Latin-1, cp1252) decodes any bytes, and a Big5 page decodes as GBK, so
   "it decodes" cannot tell them apart;
5. else the first of header, <meta>, UTF-8, GB18030 under which the bytes decode (Chinese
   pages without any declaration are GB18030 more often than anything else);
6. failing all, the declared encoding with invalid bytes replaced.
"""

from __future__ import annotations

import codecs

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


def choose_encoding(body: bytes, header: str | None, meta: str | None) -> str | None:
    """The encoding to read `body` in (steps 3-6 above; None: nothing declared or decodable)."""
    header_name, meta_name = _name(header), _name(meta)
    if _UTF8 in (header_name, meta_name) and decodes(body, _UTF8):
        return _UTF8
    if header_name and meta_name and header_name != meta_name and decodes(body, meta_name):
        return meta_name
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
