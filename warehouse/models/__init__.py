"""The comparison models: tables rebuilt from the current published budgets on every run.

One `.sql` file per model beside this module (`create or replace table … as`, lower-case CTEs
source → renamed → final; no renamed where nothing is renamed or derived), run in `BUILD_ORDER` by `build_models` in one transaction, so a reader
sees either the previous set or the new one. `macros.sql` defines the helpers the models use
(exact per-staff division, ratios that are null instead of dividing by zero) as temporary macros,
and `HELPER_VIEWS` (e.g. `comparison_identity`, the columns every comparison row starts with) are
temporary views built between the models: nothing but the tables reaches the warehouse catalog.
Definitions: docs/comparisons.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from budgetlens.files import read_sql
from warehouse.db import transaction

MODELS_DIR = Path(__file__).parent

# Temporary views the models read (never stored, never published): one `.sql` file each beside the
# models, `create or replace temp view … as`.
HELPER_VIEWS: tuple[str, ...] = ("comparison_identity",)

# Build order: each step reads only the warehouse tables and the steps before it.
BUILD_ORDER: tuple[str, ...] = (
    "comparison_documents",
    "comparison_identity",
    "headcount_comparison",
    "operating_cost_comparison",
    "procurement_share_comparison",
    "execution_comparison",
    "peer_statistics",
)

# The tables: what `build_models` stores (or makes temporary tables of), exports and reports.
MODELS: tuple[str, ...] = tuple(name for name in BUILD_ORDER if name not in HELPER_VIEWS)

DEFAULT_MIN_PEERS = 3
DEFAULT_OUTLIER_MADS = 3.0

# Columns every comparison row starts with.
IDENTITY_COLUMNS: tuple[str, ...] = (
    "jurisdiction",
    "department",
    "department_canonical",
    "department_type",
    "fiscal_year",
    "doc_id",
    "scope",
    "warning_flags",
    "duplicate_of",
)


@dataclass(frozen=True)
class Comparison:
    """One published comparison: its table, its command name and the metrics peers are ranked on."""

    key: str  # peer_statistics.comparison
    command: str  # `budgetlens compare <command>`
    table: str
    title: str
    main_metrics: tuple[str, ...]
    default_sort: str
    # Columns of the terminal view (`--format table`, 80 columns wide); csv/json print every column.
    terminal_columns: tuple[str, ...]


COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        key="headcount",
        command="headcount",
        table="headcount_comparison",
        title="Headcount",
        main_metrics=("staff_count", "vacancy_rate", "retiree_ratio", "expense_per_staff"),
        default_sort="staff_count",
        terminal_columns=(
            "department",
            "fiscal_year",
            "staff_count",
            "vacancy_rate",
            "retiree_ratio",
            "expense_per_staff",
        ),
    ),
    Comparison(
        key="operating_costs",
        command="operating-costs",
        table="operating_cost_comparison",
        title="Operating costs",
        main_metrics=(
            "agency_running_cost_per_staff",
            "operating_expense_per_staff",
            "personnel_expense_per_staff",
            "three_public_total_per_staff",
            "project_share",
        ),
        default_sort="agency_running_cost_per_staff",
        terminal_columns=(
            "department",
            "fiscal_year",
            "staff_count",
            "agency_running_cost_per_staff",
            "three_public_total",
            "three_public_total_yoy",
        ),
    ),
    Comparison(
        key="procurement",
        command="procurement",
        table="procurement_share_comparison",
        title="Procurement shares",
        main_metrics=("procurement_share", "sme_share"),
        default_sort="procurement_share",
        terminal_columns=(
            "department",
            "fiscal_year",
            "procurement_share",
            "sme_share",
            "goods_share",
            "services_share",
        ),
    ),
    Comparison(
        key="execution",
        command="execution",
        table="execution_comparison",
        title="Spent against budgeted",
        main_metrics=(
            "expense_rate",
            "three_public_total_rate",
            "agency_running_cost_rate",
            "procurement_total_rate",
        ),
        default_sort="expense_rate",
        terminal_columns=(
            "department",
            "fiscal_year",
            "expense_budgeted",
            "expense_spent",
            "expense_rate",
        ),
    ),
)

_CREATE_TABLE = re.compile(r"^create or replace table ", re.MULTILINE)


@dataclass(frozen=True)
class ModelSettings:
    """Peer-statistics settings: the smallest peer group that is a benchmark, the outlier bound."""

    min_peers: int = DEFAULT_MIN_PEERS
    outlier_mads: float = DEFAULT_OUTLIER_MADS

    def __post_init__(self) -> None:
        if self.min_peers < 2:
            raise ValueError(
                f"min_peers must be at least 2 (a rank among 1 says nothing), got {self.min_peers}"
            )
        if not self.outlier_mads > 0:
            raise ValueError(f"outlier_mads must be positive, got {self.outlier_mads}")


def comparison(name: str) -> Comparison:
    """A comparison by its key, command name or table name."""
    for c in COMPARISONS:
        if name in (c.key, c.command, c.table):
            return c
    raise KeyError(f"no comparison {name!r}; one of {', '.join(c.command for c in COMPARISONS)}")


@cache
def model_sql(name: str, *, temp: bool = False) -> str:
    """The statement of one model (or of `macros`, or of a helper view, always temporary);
    `temp=True` makes a model a temporary table."""
    if name not in BUILD_ORDER and name != "macros":
        raise KeyError(f"no such model: {name}")
    sql = read_sql(MODELS_DIR, name)
    if temp and name in MODELS:
        sql, n = _CREATE_TABLE.subn("create or replace temp table ", sql)
        if n != 1:
            raise ValueError(f"{name}.sql must hold exactly one 'create or replace table' statement")
    return sql


def _params(name: str, settings: ModelSettings) -> dict[str, object] | None:
    if name == "peer_statistics":
        return {"min_peers": settings.min_peers, "outlier_mads": settings.outlier_mads}
    return None


def build_models(
    con: duckdb.DuckDBPyConnection, settings: ModelSettings | None = None, *, temp: bool = False
) -> dict[str, int]:
    """Rebuild every model from the warehouse tables in one transaction; rows per model.

    `temp=True` builds them as temporary tables of this connection (works on a read-only
    connection: `budgetlens compare` on a warehouse whose models were never built).
    """
    s = settings or ModelSettings()
    con.execute(model_sql("macros"))
    with transaction(con):
        for name in BUILD_ORDER:
            params = _params(name, s)
            if params is None:
                con.execute(model_sql(name, temp=temp))
            else:
                con.execute(model_sql(name, temp=temp), params)
    return {name: row_count(con, name) for name in MODELS}


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows of a table or view (the name is checked by DuckDB's relation API, never formatted into SQL)."""
    return int(con.table(table).aggregate("count(*)").fetchone()[0])


def missing_models(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The models the connection cannot see (never built in this warehouse, nor as temp tables)."""
    have = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    return [m for m in MODELS if m not in have]


def ensure_models(con: duckdb.DuckDBPyConnection, settings: ModelSettings | None = None) -> bool:
    """Make the models visible to a (read-only) connection: True when they had to be built as temp tables."""
    if not missing_models(con):
        return False
    build_models(con, settings, temp=True)
    return True
