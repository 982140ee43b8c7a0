"""Every fault against the real threaded FaultServer on 127.0.0.1: what is stored and what is logged."""

from __future__ import annotations

import pytest

from budgetlens.scrape.records import (
    CONNECTION_ERROR,
    DOWNLOADED,
    HTTP_ERROR,
    REDIRECT_LOOP,
    REFUSED_HOST,
    REJECTED_NOT_PDF,
    TIMEOUT,
    TOO_LARGE,
    TRUNCATED,
    UNCHANGED,
)
from budgetlens.scrape.urlpolicy import canonical_url
from corpus.faultserver import Fault, FaultServer

from .conftest import DIRECT, VIA_SCRIPT, Harness, make_pdf

TARGET = f"/luohu/files/{DIRECT[1]}"  # the document the faults are aimed at (on listing page 2)
N_DOCS = len(DIRECT) + len(VIA_SCRIPT)


def stored(h: Harness) -> set[str]:
    return set(h.store.iter_sha256())


def assert_others_fine(h: Harness, report) -> None:
    """The fault hit one document; the others are stored and nothing partial is left."""
    others = [d for d in report.documents if d.url != h.server.url(TARGET)]
    assert len(others) == N_DOCS - 1
    assert all(d.status == DOWNLOADED and h.store.has(d.sha256) for d in others)
    assert h.store.partials() == []


def test_500_then_200_is_retried_and_stored(harness: Harness) -> None:
    harness.server.set_faults(TARGET, Fault.error(500, times=2))
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert (e.outcome, e.status, e.attempts) == (DOWNLOADED, 200, 3)
    assert harness.server.hits(TARGET) == 3
    assert harness.store.path_for(e.sha256).read_bytes() == harness.site.pdfs[TARGET]
    assert len(harness.sleeps) == 2 and all(0 < s <= 0.05 for s in harness.sleeps)  # backoff, capped
    assert len(report.documents) == N_DOCS


def test_500_every_time_gives_up_after_three_attempts(harness: Harness) -> None:
    harness.server.set_faults(TARGET, Fault.error(503))
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert (e.outcome, e.status, e.attempts) == (HTTP_ERROR, 503, 3)
    assert "HTTP 503" in e.error and "gave up after 3 attempts" in e.error
    assert harness.server.hits(TARGET) == 3
    assert_others_fine(harness, report)


def test_429_retry_after_is_honoured_and_capped(harness: Harness) -> None:
    harness.server.set_faults(TARGET, Fault.error(429, times=1, retry_after=7))
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert (e.outcome, e.attempts) == (DOWNLOADED, 2)
    # Retry-After: 7 is waited, capped at retry_after_max (0.1 in the test settings); no backoff on top.
    assert harness.sleeps == [0.1]


def test_429_retry_after_below_the_cap_is_waited_exactly(harness: Harness) -> None:
    harness.configure(defaults={"retry_after_max": 10.0})
    harness.server.set_faults(TARGET, Fault.error(429, times=1, retry_after=3))
    report = harness.run()
    assert harness.entry(report, TARGET).outcome == DOWNLOADED
    assert harness.sleeps == [3.0]


def test_read_timeout_is_retried_then_logged(harness: Harness) -> None:
    harness.configure(defaults={"read_timeout": 0.2})
    harness.server.set_faults(TARGET, Fault.stall(3.0))
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert (e.outcome, e.attempts, e.sha256) == (TIMEOUT, 3, None)
    assert "ReadTimeout" in e.error
    assert harness.server.hits(TARGET) == 3
    assert_others_fine(harness, report)


def test_redirect_loop_is_detected(harness: Harness) -> None:
    a, b = TARGET, "/luohu/files/elsewhere.pdf"
    harness.server.set_faults(a, Fault.redirect(harness.server.url(b)))
    harness.server.set_faults(b, Fault.redirect(harness.server.url(a)))
    report = harness.run()
    e = harness.entry(report, a)
    assert (e.outcome, e.attempts) == (REDIRECT_LOOP, 1)
    assert "loop" in e.error
    assert (harness.server.hits(a), harness.server.hits(b)) == (1, 1)
    assert_others_fine(harness, report)


def test_too_many_redirects(harness: Harness) -> None:
    harness.configure(defaults={"max_redirects": 2})
    chain = [TARGET] + [f"/luohu/r{i}.pdf" for i in range(4)]
    for src, dst in zip(chain, chain[1:], strict=False):
        harness.server.set_faults(src, Fault.redirect(dst))  # relative Location
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert e.outcome == REDIRECT_LOOP and "more than 2 redirects" in e.error
    assert harness.server.hits(chain[3]) == 0


def test_404_is_not_retried(harness: Harness) -> None:
    harness.server.set_faults(TARGET, Fault.error(404))
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert (e.outcome, e.status, e.attempts) == (HTTP_ERROR, 404, 1)
    assert harness.sleeps == []
    assert_others_fine(harness, report)


def test_truncated_body_stores_nothing(harness: Harness) -> None:
    harness.server.set_faults(TARGET, Fault.truncate(keep=200))
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert (e.outcome, e.attempts) == (TRUNCATED, 3)
    assert e.sha256 is None
    assert report.by_sha256().keys() == stored(harness)  # only the complete documents are in the store
    assert_others_fine(harness, report)


def test_truncated_once_then_complete(harness: Harness) -> None:
    harness.server.set_faults(TARGET, Fault.truncate(keep=50, times=1))
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert (e.outcome, e.attempts) == (DOWNLOADED, 2)
    assert harness.store.path_for(e.sha256).read_bytes() == harness.site.pdfs[TARGET]


def test_html_with_status_200_at_a_pdf_url_is_rejected(harness: Harness) -> None:
    harness.server.set_faults(TARGET, Fault.html())
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert (e.outcome, e.status, e.attempts) == (REJECTED_NOT_PDF, 200, 1)
    assert "%PDF-" in e.error and "DOCTYPE" in e.error
    assert e.sha256 is None
    assert len(stored(harness)) == N_DOCS - 1
    for path in stored(harness):
        assert harness.store.path_for(path).read_bytes().startswith(b"%PDF-")
    assert_others_fine(harness, report)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_file_over_the_size_cap_is_refused(harness: Harness, chunked: bool) -> None:
    harness.configure(defaults={"max_bytes": 100_000})
    harness.server.set_faults(TARGET, Fault.oversize(2_000_000, chunked=chunked))
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert (e.outcome, e.attempts) == (TOO_LARGE, 1)
    if chunked:  # streamed: stopped just past the cap
        assert "100000-byte cap" in e.error and 100_000 < e.bytes < 200_000
    else:  # announced: refused before reading the body
        assert "Content-Length 2000000" in e.error and e.bytes == 0
    assert_others_fine(harness, report)


def test_second_run_makes_only_conditional_requests(harness: Harness) -> None:
    first = harness.run()
    assert [d.status for d in first.documents] == [DOWNLOADED] * N_DOCS
    before = stored(harness)
    files_before = sorted(p.name for p in harness.store.root.rglob("*") if p.is_file())
    harness.server.reset_stats()

    second = harness.run()
    assert harness.server.wait_idle()
    assert [d.status for d in second.documents] == [UNCHANGED] * N_DOCS
    assert [d.sha256 for d in second.documents] == [d.sha256 for d in first.documents]
    assert stored(harness) == before
    assert sorted(p.name for p in harness.store.root.rglob("*") if p.is_file()) == files_before
    assert len(harness.server.requests) == len(second.log)  # one request per fetch: no retries, no extras
    for r in harness.server.requests:
        if r.path in ("/robots.txt", "/luohu/index_3.html"):  # absent: nothing to be conditional on
            assert r.status == 404
        else:
            assert r.headers.get("if-none-match") and r.status == 304, r
    docs = [e for e in second.log if e.kind == "document"]
    assert {e.outcome for e in docs} == {UNCHANGED} and all(e.bytes == 0 and e.status == 304 for e in docs)


def test_link_to_another_host_is_refused_before_any_connection(
    harness: Harness, other_server: FaultServer
) -> None:
    resolved: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        resolved.append(host)
        raise AssertionError("no name may be resolved for a refused host")

    foreign = other_server.url(TARGET)
    page = harness.site.root / "luohu" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "</ul>",
            f'<li><a href="{foreign}">外站</a></li><li><a href="http://evil.example/x.pdf">x</a></li>'
            '<li><a href="file:///etc/passwd.pdf">f</a></li></ul>',
        ),
        encoding="utf-8",
    )
    report = harness.run(resolver=resolver)
    refused = {e.url: e for e in report.log if e.outcome == REFUSED_HOST}
    local_file = canonical_url("file:///etc/passwd.pdf")
    assert set(refused) == {foreign, "http://evil.example/x.pdf", local_file}
    assert all(e.attempts == 0 and e.status is None for e in refused.values())
    assert "not in the allowed hosts" in refused[foreign].error and "linked from" in refused[foreign].error
    assert "scheme 'file'" in refused[local_file].error
    assert other_server.arrivals == [] and resolved == []
    assert len(report.documents) == N_DOCS


def test_redirect_to_another_host_is_refused(harness: Harness, other_server: FaultServer) -> None:
    harness.server.set_faults(TARGET, Fault.redirect(other_server.url(TARGET)))
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert (e.outcome, e.attempts, e.status) == (REFUSED_HOST, 1, 302)
    assert "not in the allowed hosts" in e.error
    assert other_server.arrivals == []
    assert_others_fine(harness, report)


def test_reuploaded_corrected_file(harness: Harness) -> None:
    first = {d.url: d for d in harness.run().documents}
    url = harness.server.url(TARGET)
    old = first[url].sha256
    corrected = make_pdf("corrected 教育局 figures")
    harness.server.set_faults(TARGET, Fault.replace(corrected))

    second = {d.url: d for d in harness.run().documents}
    d = second[url]
    assert d.status == DOWNLOADED and d.sha256 != old and d.previous_sha256 == old
    assert harness.store.path_for(d.sha256).read_bytes() == corrected
    assert harness.store.path_for(old).read_bytes() == harness.site.pdfs[TARGET]  # history kept
    assert [x.status for u, x in second.items() if u != url] == [UNCHANGED] * (N_DOCS - 1)

    third = {d.url: d for d in harness.run().documents}
    assert (
        third[url].status == UNCHANGED and third[url].sha256 == d.sha256 and third[url].previous_sha256 == old
    )


def test_connection_reset_mid_body(harness: Harness) -> None:
    harness.server.set_faults(TARGET, Fault.reset(keep=100))
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert (e.outcome, e.attempts, e.sha256) == (CONNECTION_ERROR, 3, None)
    assert "Connection reset" in e.error
    assert_others_fine(harness, report)


def test_trickle_is_bounded_by_the_deadline(harness: Harness) -> None:
    harness.configure(defaults={"deadline": 1.0, "read_timeout": 2.0})
    harness.server.set_faults(TARGET, Fault.trickle(0.1))
    report = harness.run()
    e = harness.entry(report, TARGET)
    assert e.outcome == TIMEOUT and "deadline of 1s passed" in e.error
    assert 0 < e.bytes < len(harness.site.pdfs[TARGET])
    assert e.attempts == 1 and e.sha256 is None
    assert_others_fine(harness, report)


def test_listing_page_failure_marks_report_incomplete(harness: Harness) -> None:
    harness.server.set_faults("/luohu/index_1.html", Fault.error(500))
    report = harness.run()
    assert report.complete is False
    listing = [e for e in report.log if e.url.endswith("/luohu/index_1.html")]
    assert [(e.outcome, e.attempts) for e in listing] == [(HTTP_ERROR, 3)]
    # Pages reached another way (the numbered page 2) are still read.
    assert {d.file_name for d in report.documents} >= {DIRECT[0], DIRECT[2]}
