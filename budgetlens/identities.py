"""The accounting identities between the record's totals, in one place.

The parser's self-checks (`budgetlens.parse.checks`, `budgetlens.parse.three_public`), the quality
suites (`expectations.suites.identities`) and the corpus's truth checks (`corpus.identities`) all
read these: which figure is the sum of which others. How far a printed sum may be from its total
(the printed rounding) is each reader's: the parser knows the printed text of every figure, the
suites the precision of its table, the corpus the units it printed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SumIdentity:
    """`total` = Σ `parts` (record totals fields). `optional` parts count where stated (the document
    may have none: 单位预留机动经费); with `partial`, a part left unstated turns the identity into a
    bound (the stated parts never exceed the total)."""

    name: str  # the quality expectation that checks it
    total: str
    parts: tuple[str, ...]
    words: str  # how a reader says it
    optional: tuple[str, ...] = ()
    partial: bool = False

    @property
    def formula(self) -> str:
        """The identity in field names: expense_total = basic_expense + project_expense (+ …)."""
        extra = f" (+ {' + '.join(self.optional)})" if self.optional else ""
        return f"{self.total} = {' + '.join(self.parts)}{extra}"

    def on(self, suffix: str) -> SumIdentity:
        """The same identity between the fields named with `suffix` (`_adjusted_budget`: the 三公
        预算数 a final accounts prints beside its 决算数)."""
        return SumIdentity(
            self.name,
            self.total + suffix,
            tuple(p + suffix for p in self.parts),
            self.words,
            tuple(p + suffix for p in self.optional),
            self.partial,
        )


# expense_total is this year's expenditure, the reserve where printed, and what is carried over or
# distributed at the year's end (final accounts: 年末结转和结余, 结余分配)
EXPENSE = SumIdentity(
    "basic_project_reserve_equal_expense",
    "expense_total",
    ("basic_expense", "project_expense"),
    "基本支出 + 项目支出（+ 预留 + 结转下年 + 结余分配）",
    optional=("reserve_expense", "carryover_out", "surplus_distribution"),
)
THREE_PUBLIC = SumIdentity(
    "three_public_parts_sum",
    "three_public_total",
    ("overseas_travel", "official_reception", "vehicle_total"),
    "因公出国（境）费 + 公务接待费 + 公务用车购置及运行费",
)
VEHICLE = SumIdentity(
    "vehicle_parts_sum",
    "vehicle_total",
    ("vehicle_purchase", "vehicle_operation"),
    "公务用车购置费 + 运行维护费",
)
PROCUREMENT = SumIdentity(
    "procurement_parts_sum",
    "procurement_total",
    ("procurement_goods", "procurement_works", "procurement_services"),
    "货物 + 工程 + 服务",
    partial=True,
)
APPROPRIATION = SumIdentity(
    "appropriation_parts_sum",
    "fiscal_appropriation",
    ("general_budget_appropriation", "gov_fund_appropriation", "state_capital_appropriation"),
    "一般公共预算 + 政府性基金 + 国有资本经营预算拨款",
    partial=True,
)
# the 三公 预算数 of final accounts add up like the 决算数 beside them
ADJUSTED_BUDGET = "_adjusted_budget"
THREE_PUBLIC_IDENTITIES = (THREE_PUBLIC, VEHICLE)
# the 三公 figures: the total, its parts and the vehicles' parts
THREE_PUBLIC_FIELDS: tuple[str, ...] = (THREE_PUBLIC.total, *THREE_PUBLIC.parts, *VEHICLE.parts)
TOTALS_IDENTITIES: tuple[SumIdentity, ...] = (EXPENSE, THREE_PUBLIC, VEHICLE, PROCUREMENT, APPROPRIATION)
