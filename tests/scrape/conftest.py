"""Fixtures for the scraper tests: a small simulated site (the shape of sample/sites, see
docs/corpus.md) in tmp_path, served by the real FaultServer (corpus/faultserver.py) on 127.0.0.1, and
fast fetch settings."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

from budgetlens.scrape import HostLimiter, RawStore, SourcesConfig, fetch_jurisdiction, load_sources
from budgetlens.scrape.records import FetchReport
from corpus.faultserver import FaultServer


def make_pdf(label: str) -> bytes:
    """A small valid one-page PDF whose bytes depend on `label`."""
    text = label.encode("ascii", "backslashreplace").replace(b"(", b"").replace(b")", b"")
    stream = b"BT /F1 12 Tf 20 100 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# The fixture site: district "luohu", three listing pages (index.html, index_1.html, index_2.html),
# direct links to Chinese-named PDFs (percent-encoded, as real sites do) and download.jsp links.
DIRECT = [
    "2022年深圳市罗湖区科技创新局部门预算.pdf",
    "2022年深圳市罗湖区教育局部门预算.pdf",
    "2022年深圳市罗湖区司法局部门预算.pdf",
]
VIA_SCRIPT = {"1": "2022年深圳市罗湖区财政局部门预算.pdf", "2": "2022年深圳市罗湖区卫生健康局部门预算.pdf"}
NOISE = [
    '<a href="#top">返回顶部</a>',
    '<a href="javascript:void(0)">打印</a>',
    '<a href="mailto:x@y.cn">联系我们</a>',
    '<a href="../about.html">关于</a>',
    '<a href="notice.html">通知公告</a>',
    "<a>没有链接</a>",
]


@dataclass
class Site:
    """The fixture site on disk and what it contains."""

    root: Path  # the sites dir (what FaultServer serves)
    district: str = "luohu"
    pdfs: dict[str, bytes] = field(default_factory=dict)  # decoded URL path -> bytes

    def path(self, name: str) -> str:
        return f"/{self.district}/files/{name}"

    def write_pdf(self, name: str, data: bytes) -> None:
        (self.root / self.district / "files" / name).write_bytes(data)
        self.pdfs[self.path(name)] = data


def _page(links: list[str], *, next_href: str | None = None) -> str:
    items = "\n".join(f"<li>{a}</li>" for a in links + NOISE)
    nxt = f'<a class="next" href="{next_href}">下一页</a>' if next_href else ""
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>部门预算</title></head>'
        f"<body><ul>{items}</ul><div class='pages'>{nxt}</div></body></html>"
    )


def _link(name: str) -> str:
    return f'<a href="files/{quote(name)}" title="{name}">{name.removesuffix(".pdf")}</a>'


def build_site(root: Path) -> Site:
    """Write the fixture site under `root` and return it."""
    site = Site(root)
    files = root / site.district / "files"
    files.mkdir(parents=True)
    for name in DIRECT + list(VIA_SCRIPT.values()):
        site.write_pdf(name, make_pdf(name))
    (root / site.district / "downloads.json").write_text(
        json.dumps({k: f"files/{v}" for k, v in VIA_SCRIPT.items()}, ensure_ascii=False), encoding="utf-8"
    )
    d = root / site.district
    (d / "index.html").write_text(
        _page([_link(DIRECT[0]), '<a href="download.jsp?id=1">财政局预算</a>'], next_href="index_1.html"),
        encoding="utf-8",
    )
    (d / "index_1.html").write_text(
        _page([_link(DIRECT[1]), '<a href="download.jsp?id=2">卫健局预算</a>'], next_href="index_2.html"),
        encoding="utf-8",
    )
    (d / "index_2.html").write_text(_page([_link(DIRECT[2]), _link(DIRECT[0])]), encoding="utf-8")
    (d / "notice.html").write_text("<html><body>通知</body></html>", encoding="utf-8")
    return site


FAST = {
    "min_delay": 0.0,
    "connect_timeout": 2.0,
    "read_timeout": 2.0,
    "deadline": 10.0,
    "backoff_base": 0.01,
    "backoff_max": 0.05,
    "retry_after_max": 0.1,
    "max_bytes": 1_000_000,
    "settle_seconds": 0.0,
}


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    return repr(v)


def write_config(
    path: Path,
    sources: dict[str, dict[str, object]],
    *,
    defaults: dict[str, object] | None = None,
    simulated_dir: Path | None = None,
) -> Path:
    """Write a sources TOML file (FAST defaults unless overridden)."""
    lines = ["[defaults]"] + [f"{k} = {_toml_value(v)}" for k, v in {**FAST, **(defaults or {})}.items()]
    if simulated_dir is not None:
        lines += ["[simulated]", f"dir = {_toml_value(str(simulated_dir))}"]
    for sid, values in sources.items():
        lines.append(f"[sources.{sid}]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


WEB_SOURCE = {
    "name": "深圳市罗湖区",
    "listing": "{simulated}/luohu/index.html",
    "allow_private": True,
    "links": {"href_pattern": r"(?i)\.pdf$|download\.jsp\?id=\d+$"},
    "pagination": {"pattern": "index_{n}.html"},
}


class Harness:
    """A served fixture site, its config, a raw store, and recorded sleeps."""

    def __init__(self, tmp: Path, site: Site, server: FaultServer) -> None:
        self.tmp, self.site, self.server = tmp, site, server
        self.store = RawStore(tmp / "raw")
        self.sleeps: list[float] = []
        self.limiter = HostLimiter()
        self.configure()

    def configure(self, defaults: dict[str, object] | None = None, **source: object) -> SourcesConfig:
        path = write_config(
            self.tmp / "sources.toml",
            {"luohu": {**WEB_SOURCE, **source}},
            defaults=defaults,
            simulated_dir=self.site.root,
        )
        self.config = load_sources(path, simulated_base_url=self.server.base_url)
        return self.config

    def run(self, jurisdiction: str = "luohu", **kwargs: object) -> FetchReport:
        kwargs.setdefault("limiter", self.limiter)
        return fetch_jurisdiction(self.config, jurisdiction, self.store, sleep=self.sleeps.append, **kwargs)

    def entry(self, report: FetchReport, path: str):
        """The log entry of the document at decoded path `path`."""
        url = self.server.url(path)
        matches = [e for e in report.log if e.url == url]
        assert len(matches) == 1, (url, [e.url for e in report.log])
        return matches[0]


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return build_site(tmp_path / "sites")


@pytest.fixture
def server(site: Site) -> Iterator[FaultServer]:
    with FaultServer(site.root) as srv:
        yield srv


@pytest.fixture
def harness(tmp_path: Path, site: Site, server: FaultServer) -> Harness:
    return Harness(tmp_path, site, server)


@pytest.fixture
def other_server(tmp_path: Path) -> Iterator[FaultServer]:
    """A second site on another port: a host the config does not name."""
    other = build_site(tmp_path / "other-sites")
    with FaultServer(other.root) as srv:
        yield srv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
