"""Network faults beyond the scraper's own tests, through the whole pipeline: a server that
trickles one byte a second, one that resets the connection mid-body, a TLS server with a
self-signed certificate; and (at the fetch level, with the resolver injected: never a real
lookup) a name that does not resolve, permanently or temporarily. Each is bounded in time (the
deadline, the attempts), logged (fetch_log, the run summary), stores nothing partial, and the
other documents go on. All traffic stays on 127.0.0.1.

Unit-level: tests/scrape/test_fetch_faults.py (reset, trickle at 0.1 s/byte, 500s, 429,
timeouts, redirects …), tests/scrape/test_tls_and_disk.py, tests/scrape/test_crawl.py (DNS).
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
from pathlib import Path

import pytest

from budgetlens.scrape import HostLimiter, RawStore, fetch_jurisdiction, load_sources
from budgetlens.scrape.records import CONNECTION_ERROR, TIMEOUT
from corpus.faultserver import Fault, FaultServer
from tests.reliability.common import SAMPLE_SITES
from tests.reliability.world import LINKS, World, add_document

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

AREA = "network"
SEE_ALSO = "tests/scrape/test_fetch_faults.py, test_tls_and_disk.py, test_crawl.py"
DEADLINE_S = 3.0


def self_signed_context(tmp: Path) -> ssl.SSLContext:
    """A server context with a self-signed certificate for 127.0.0.1 (no client trusts it)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .sign(key, hashes.SHA256())
    )
    (tmp / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tmp / "cert.pem", tmp / "key.pem")
    return ctx


def source(sid: str, listing: str) -> str:
    return f'[sources.{sid}]\nlisting = "{listing}"\n{LINKS}\npagination = {{ pattern = "index_{{n}}.html", start = 1 }}\n'


def test_trickle_reset_and_tls_through_the_pipeline(tmp_path: Path, faults):
    w = World(
        tmp_path,
        sites=["jingan"],
        simulated=False,
        defaults={"deadline": DEADLINE_S, "read_timeout": 2.0, "connect_timeout": 2.0, "backoff_base": 0.05,
                  "backoff_max": 0.1, "attempts": 2},
    )  # fmt: skip
    trickled = add_document(
        w.site("jingan"), SAMPLE_SITES / "putuo/files/2023年上海市普陀区商务委员会部门预算.pdf"
    )
    reset = add_document(
        w.site("jingan"), SAMPLE_SITES / "putuo/files/2023年上海市普陀区科学技术委员会部门预算.pdf"
    )
    with (
        FaultServer(w.sites_dir) as server,
        FaultServer(w.sites_dir, ssl_context=self_signed_context(tmp_path)) as tls,
    ):
        server.set_faults(f"/jingan/files/{trickled.name}", Fault.trickle(1.0))  # one byte a second
        server.set_faults(f"/jingan/files/{reset.name}", Fault.reset(keep=2000))
        w.extra_sources = source("jingan", f"{server.base_url}/jingan/index.html") + source(
            "tlssite", f"https://127.0.0.1:{tls.port}/jingan/index.html"
        )
        w.write_sources()
        result = w.run()
        # some documents failing is not a failed run
        assert result.returncode == 0, result.stdout + result.stderr
        assert server.host == tls.host == "127.0.0.1" and server.arrivals
        tls_arrivals = list(tls.arrivals)
    store = RawStore(w.data / "raw")
    assert store.partials() == []
    stored = {store.path_for(s).read_bytes() for s in store.iter_sha256()}
    assert trickled.read_bytes() not in stored and reset.read_bytes() not in stored
    log = {
        (r[0].rsplit("/", 1)[-1], r[1]): r
        for r in w.query("select url, kind, outcome, error, attempts, bytes, elapsed_s from fetch_log")
    }

    def entry(url_tail: str, kind: str = "document"):
        from urllib.parse import quote

        return log[(quote(url_tail), kind)]

    with faults.trial("server trickles one byte a second (pipeline)", AREA, see_also=SEE_ALSO) as t:
        _, _, outcome, error, attempts, n_bytes, elapsed = entry(trickled.name)
        assert outcome == TIMEOUT and f"deadline of {DEADLINE_S:g}s passed" in error
        assert attempts == 1 and 0 < n_bytes < trickled.stat().st_size  # cut by the deadline, not finished
        assert trickled.name in result.stdout and reset.name in result.stdout  # listed in the run summary
        t.outcome(f"timeout after {n_bytes} bytes ({elapsed:.1f} s)")
    with faults.trial("connection reset mid-body (pipeline)", AREA, see_also=SEE_ALSO) as t:
        _, _, outcome, error, attempts, _, _ = entry(reset.name)
        assert outcome == CONNECTION_ERROR and attempts == 2 and error
        t.outcome("connection_error after 2 attempts")
    with faults.trial("TLS: self-signed certificate (pipeline)", AREA, see_also=SEE_ALSO) as t:
        tls_rows = w.query("select kind, outcome, error from fetch_log where jurisdiction = 'tlssite'")
        robots = [r for r in tls_rows if r[0] == "robots"]
        assert (
            robots == [("robots", CONNECTION_ERROR, robots[0][2])]
            and "CERTIFICATE_VERIFY_FAILED" in robots[0][2]
        )
        # robots.txt unreachable: nothing else of that site is requested (logged, no request made)
        assert {r[1] for r in tls_rows if r[0] != "robots"} <= {"robots_disallowed"}
        assert tls_arrivals == []  # the handshake failed: no HTTP request was ever sent
        assert w.query("select count(*) from documents where jurisdiction_hint = 'tlssite'") == [(0,)]
        t.outcome("connection_error: certificate not trusted")
    with faults.trial("other documents while their neighbours fail (pipeline)", AREA) as t:
        files = {r[0] for r in w.query("select distinct file_name from documents")}
        expected = {p.name for p in (w.site("jingan") / "files").glob("*.pdf")} - {trickled.name, reset.name}
        t.rows_lost = len(expected - files)
        assert t.rows_lost == 0 and w.duplicates() == 0
        t.outcome("loaded")


@pytest.mark.parametrize(
    ("errno", "what"),
    [
        (socket.EAI_NONAME, "Name or service not known"),
        (socket.EAI_AGAIN, "Temporary failure in name resolution"),
    ],
    ids=["nxdomain", "temporary"],
)
def test_a_name_that_does_not_resolve_is_bounded_and_logged(tmp_path: Path, faults, errno: int, what: str):
    """The resolver's own error, raised by an injected resolver (no real lookup is ever made)."""
    with faults.trial(f"DNS: {what}", AREA, see_also="tests/scrape/test_crawl.py") as t:
        cfg = tmp_path / "dns.toml"
        cfg.write_text(
            "[defaults]\nallow_private = true\nmin_delay = 0.0\nbackoff_base = 0.01\nbackoff_max = 0.05\n"
            + source("named", "http://budget.invalid/jingan/index.html"),
            encoding="utf-8",
        )
        asked: list[str] = []

        def resolver(host: str, port: int) -> list[str]:
            asked.append(host)
            raise socket.gaierror(errno, what)

        sleeps: list[float] = []
        report = fetch_jurisdiction(
            load_sources(cfg), "named", RawStore(tmp_path / "raw"), resolver=resolver, limiter=HostLimiter(),
            sleep=sleeps.append,
        )  # fmt: skip
        e = report.log[0]
        assert (e.kind, e.outcome) == ("robots", CONNECTION_ERROR)
        # robots.txt unreachable means nothing else is requested: the rest is logged without a request
        assert {x.outcome for x in report.log[1:]} <= {"robots_disallowed"}
        assert all(x.status is None for x in report.log[1:])  # (the resolver count below: no lookups)
        assert e.attempts == 3 and "cannot resolve budget.invalid" in e.error and what in e.error
        assert asked == ["budget.invalid"] * 3 and len(sleeps) == 2 and sum(sleeps) < 1  # bounded waits
        assert report.documents == [] and not report.complete
        t.outcome("connection_error after 3 attempts")
