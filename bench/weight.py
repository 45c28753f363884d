"""Page weight: the HTML of a page plus every stylesheet and script it loads, gzipped.

Two figures per file: gzip -9 of the body (what a compressing proxy in front of gunicorn
sends, the README's deployment), and the bytes the server itself sent when asked for gzip.
"""
import gzip
import re
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""")
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []  # (kind, url) in document order

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and attrs.get("href"):
            self.found.append(("css", attrs["href"]))
        elif tag == "link" and "modulepreload" in rel and attrs.get("href"):
            self.found.append(("js", attrs["href"]))
        elif tag == "script" and attrs.get("src"):
            self.found.append(("js", attrs["src"]))


def assets_of(html):
    parser = _Assets()
    parser.feed(html)
    return parser.found


def fetch(url):
    """(body, bytes on the wire, Content-Encoding) for a request that accepts gzip and br."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(request, timeout=10) as response:
        wire = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    body = gzip.decompress(wire) if encoding == "gzip" else wire
    return body, len(wire), encoding or "identity"


def _part(kind, url, body, wire, encoding):
    return {"kind": kind, "url": url, "raw": len(body), "gzip9": len(gzip.compress(body, 9)),
            "sent": wire, "sent_encoding": encoding}


def page_weight(page_url):
    """Every part of the page with its sizes, and the totals."""
    body, wire, encoding = fetch(page_url)
    parts = [_part("html", page_url, body, wire, encoding)]
    other = []
    seen = set()
    queue = [(kind, urljoin(page_url, src)) for kind, src in assets_of(body.decode("utf-8", "replace"))]
    while queue:
        kind, url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        if urlsplit(url).netloc != urlsplit(page_url).netloc:
            parts.append({"kind": kind, "url": url, "raw": 0, "gzip9": 0, "sent": 0,
                          "sent_encoding": "EXTERNAL HOST (not allowed)"})
            continue
        asset, wire, encoding = fetch(url)
        parts.append(_part(kind, url, asset, wire, encoding))
        if kind == "css":
            text = asset.decode("utf-8", "replace")
            queue += [("css", urljoin(url, ref)) for ref in _CSS_IMPORT.findall(text)]
            other += [urljoin(url, ref) for ref in _CSS_URL.findall(text)
                      if not ref.startswith("data:") and not ref.endswith(".css")]
    totals = {key: sum(p[key] for p in parts) for key in ("raw", "gzip9", "sent")}
    return {"url": page_url, "parts": parts, "totals": totals, "css_url_refs": sorted(set(other))}
