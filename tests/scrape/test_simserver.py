"""The simulated site server itself: HTTP semantics, the download script, path safety, the CLI,
and serve_simulated() for a config with {simulated} listings."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, unquote

import httpx
import pytest

from budgetlens.scrape import RawStore, fetch_jurisdiction, load_sources, serve_simulated
from budgetlens.scrape.names import parse_content_disposition
from corpus.faultserver import Fault, FaultServer

from .conftest import DIRECT, VIA_SCRIPT, WEB_SOURCE, Site, write_config

REPO = Path(__file__).resolve().parents[2]


def test_static_files_etag_and_conditional_get(site: Site, server: FaultServer) -> None:
    url = server.url(f"/luohu/files/{DIRECT[0]}")
    with httpx.Client() as c:
        r = c.get(url)
        assert r.status_code == 200 and r.content == site.pdfs[f"/luohu/files/{DIRECT[0]}"]
        etag, lm = r.headers["etag"], r.headers["last-modified"]
        assert c.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert c.get(url, headers={"If-None-Match": '"other", ' + etag}).status_code == 304
        assert c.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
        assert c.get(url, headers={"If-Modified-Since": lm}).status_code == 304
        assert c.get(url, headers={"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}).status_code == 200
        # A changed file gets a new ETag even within the same second.
        (site.root / "luohu" / "files" / DIRECT[0]).write_bytes(b"%PDF-1.4 changed")
        r2 = c.get(url, headers={"If-None-Match": etag})
        assert r2.status_code == 200 and r2.headers["etag"] != etag
        assert c.get(server.base_url + "/luohu/").text.startswith("<!DOCTYPE html>")  # index.html
        assert c.head(url).headers["content-length"] == str(len(b"%PDF-1.4 changed"))


def test_download_script_and_content_disposition(site: Site, server: FaultServer) -> None:
    with httpx.Client() as c:
        r = c.get(server.url("/luohu/download.jsp?id=2"))
        assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
        assert "filename*=UTF-8''" in r.headers["content-disposition"]
        assert parse_content_disposition(r.headers["content-disposition"]) == VIA_SCRIPT["2"]
        assert r.content == site.pdfs[f"/luohu/files/{VIA_SCRIPT['2']}"]
        assert c.get(server.url("/luohu/download.jsp?id=99")).status_code == 404
        assert c.get(server.url("/luohu/download.jsp")).status_code == 404


def test_download_script_cannot_leave_the_sites_dir(site: Site, server: FaultServer, tmp_path: Path) -> None:
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-secret")
    (site.root / "luohu" / "downloads.json").write_text(
        json.dumps({"9": "../../secret.pdf"}), encoding="utf-8"
    )
    with httpx.Client() as c:
        assert c.get(server.url("/luohu/download.jsp?id=9")).status_code == 404


def raw_status(server: FaultServer, target: str) -> int:
    """Status of a GET with a raw, unnormalised request target (httpx would normalise the dots away)."""
    with socket.create_connection((server.host, server.port), timeout=5) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        head = s.recv(64).decode("latin-1")
    return int(head.split(" ", 2)[1])


@pytest.mark.parametrize(
    "raw_path",
    [
        "/../secret.pdf",
        "/luohu/../../secret.pdf",
        "/%2e%2e/secret.pdf",
        "/luohu/%2e%2e/%2e%2e/secret.pdf",
        "/luohu/files/%00.pdf",
    ],
)
def test_path_traversal_is_404(site: Site, server: FaultServer, tmp_path: Path, raw_path: str) -> None:
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-secret")
    assert raw_status(server, raw_path) == 404
    assert raw_status(server, quote(f"/luohu/files/{DIRECT[0]}")) == 200  # the same request, a real file


def test_faults_apply_in_order_then_pass(site: Site, server: FaultServer) -> None:
    path = f"/luohu/files/{DIRECT[0]}"
    server.set_faults(path, Fault.error(500, times=1), Fault.error(429, times=1, retry_after=5))
    with httpx.Client() as c:
        statuses = [c.get(server.url(path)) for _ in range(3)]
    assert [r.status_code for r in statuses] == [500, 429, 200]
    assert statuses[1].headers["retry-after"] == "5"
    assert server.wait_idle()
    assert [r.fault for r in server.requests] == ["status", "status", None]
    assert server.hits(path) == 3


def stop_process(proc: subprocess.Popen, timeout: float = 10.0) -> int:
    """SIGTERM the process group of `proc` (started with start_new_session=True) and wait for it;
    SIGKILL the group if it is still there after `timeout`. Never SIGINT: a process started while
    SIGINT is ignored (pytest run as a background job) inherits that and would never stop."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout)
        raise AssertionError(f"pid {proc.pid} ignored SIGTERM for {timeout} s: killed") from None


@pytest.mark.parametrize(
    ("sigint", "stop_with"),
    [
        (signal.SIG_DFL, signal.SIGINT),  # Ctrl-C in a terminal
        (signal.SIG_DFL, signal.SIGTERM),  # kill PID
        (signal.SIG_IGN, signal.SIGTERM),  # a background job of a script: Ctrl-C ignored, kill PID works
    ],
    ids=["ctrl-c", "sigterm", "sigterm-with-sigint-ignored"],
)
def test_sites_serve_command(
    site: Site, tmp_path: Path, sigint: signal.Handlers, stop_with: signal.Signals
) -> None:
    """`budgetlens sites serve` serves until Ctrl-C or SIGTERM, then closes its socket and exits 0.
    The child's SIGINT disposition is set explicitly, whatever pytest itself was started with."""
    stderr = tmp_path / "stderr.txt"
    with stderr.open("wb") as err_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "sites", "serve", "--dir", str(site.root), "--port", "0"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=err_file,
            text=True,
            start_new_session=True,  # its own process group, stopped as a whole in the finally below
            preexec_fn=lambda: signal.signal(signal.SIGINT, sigint),
        )
    try:
        line = proc.stdout.readline()
        assert line.startswith("Serving ") and " at http://127.0.0.1:" in line, line + stderr.read_text()
        assert line.rstrip().endswith(
            "(Ctrl-C to stop)" if sigint == signal.SIG_DFL else f"(kill {proc.pid} to stop)"
        )
        base = line.split(" at ", 1)[1].split("/ ", 1)[0]
        assert proc.stdout.readline().strip() == f"{base}/luohu/index.html"
        assert httpx.get(f"{base}/luohu/index_1.html").status_code == 200
        os.kill(proc.pid, stop_with)
        assert proc.wait(timeout=10) == 0, stderr.read_text()
    finally:
        stop_process(proc)
        proc.stdout.close()
    assert stderr.read_text() == ""
    with pytest.raises(httpx.ConnectError):  # the port is closed
        httpx.get(f"{base}/luohu/index.html", timeout=1)


def test_sites_serve_command_without_a_sites_dir(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "sites", "serve", "--dir", str(tmp_path / "none")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2 and "no sites directory" in out.stderr


def test_serve_simulated_for_a_config(tmp_path: Path, site: Site) -> None:
    path = write_config(tmp_path / "s.toml", {"luohu": dict(WEB_SOURCE)}, simulated_dir=site.root)
    cfg = load_sources(path)
    with serve_simulated(cfg) as base_url:
        assert base_url and base_url.startswith("http://127.0.0.1:")
        report = fetch_jurisdiction(cfg.with_simulated_base(base_url), "luohu", RawStore(tmp_path / "raw"))
    assert len(report.documents) == len(DIRECT) + len(VIA_SCRIPT)
    with pytest.raises(httpx.ConnectError):  # stopped with the block
        httpx.get(base_url + "/luohu/index.html", timeout=1)
    plain = load_sources(write_config(tmp_path / "p.toml", {"x": {"listing": "http://a.example/"}}))
    with serve_simulated(plain) as none:
        assert none is None


def _script_target(sites: Path, path: str) -> str:
    """`/<site>/download.jsp?id=N` as the file path its downloads.json maps it to; other paths as they are."""
    if "/download.jsp?id=" not in path:
        return path
    site, number = path.strip("/").split("/", 1)[0], path.rsplit("=", 1)[1]
    mapping = json.loads((sites / site / "downloads.json").read_text(encoding="utf-8"))
    return f"/{site}/{mapping[number]}"


def test_default_sample_config_fetches_the_bundled_sites(tmp_path: Path, sample_dir: Path) -> None:
    """`sources/sample.toml` over the committed corpus: every document of sample/manifest.json on a
    served site is stored (by its sha256), the deliberately broken HTML-as-PDF ones are rejected,
    and nothing else goes wrong."""
    sites = sample_dir / "sites"
    listings = sorted(sites.glob("*/index.html"))
    manifest_path = sample_dir / "manifest.json"
    # the sample corpus is part of the repository: its absence is a failure
    assert listings and manifest_path.is_file(), (
        f"the sample corpus has no site listing or manifest ({sites})"
    )
    served = {p.parent.name for p in listings}
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))["documents"]
    docs = [d for d in manifest if d["file"].split("/")[1] in served]
    cfg = load_sources(REPO / "sources" / "sample.toml")
    assert set(cfg.jurisdictions) >= served
    store = RawStore(tmp_path / "raw")
    rejected: set[str] = set()
    with serve_simulated(cfg) as base_url:
        cfg = cfg.with_simulated_base(base_url)
        for j in sorted(served):
            report = fetch_jurisdiction(cfg, j, store)
            assert report.complete, j
            rejected |= {
                unquote(e.url.split(base_url, 1)[1]) for e in report.errors if e.outcome == "rejected_not_pdf"
            }
            assert {e.outcome for e in report.errors} <= {"rejected_not_pdf"}, [
                e.to_row() for e in report.errors
            ]
    not_pdf = {"/" + d["file"].removeprefix("sites/") for d in docs if d.get("error_code") == "not_pdf"}
    assert {_script_target(sites, path) for path in rejected} == not_pdf
    missing = [d["id"] for d in docs if d.get("error_code") != "not_pdf" and not store.has(d["sha256"])]
    assert missing == []
