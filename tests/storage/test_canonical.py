import pytest

from fundwatch.storage.canonical import canonicalize_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://Example.COM:443/a/b.html#frag", "https://example.com/a/b.html"),
        ("http://example.com:80/", "http://example.com/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://e.com/p?utm_source=a&b=2&a=1&spm=x.y", "https://e.com/p?a=1&b=2"),
        ("https://e.com/news/index.html", "https://e.com/news/"),
        ("https://e.com", "https://e.com/"),
        ("https://e.com/%E8%9E%8D%E8%B5%84", "https://e.com/%E8%9E%8D%E8%B5%84"),
        ("https://e.com/融资", "https://e.com/%E8%9E%8D%E8%B5%84"),
    ],
)
def test_canonical_forms(raw: str, expected: str) -> None:
    assert canonicalize_url(raw) == expected


@pytest.mark.parametrize(
    "bad", ["ftp://e.com/x", "javascript:alert(1)", "file:///etc/passwd", "https://"]
)
def test_non_http_urls_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        canonicalize_url(bad)
