"""The scraper's pure functions, tested directly: links, names, robots.txt, retries, URL policy, limiter."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import httpx
import pytest

from budgetlens.scrape.limiter import HostLimiter
from budgetlens.scrape.links import extract_links, next_page_links, numbered_page_url
from budgetlens.scrape.names import decode_html, file_name_from_url, parse_content_disposition, safe_filename
from budgetlens.scrape.retry import is_retryable_status, parse_retry_after, retry_delay
from budgetlens.scrape.robots import RobotsRules, parse_robots
from budgetlens.scrape.settings import FetchSettings, SettingsError
from budgetlens.scrape.simserver import content_disposition
from budgetlens.scrape.urlpolicy import (
    HostPolicy,
    RefusedURL,
    canonical_url,
    is_public_address,
    parse_host_entry,
)

PAGE = "http://budget.example/luohu/list/index.html"


@pytest.mark.parametrize(
    ("html", "kwargs", "expected"),
    [
        (
            '<a href="files/%E9%A2%84%E7%AE%97.pdf">预算</a>',
            {},
            ["http://budget.example/luohu/list/files/%E9%A2%84%E7%AE%97.pdf"],
        ),
        (
            '<a href="files/预算 2022.pdf">x</a>',
            {},
            ["http://budget.example/luohu/list/files/%E9%A2%84%E7%AE%97%202022.pdf"],
        ),
        (
            '<a href="../a.PDF">x</a><a href="/b.pdf#page=2">y</a>',
            {},
            ["http://budget.example/luohu/a.PDF", "http://budget.example/b.pdf"],
        ),
        ('<a href="a.pdf">1</a><a href="./a.pdf">2</a>', {}, ["http://budget.example/luohu/list/a.pdf"]),
        (
            '<a href="javascript:void(0)">x.pdf</a><a href="mailto:a@b.pdf">m</a><a href="#x.pdf">h</a><a>n</a>',
            {},
            [],
        ),
        ('<a href="a.html">x</a><a href="download.jsp?id=3">d</a>', {}, []),
        (
            '<a href="download.jsp?id=3">d</a>',
            {"href_pattern": r"download\.jsp\?id=\d+$"},
            ["http://budget.example/luohu/list/download.jsp?id=3"],
        ),
        (
            '<a href="a.pdf">教育局</a><a href="b.pdf">财政局</a>',
            {"text_pattern": "财政"},
            ["http://budget.example/luohu/list/b.pdf"],
        ),
        (
            '<div class="doc"><a href="a.pdf">1</a></div><a href="b.pdf">2</a>',
            {"selector": "div.doc a[href]"},
            ["http://budget.example/luohu/list/a.pdf"],
        ),
        (
            '<base href="http://budget.example/docs/"><a href="a.pdf">1</a>',
            {},
            ["http://budget.example/docs/a.pdf"],
        ),
        (
            '<a href="http://other.example/x.pdf">1</a><a href="file:///etc/x.pdf">2</a>',
            {},
            ["http://other.example/x.pdf", "file:/etc/x.pdf"],
        ),  # kept: the fetcher refuses and logs them
    ],
    ids=[
        "encoded",
        "raw-chinese",
        "relative-up-and-root",
        "dedup",
        "noise",
        "not-pdf",
        "script",
        "text",
        "selector",
        "base-href",
        "foreign-kept",
    ],
)
def test_extract_links(html: str, kwargs: dict, expected: list[str]) -> None:
    kwargs = {"href_pattern": r"(?i)\.pdf(?:$|\?)", **kwargs}
    assert [link.url for link in extract_links(html, PAGE, **kwargs)] == expected


def test_next_page_links_and_numbered_pages() -> None:
    html = '<a class="next" href="index_1.html">下一页</a><a href="index_9.html">尾页</a>'
    assert next_page_links(html, PAGE, "a.next") == ["http://budget.example/luohu/list/index_1.html"]
    assert numbered_page_url(PAGE, "index_{n}.html", 3) == "http://budget.example/luohu/list/index_3.html"
    assert numbered_page_url(PAGE, "?page={n}", 2) == "http://budget.example/luohu/list/index.html?page=2"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (content_disposition("2022年罗湖区部门预算.pdf"), "2022年罗湖区部门预算.pdf"),
        ("attachment; filename*=UTF-8''%E9%A2%84%E7%AE%97.pdf", "预算.pdf"),
        ("attachment; filename*=utf-8'zh'%E9%A2%84%E7%AE%97.pdf; filename=\"fallback.pdf\"", "预算.pdf"),
        ("attachment; filename*=GBK''%D4%A4%CB%E3.pdf", "预算.pdf"),
        ('attachment; filename="a \\"quoted\\" name.pdf"', 'a "quoted" name.pdf'),
        ("attachment; filename=%E9%A2%84%E7%AE%97.pdf", "预算.pdf"),  # non-standard, common on Chinese sites
        ("预算.pdf".encode().join([b'attachment; filename="', b'"']), "预算.pdf"),  # raw UTF-8 bytes
        ("预算.pdf".encode("gbk").join([b'attachment; filename="', b'"']), "预算.pdf"),  # raw GBK bytes
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ('attachment; filename="C:\\\\x\\\\..\\\\evil.pdf"', "evil.pdf"),
        ('attachment; filename="a\x00b.pdf"', "ab.pdf"),
        ("inline", None),
        (None, None),
    ],
)
def test_parse_content_disposition(header: str | bytes | None, expected: str | None) -> None:
    assert parse_content_disposition(header) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://a/files/2022%E5%B9%B4%E9%A2%84%E7%AE%97.pdf", "2022年预算.pdf"),
        ("http://a/files/%D4%A4%CB%E3.pdf", "预算.pdf"),  # GBK percent-encoding
        ("http://a/files/..%2F..%2Fetc%2Fpasswd", "passwd"),
        ("http://a/", None),
    ],
)
def test_file_name_from_url(url: str, expected: str | None) -> None:
    assert file_name_from_url(url) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("...hidden", "hidden"), ("\x01\x02", None), ("a" * 300 + ".pdf", "a" * 196 + ".pdf")],
)
def test_safe_filename(name: str, expected: str | None) -> None:
    assert safe_filename(name) == expected


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("<p>预算</p>".encode(), "text/html; charset=utf-8", "<p>预算</p>"),
        ("<p>预算</p>".encode("gbk"), "text/html; charset=GB2312", "<p>预算</p>"),
        ('<meta charset="gbk"><p>预算</p>'.encode("gbk"), "text/html", '<meta charset="gbk"><p>预算</p>'),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>预算</p>'.encode("gbk"),
            None,
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>预算</p>',
        ),
        ("<p>预算</p>".encode("gbk"), None, "<p>预算</p>"),  # undeclared: UTF-8 fails, GB18030 reads it
        (b"\xef\xbb\xbf<p>x</p>", None, "<p>x</p>"),
    ],
    ids=["header-utf8", "header-gb2312", "meta-charset", "meta-http-equiv", "undeclared-gbk", "bom"],
)
def test_decode_html(body: bytes, content_type: str | None, expected: str) -> None:
    assert decode_html(body, content_type) == expected


ROBOTS = """
# comment
User-agent: *
Disallow: /private/
Allow: /private/open/
Disallow: /*.cgi$
Disallow: /files/%E5%86%85%E9%83%A8

User-agent: BudgetLens
User-agent: other
Disallow: /luohu/
Crawl-delay: 2.5

Sitemap: http://a/sitemap.xml
"""


@pytest.mark.parametrize(
    ("agent", "path", "allowed"),
    [
        ("somebot", "/index.html", True),
        ("somebot", "/private/x.pdf", False),
        ("somebot", "/private/open/x.pdf", True),  # longer Allow wins
        ("somebot", "/run.cgi", False),
        ("somebot", "/run.cgi?x=1", True),  # `$` anchors the end
        ("somebot", "/files/内部通知.pdf", False),  # percent-encoded rule matches the decoded path
        ("somebot", "/files/%E5%86%85%E9%83%A8.pdf", False),
        ("budgetlens", "/luohu/files/a.pdf", False),  # its own group, case-insensitive
        ("budgetlens", "/private/x.pdf", True),  # only its own group applies
        ("budgetlens", "/robots.txt", True),
    ],
)
def test_robots_rules(agent: str, path: str, allowed: bool) -> None:
    assert parse_robots(ROBOTS).allows("http://a" + path, agent) is allowed


def test_robots_special_cases() -> None:
    rules = parse_robots(ROBOTS)
    assert rules.crawl_delay("budgetlens") == 2.5 and rules.crawl_delay("somebot") is None
    assert parse_robots("User-agent: *\nDisallow:\n").allows("/x", "b")  # empty Disallow allows all
    assert parse_robots("Disallow: /\n").allows("/x", "b")  # a rule outside any group is ignored
    assert parse_robots("User-agent: *\nAllow: /a\nDisallow: /a\n").allows("/a", "b")  # tie: Allow wins
    assert not RobotsRules.disallow_all().allows("/x", "b") and RobotsRules.disallow_all().allows(
        "/robots.txt", "b"
    )
    assert RobotsRules.allow_all().allows("/x", "b")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),
        ("soon", None),
        (None, None),
        ("-3", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=datetime(2015, 10, 21, 7, 28, tzinfo=UTC)) == expected


@pytest.mark.parametrize(
    ("attempt", "retry_after", "low", "high"),
    [
        (1, None, 0.5, 1.0),
        (2, None, 1.0, 2.0),
        (3, None, 2.0, 4.0),
        (10, None, 15.0, 30.0),  # capped at backoff_max
        (1, 7.0, 7.0, 7.0),
        (1, 600.0, 60.0, 60.0),
        (1, 0.0, 0.0, 0.0),
    ],
)
def test_retry_delay(attempt: int, retry_after: float | None, low: float, high: float) -> None:
    settings = FetchSettings()  # backoff 1 s doubling, cap 30 s, Retry-After cap 60 s
    delays = [
        retry_delay(attempt, settings, retry_after=retry_after, rng=random.Random(seed)) for seed in range(50)
    ]
    assert all(low <= d <= high for d in delays)
    if retry_after is None:
        assert len(set(delays)) > 1  # jitter


@pytest.mark.parametrize(
    ("status", "retry"),
    [
        (408, True),
        (429, True),
        (500, True),
        (503, True),
        (599, True),
        (400, False),
        (403, False),
        (404, False),
        (410, False),
    ],
)
def test_retryable_status(status: int, retry: bool) -> None:
    assert is_retryable_status(status) is retry


@pytest.mark.parametrize(
    ("ip", "public"),
    [
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("2001:4860:4860::8888", True),
        ("224.0.0.1", False),
    ],
)
def test_is_public_address(ip: str, public: bool) -> None:
    assert is_public_address(ip) is public


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://www.gov.example/a.pdf", None),
        ("https://www.gov.example:8443/a.pdf", None),  # host without port allows any port
        ("http://WWW.GOV.EXAMPLE./a.pdf", None),
        ("http://files.gov.example:8080/a.pdf", None),
        ("http://files.gov.example/a.pdf", "not in the allowed hosts"),  # that entry names port 8080
        ("http://evil.example/a.pdf", "not in the allowed hosts"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("ftp://www.gov.example/a.pdf", "scheme 'ftp'"),
        ("http://user:pw@www.gov.example/a.pdf", "credentials"),
        ("http://127.0.0.1/a.pdf", "not in the allowed hosts"),
        ("http://10.0.0.5/a.pdf", "is private"),  # on the list, still refused without allow_private
    ],
)
def test_host_policy(url: str, refused: str | None) -> None:
    policy = HostPolicy.for_hosts(["www.gov.example", "files.gov.example:8080", "10.0.0.5"])
    if refused is None:
        policy.check_url(url)
    else:
        with pytest.raises(RefusedURL, match=refused):
            policy.check_url(url)


def test_host_policy_private_allowed_and_entries() -> None:
    assert HostPolicy.for_hosts(["127.0.0.1:8765"], allow_private=True).check_url("http://127.0.0.1:8765/x")
    assert parse_host_entry("Example.COM:80") == ("example.com", 80)
    assert parse_host_entry("[::1]:8080") == ("[::1]", 8080)
    assert parse_host_entry("中文.example") == ("xn--fiq228c.example", None)
    for bad in ["", "http://x", "a b", "x/y", "a:b"]:
        with pytest.raises(ValueError):
            parse_host_entry(bad)
    assert HostPolicy.for_hosts(["a.example:80"]).host_allowed(httpx.URL("http://a.example/"))


def test_canonical_url() -> None:
    assert canonical_url(" files/年.pdf#p=1 ", "http://a/x/") == "http://a/x/files/%E5%B9%B4.pdf"
    with pytest.raises(ValueError):
        canonical_url("http://[::1/", None)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_limiter_spaces_request_starts_per_host() -> None:
    clock = FakeClock()
    limiter = HostLimiter(clock=clock, sleep=clock.sleep)
    for _ in range(3):
        with limiter.slot("a.example", max_in_flight=2, min_delay=1.5):
            pass
    with limiter.slot("b.example", max_in_flight=2, min_delay=1.5):
        pass  # another host: no wait
    assert clock.sleeps == [1.5, 1.5]
    clock.now += 10
    with limiter.slot("a.example", max_in_flight=2, min_delay=1.5):
        pass  # long enough since the last start
    assert clock.sleeps == [1.5, 1.5]
    assert limiter.limit_of("a.example") == 2 and limiter.limit_of("c.example") is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"max_per_host": 3}, "max_per_host must be 1..2"),
        ({"max_per_host": 0}, "max_per_host"),
        ({"attempts": 0}, "attempts"),
        ({"read_timeout": 0}, "read_timeout"),
        ({"min_delay": -1}, "min_delay"),
        ({"max_bytes": "big"}, "max_bytes must be a int"),
        ({"obey_robots": 1}, "obey_robots must be a bool"),
        ({"deadline": True}, "deadline must be a float"),
        ({"nope": 1}, "unknown setting"),
    ],
)
def test_settings_validation(values: dict, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        FetchSettings().with_overrides(values)
