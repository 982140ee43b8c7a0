"""The static HTML report: one folder that opens from disk (no server, no network).

    from budgetlens.report import build_report
    result = build_report(con, Path("data/published"), raw_dir=Path("data/raw"))
    result.index  # data/published/report/index.html

Pages: index.html (overview: every current document counted once, compared or listed with the
reason it is not; departments), one page per
comparison (sortable, filterable tables; inline SVG charts), one page per department
(departments/<id>.html: its figures by year and where it stands among its peers). Every figure
links to the page of the source PDF it was read from (report/pdf/<sha256>.pdf#page=N).
"""

from __future__ import annotations

from budgetlens.report.build import ReportResult, build_report, write_report

__all__ = ["ReportResult", "build_report", "write_report"]
