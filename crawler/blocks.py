"""Join an article split into blocks (between ad slots, related-story boxes): generic
extraction often keeps only the first block. Paragraphs of the page that look exactly like the
extracted ones (same tag and class) but were left out are put back where they stand."""

from __future__ import annotations

from collections import Counter

from lxml import etree

from fundwatch.crawler.titles import fold

MIN_LINE = 40  # characters: shorter paragraphs are not brought back
MIN_MATCHED = 2  # extracted paragraphs that must share a signature before it is trusted


def _signature(element: etree._Element) -> tuple[str, str] | None:
    tag = element.tag if isinstance(element.tag, str) else ""
    classes = " ".join(sorted((element.get("class") or "").split()))
    if tag not in ("p", "div", "blockquote") or not classes:
        return None
    return tag, classes


def _parent_key(element: etree._Element) -> tuple[str, str]:
    parent = element.getparent()
    if parent is None:
        return "", ""
    return str(parent.tag), " ".join(sorted((parent.get("class") or "").split()))


def _reads_as_prose(text: str) -> bool:
    """A paragraph, not a teaser headline: it ends as a sentence ends, or is long."""
    return len(text) >= 160 or text.rstrip("\"'”’»」)） ")[-1:] in ".!?。！？…:;"


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def join_split_blocks(root: etree._Element, body: str) -> tuple[str, int]:
    """The body with the left-out sibling paragraphs restored, and how many came back."""
    lines = [line for line in body.split("\n") if line.strip()]
    index_of = {fold(line): i for i, line in enumerate(lines)}
    if len(lines) < MIN_MATCHED:
        return body, 0
    elements = [e for e in root.iter() if _signature(e) is not None]
    matched = Counter(
        _signature(e) for e in elements if fold(_text(e)) in index_of and fold(_text(e))
    )
    trusted = {sig for sig, n in matched.items() if n >= MIN_MATCHED}
    if not trusted:
        return body, 0
    # the left-out paragraphs must sit in the same kind of container as the extracted ones
    homes = {
        _parent_key(e) for e in elements if _signature(e) in trusted and fold(_text(e)) in index_of
    }
    inserts: dict[int, list[str]] = {}
    last = -1
    for element in elements:
        if _signature(element) not in trusted:
            continue
        text = _text(element)
        key = fold(text)
        if key in index_of:
            last = max(last, index_of[key])
        elif (
            len(text) >= MIN_LINE
            and _parent_key(element) in homes
            and _reads_as_prose(text)
            and not any(
                key in fold(line) or (len(line) >= 20 and fold(line) in key) for line in lines
            )
        ):
            if any(a is not element and _signature(a) in trusted for a in element.iterancestors()):
                continue
            inserts.setdefault(last, []).append(text)
    if not inserts:
        return body, 0
    joined: list[str] = list(inserts.get(-1, []))
    for i, line in enumerate(lines):
        joined.append(line)
        joined.extend(inserts.get(i, []))
    return "\n".join(joined), sum(len(v) for v in inserts.values())
