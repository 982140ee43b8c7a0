"""Structure: the template's standard tables, template leftovers, one fiscal year, performance amounts."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pandas as pd

from expectations.context import DocContext, SuiteContext
from expectations.data import Row
from expectations.labels import TEMPLATE_TABLES, page_note
from expectations.precision import Printing
from expectations.spec import ExpectationSpec, FrameBuilder
from expectations.suites.common import MATERIALITY_RULE, TOLERANCE_RULE, add_equality, add_sum_check

SUITE = "structure"
TABLES = "structure_tables"
TEXTS = "structure_texts"
YEARS = "structure_years"
PERFORMANCE = "structure_performance"

# A missing table is a warning, never a quarantine: a table the publisher prints in another file,
# or not at all in that year's format, says nothing against the figures that are printed (the
# checks that need it are skipped). The basic-expenditure table is one table whichever way it is
# laid out (by column 人员/公用/对个人, or by economic class).
SAME_TABLE = {"basic_expense": "basic", "basic_by_economic": "basic"}
LEFTOVER_RE = r"[XxＸｘ×]{2,}|【[^】]*】"
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
# Where a year may be printed, relative to the fiscal year: titles name it; headers and prose may
# also name the year before (prior-year columns, "比2021年减少…").
ALLOWED_YEARS = ("title:0", "header:0", "header:-1", "prose:0", "prose:-1")
TOTAL_WORDS = ("合计", "总计")

TABLES_PRESENT = ExpectationSpec(
    "standard_tables_present",
    SUITE,
    TABLES,
    "every standard table of the template family is printed, or printed empty with its statement (本表本年无发生额)",
    "materiality",
    "exact; warning (a missing table is no evidence against the printed figures)",
    "in_set",
    value_set=(True,),
    skipped_because="nothing to check: no list of standard tables is known for the document's template family",
)
NO_LEFTOVERS = ExpectationSpec(
    "no_template_leftovers",
    SUITE,
    TEXTS,
    "no template placeholders (XX, ××, 【…】) in table titles or cells: an unfinished document",
    "materiality",
    "exact; a warning in the performance table's text, an error in any other table",
    "not_match_regex",
    regex=LEFTOVER_RE,
)
ONE_YEAR = ExpectationSpec(
    "one_fiscal_year_throughout",
    SUITE,
    YEARS,
    "titles name the fiscal year; headers and prose name it or the year before (a table of another year was pasted in)",
    "error",
    "exact",
    "in_set",
    value_set=ALLOWED_YEARS,
)
PERFORMANCE_SUM = ExpectationSpec(
    "performance_amounts_add_up",
    SUITE,
    PERFORMANCE,
    "the performance table's task amounts add up to its 金额合计, which is the budget it describes "
    "(expense_total, or 财政拨款 where it describes the appropriations)",
    "materiality",
    TOLERANCE_RULE,
    "within_tolerance",
)
WITHHELD = "structure_withheld"
READINGS_HOLD = ExpectationSpec(
    "parser_readings_hold",
    SUITE,
    WITHHELD,
    "every figure the parser read holds with its table's identities (a reading that fails them is left "
    "out by the parser: those figures are null, the rest of the budget is compared)",
    "warning",
    "exact; a warning per left-out reading, naming the figures and the identity they fail",
    "in_set",
    value_set=(True,),
)
SPECS: tuple[ExpectationSpec, ...] = (TABLES_PRESENT, NO_LEFTOVERS, ONE_YEAR, PERFORMANCE_SUM, READINGS_HOLD)
SEVERITY_NOTE = MATERIALITY_RULE


def specs(ctx: SuiteContext) -> list[ExpectationSpec]:
    return list(SPECS)


def _table_rows(doc: DocContext, fb: FrameBuilder) -> None:
    family = TEMPLATE_TABLES.get(doc.template or "")
    if family is None:
        return
    found = {SAME_TABLE.get(t["kind"], t["kind"]): t for t in doc.tables}
    for kind in family:
        t = found.get(SAME_TABLE.get(kind, kind))
        present = t is not None and (bool(t.get("empty")) or (t.get("row_count") or 0) > 0)
        fb.value(
            TABLES_PRESENT,
            doc.doc_id,
            f"table:{kind}",
            present,
            f"{doc.place(kind)} 缺失（{doc.template} 的标准表；既未找到，也未印为空表“本表本年无发生额”）"
            if t is None
            else f"{doc.place(kind)} 无内容，也未注明“本表本年无发生额”",
            **{TABLES_PRESENT.material_column: False},
        )


def _text_rows(doc: DocContext, fb: FrameBuilder) -> None:
    for t in doc.tables:
        title = t.get("title")
        if title:
            fb.value(
                NO_LEFTOVERS,
                doc.doc_id,
                f"title:{t['table_index']}",
                title,
                f"{doc.place(t['kind'])} 标题含模板占位符：{title}",
                **{NO_LEFTOVERS.material_column: t["kind"] != "performance"},
            )
    for c in doc.data.text_cells.get(doc.doc_id, []):
        fb.value(
            NO_LEFTOVERS,
            doc.doc_id,
            f"cell:{c['table_index']}:{c['row_index']}:{c['col_index']}",
            c["text"],
            f"{doc.place(c['table_kind'])} 第{c['row_index'] + 1}行第{c['col_index'] + 1}列含模板占位符：{c['text']}"
            f"{page_note(c.get('page'))}",
            **{NO_LEFTOVERS.material_column: c["table_kind"] != "performance"},
        )


def _header_texts(header: str | None) -> list[str]:
    if not header:
        return []
    try:
        rows = json.loads(header)
    except ValueError:
        return [header]
    return [str(cell) for row in rows if isinstance(row, list) for cell in row if cell]


def year_mentions(doc: DocContext) -> list[tuple[str, str, int, str]]:
    """(place, item, year, text) of every "20xx年" in titles, headers and prose observations."""
    out: list[tuple[str, str, int, str]] = []
    for t in doc.tables:
        for m in YEAR_RE.finditer(t.get("title") or ""):
            out.append(("title", f"title:{t['table_index']}:{m.start()}", int(m.group(1)), t["title"]))
        for k, text in enumerate(_header_texts(t.get("header"))):
            for m in YEAR_RE.finditer(text):
                out.append(("header", f"header:{t['table_index']}:{k}:{m.start()}", int(m.group(1)), text))
    for k, o in enumerate(doc.observations):
        if o.get("place") != "prose":
            continue
        for m in YEAR_RE.finditer(o.get("label") or ""):
            out.append(("prose", f"prose:{o.get('obs_index', k)}:{m.start()}", int(m.group(1)), o["label"]))
    return out


def _year_rows(doc: DocContext, fb: FrameBuilder) -> None:
    fy = doc.document.get("fiscal_year")
    if fy is None:
        return
    names = {"title": "表题", "header": "表头", "prose": "正文"}
    for place, item, year, text in year_mentions(doc):
        fb.value(
            ONE_YEAR,
            doc.doc_id,
            item,
            f"{place}:{year - int(fy)}",
            f"{names[place]}“{text}”写的是 {year} 年，本文件是 {fy} 年预算",
        )


def performance_figures(doc: DocContext, cells: list[Row]) -> tuple[Printing | None, list[Printing]]:
    """The performance table's 金额合计 and its task amounts (same column), as printings."""
    if not cells:
        return None, []
    first_table = min(c["table_index"] for c in cells)
    cells = [c for c in cells if c["table_index"] == first_table]
    rows: dict[int, list[Row]] = {}
    for c in cells:
        rows.setdefault(c["row_index"], []).append(c)
    total_row = next(
        (
            r
            for r, cs in sorted(rows.items())
            if any(any(w in (c.get("text") or "") for w in TOTAL_WORDS) for c in cs)
            and any(c.get("amount") is not None for c in cs)
        ),
        None,
    )
    if total_row is None:
        return None, []
    amount_cells = sorted(
        (c for c in rows[total_row] if c.get("amount") is not None), key=lambda c: c["col_index"]
    )
    col = amount_cells[0]["col_index"]
    prec = doc.table_precision.get("performance") or doc.coarsest
    place = doc.place("performance")

    def printing(c: Row, label: str) -> Printing:
        return Printing.of(
            Decimal(c["amount"]),
            printed=c.get("text"),
            unit=prec.unit,
            table_decimals=prec.decimals,
            label=f"{place} {label}{page_note(c.get('page'))}",
        )

    total = printing(amount_cells[0], "金额合计")
    tasks = []
    for r, cs in sorted(rows.items()):
        if r == total_row:
            continue
        hit = next((c for c in cs if c["col_index"] == col and c.get("amount") is not None), None)
        if hit is not None:
            name = next(
                (
                    c.get("text")
                    for c in sorted(cs, key=lambda c: c["col_index"])
                    if c.get("text") and c.get("amount") is None
                ),
                "",
            )
            tasks.append(printing(hit, f"任务“{(name or '')[:20]}”"))
    return total, tasks


def _performance_rows(doc: DocContext, fb: FrameBuilder) -> None:
    total, tasks = performance_figures(doc, doc.data.performance_cells.get(doc.doc_id, []))
    if total is None:
        return
    if tasks:
        add_sum_check(fb, PERFORMANCE_SUM, doc, "performance.tasks", total, tasks, "Σ任务预算")
    expense = doc.figure("totals", "expense_total")
    fiscal = doc.figure("totals", "fiscal_appropriation")
    budget = expense
    if fiscal is not None and (
        expense is None or abs(total.value - fiscal.value) < abs(total.value - expense.value)
    ):
        budget = fiscal
    if budget is not None:  # 金额合计 may be the sum of rounded task amounts (see add_equality)
        add_equality(fb, PERFORMANCE_SUM, doc, "performance.budget", budget, total, tasks)


def _withheld_rows(doc: DocContext, fb: FrameBuilder) -> None:
    left_out = doc.data.withheld.get(doc.doc_id, [])
    if not left_out:  # checked: the parser left no reading out
        fb.value(READINGS_HOLD, doc.doc_id, "readings", True, "")
    for w in left_out:
        fb.value(
            READINGS_HOLD,
            doc.doc_id,
            f"warning:{w['warning_no']}",
            False,
            f"{w['message']}{page_note(w.get('page'))}",
        )


def frames(ctx: SuiteContext) -> dict[str, pd.DataFrame]:
    tables, texts, years, perf, withheld = (FrameBuilder() for _ in range(5))
    for doc in ctx.docs():
        _table_rows(doc, tables)
        _text_rows(doc, texts)
        _year_rows(doc, years)
        _performance_rows(doc, perf)
        _withheld_rows(doc, withheld)
    return {
        TABLES: tables.frame([TABLES_PRESENT]),
        TEXTS: texts.frame([NO_LEFTOVERS]),
        YEARS: years.frame([ONE_YEAR]),
        PERFORMANCE: perf.frame([PERFORMANCE_SUM]),
        WITHHELD: withheld.frame([READINGS_HOLD]),
    }
