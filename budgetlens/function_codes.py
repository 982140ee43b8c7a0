"""The national function classification (政府收支分类科目, 支出功能分类): one data file, read here.

`budgetlens/data/function_codes.csv` (code, level, name, source) is the only list of function codes:
the parser resolves the codes of lines printed by name only from it (`budgetlens.parse.classification`),
the quality suite checks printed codes against it (`plausibility_function_codes`), and the corpus
generator takes its names from it. Codes: 类 3 digits, 款 5, 项 7 (docs/record.md "Lines").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FUNCTION_CODES_CSV = Path(__file__).with_name("data") / "function_codes.csv"

FUNCTION_CODE_RE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
CODE_LENGTH_BY_LEVEL: dict[int, int] = {1: 3, 2: 5, 3: 7}


class CodeListError(ValueError):
    """The code list is malformed (names the file and line)."""


@dataclass(frozen=True)
class FunctionCode:
    code: str
    level: int  # 1 类 / 2 款 / 3 项
    name: str
    source: str  # national / corpus / real_pdf

    @property
    def parent(self) -> str:
        """The 类 of a 款, the 款 of a 项; "" for a 类."""
        return self.code[: CODE_LENGTH_BY_LEVEL.get(self.level - 1, 0)]


def csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV whose comment lines start with '#'."""
    with Path(path).open(encoding="utf-8", newline="") as f:
        numbered = [(i, line) for i, line in enumerate(f, 1) if line.strip() and not line.startswith("#")]
    if not numbered:
        raise CodeListError(f"{path}: no header line")
    reader = csv.DictReader(line for _, line in numbered)
    return [(numbered[k + 1][0], row) for k, row in enumerate(reader)]


@cache
def read_function_codes(path: Path = FUNCTION_CODES_CSV) -> dict[str, FunctionCode]:
    """code → FunctionCode, in the file's order; every code is checked for form and listed once."""
    out: dict[str, FunctionCode] = {}
    for line, row in csv_rows(Path(path)):
        code, level = (row.get("code") or "").strip(), (row.get("level") or "").strip()
        if not FUNCTION_CODE_RE.match(code) or not level.isdigit():
            raise CodeListError(f"{path}:{line}: bad code or level {code!r} {level!r}")
        if CODE_LENGTH_BY_LEVEL.get(int(level)) != len(code):
            raise CodeListError(f"{path}:{line}: code {code} does not have the length of level {level}")
        if code in out:
            raise CodeListError(f"{path}:{line}: code {code} listed twice")
        name, source = (row.get("name") or "").strip(), (row.get("source") or "").strip()
        out[code] = FunctionCode(code, int(level), name, source)
    return out


def national_name(code: str) -> str:
    """The name the list gives a code (KeyError when it is not listed)."""
    return read_function_codes()[code].name
