"""Performance target tables: merged level cells whose labels are printed centred in them, a
project's table naming its project, several projects' tables printed on one after another."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetlens.parse import parse_pdf
from budgetlens.parse.grid.cells import Cell
from budgetlens.parse.targets import _between_rows, _centred_labels

ROW = 20.0  # row height (pt)


def _rows(labels: dict[float, str], n: int) -> list[list[Cell]]:
    """n indicator rows (column 1: the indicator, at each row's middle); `labels` places a level
    label (column 0) at a height given in rows (1.5: halfway between the second and third)."""
    rows = [[Cell(), Cell(f"指标{i}", [1, 200, 100 + i * ROW, 260, 110 + i * ROW])] for i in range(n)]
    for at, text in labels.items():
        i = min(int(at + 0.5), n - 1)
        top = 100 + at * ROW
        rows[i][0] = Cell(text, [1, 50, top, 90, top + 10])
    return rows


def test_centred_labels_take_the_rows_around_them() -> None:
    # 成本 over row 0, 产出 halfway down rows 1-5 (at 3), 效益 between rows 6 and 7 (at 6.5)
    rows = _rows({0: "成本指标", 3: "产出指标", 6.5: "效益指标", 8: "满意度指标"}, 9)
    got = _centred_labels(rows, 0, 1)
    assert got == ["成本指标"] + ["产出指标"] * 5 + ["效益指标"] * 2 + ["满意度指标"]


def test_labels_at_the_top_of_their_cells_are_not_centred() -> None:
    # groups rows 0-2 and 3-4, each label on its group's first row: carried down instead
    assert _centred_labels(_rows({0: "产出指标", 3: "效益指标"}, 5), 0, 1) is None


def test_one_label_per_row_reads_the_same_either_way() -> None:
    assert _centred_labels(_rows({0: "A", 1: "B", 2: "C"}, 3), 0, 1) == ["A", "B", "C"]


def test_a_label_between_two_unlabelled_rows_is_centred() -> None:
    # 效益指标 halfway between rows 1 and 2 (a merged cell over both); 产出指标 on row 0
    assert _between_rows(_rows({0: "产出指标", 1.5: "效益指标"}, 3), 0, 1)
    # every row labelled on its own line: nothing stands between rows
    assert not _between_rows(_rows({0: "A", 1: "B", 2: "C"}, 3), 0, 1)


@pytest.mark.realpdf
def test_real_target_tables(real_pdfs_dir: Path) -> None:
    """Typed from the page images: 国家信访局 2026 p30 and 烟台市财政局 2026 p32 print their first
    project's targets with centred merged levels; 福州仓山 2026 p25-26 runs targets into names."""

    def targets(name: str) -> tuple[list[tuple], list[str]]:
        rec = parse_pdf(real_pdfs_dir / name)[0]
        rows = [tuple(t.values()) for t in rec["performance_targets"]]
        return rows, [w["message"] for w in rec["warnings"] if w["code"] == "unreadable_figures"]

    rows, _ = targets("national-petitions-administration-2026-budget.pdf")
    assert rows == [
        ("信息化运行维护", "成本指标", "经济成本指标", "项目总成本", "≤2134.87 万元"),
        ("信息化运行维护", "产出指标", "数量指标", "数据中心设备维护量", "≥330 台（套）"),
        ("信息化运行维护", "产出指标", "质量指标", "设备完好率", "≥96%"),
        ("信息化运行维护", "产出指标", "质量指标", "前端运维问题响应时间", "≤10分钟"),
        ("信息化运行维护", "产出指标", "质量指标", "设备/系统故障恢复时间", "≤4小时"),
        ("信息化运行维护", "产出指标", "质量指标", "系统软件反应速度", "≤4秒"),
        ("信息化运行维护", "效益指标", "社会效益指标", "网络安全事件发生率", "≤0.5%"),
        ("信息化运行维护", "效益指标", "生态效益指标", "绿色节能产品购置率", "≥95%"),
        ("信息化运行维护", "满意度指标", "服务对象满意度指标", "使用部门满意率", "≥85%"),
    ]
    rows, _ = targets("yantai-finance-2026-budget.pdf")
    # the first project's table only: the next projects' rows follow without their names
    assert rows == [
        ("公车统管费用", "成本指标", "经济成本", "年度车辆统管费用", "≤30万元"),
        ("公车统管费用", "产出指标", "数量指标", "车辆租赁次数", "≤400次"),
        ("公车统管费用", "产出指标", "质量指标", "车辆事故率", "≤5%"),
        ("公车统管费用", "产出指标", "时效指标", "车辆归还及时率", "≥95%"),
        ("公车统管费用", "效益指标", "经济效益指标", "有效保障出行工作正常运转", "有效保障"),
        ("公车统管费用", "效益指标", "经济效益指标", "有效提升工作效率", "有效提升"),
        ("公车统管费用", "满意度指标", "服务对象满意度指标", "出行人员满意度", "≥95%"),
    ]
    rows, _ = targets("beijing-finance-2026-budget-tables.pdf")
    # 预算12表 (pp. 17-43) names each project once, centred in a cell over its rows and across
    # pages: no row gets another project's name; the levels are printed on every row
    assert len(rows) == 457 and {r[0] for r in rows} == {None} and all(r[1] and r[2] for r in rows)
    rows, warnings = targets("fuzhou-cangshan-ecology-2026-unit-budget.pdf")
    assert rows == [] and len(warnings) == 1 and "left out" in warnings[0]
