"""Performance target tables (绩效目标表): indicator rows with their levels, target and task.

A target table prints its levels (一级 / 二级 指标) and its project (task) in merged cells, their
labels either at the top of the cell or centred in it; several projects' tables may follow one
another under one title. Pure functions over a parsed table.
"""

from __future__ import annotations

from budgetlens.parse.grid.cells import Cell
from budgetlens.parse.normalize import key
from budgetlens.parse.tables import Table

_NEXT_PROJECT = (
    "项目名称",
    "项目资金",
    "年度预算资金",
    "年度资金总额",
    "总体目标",
    "年度目标",
    "主管部门",
    "一级指标",
)


def _first_target_block(rows: list[list[Cell]], cols: dict[str, int]) -> list[list[Cell]]:
    """The indicator rows of a target table up to where the next project's table begins (its
    funds, its goal or the indicator header again, printed on after the first project's rows)."""
    seen = False
    for i, row in enumerate(rows):
        ks = [key(c.text) for c in row]
        if seen and any(k.startswith(_NEXT_PROJECT) for k in ks):
            return rows[:i]
        seen = seen or (cols["l3"] < len(row) and bool(row[cols["l3"]].text.strip()))
    return rows


def _centred_labels(rows: list[list[Cell]], col: int, anchor: int) -> list[str | None] | None:
    """Each row's label in a column of merged cells that print their label centred: a label
    halfway down its group of rows, the groups one after another from the first row to the last
    (rows placed by the `anchor` column's text). None where the labels do not tile the rows so
    (labels at the top of their cells, a table over pages, a cell without position)."""
    idx = [i for i, r in enumerate(rows) if anchor < len(r) and r[anchor].text.strip()]
    boxes = [rows[i][anchor].box for i in idx]
    if len(idx) < 2 or any(b is None for b in boxes) or len({b[0] for b in boxes}) != 1:
        return None
    ys = [(b[2] + b[4]) / 2 for b in boxes]
    labels = [r[col] for r in rows if col < len(r) and r[col].text.strip()]
    if not labels or any(c.box is None or c.box[0] != boxes[0][0] for c in labels):
        return None
    by_row: list[str | None] = [None] * len(idx)
    first = 0
    for cell in labels:
        p = _fractional_row((cell.box[2] + cell.box[4]) / 2, ys)
        last = round(2 * p - first)
        if p < first - 0.25 or last < first or last >= len(idx):
            return None
        by_row[first : last + 1] = [cell.text.strip()] * (last + 1 - first)
        first = last + 1
    if first != len(idx):
        return None
    out: list[str | None] = [None] * len(rows)
    for k, i in enumerate(idx):
        out[i] = by_row[k]
    return out


def _between_rows(rows: list[list[Cell]], col: int, anchor: int) -> bool:
    """Does a label of the column stand between two rows (in the gap between the `anchor` column's
    texts of its page) that print no label of their own in it: a merged cell's label printed
    centred over an even number of rows?"""
    pages: dict[float, list[list[Cell]]] = {}
    for r in rows:
        if anchor < len(r) and r[anchor].text.strip() and r[anchor].box:
            pages.setdefault(r[anchor].box[0], []).append(r)
    for cell in (r[col] for r in rows if col < len(r) and r[col].text.strip() and r[col].box):
        y = (cell.box[2] + cell.box[4]) / 2
        page = pages.get(cell.box[0], [])
        for above, below in zip(page, page[1:], strict=False):
            if above[anchor].box[4] < y < below[anchor].box[2]:
                if all(c is cell or not c.text.strip() for c in (above[col], below[col])):
                    return True
                break
    return False


def _fractional_row(y: float, ys: list[float]) -> float:
    """Where a height falls among rows at heights `ys` (ascending), in rows: 2.5 is halfway
    between the third and the fourth."""
    j = next((k for k in range(len(ys) - 1) if y <= ys[k + 1]), len(ys) - 2)
    return j + (y - ys[j]) / ((ys[j + 1] - ys[j]) or 1.0)


def _project_named(candidates: list[tuple[int | None, list[str]]], start: int) -> str | None:
    """The project a target table names in a 项目名称 | name row above its indicator header."""
    for i, texts in candidates:
        if i is not None and i >= start:
            break
        ks = [key(t) for t in texts]
        if ks and ks[0] == "项目名称":
            names = [t.strip() for t, k in zip(texts[1:], ks[1:], strict=True) if k]
            return names[0] if names else None
    return None


def performance_rows(table: Table) -> list[dict[str, str | None]]:
    """Indicator rows (一级/二级/三级指标, 目标值) of a performance table; merged levels carried down."""
    grid = table.grid
    start = None
    cols: dict[str, int] = {}
    # the indicator header may be a header row or a row inside the body
    candidates = [(None, [c.text for c in r]) for r in grid.header] + [
        (i, [c.text for c in r]) for i, r in enumerate(grid.rows)
    ]
    for i, texts in candidates:
        ks = [key(t) for t in texts]
        if any("一级指标" in k for k in ks) and any("三级指标" in k for k in ks):
            for j, k in enumerate(ks):
                if "一级指标" in k:
                    cols["l1"] = j
                elif "二级指标" in k:
                    cols["l2"] = j
                elif "三级指标" in k:
                    cols["l3"] = j
                elif "目标值" in k or "指标值" in k or k == "目标":
                    cols["target"] = j
                elif "任务" in k or "项目名称" in k:
                    cols["task"] = j
            start = -1 if i is None else i
            break
    if start is None or "l3" not in cols:
        return []
    if "target" not in cols:
        cols["target"] = cols["l3"] + 1
    out = []
    l1 = l2 = None
    # a project's target table names its project in a 项目名称 row above the indicators: its rows
    # are that project's, not the department-wide indicators (task null)
    task = None if "task" in cols else _project_named(candidates, start)
    body = _first_target_block(grid.rows[start + 1 :], cols)
    # a merged cell prints its label centred (halfway down its rows) or at its top: centred where
    # the labels tile the rows so; none where a label stands between rows but the labels do not
    # tile them (over pages), rather than another group's; else carried down
    centred: dict[str, list[str | None] | None] = {}
    for name in ("l1", "l2", "task"):
        if name in cols:
            labels = _centred_labels(body, cols[name], cols["l3"])
            if labels is None and _between_rows(body, cols[name], cols["l3"]):
                labels = [None] * len(body)
            centred[name] = labels
    for r, row in enumerate(body):

        def get(name: str, row: list[Cell] = row) -> str:
            j = cols.get(name)
            return row[j].text.strip() if j is not None and j < len(row) else ""

        if get("l1"):
            l1 = get("l1")
        if get("l2"):
            l2 = get("l2")
        if "task" in cols and get("task"):
            task = get("task")
        l3 = get("l3")
        if not l3:
            continue
        c1, c2, ct = centred.get("l1"), centred.get("l2"), centred.get("task")
        out.append(
            {
                "task": ct[r] if ct is not None else task,
                "indicator_level1": c1[r] if c1 is not None else l1,
                "indicator_level2": c2[r] if c2 is not None else l2,
                "indicator_level3": l3,
                "target": get("target") or None,
            }
        )
    return out
