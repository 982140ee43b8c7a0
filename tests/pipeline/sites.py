"""A sources config over a copy of some sample sites, served on one fixed port for every run."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SITES = REPO / "sample" / "sites"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sites_config(tmp: Path, site_ids: list[str], *, port: int | None = None) -> Path:
    """Copy the sample sites `site_ids` under tmp/sites and write tmp/sources.toml for them.

    One port for every run made with this config: the sources' URLs (and so their conditional-GET
    state) stay the same from run to run, as they do for a real website.
    """
    sites = tmp / "sites"
    for sid in site_ids:
        shutil.copytree(SITES / sid, sites / sid)
    lines = [
        "[defaults]",
        "min_delay = 0.0",
        "allow_private = true",
        "",
        "[simulated]",
        f'dir = "{sites}"',
        f"port = {port or free_port()}",
        "",
    ]
    for sid in site_ids:
        lines += [
            f"[sources.{sid}]",
            f'listing = "{{simulated}}/{sid}/index.html"',
            "links = { selector = \"a[href]\", href_pattern = '(?i)\\.pdf$|download\\.jsp\\?id=\\d+$' }",
            'pagination = { pattern = "index_{n}.html", start = 1 }',
            "",
        ]
    cfg = tmp / "sources.toml"
    cfg.write_text("\n".join(lines), encoding="utf-8")
    return cfg
