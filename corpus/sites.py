"""Simulated district websites: paginated listings linking to the corpus PDFs.

Per jurisdiction `sites/<district>/`: `index.html`, `index_1.html`, … (DEFAULT_PER_PAGE links a
page), relative percent-encoded links to `files/<中文名>.pdf`, some through `download.jsp?id=N`
(`downloads.json` maps N → "files/<name>.pdf"; budgetlens.scrape.simserver serves it with a
Content-Disposition file name), plus noise: news pages, duplicate links, links off the site.
"""

from __future__ import annotations

import html
import json
import random
from pathlib import Path
from typing import Any
from urllib.parse import quote

DEFAULT_PER_PAGE = 7
DOWNLOAD_EVERY = 3  # every third document link goes through download.jsp
SITE_NAMES = {
    "luohu": "罗湖区",
    "futian": "福田区",
    "nanshan": "南山区",
    "yantian": "盐田区",
    "baoan": "宝安区",
    "longgang": "龙岗区",
    "longhua": "龙华区",
    "pingshan": "坪山区",
    "guangming": "光明区",
    "dapeng": "大鹏新区",
    "putuo": "普陀区",
    "jingan": "静安区",
}
NEWS = [
    "关于做好预算公开工作的通知",
    "区财政局召开预算编制工作会议",
    "政府信息公开年度报告",
    "关于征集民生实事项目的公告",
    "预决算公开专栏使用说明",
]


def _page_name(k: int) -> str:
    return "index.html" if k == 0 else f"index_{k}.html"


def _link_text(file: str) -> str:
    return Path(file).stem


def build_site(root: Path, district: str, truths: list[dict[str, Any]], seed: int) -> dict[str, Any]:
    """Write one district's listing pages, news pages and downloads.json; returns a summary."""
    rng = random.Random(f"{seed}:{district}")
    site = root / "sites" / district
    files = sorted({t["file"].removeprefix(f"sites/{district}/") for t in truths})
    downloads: dict[str, str] = {}
    links: list[tuple[str, str]] = []  # (href, text)
    for i, rel in enumerate(files):
        if i % DOWNLOAD_EVERY == DOWNLOAD_EVERY - 1:
            n = str(len(downloads) + 1)
            downloads[n] = rel
            links.append((f"download.jsp?id={n}", _link_text(rel)))
        else:
            links.append((quote(rel), _link_text(rel)))
    # noise: news pages, a duplicate document link, a link to another site
    news_dir = site / "news"
    news_dir.mkdir(parents=True, exist_ok=True)
    for k, title in enumerate(NEWS[: rng.randint(2, len(NEWS))]):
        name = f"news/{1000 + k}.html"
        (site / name).write_text(_html(title, f"<p>{html.escape(title)}。（示例数据）</p>"), encoding="utf-8")
        links.insert(rng.randint(0, len(links)), (name, title))
    if files:
        dup = links[rng.randrange(len(links))]
        links.insert(rng.randint(0, len(links)), dup)
    links.append(("http://www.gov.cn/", "中国政府网"))
    pages = [links[i : i + DEFAULT_PER_PAGE] for i in range(0, len(links), DEFAULT_PER_PAGE)] or [[]]
    for k, chunk in enumerate(pages):
        items = "\n".join(
            f'<li><a href="{html.escape(h)}">{html.escape(t)}</a><span class="date">'
            f"{2022 + (k + j) % 2}-0{1 + (k + j) % 9}-1{j % 10}</span></li>"
            for j, (h, t) in enumerate(chunk)
        )
        nav = [f'<a href="{_page_name(0)}">首页</a>']
        if k > 0:
            nav.append(f'<a href="{_page_name(k - 1)}">上一页</a>')
        if k < len(pages) - 1:
            nav.append(f'<a href="{_page_name(k + 1)}">下一页</a>')
        nav.append(f'<a href="{_page_name(len(pages) - 1)}">尾页</a>')
        body = (
            f'<h1>{SITE_NAMES.get(district, district)}预决算公开（示例数据）</h1>\n<ul class="list">\n{items}\n</ul>\n'
            f'<div class="page">{" ".join(nav)} 共{len(pages)}页</div>'
        )
        (site / _page_name(k)).write_text(
            _html(f"{SITE_NAMES.get(district, district)}部门预算", body), encoding="utf-8"
        )
    (site / "downloads.json").write_text(
        json.dumps(downloads, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return {"district": district, "pages": len(pages), "documents": len(files), "downloads": len(downloads)}


def _html(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"</head>\n<body>\n{body}\n</body></html>\n"
    )


def build_sites(root: Path, truths: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Every district's site, from the truths whose files sit under sites/<district>/."""
    by_district: dict[str, list[dict[str, Any]]] = {}
    for t in truths:
        district = t["file"].split("/")[1]
        by_district.setdefault(district, []).append(t)
    return [build_site(root, d, ts, seed) for d, ts in sorted(by_district.items())]
