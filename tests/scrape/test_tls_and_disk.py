"""TLS through the guarded transport (a self-signed local server) and a raw store that runs out of room."""

from __future__ import annotations

import datetime as dt
import resource
import signal
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from budgetlens.scrape import HostLimiter, RawStore, fetch_jurisdiction, load_sources
from budgetlens.scrape.records import CONNECTION_ERROR, DOWNLOADED, STORAGE_ERROR
from corpus.faultserver import FaultServer

from .conftest import DIRECT, VIA_SCRIPT, Harness, Site, make_pdf, write_config

N_DOCS = len(DIRECT) + len(VIA_SCRIPT)


def self_signed(tmp: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for `name` (cert.pem, key.pem)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_server(tmp_path: Path, site: Site):
    cert, key = self_signed(tmp_path, "budget.example")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    with FaultServer(site.root, ssl_context=ctx) as srv:
        yield srv, cert


def _https_config(tmp_path: Path, port: int):
    src = {
        "listing": f"https://budget.example:{port}/luohu/index.html",
        "allow_private": True,
        "links": {"href_pattern": r"(?i)\.pdf$|download\.jsp\?id=\d+$"},
        "pagination": {"pattern": "index_{n}.html"},
    }
    return load_sources(write_config(tmp_path / "tls.toml", {"tls": src}))


def test_self_signed_certificate_is_refused(tmp_path: Path, tls_server) -> None:
    srv, _cert = tls_server
    sleeps: list[float] = []
    report = fetch_jurisdiction(
        _https_config(tmp_path, srv.port),
        "tls",
        RawStore(tmp_path / "raw"),
        resolver=lambda h, p: ["127.0.0.1"],
        limiter=HostLimiter(),
        sleep=sleeps.append,
    )
    robots = report.log[0]
    assert (robots.kind, robots.outcome) == ("robots", CONNECTION_ERROR)
    assert "CERTIFICATE_VERIFY_FAILED" in robots.error
    assert report.documents == [] and RawStore(tmp_path / "raw").iter_sha256() == []


def test_trusted_certificate_is_verified_against_the_name_not_the_pinned_address(
    tmp_path: Path, tls_server
) -> None:
    srv, cert = tls_server
    trusted = ssl.create_default_context(cafile=str(cert))
    report = fetch_jurisdiction(
        _https_config(tmp_path, srv.port),
        "tls",
        RawStore(tmp_path / "raw"),
        resolver=lambda h, p: ["127.0.0.1"],
        limiter=HostLimiter(),
        verify=trusted,
    )
    assert [d.status for d in report.documents] == [DOWNLOADED] * N_DOCS


def test_a_full_disk_fails_that_document_cleanly(harness: Harness) -> None:
    big = f"/luohu/files/{DIRECT[1]}"
    harness.site.write_pdf(DIRECT[1], make_pdf("big") + b"%" + b"0" * 200_000 + b"\n")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, hard))
    try:
        report = harness.run()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    e = harness.entry(report, big)
    assert (e.outcome, e.attempts, e.sha256) == (STORAGE_ERROR, 1, None)
    assert "raw store" in e.error and "File too large" in e.error
    assert harness.store.partials() == []
    assert len(report.documents) == N_DOCS - 1
    # Room again: the next run fetches it.
    again = harness.run()
    assert harness.entry(again, big).outcome == DOWNLOADED
