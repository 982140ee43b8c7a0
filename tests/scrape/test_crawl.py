"""Crawling the fixture site: pagination, Chinese links, download.jsp, robots.txt, politeness,
name resolution and private addresses. All traffic stays on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

from budgetlens.scrape import HostLimiter, RawStore, fetch_jurisdiction, load_sources
from budgetlens.scrape.records import (
    ABSENT,
    CONNECTION_ERROR,
    DOWNLOADED,
    FETCHED,
    REFUSED_HOST,
    ROBOTS_DISALLOWED,
)
from corpus.faultserver import Fault, FaultServer

from .conftest import DIRECT, VIA_SCRIPT, WEB_SOURCE, Harness, Site, make_pdf, write_config

N_DOCS = len(DIRECT) + len(VIA_SCRIPT)


def test_pagination_chinese_links_and_download_script(harness: Harness) -> None:
    report = harness.run()
    assert report.complete
    listing = [(e.url.rsplit("/", 1)[1], e.outcome) for e in report.log if e.kind == "listing"]
    assert listing == [
        ("index.html", FETCHED),
        ("index_1.html", FETCHED),
        ("index_2.html", FETCHED),
        ("index_3.html", ABSENT),
    ]
    by_name = {d.file_name: d for d in report.documents}
    # Every document once (index_2 links DIRECT[0] again), in listing order; names from the URL
    # (percent-decoded) or from the Content-Disposition of download.jsp.
    assert list(by_name) == [DIRECT[0], VIA_SCRIPT["1"], DIRECT[1], VIA_SCRIPT["2"], DIRECT[2]]
    assert by_name[VIA_SCRIPT["1"]].url == harness.server.url("/luohu/download.jsp?id=1")
    for d in report.documents:
        assert d.status == DOWNLOADED and d.previous_sha256 is None and d.etag and d.last_modified
        assert harness.store.path_for(d.sha256).read_bytes() == make_pdf(d.file_name)
        assert harness.store.path_for(d.sha256).name == f"{d.sha256}.pdf"  # never the URL's name
    # URLs are kept percent-encoded; the noise links (about, notice, javascript:, mailto:) were not fetched.
    assert "%E5%B9%B4" in by_name[DIRECT[0]].url
    assert harness.server.hits("/luohu/notice.html") == 0 and harness.server.hits("/about.html") == 0
    assert harness.server.wait_idle()
    assert all(r.headers.get("user-agent", "").startswith("budgetlens/") for r in harness.server.requests)
    rows = [e.to_row() for e in report.log]
    assert all(
        set(r)
        >= {
            "url",
            "status",
            "bytes",
            "sha256",
            "etag",
            "last_modified",
            "fetched_at",
            "elapsed_s",
            "attempts",
            "outcome",
            "error",
        }
        for r in rows
    )


def test_next_link_pagination_without_pattern(harness: Harness) -> None:
    harness.configure(pagination={"next_selector": "a.next"})
    report = harness.run()
    pages = [e.url.rsplit("/", 1)[1] for e in report.log if e.kind == "listing"]
    assert pages == ["index.html", "index_1.html", "index_2.html"]
    assert len(report.documents) == N_DOCS


def test_max_pages_bounds_the_crawl(harness: Harness) -> None:
    harness.configure(defaults={"max_pages": 2})
    report = harness.run()
    assert [e.url.rsplit("/", 1)[1] for e in report.log if e.kind == "listing"] == [
        "index.html",
        "index_1.html",
    ]
    assert len(report.documents) == 4


def test_text_pattern_selects_by_link_text(harness: Harness) -> None:
    harness.configure(links={"href_pattern": r"\.pdf$", "text_pattern": "教育局|司法局"})
    report = harness.run()
    assert sorted(d.file_name for d in report.documents) == sorted([DIRECT[1], DIRECT[2]])


def test_gbk_listing_page(harness: Harness) -> None:
    page = harness.site.root / "luohu" / "index.html"
    html = page.read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="gb2312"')
    page.write_bytes(
        html.replace("<ul>", f'<ul><li><a href="files/extra.pdf">{DIRECT[1]}</a></li>').encode("gb18030")
    )
    harness.site.write_pdf("extra.pdf", make_pdf("extra"))
    harness.configure(links={"href_pattern": r"\.pdf$", "text_pattern": "教育局"})
    report = harness.run()
    assert {d.file_name for d in report.documents} == {"extra.pdf", DIRECT[1]}


def test_robots_disallow_is_obeyed(harness: Harness) -> None:
    harness.server.robots = (
        f"User-agent: *\nDisallow: /luohu/files/{DIRECT[1]}\nDisallow: /luohu/download.jsp?id=2\n"
    )
    report = harness.run()
    refused = {e.url: e for e in report.log if e.outcome == ROBOTS_DISALLOWED}
    assert set(refused) == {
        harness.server.url(f"/luohu/files/{DIRECT[1]}"),
        harness.server.url("/luohu/download.jsp?id=2"),
    }
    assert all(e.attempts == 1 and e.status is None for e in refused.values())
    assert harness.server.hits(f"/luohu/files/{DIRECT[1]}") == 0
    assert len(report.documents) == N_DOCS - 2
    assert harness.server.hits("/robots.txt") == 1  # read once per run


def test_robots_group_for_our_agent_wins_and_can_be_switched_off(harness: Harness) -> None:
    harness.server.robots = "User-agent: *\nAllow: /\n\nUser-agent: budgetlens\nDisallow: /luohu/files/\n"
    report = harness.run()
    assert {e.outcome for e in report.log if e.kind == "document" and "/files/" in e.url} == {
        ROBOTS_DISALLOWED
    }
    harness.configure(obey_robots=False)
    harness.server.reset_stats()
    report = harness.run()
    assert len(report.documents) == N_DOCS and harness.server.hits("/robots.txt") == 0


def test_robots_unreachable_means_nothing_is_fetched(harness: Harness) -> None:
    harness.server.set_faults("/robots.txt", Fault.error(503))
    report = harness.run()
    assert report.documents == [] and not report.complete
    assert {e.outcome for e in report.log if e.kind == "listing"} == {ROBOTS_DISALLOWED}


def test_at_most_two_requests_in_flight_per_host(harness: Harness) -> None:
    for path in harness.site.pdfs:
        harness.server.set_faults(path, Fault.delay(0.3))
    for i in ("1", "2"):
        harness.server.set_faults(f"/luohu/download.jsp?id={i}", Fault.delay(0.3))
    report = harness.run()
    assert len(report.documents) == N_DOCS
    assert harness.server.max_in_flight == 2  # measured at the server: parallel, and never more than 2


def test_two_sources_on_one_host_share_its_two_slots(tmp_path: Path, site: Site, server: FaultServer) -> None:
    for path in site.pdfs:
        server.set_faults(path, Fault.delay(0.2))
    cfg = load_sources(
        write_config(
            tmp_path / "s.toml", {"a": dict(WEB_SOURCE), "b": dict(WEB_SOURCE)}, simulated_dir=site.root
        ),
        simulated_base_url=server.base_url,
    )
    limiter = HostLimiter()
    reports = {}

    def run(sid: str) -> None:
        reports[sid] = fetch_jurisdiction(cfg, sid, RawStore(tmp_path / f"raw-{sid}"), limiter=limiter)

    threads = [threading.Thread(target=run, args=(sid,)) for sid in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [len(reports[s].documents) for s in ("a", "b")] == [N_DOCS, N_DOCS]
    assert server.max_in_flight == 2


def _named_config(tmp_path: Path, server: FaultServer, *, allow_private: bool):
    """A source on the made-up host `budget.example`, port of the test server."""
    src = {
        "listing": f"http://budget.example:{server.port}/luohu/index.html",
        "allow_private": allow_private,
        "links": {"href_pattern": r"(?i)\.pdf$|download\.jsp\?id=\d+$"},
        "pagination": {"pattern": "index_{n}.html"},
    }
    return load_sources(write_config(tmp_path / "named.toml", {"named": src}))


def test_private_address_behind_a_name_is_refused_before_connecting(
    tmp_path: Path, server: FaultServer
) -> None:
    cfg = _named_config(tmp_path, server, allow_private=False)
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]  # a public-looking name that points at loopback (DNS rebinding)

    report = fetch_jurisdiction(
        cfg,
        "named",
        RawStore(tmp_path / "raw"),
        resolver=resolver,
        limiter=HostLimiter(),
        sleep=lambda s: None,
    )
    assert calls and set(calls) == {"budget.example"}
    assert {e.outcome for e in report.log} == {REFUSED_HOST}
    assert all("127.0.0.1 is private" in e.error for e in report.log)
    assert server.arrivals == []


def test_name_resolved_by_the_injected_resolver_is_fetched_when_allowed(
    tmp_path: Path, server: FaultServer
) -> None:
    cfg = _named_config(tmp_path, server, allow_private=True)
    report = fetch_jurisdiction(
        cfg, "named", RawStore(tmp_path / "raw"), resolver=lambda h, p: ["127.0.0.1"], limiter=HostLimiter()
    )
    assert len(report.documents) == N_DOCS
    assert report.documents[0].url.startswith(f"http://budget.example:{server.port}/")


def test_name_that_does_not_resolve(tmp_path: Path, server: FaultServer) -> None:
    cfg = _named_config(tmp_path, server, allow_private=True)
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    sleeps: list[float] = []
    report = fetch_jurisdiction(
        cfg,
        "named",
        RawStore(tmp_path / "raw"),
        resolver=resolver,
        limiter=HostLimiter(),
        sleep=sleeps.append,
    )
    robots = report.log[0]
    assert robots.kind == "robots" and robots.outcome == CONNECTION_ERROR and robots.attempts == 3
    assert "cannot resolve budget.example" in robots.error
    assert len(calls) == 3 and len(sleeps) == 2
    assert report.documents == [] and not report.complete
    assert server.arrivals == []


def test_literal_private_address_refused_without_allow_private(tmp_path: Path, server: FaultServer) -> None:
    src = {**WEB_SOURCE, "listing": f"{server.base_url}/luohu/index.html", "allow_private": False}
    cfg = load_sources(write_config(tmp_path / "p.toml", {"p": src}))
    report = fetch_jurisdiction(cfg, "p", RawStore(tmp_path / "raw"), limiter=HostLimiter())
    assert {e.outcome for e in report.log} == {REFUSED_HOST}
    assert server.arrivals == []
