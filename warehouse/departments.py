"""Canonical department names and department types, from two data files beside this module.

`department_aliases.csv` (alias → canonical full name) and `department_types.csv` (match, pattern,
department_type). The rule, in order:

1. **Normalise** the printed name: NFKC, look-alike radicals (⻔ → 门), no whitespace.
2. **Canonical name**: an exact alias from the aliases file wins; otherwise generic rules:
   中国共产党…委员会 → 中共…委, 中国人民政治协商会议 → 政协, and a party committee office named
   without 中共 ("江苏省委办公厅") gets it ("中共江苏省委办公厅"). A name printed without its
   jurisdiction ("科技创新局", "罗湖区科技创新局") gets the jurisdiction put in front.
3. **Strip** the jurisdiction from the canonical name: a leading 中共, then each leading part of
   the jurisdiction (深圳市, 罗湖区; the level character stays before 委: 江苏省委办公厅 → 省委办公厅).
4. **Type**: the stripped name exactly; else the longest `suffix` rule the name ends with; else
   the longest `keyword` rule it contains; else `other` (listed in the load report).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

OTHER = "other"
DEFAULT_TYPES_CSV = Path(__file__).with_name("department_types.csv")
DEFAULT_ALIASES_CSV = Path(__file__).with_name("department_aliases.csv")
MATCH_KINDS: tuple[str, ...] = ("exact", "suffix", "keyword")

# CJK radicals (supplement and Kangxi) that NFKC leaves alone but print like the ideograph.
_LOOKALIKES = str.maketrans(
    {
        "⻔": "门",
        "⻋": "车",
        "⻓": "长",
        "⻅": "见",
        "⻆": "角",
        "⻢": "马",
        "⻜": "飞",
        "⻝": "食",
        "⻉": "贝",
        "⻛": "风",
        "⻚": "页",
        "⻄": "西",
        "⻘": "青",
        "⻨": "麦",
        "⻰": "龙",
    }
)
_SPACE = re.compile(r"\s+")
_JURISDICTION_PART = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|新区|地区|省|市|州|盟|区|县|旗)")
_CPC_FULL = re.compile(r"^中国共产党(.+?)委员会")
_CPPCC_FULL = "中国人民政治协商会议"


@dataclass(frozen=True)
class DepartmentRules:
    """The parsed data files."""

    exact: dict[str, str]
    suffix: tuple[tuple[str, str], ...]  # longest pattern first
    keyword: tuple[tuple[str, str], ...]  # longest pattern first
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def types(self) -> frozenset[str]:
        """Every department_type the rules can give (plus `other`)."""
        kinds = set(self.exact.values()) | {t for _, t in self.suffix} | {t for _, t in self.keyword}
        return frozenset(kinds | {OTHER})


def normalize_name(name: str) -> str:
    """NFKC, look-alike radicals to ideographs, whitespace removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name).translate(_LOOKALIKES))


def read_rules(
    types_csv: Path = DEFAULT_TYPES_CSV, aliases_csv: Path = DEFAULT_ALIASES_CSV
) -> DepartmentRules:
    """Parse the two data files; a malformed line raises ValueError naming file and line."""
    exact: dict[str, str] = {}
    suffix: dict[str, str] = {}
    keyword: dict[str, str] = {}
    by_kind = {"exact": exact, "suffix": suffix, "keyword": keyword}
    for line_no, row in _rows(types_csv, ("match", "pattern", "department_type")):
        kind, pattern, dtype = row["match"], normalize_name(row["pattern"]), row["department_type"].strip()
        if kind not in by_kind:
            raise ValueError(f"{types_csv}:{line_no}: match must be one of {MATCH_KINDS}, not {kind!r}")
        if not pattern or not dtype:
            raise ValueError(f"{types_csv}:{line_no}: empty pattern or department_type")
        target = by_kind[kind]
        if target.get(pattern, dtype) != dtype:
            raise ValueError(
                f"{types_csv}:{line_no}: {kind} {pattern!r} mapped twice ({target[pattern]} / {dtype})"
            )
        target[pattern] = dtype
    aliases: dict[str, str] = {}
    for line_no, row in _rows(aliases_csv, ("alias", "canonical")):
        alias, canonical = normalize_name(row["alias"]), normalize_name(row["canonical"])
        if not alias or not canonical:
            raise ValueError(f"{aliases_csv}:{line_no}: empty alias or canonical")
        if aliases.get(alias, canonical) != canonical:
            raise ValueError(f"{aliases_csv}:{line_no}: alias {alias!r} has two canonical names")
        aliases[alias] = canonical

    def longest_first(d: dict[str, str]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(d.items(), key=lambda kv: (-len(kv[0]), kv[0])))

    return DepartmentRules(
        exact=exact, suffix=longest_first(suffix), keyword=longest_first(keyword), aliases=aliases
    )


def _rows(path: Path, columns: tuple[str, ...]):
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != columns:
            raise ValueError(f"{path}: header must be {','.join(columns)}, not {reader.fieldnames}")
        for row in reader:
            if None in row.values() or None in row:
                raise ValueError(f"{path}:{reader.line_num}: expected {len(columns)} fields")
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}


@cache
def default_rules() -> DepartmentRules:
    """The rules from the data files shipped beside this module (read once)."""
    return read_rules()


def jurisdiction_parts(jurisdiction: str | None) -> list[str]:
    """深圳市罗湖区 → [深圳市, 罗湖区]; 江苏省 → [江苏省]."""
    if not jurisdiction:
        return []
    return _JURISDICTION_PART.findall(normalize_name(jurisdiction))


def canonical_department(
    name: str | None, jurisdiction: str | None, rules: DepartmentRules | None = None
) -> str | None:
    """One canonical full name per department (see the module docstring for the rule)."""
    if not name:
        return None
    r = rules or default_rules()
    n = normalize_name(name)
    if n in r.aliases:
        return r.aliases[n]
    n = _CPC_FULL.sub(r"中共\1委", n)
    if n.startswith(_CPPCC_FULL):
        n = "政协" + n[len(_CPPCC_FULL) :]
    j = normalize_name(jurisdiction or "")
    if j and n.startswith(j + "委"):
        n = "中共" + n
    parts = jurisdiction_parts(jurisdiction)
    if j and j not in n:
        # printed without (all of) its jurisdiction: 罗湖区科技创新局 / 科技创新局
        for i in range(len(parts)):
            tail = "".join(parts[i:])
            if n.startswith(tail):
                n = j + n[len(tail) :]
                break
        else:
            if not any(p in n for p in parts):
                n = j + n
    return r.aliases.get(n, n)


def strip_jurisdiction(name: str, jurisdiction: str | None) -> str:
    """The department name without 中共 and the leading jurisdiction parts (省委 keeps 省)."""
    n = normalize_name(name)
    for prefix in ("中国共产党", "中共"):
        if n.startswith(prefix):
            n = n[len(prefix) :]
            break
    parts = jurisdiction_parts(jurisdiction)
    changed = True
    while changed:
        changed = False
        for p in parts:
            if n.startswith(p) and len(n) > len(p):
                rest = n[len(p) :]
                n = (p[-1] + rest) if rest.startswith("委") else rest
                changed = True
    return n


def department_type(name: str | None, jurisdiction: str | None, rules: DepartmentRules | None = None) -> str:
    """The canonical type of a department (科技创新, 教育, …) or `other`."""
    if not name:
        return OTHER
    r = rules or default_rules()
    canonical = canonical_department(name, jurisdiction, r) or ""
    stripped = strip_jurisdiction(canonical, jurisdiction)
    if stripped in r.exact:
        return r.exact[stripped]
    for pattern, dtype in r.suffix:
        if stripped.endswith(pattern):
            return dtype
    for pattern, dtype in r.keyword:
        if pattern in stripped:
            return dtype
    return OTHER


def classify(
    name: str | None, jurisdiction: str | None, rules: DepartmentRules | None = None
) -> tuple[str | None, str]:
    """(canonical name, department_type) of one department."""
    r = rules or default_rules()
    return canonical_department(name, jurisdiction, r), department_type(name, jurisdiction, r)
