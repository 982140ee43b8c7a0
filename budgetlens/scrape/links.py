"""Listing pages: document links and further listing pages, as pure functions over HTML text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from budgetlens.scrape.names import unquote_url
from budgetlens.scrape.urlpolicy import canonical_url

_IGNORED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#")


@dataclass(frozen=True)
class Link:
    """A document link: absolute URL (percent-encoded) and its text."""

    url: str
    text: str


def valid_selector(selector: str) -> bool:
    """True when selectolax accepts the CSS selector."""
    try:
        LexborHTMLParser("<html></html>").css(selector)
    except (SelectolaxError, ValueError):
        return False
    return True


def _base_url(tree: LexborHTMLParser, page_url: str) -> str:
    """The page URL, or the page's <base href> resolved against it."""
    node = tree.css_first("base[href]")
    href = node.attributes.get("href") if node is not None else None
    if href:
        try:
            return canonical_url(href, page_url)
        except ValueError:
            pass
    return page_url


def _anchors(tree: LexborHTMLParser, selector: str, base: str) -> list[tuple[str, str]]:
    """(absolute URL, text) for each node matching `selector` that has a usable href, in page order."""
    out: list[tuple[str, str]] = []
    for node in tree.css(selector):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.lower().startswith(_IGNORED_SCHEMES):
            continue
        try:
            url = canonical_url(href, base)
        except ValueError:
            continue
        text = re.sub(r"\s+", " ", node.text(deep=True, separator=" ", strip=True)).strip()
        out.append((url, text))
    return out


def extract_links(
    html: str,
    page_url: str,
    *,
    selector: str = "a[href]",
    href_pattern: str | None = None,
    text_pattern: str | None = None,
) -> list[Link]:
    """Document links on a page: nodes matching `selector`, whose percent-decoded absolute URL
    matches `href_pattern` and whose text matches `text_pattern` (each `re.search`, only when
    given). Relative links are resolved against the page (or its <base href>); duplicates dropped.
    Links to other hosts or schemes are kept: the fetcher refuses and logs them."""
    tree = LexborHTMLParser(html)
    href_re = re.compile(href_pattern) if href_pattern else None
    text_re = re.compile(text_pattern) if text_pattern else None
    seen: set[str] = set()
    links: list[Link] = []
    for url, text in _anchors(tree, selector, _base_url(tree, page_url)):
        if href_re is not None and not href_re.search(unquote_url(url)):
            continue
        if text_re is not None and not text_re.search(text):
            continue
        if url not in seen:
            seen.add(url)
            links.append(Link(url, text))
    return links


def next_page_links(html: str, page_url: str, selector: str) -> list[str]:
    """URLs of the "next page" links (nodes matching `selector`) on a listing page."""
    tree = LexborHTMLParser(html)
    return [url for url, _ in _anchors(tree, selector, _base_url(tree, page_url))]


def numbered_page_url(listing_url: str, pattern: str, n: int) -> str:
    """Listing page number `n`: `pattern` (with `{n}`) resolved against the listing URL."""
    return canonical_url(pattern.replace("{n}", str(n)), listing_url)
