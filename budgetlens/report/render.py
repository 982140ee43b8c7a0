"""The report's pages as HTML strings: `render_report(data, pdf_files) -> {relative path: html}`.

Pure: no file or warehouse access. Jinja2 with autoescape on for every template, so every
document-derived string (department names, reasons, file names) is escaped; JSON embedded in a page
goes through `json_script`, which also escapes `<`, `>` and `&` so no string can close the
script element.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import jinja2
from markupsafe import Markup

from budgetlens.publish.columns import (
    AMOUNT,
    CHANGE,
    COLUMNS,
    COUNT,
    DEPARTMENT_FIGURES,
    PAGE_COLUMNS,
    RATIO,
    Column,
    format_value,
    metric_label,
    sort_value,
)
from budgetlens.report import charts
from budgetlens.report.data import ReportData, Row, SourceFile, department_slug
from warehouse.models import COMPARISONS, Comparison

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
PAGE_FILES: dict[str, str] = {
    "headcount": "headcount.html",
    "operating_costs": "operating-costs.html",
    "procurement": "procurement.html",
    "execution": "execution.html",
}
PEER_SCOPES: tuple[tuple[str, str], ...] = (
    ("department_type", "Department type"),
    ("jurisdiction", "Jurisdiction"),
)

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_script(value: object, element_id: str) -> Markup:
    """`<script type="application/json" id=…>` holding `value`, safe for any string inside it."""
    text = json.dumps(value, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return (
        Markup('<script type="application/json" id="{}">').format(element_id)
        + Markup(text)
        + Markup("</script>")
    )


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report: autoescape for every template, strict undefined."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["json_script"] = json_script
    return env


def safe_external(url: object) -> str | None:
    """An http(s) URL as-is; anything else (javascript:, data:, file:, relative) is not linked."""
    if (
        isinstance(url, str)
        and url.lower().startswith(("http://", "https://"))
        and not any(c in url for c in "\x00\r\n\"'<> ")
    ):
        return url
    return None


@dataclass(frozen=True)
class Cell:
    """A table cell: printed text, the exact value it sorts on, a link to its source page."""

    text: str
    sort: str = ""
    href: str | None = None
    title: str | None = None
    css: str = ""


@dataclass
class Links:
    """Where the source PDFs are: local copies in the report (pdf/<sha>.pdf), else their URLs."""

    pdf_files: set[str]
    # (doc_id, field) → (page, doc_id of the file printing it)
    pages: Mapping[tuple[str, str], tuple[int, str]]
    sources: Mapping[str, SourceFile]

    def pdf_href(self, doc_id: str, root: str, page: int | None = None) -> str | None:
        src = self.sources.get(doc_id)
        if src is None:
            return None
        if src.file_sha256 and src.file_sha256 in self.pdf_files:
            href = f"{root}pdf/{src.file_sha256}.pdf"
        else:
            href = safe_external(src.source_url)
            if href is None:
                return None
        p = page or src.first_page
        return f"{href}#page={p}" if p else href

    def file_href(self, doc: Row, root: str) -> tuple[str | None, str]:
        """(href, title) of a document's file in a listing: the report's copy from the raw store,
        else its source URL (http(s) only), else nothing."""
        sha = doc.get("file_sha256")
        if sha and sha in self.pdf_files:
            return f"{root}pdf/{sha}.pdf", "the copy of the file in the raw store"
        href = safe_external(doc.get("source_url"))
        if href is not None:
            return href, "no copy in the raw store: the source URL (may be gone)"
        return None, "no copy in the raw store and no source URL"

    def figure(self, doc_id: str, col: Column, value: object, root: str) -> Cell:
        if value is None:
            return Cell(
                format_value(col.kind, None),
                "",
                None,
                "no value: an input is not stated, or it would divide by zero",
                "num null",
            )
        page, file_doc = next(
            (self.pages[(doc_id, f)] for f in col.fields if (doc_id, f) in self.pages), (None, doc_id)
        )
        href = self.pdf_href(file_doc, root, page)
        if href is None:
            title = "source file not available"
        elif page is not None:
            title = f"source page {page}"
        else:
            title = "page not recorded: opens the document's first page"
        return Cell(format_value(col.kind, value), sort_value(value), href, title, "num")


@dataclass
class Department:
    """One department across years: its rows in each comparison, by doc_id."""

    slug: str
    jurisdiction: str | None
    department: str | None
    canonical: str | None
    department_type: str | None
    docs: list[Row] = field(default_factory=list)  # comparison_documents-like rows (headcount rows)


def _fmt_for(kind: str):
    return lambda v: format_value(
        kind, Decimal(str(v)) if kind == AMOUNT else (int(v) if kind == COUNT else v)
    )


def _medians(peers: Iterable[Row], comparison: str, metric: str) -> dict[tuple[int, str], float]:
    out: dict[tuple[int, str], float] = {}
    for p in peers:
        if p["comparison"] == comparison and p["metric"] == metric and p["peer_scope"] == "department_type":
            out[(p["fiscal_year"], p["peer_group"])] = p["peer_median"]
    return out


def _years_desc(rows: Iterable[Row], metric: str) -> list[int]:
    return sorted(
        {r["fiscal_year"] for r in rows if r.get(metric) is not None and r["fiscal_year"]}, reverse=True
    )


def ranked_order(rows: Iterable[Row], metric: str) -> list[Row]:
    """Rows in the order of the rank on `metric` (rank 1 = highest, as peer_statistics ranks):
    highest value first, empty values last; ties by department name, then latest year, then doc_id."""
    by_name = sorted(
        rows, key=lambda r: (r.get("department") or "", -(r.get("fiscal_year") or 0), r.get("doc_id") or "")
    )
    return sorted(by_name, key=lambda r: (r.get(metric) is None, -(r.get(metric) or 0)))


class ReportRenderer:
    """Renders every page of one report from `ReportData`."""

    def __init__(
        self,
        data: ReportData,
        pdf_files: set[str],
        *,
        extra_links: Mapping[str, str] | None = None,
        downloads: set[str] | None = None,
    ):
        self.data = data
        self.downloads = set(downloads or ())
        self.links = Links(pdf_files, data.pages, data.sources)
        self.env = environment()
        self.extra_links = dict(extra_links or {})
        self.peer_index = {
            (p["doc_id"], p["comparison"], p["metric"], p["peer_scope"]): p for p in data.peers
        }
        self.departments = self._departments()
        self.slug_of = {r["doc_id"]: d.slug for d in self.departments.values() for r in d.docs}
        self.colors = charts.group_colors([r["department_type"] or "" for r in data.rows["headcount"]])

    # --- shared ---------------------------------------------------------------------------
    def _departments(self) -> dict[str, Department]:
        out: dict[str, Department] = {}
        for r in self.data.rows["headcount"]:
            slug = department_slug(r["jurisdiction"], r["department_canonical"])
            d = out.get(slug)
            if d is None:
                d = out[slug] = Department(
                    slug, r["jurisdiction"], r["department"], r["department_canonical"], r["department_type"]
                )
            d.docs.append(r)
        for d in out.values():
            d.docs.sort(key=lambda r: (-(r["fiscal_year"] or 0), r["doc_id"]))
        return dict(sorted(out.items(), key=lambda kv: (kv[1].jurisdiction or "", kv[1].canonical or "")))

    def dept_href(self, doc_id: str, root: str) -> str | None:
        slug = self.slug_of.get(doc_id)
        return f"{root}departments/{slug}.html" if slug else None

    def _render(self, template: str, root: str, **context: object) -> str:
        nav = [("Overview", f"{root}index.html")] + [
            (c.title, f"{root}{PAGE_FILES[c.key]}") for c in COMPARISONS
        ]
        return self.env.get_template(template).render(
            root=root,
            nav=nav,
            generated_at=self.data.generated_at.strftime("%Y-%m-%d %H:%M UTC"),
            extra_links=self.extra_links,
            downloads=self.downloads,
            **context,
        )

    def peer_cells(self, doc_id: str, comp: Comparison, metric: str) -> list[Cell]:
        """Rank in type (r / n), ratio to the type median, outlier flag, for the main metric."""
        p = self.peer_index.get((doc_id, comp.key, metric, "department_type"))
        if p is None:
            return [Cell("—", "", css="num null"), Cell("—", "", css="num null"), Cell("", "")]
        rank = Cell(
            f"{p['peer_rank']} / {p['peer_n']}" + ("" if p["benchmark"] else " *"),
            str(p["peer_rank"]),
            title=p["peer_note"]
            or f"rank among {p['peer_n']} {p['peer_group']} departments in {p['fiscal_year']}",
            css="num" + ("" if p["benchmark"] else " weak"),
        )
        ratio = p["ratio_to_median"]
        ratio_cell = Cell(
            "—" if ratio is None else f"×{ratio:.2f}",
            sort_value(ratio),
            title=f"peer median {p['peer_median']:,.2f}" if p["peer_median"] is not None else None,
            css="num",
        )
        outlier = p["outlier"]
        out_cell = Cell(
            "outlier" if outlier else ("" if outlier is not None else "n/a"),
            "1" if outlier else "0",
            title=f"robust z = {p['robust_z']:.2f}" if p["robust_z"] is not None else None,
            css="flag-outlier" if outlier else "",
        )
        return [rank, ratio_cell, out_cell]

    # --- pages ----------------------------------------------------------------------------
    def comparison_page(self, comp: Comparison) -> str:
        root = ""
        metric = comp.default_sort
        rows = ranked_order(self.data.rows[comp.key], metric)
        columns = [COLUMNS[n] for n in PAGE_COLUMNS[comp.key]]
        table_rows = []
        for r in rows:
            cells = [
                self.links.figure(r.get(col.doc) or r["doc_id"], col, r[col.name], root) for col in columns
            ]
            table_rows.append(
                {
                    "row": r,
                    "dept_href": self.dept_href(r["doc_id"], root),
                    "pdf_href": self.links.pdf_href(r["doc_id"], root),
                    "cells": cells,
                    "peer": self.peer_cells(r["doc_id"], comp, metric),
                }
            )
        return self._render(
            "comparison.html.j2",
            root,
            title=comp.title,
            comp=comp,
            columns=columns,
            metric=metric,
            metric_label=metric_label(metric),
            rows=table_rows,
            charts=self.comparison_charts(comp),
            jurisdictions=sorted({r["jurisdiction"] for r in rows if r["jurisdiction"]}),
            types=sorted({r["department_type"] for r in rows if r["department_type"]}),
            years=sorted({r["fiscal_year"] for r in rows if r["fiscal_year"]}, reverse=True),
            main_metrics=[(m, metric_label(m)) for m in comp.main_metrics],
        )

    def _bars(self, rows: Iterable[Row], metric: str, grouped: bool) -> list[charts.Bar]:
        return [
            charts.Bar(
                label=r["department"] or r["doc_id"][:12],
                value=float(r[metric]),
                group=r["department_type"] if grouped else "",
                href=self.dept_href(r["doc_id"], ""),
            )
            for r in rows
            if r.get(metric) is not None and r.get("duplicate_of") is None
        ]

    def _bar_charts(self, comp: Comparison, metric: str, title: str, *, grouped: bool = True) -> list[dict]:
        rows = self.data.rows[comp.key]
        col = COLUMNS[metric]
        medians = _medians(self.data.peers, comp.key, metric) if grouped else {}
        out = []
        for year in _years_desc(rows, metric):
            year_rows = [r for r in rows if r["fiscal_year"] == year]
            out.append(
                {
                    "year": year,
                    "svg": charts.bar_chart(
                        self._bars(year_rows, metric, grouped),
                        title=f"{title}, {year}",
                        fmt=_fmt_for(col.kind),
                        medians={g: m for (y, g), m in medians.items() if y == year and m is not None},
                        grouped=grouped,
                        colors=self.colors,
                    ),
                }
            )
        return out

    def _scatter_years(
        self,
        comp: Comparison,
        x: str,
        y: str,
        kind: str,
        title: str,
        x_label: str,
        y_label: str,
        *,
        years_of: str | None = None,
        **extra,
    ) -> list[dict]:
        """One scatter of metric `x` against metric `y` per fiscal year that has `years_of` (default
        `x`), latest first, a point per compared document (duplicates left out); `title` takes the
        year as `{year}`."""
        rows = self.data.rows[comp.key]
        fmt = _fmt_for(kind)
        years = []
        for year in _years_desc(rows, years_of or x):
            points = [
                charts.Point(
                    label=r["department"] or r["doc_id"][:12],
                    x=float(r[x]),
                    y=float(r[y]),
                    group=r["department_type"] or "",
                    href=self.dept_href(r["doc_id"], ""),
                )
                for r in rows
                if r["fiscal_year"] == year
                and r[x] is not None
                and r[y] is not None
                and r["duplicate_of"] is None
            ]
            svg = charts.scatter_chart(
                points,
                title=title.format(year=year),
                x_label=x_label,
                y_label=y_label,
                x_fmt=fmt,
                y_fmt=fmt,
                colors=self.colors,
                **extra,
            )
            years.append({"year": year, "svg": svg})
        return years

    def execution_charts(self, comp: Comparison) -> list[dict]:
        """Spent against budgeted per department (a scatter on one scale, the line spent = budgeted),
        and the execution rate by department and peer group."""
        years = self._scatter_years(
            comp,
            "expense_budgeted",
            "expense_spent",
            AMOUNT,
            "Spent against budgeted (this year's expenditure, yuan), {year}",
            "budgeted 预算 (basic + project)",
            "spent 决算 (basic + project)",
            years_of="expense_rate",
            diagonal="spent = budgeted",
        )
        return [
            {"title": "Budgeted against spent by department", "years": years},
            {
                "title": "Execution rate by department and peer group",
                "years": self._bar_charts(comp, "expense_rate", "Spent / budgeted (this year's expenditure)"),
            },
        ]

    def comparison_charts(self, comp: Comparison) -> list[dict]:
        """Charts of a comparison page: a list of {title, years: [{year, svg}]} (latest year first)."""
        if comp.key == "headcount":
            return [
                {
                    "title": "Vacancy rate by department and peer group",
                    "years": self._bar_charts(
                        comp, "vacancy_rate", "Vacancy rate (1 − staff / establishment)"
                    ),
                },
            ]
        if comp.key == "operating_costs":
            return [
                {
                    "title": "Operating cost per staff by department and peer group",
                    "years": self._bar_charts(
                        comp,
                        "agency_running_cost_per_staff",
                        "Agency running cost 机关运行经费 per staff (yuan)",
                    ),
                },
                {
                    "title": "Year-on-year change: agency running cost",
                    "years": self._bar_charts(
                        comp,
                        "agency_running_cost_yoy",
                        "Agency running cost, change against the prior year",
                        grouped=False,
                    ),
                },
                {
                    "title": "Year-on-year change: 三公经费",
                    "years": self._bar_charts(
                        comp,
                        "three_public_total_yoy",
                        "三公经费, change against the prior year",
                        grouped=False,
                    ),
                },
            ]
        if comp.key == "execution":
            return self.execution_charts(comp)
        years = self._scatter_years(
            comp,
            "procurement_share",
            "sme_share",
            RATIO,
            "Procurement share against SME share, {year}",
            "procurement / expenditure",
            "for SMEs / procurement",
        )
        return [{"title": "Procurement share against SME share", "years": years}]

    def department_page(self, dept: Department) -> str:
        root = "../"
        docs = dept.docs
        by_comp = {c.key: {r["doc_id"]: r for r in self.data.rows[c.key]} for c in COMPARISONS}
        figures = []
        for comp_key, name in DEPARTMENT_FIGURES:
            col = COLUMNS[name]
            figures.append(
                {
                    "label": col.label,
                    "cells": [
                        self.links.figure(
                            d["doc_id"], col, by_comp[comp_key].get(d["doc_id"], {}).get(name), root
                        )
                        for d in docs
                    ],
                }
            )
        doc_views = [
            {
                "row": d,
                "pdf_href": self.links.pdf_href(d["doc_id"], root),
                "file_name": (
                    self.data.sources.get(d["doc_id"]) or SourceFile(d["doc_id"], None, None, None, None)
                ).file_name,
                "warnings": [
                    (expectation, message, self.finding_images(d["doc_id"], root, item))
                    for expectation, message, item in self.data.warnings.get(d["doc_id"], [])
                ],
            }
            for d in docs
        ]
        peers = []
        for d in docs:
            sections = []
            for comp in COMPARISONS:
                for metric in comp.main_metrics:
                    value = by_comp[comp.key].get(d["doc_id"], {}).get(metric)
                    stats = []
                    for scope, _label in PEER_SCOPES:
                        p = self.peer_index.get((d["doc_id"], comp.key, metric, scope))
                        stats.append(p)
                    sections.append(
                        {
                            "metric": metric_label(metric),
                            "kind": COLUMNS[metric].kind,
                            "value": format_value(COLUMNS[metric].kind, value),
                            "stats": stats,
                        }
                    )
            peers.append({"doc": d, "metrics": sections})
        latest = docs[0]
        peer_comp, peer_metric = PEER_TABLE[0]  # the table's order: highest first, empty last
        peer_rows = [
            {
                "row": r,
                "href": self.dept_href(r["doc_id"], root),
                "self": r["doc_id"] == latest["doc_id"],
                "cells": [
                    self.links.figure(r["doc_id"], COLUMNS[m], by_comp[ck].get(r["doc_id"], {}).get(m), root)
                    for ck, m in PEER_TABLE
                ],
            }
            for r in ranked_order(self.data.rows[peer_comp], peer_metric)
            if r["department_type"] == latest["department_type"]
            and r["fiscal_year"] == latest["fiscal_year"]
            and r["scope"] == latest["scope"]
        ]
        return self._render(
            "department.html.j2",
            root,
            title=dept.department or dept.canonical or dept.slug,
            dept=dept,
            docs=doc_views,
            figures=figures,
            peers=peers,
            peer_scopes=PEER_SCOPES,
            peer_columns=[metric_label(m) for _, m in PEER_TABLE],
            peer_metric_label=metric_label(peer_metric),
            peer_rows=peer_rows,
            latest=latest,
            fmt=format_value,
        )

    def finding_images(self, doc_id: str, root: str, item: str) -> list[dict[str, object]]:
        """The page images of one finding (both printings outlined), as links."""
        return [
            {
                "page": page,
                "href": f"{root}{href}",
                "title": f"第{page}页：红框为表中采用的数，蓝框为与之比较的印刷",
            }
            for page, href in self.data.finding_images.get((doc_id, item), [])
        ]

    def index_page(self) -> str:
        root = ""
        ov = self.data.overview
        jurisdictions: dict[str, int] = defaultdict(int)
        for r in self.data.rows["headcount"]:
            jurisdictions[r["jurisdiction"] or "—"] += 1
        left_out = []
        for r in self.data.left_out:
            href, title = self.links.file_href(r, root)
            images = [
                i
                for (doc, item) in self.data.finding_images
                if doc == r["doc_id"]
                for i in self.finding_images(doc, root, item)
            ]
            left_out.append({"row": r, "href": href, "title": title, "images": images})
        departments = [
            {
                "dept": d,
                "href": f"departments/{d.slug}.html",
                "years": sorted({r["fiscal_year"] for r in d.docs if r["fiscal_year"]}),
                "flags": sorted({f for r in d.docs for f in (r["warning_flags"] or [])}),
            }
            for d in self.departments.values()
        ]
        search = [
            {
                "name": d.department or d.canonical or "",
                "jurisdiction": d.jurisdiction or "",
                "type": d.department_type or "",
                "href": f"departments/{d.slug}.html",
            }
            for d in self.departments.values()
        ]
        return self._render(
            "index.html.j2",
            root,
            title="budgetlens: department budgets compared",
            overview=ov,
            counts=self.data.outcome_counts(),
            current=len(self.data.documents),
            duplicates=sum(1 for r in self.data.rows["headcount"] if r["duplicate_of"]),
            jurisdictions=sorted(jurisdictions.items()),
            left_out=left_out,
            checks=self.data.checks,
            departments=departments,
            search=search,
            comparisons=[(c, PAGE_FILES[c.key], len(self.data.rows[c.key])) for c in COMPARISONS],
        )

    def render_all(self) -> dict[str, str]:
        pages = {"index.html": self.index_page()}
        for comp in COMPARISONS:
            pages[PAGE_FILES[comp.key]] = self.comparison_page(comp)
        for dept in self.departments.values():
            pages[f"departments/{dept.slug}.html"] = self.department_page(dept)
        return pages


# Columns of the "peer departments" table on a department page.
PEER_TABLE: tuple[tuple[str, str], ...] = (
    ("headcount", "staff_count"),
    ("headcount", "vacancy_rate"),
    ("operating_costs", "agency_running_cost_per_staff"),
    ("operating_costs", "three_public_total_per_staff"),
    ("procurement", "procurement_share"),
    ("procurement", "sme_share"),
)


def render_report(
    data: ReportData,
    pdf_files: set[str] | None = None,
    *,
    extra_links: Mapping[str, str] | None = None,
    downloads: set[str] | None = None,
) -> dict[str, str]:
    """Every page of the report: relative path -> HTML.

    `pdf_files`: file sha256s copied into pdf/; `downloads`: names of the export files beside the
    report folder (manifest.json, <table>.csv, …) that pages may link to.
    """
    return ReportRenderer(data, pdf_files or set(), extra_links=extra_links, downloads=downloads).render_all()


def static_files() -> dict[str, bytes]:
    """The stylesheet and the script, copied beside the pages."""
    return {p.name: p.read_bytes() for p in sorted(STATIC.iterdir()) if p.suffix in (".css", ".js")}


__all__ = ["AMOUNT", "CHANGE", "COUNT", "RATIO", "Cell", "json_script", "render_report", "static_files"]
