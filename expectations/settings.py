"""Settings of the quality stage: thresholds, year range, data files, output folder names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from budgetlens.function_codes import FUNCTION_CODES_CSV

DATA_DIR = Path(__file__).with_name("data")
DEFAULT_FUNCTION_CODES = FUNCTION_CODES_CSV  # the one list (budgetlens.function_codes)
DEFAULT_PER_STAFF_BANDS = DATA_DIR / "per_staff_bands.csv"

# A discrepancy beyond tolerance is immaterial (a warning) only under this share of expense_total
# (and of the figures it compares) and when no figure involved feeds a comparison metric.
DEFAULT_MATERIALITY = Decimal("0.001")
DEFAULT_MIN_FISCAL_YEAR = 2010
DEFAULT_DATA_DOCS_DIR = "data_docs"
# How many characters of failure messages go into documents.status_reason (the rest stays in
# quality_results, which keeps every message in full).
DEFAULT_REASON_CHARS = 1000
# A compared figure (expense_total, basic/project, 三公, 机关运行经费) that changes by more than this
# share of the same department's previous budget is flagged (warning `year_on_year_change_in_band`):
# worth a look, never a withholding. ±50 %: budgets move by a few to a few tens of percent a year;
# beyond half, a reorganisation, a one-off project or a misread unit is likely.
DEFAULT_YEAR_ON_YEAR_BAND = Decimal("0.5")


def current_year() -> int:
    """This calendar year (UTC)."""
    return datetime.now(UTC).year


@dataclass(frozen=True)
class QualitySettings:
    """What the suites accept. `max_fiscal_year` None means next calendar year."""

    materiality: Decimal = DEFAULT_MATERIALITY
    min_fiscal_year: int = DEFAULT_MIN_FISCAL_YEAR
    max_fiscal_year: int | None = None
    function_codes: Path = DEFAULT_FUNCTION_CODES
    per_staff_bands: Path = DEFAULT_PER_STAFF_BANDS
    data_docs_dir: str = DEFAULT_DATA_DOCS_DIR
    reason_chars: int = DEFAULT_REASON_CHARS
    overrides: Path = Path(__file__).with_name("overrides.toml")  # reviewed exceptions (overrides.py)
    year_on_year_band: Decimal = DEFAULT_YEAR_ON_YEAR_BAND  # share of last year's figure (peers suite)

    def __post_init__(self) -> None:
        if not (Decimal(0) < self.materiality < Decimal(1)):
            raise ValueError(f"materiality must be a share between 0 and 1, not {self.materiality}")
        if self.max_fiscal_year is not None and self.max_fiscal_year < self.min_fiscal_year:
            raise ValueError("max_fiscal_year is before min_fiscal_year")
        if not self.year_on_year_band > 0:
            raise ValueError(f"year_on_year_band must be a positive share, not {self.year_on_year_band}")
        if self.reason_chars < 80:
            raise ValueError("reason_chars must leave room for a readable reason (>= 80)")
        if not self.data_docs_dir or "/" in self.data_docs_dir or self.data_docs_dir.startswith("."):
            raise ValueError(f"data_docs_dir must be a plain folder name, not {self.data_docs_dir!r}")

    @property
    def last_fiscal_year(self) -> int:
        """The latest acceptable fiscal year (next calendar year unless fixed)."""
        return self.max_fiscal_year if self.max_fiscal_year is not None else current_year() + 1
