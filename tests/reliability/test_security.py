"""Security at the edges: URL-derived names cannot escape the raw store; links and redirects to
hosts outside the config, non-http schemes and private or loopback addresses are refused before
any connection (a test source on 127.0.0.1 is fetched only because its config says so); SQL is
parameterised on every path hostile strings can take; `budgetlens sql` cannot change the
warehouse or reach other files. The report in a browser is in test_pipeline_inputs.py.

Unit-level: tests/scrape/test_store.py, test_pure.py, test_fetch_faults.py, test_crawl.py;
tests/warehouse/test_commands.py; tests/publish/test_report.py, test_browser.py.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from budgetlens.scrape import HostLimiter, RawStore, fetch_jurisdiction, load_sources
from budgetlens.scrape.names import MAX_NAME_CHARS
from budgetlens.scrape.records import DOWNLOADED, REFUSED_HOST
from budgetlens.scrape.urlpolicy import canonical_url
from corpus.faultserver import Fault, FaultServer
from tests.reliability.crafted.pdfraw import text_page_pdf

pytestmark = pytest.mark.reliability

AREA = "security"
TOKEN = uuid.uuid4().hex[:12]  # in every name that tries to escape, so a stray file is found


def write_config(path: Path, listing: str, **defaults: object) -> Path:
    values = {"min_delay": 0.0, "allow_private": True, "backoff_base": 0.01, "backoff_max": 0.02, **defaults}
    lines = ["[defaults]"] + [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    lines += [
        "[sources.site]",
        f"listing = {json.dumps(listing)}",
        "links = { href_pattern = '(?i)pdf|download' }",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- names from URLs and Content-Disposition never become paths ---------------------------------

HOSTILE_NAMES = [
    f"../../../../tmp/evil-{TOKEN}.pdf",
    f"/etc/cron.d/evil-{TOKEN}.pdf",
    f"..\\..\\..\\evil-{TOKEN}.pdf",
    f"C:\\Windows\\evil-{TOKEN}.pdf",
    f"evil-{TOKEN}\x00.pdf.exe",
    f"evil-{TOKEN}\r\n.pdf",
    f".evil-{TOKEN}.pdf",
    "A" * 5000 + f"-{TOKEN}.pdf",
    f"~evil-{TOKEN}.part",
]
HOSTILE_PATHS = [
    f"/site/files/..%2f..%2f..%2fevil-{TOKEN}.pdf",
    f"/site/files/%2e%2e/%2e%2e/evil-{TOKEN}-dots.pdf",
    f"/site/files/evil-{TOKEN}%00.pdf",
    f"/site/files/evil-{TOKEN}%0d%0a.pdf",
    f"/site/files/{'B' * 3000}-{TOKEN}.pdf",
]


class HostileSite(BaseHTTPRequestHandler):
    """A site whose document URLs and Content-Disposition names try to climb out of the store."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?", 1)[0]
        if path == "/site/index.html":
            links = [f'<a href="{p}">doc</a>' for p in HOSTILE_PATHS]
            links += [f'<a href="/site/download?id={i}">doc {i}</a>' for i in range(len(HOSTILE_NAMES))]
            return self._send(
                200, "text/html; charset=utf-8", ("<html><body>" + "".join(links) + "</body></html>").encode()
            )
        if path.startswith("/site/"):
            body = text_page_pdf([f"document {self.path}"[:60]])
            headers = []
            if path == "/site/download":
                name = HOSTILE_NAMES[int(self.path.rsplit("=", 1)[1])]
                headers = [
                    ("Content-Disposition", f"attachment; filename*=UTF-8''{quote(name, safe='')}"),
                ]
            return self._send(200, "application/pdf", body, headers)
        return self._send(404, "text/plain", b"no")

    def _send(self, status: int, ctype: str, body: bytes, headers: list[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hostile_site():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), HostileSite)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_url_and_header_names_never_leave_the_store(tmp_path: Path, hostile_site: str, faults):
    with faults.trial(
        "hostile names in URLs and Content-Disposition", AREA, see_also="tests/scrape/test_store.py"
    ) as t:
        root = tmp_path / "raw"
        cfg = write_config(tmp_path / "s.toml", f"{hostile_site}/site/index.html")
        report = fetch_jurisdiction(load_sources(cfg), "site", RawStore(root), limiter=HostLimiter())
        docs = [e for e in report.log if e.kind == "document"]
        assert docs and all(e.outcome == DOWNLOADED for e in docs), [
            (e.url, e.outcome, e.error) for e in docs
        ]
        # every file written is inside the store, named by content (or the store's own state)
        for p in tmp_path.rglob("*"):
            rel = p.relative_to(root) if p.is_relative_to(root) else None
            assert rel is not None or p == cfg, p
            if p.is_file() and rel is not None and rel.parts[0] not in (".state", ".pages"):
                assert (
                    len(rel.parts) == 2
                    and rel.parts[1] == f"{hashlib.sha256(p.read_bytes()).hexdigest()}.pdf"
                )
        assert not any(TOKEN in str(p) for p in tmp_path.rglob("*"))
        for escaped in (Path("/tmp") / f"evil-{TOKEN}.pdf", Path("/etc/cron.d") / f"evil-{TOKEN}.pdf"):
            assert not escaped.exists()
        for d in report.documents:  # the names are kept as metadata only, cleaned
            assert d.file_name and len(d.file_name) <= MAX_NAME_CHARS
            assert not any(c in d.file_name for c in "/\\\x00\r\n"), d.file_name
        assert RawStore(root).partials() == []
        t.outcome(f"{len(docs)} stored by sha256, 0 escaped")


# --- links and redirects: refused before any connection ----------------------------------------


@pytest.fixture
def sites(tmp_path: Path):
    root = tmp_path / "sites"
    (root / "site" / "files").mkdir(parents=True)
    (root / "site" / "files" / "ok.pdf").write_bytes(text_page_pdf(["ok"]))
    for i in range(5):
        (root / "site" / "files" / f"r{i}.pdf").write_bytes(text_page_pdf([f"redirected {i}"]))
    other_root = tmp_path / "other"
    (other_root / "site" / "files").mkdir(parents=True)
    (other_root / "site" / "files" / "a.pdf").write_bytes(text_page_pdf(["other host"]))
    with FaultServer(root) as server, FaultServer(other_root) as other:
        yield root, server, other


def hostile_links(server: FaultServer, other: FaultServer) -> list[str]:
    p = server.port
    return [
        f"http://127.0.0.1:{other.port}/site/files/a.pdf",  # loopback, another port: not in the config
        f"http://localhost:{p}/site/files/ok.pdf",  # the same server by another name
        f"http://[::1]:{p}/site/files/ok.pdf",
        "http://10.0.0.1/a.pdf",
        "http://192.168.1.1/a.pdf",
        "http://169.254.169.254/latest/meta-data/a.pdf",  # cloud metadata
        "http://0.0.0.0/a.pdf",
        "http://2130706433/a.pdf",  # 127.0.0.1 written as a number
        "http://0x7f000001/a.pdf",
        "http://127.1/a.pdf",
        f"http://user:pw@127.0.0.1:{p}/site/files/ok.pdf",  # credentials, on the allowed host itself
        "file:///etc/passwd.pdf",
        "file://localhost/etc/hosts.pdf",
        "ftp://127.0.0.1/a.pdf",
        "gopher://127.0.0.1:70/a.pdf",
        "//evil.example/a.pdf",  # scheme-relative
        "https://evil.example/a.pdf",
    ]


def redirect_targets(server: FaultServer, other: FaultServer) -> list[str]:
    return [
        f"http://127.0.0.1:{other.port}/site/files/a.pdf",
        "http://169.254.169.254/latest/meta-data/r.pdf",
        "file:///etc/passwd",
        f"http://localhost:{server.port}/site/files/ok.pdf",
        f"http://user:pw@127.0.0.1:{server.port}/site/files/ok.pdf",
    ]


def _listing(root: Path, links: list[str]) -> None:
    items = "".join(f'<li><a href="{h}">x</a></li>' for h in links)
    items += "<li><a href=\"javascript:fetch('http://10.0.0.1/a.pdf')\">js</a></li>"
    items += '<li><a href="data:application/pdf;base64,JVBERi0xLjQK">data</a></li>'
    items += '<li><a href="files/ok.pdf">ok</a></li>'
    items += "".join(f'<li><a href="files/r{i}.pdf">r{i}</a></li>' for i in range(5))
    (root / "site" / "index.html").write_text(f"<html><body><ul>{items}</ul></body></html>", encoding="utf-8")


def test_links_and_redirects_elsewhere_are_refused_before_connecting(tmp_path: Path, sites, faults):
    root, server, other = sites
    links = hostile_links(server, other)
    targets = redirect_targets(server, other)
    _listing(root, links)
    for i, target in enumerate(targets):
        server.set_faults(f"/site/files/r{i}.pdf", Fault.redirect(target))
    looked_up: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        looked_up.append(host)
        raise AssertionError(f"{host} must not be resolved: it is refused first")

    listing = f"{server.base_url}/site/index.html"
    cfg = write_config(tmp_path / "s.toml", listing)
    report = fetch_jurisdiction(
        load_sources(cfg), "site", RawStore(tmp_path / "raw"), resolver=resolver, limiter=HostLimiter()
    )
    refused = {e.url: e for e in report.log if e.outcome == REFUSED_HOST}
    for href in links:
        with faults.trial(
            "link to a refused host / scheme / address", AREA, see_also="tests/scrape/test_fetch_faults.py"
        ) as t:
            e = refused.get(canonical_url(href, listing))
            assert e is not None, f"{href} was not refused: {[(x.url, x.outcome) for x in report.log]}"
            assert e.attempts == 0 and e.status is None  # no request made
            t.outcome("refused before connecting")
    for i, target in enumerate(targets):
        with faults.trial(
            "redirect to a refused host / scheme / address",
            AREA,
            see_also="tests/scrape/test_fetch_faults.py",
        ) as t:
            e = next(x for x in report.log if x.url.endswith(f"/site/files/r{i}.pdf"))
            assert (e.outcome, e.status, e.sha256) == (REFUSED_HOST, 302, None), (target, e.outcome, e.error)
            t.outcome("refused at the hop")
    assert other.arrivals == [] and looked_up == []
    allowed = {"/robots.txt", "/site/index.html", "/site/files/ok.pdf"} | {
        f"/site/files/r{i}.pdf" for i in range(5)
    }
    assert set(server.arrivals) <= allowed
    assert not any("javascript" in e.url or e.url.startswith("data:") for e in report.log)  # ignored links
    assert [d.url for d in report.documents] == [f"{server.base_url}/site/files/ok.pdf"]


def test_a_loopback_source_needs_the_config_to_allow_it(tmp_path: Path, sites, faults):
    root, server, other = sites
    _listing(root, [])
    with faults.trial(
        "source on 127.0.0.1 without allow_private", AREA, see_also="tests/scrape/test_crawl.py"
    ) as t:
        cfg = write_config(tmp_path / "s.toml", f"{server.base_url}/site/index.html", allow_private=False)
        report = fetch_jurisdiction(
            load_sources(cfg), "site", RawStore(tmp_path / "raw"), limiter=HostLimiter()
        )
        assert report.log and {e.outcome for e in report.log} == {REFUSED_HOST}
        assert all("private, loopback or reserved" in e.error for e in report.log)
        assert server.arrivals == [] and report.documents == []
        t.outcome("refused before connecting")
    with faults.trial("source on 127.0.0.1 with allow_private = true", AREA) as t:
        cfg = write_config(tmp_path / "s.toml", f"{server.base_url}/site/index.html", allow_private=True)
        report = fetch_jurisdiction(
            load_sources(cfg), "site", RawStore(tmp_path / "raw"), limiter=HostLimiter()
        )
        assert len(report.documents) == 6 and server.arrivals
        t.outcome("fetched (the config says so)")


# --- SQL: hostile strings on every path to the warehouse -----------------------------------------

HOSTILE_STRINGS = [
    "x'; drop table documents; --",
    '"); drop table totals; --',
    "' or '1'='1",
    "\\'; select 1; --",
    "%_*?[]^$.",
    "$1 $$ $tag$ ? :name @p",
    "${jndi:ldap://127.0.0.1:1/x} {{7*7}} %(x)s {0}",
    "/* c */ -- c",
    "<script>window.__pwned=1</script>",
    "\u202etxt.exe \u200b 🧾",
    "tab\there\nnewline\r\n",
    "nul\x00byte",
]


def hostile_record(file_sha: str, s: str) -> dict:
    from tests.warehouse.records import luohu_record

    rec = luohu_record(file_sha, department=f"罗湖区{s}局", jurisdiction=f"深圳市{s}")
    rec["source"]["file"] = f"{s}.pdf"
    for line in rec["function_lines"]:
        line["name"] = f"{line['name']}{s}"
    rec["warnings"] = [{"code": "sum_mismatch", "message": s, "page": 1}]
    for table in rec["tables"]:
        table["title"] = f"{table['title']}{s}"
        table["rows"] = [[f"{c}{s}" if i == 0 else c for i, c in enumerate(row)] for row in table["rows"]]
    return rec


def test_hostile_strings_take_every_path_to_sql_and_come_back_exactly(tmp_path: Path, faults):
    from warehouse.db import connect
    from warehouse.loader import StatusUpdate, load_fetch_log, load_staged, set_statuses
    from warehouse.schema import TABLES
    from warehouse.staging import stage_records

    wh = tmp_path / "wh" / "warehouse.duckdb"
    with faults.trial(
        "hostile strings through loader, statuses, fetch log, models, exports, report", AREA
    ) as t:
        staged, expected = [], {}
        for i, s in enumerate(HOSTILE_STRINGS):
            sha = hashlib.sha256(f"hostile-{i}".encode()).hexdigest()
            staged += stage_records(
                tmp_path / "staging",
                [hostile_record(sha, s)],
                source_url=f"http://127.0.0.1/{quote(s)}.pdf?q={quote(s)}",
                file_name=f"{s}.pdf",
                jurisdiction_hint=s,
                fetched_at="2026-01-05T02:00:00+00:00",
            )
            expected[sha] = s
        report = load_staged(wh, staged)
        assert report.failed == [] and report.rejected == [] and report.documents == len(HOSTILE_STRINGS)
        con = connect(wh)
        try:
            set_statuses(
                con,
                [StatusUpdate(sha, "quarantined", f"reason {s}") for sha, s in list(expected.items())[:3]],
            )
            load_fetch_log(
                con,
                [
                    {"jurisdiction": s, "kind": "document", "url": f"http://127.0.0.1/{i}?{s}", "fetched_at": "2026-01-05T02:00:00+00:00",
                     "final_url": None, "status": 500, "bytes": None, "sha256": None, "etag": s, "last_modified": s,
                     "elapsed_s": 0.1, "attempts": 1, "outcome": "http_error", "error": s, "file_name": s}
                    for i, s in enumerate(HOSTILE_STRINGS)
                ],
            )  # fmt: skip
            from warehouse.models import build_models

            build_models(con)
        finally:
            con.close()
        con = connect(wh, read_only=True)
        try:
            present = {
                r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
            }
            assert set(TABLES) <= present  # nothing was dropped
            for sha, s in expected.items():
                row = con.execute(
                    "select department, jurisdiction_hint, file_name from documents where doc_id = ?", [sha]
                ).fetchone()
                assert row == (f"罗湖区{s}局", s, f"{s}.pdf")
                names = [
                    r[0]
                    for r in con.execute(
                        "select name from function_lines where doc_id = ? order by line_no", [sha]
                    ).fetchall()
                ]
                assert names and all(n.endswith(s) for n in names)
                assert con.execute(
                    "select message from warnings where doc_id = ? and code = 'sum_mismatch'", [sha]
                ).fetchone() == (s,)
            errors = sorted(r[0] for r in con.execute("select error from fetch_log").fetchall())
            assert errors == sorted(HOSTILE_STRINGS)
            reasons = {
                r[0]
                for r in con.execute(
                    "select status_reason from documents where status = 'quarantined'"
                ).fetchall()
            }
            assert reasons == {f"reason {s}" for s in HOSTILE_STRINGS[:3]}
            from budgetlens.publish.exports import export_tables
            from budgetlens.report import build_report

            exports = export_tables(con, tmp_path / "pub")
            result = build_report(con, tmp_path / "pub", raw_dir=None)
        finally:
            con.close()
        assert exports and result.index.is_file()
        documents_csv = (tmp_path / "pub").rglob("documents*.csv")
        text = "".join(p.read_text(encoding="utf-8") for p in documents_csv)
        assert "drop table documents" in text  # exported as data
        con = connect(wh, read_only=True)
        try:
            kept = con.execute("select count(distinct doc_id) from documents").fetchone()[0]
        finally:
            con.close()
        t.rows_lost = len(expected) - kept
        assert t.rows_lost == 0
        t.outcome(f"{len(HOSTILE_STRINGS)} strings round-tripped")


# --- budgetlens sql: read-only, sandboxed --------------------------------------------------------

HOSTILE_STATEMENTS = [
    "drop table documents",
    "select 1; drop table documents",
    "select count(*) from documents where department = ''; drop table documents; --'",
    "delete from documents",
    "update documents set status = 'published'",
    "insert into runs (run_id) values ('x')",
    "create table x as select 1",
    "create temp table x as select 1",
    "with d as (select 1) delete from documents",
    "alter table documents rename to gone",
    "attach '{tmp}/other.duckdb' as other",
    "copy documents to '{tmp}/out.csv'",
    "export database '{tmp}/export'",
    "install httpfs",
    "load httpfs",
    "set enable_external_access = true",
    "pragma enable_profiling",
    "checkpoint",
    "vacuum",
    "call pragma_database_size()",
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/passwd')",
    "select * from read_blob('/etc/hostname')",
    "select * from glob('/etc/*')",
    "select * from read_parquet('http://127.0.0.1:1/x.parquet')",
    "select * from '{tmp}/../wh/warehouse.duckdb'",
]


@pytest.fixture
def small_warehouse(tmp_path: Path) -> Path:
    from tests.warehouse.records import luohu_record
    from warehouse.loader import load_staged
    from warehouse.staging import stage_records

    wh = tmp_path / "wh" / "warehouse.duckdb"
    staged = stage_records(
        tmp_path / "staging",
        [luohu_record()],
        source_url="http://127.0.0.1/a.pdf",
        fetched_at="2026-01-05T02:00:00+00:00",
    )
    load_staged(wh, staged)
    return wh


def _tree(d: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(d)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in d.rglob("*")
        if p.is_file()
    }


def test_budgetlens_sql_cannot_change_the_warehouse_or_reach_other_files(
    small_warehouse: Path, tmp_path: Path, capsys, faults
):
    from pipeline.cli import main

    before = _tree(small_warehouse.parent)
    for statement in HOSTILE_STATEMENTS:
        sql = statement.format(tmp=tmp_path)
        with faults.trial(
            "hostile statement through budgetlens sql", AREA, see_also="tests/warehouse/test_commands.py"
        ) as t:
            code = main(["sql", sql, "--warehouse", str(small_warehouse), "--format", "csv"])
            out, err = capsys.readouterr()
            assert code in (1, 2), (sql, code, out)
            assert "root:" not in out and err.strip()
            t.outcome(f"exit {code}")
    # a hostile *value* in a read is just a value
    code = main(["sql", "select count(*) as n from documents where department = 'x''; drop table documents; --'",
                 "--warehouse", str(small_warehouse), "--format", "json"])  # fmt: skip
    out, _ = capsys.readouterr()
    assert code == 0 and json.loads(out) == [{"n": 0}]
    assert _tree(small_warehouse.parent) == before  # not a byte or a timestamp changed, no file added
    leftovers = [p.name for p in tmp_path.iterdir() if p.name in ("other.duckdb", "out.csv", "export")]
    assert leftovers == []
    code = main(
        [
            "sql",
            "select count(*) as n from documents",
            "--warehouse",
            str(small_warehouse),
            "--format",
            "json",
        ]
    )
    assert code == 0 and json.loads(capsys.readouterr().out) == [{"n": 1}]
