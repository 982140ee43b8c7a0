"""Which document this is: department, jurisdiction, fiscal year, budget or final accounts, scope.

Pure functions over the lines of the first pages, the table titles and the labelled lines
(部门名称：… / 预算主管部门：… / 编制部门：…). A cover drawn as an image leaves the name to the
table meta lines and the running text.
"""

from __future__ import annotations

import re
from collections import Counter

from budgetlens.parse.normalize import key, normalize_text
from budgetlens.parse.pdfdoc import UNREAD, holds_unread

_LABELLED = re.compile(
    r"^(?:(?:部门名称|预算主管部门|主管部门|编制部门|编制单位|部门|单位名称)\s*[:：]|(?:部门名称|单位名称)\s+)\s*(?P<name>[^\s].*)$"
)
# a name's own-level suffix: 深圳市民政局（本级） is the department 深圳市民政局 (its scope says the rest)
_OWN_LEVEL = re.compile(r"\s*[(（](?:本级|汇总|部门汇总|部门本级)[)）]$")
_UNIT_TAIL = re.compile(r"\s*(?:金额)?单位\s*[:：].*$")
_JURISDICTION = re.compile(
    r"^(?:中共|中国共产党)?(?P<j>(?:[\u4e00-\u9fff]{2,3}(?:省|自治区))?(?:(?:(?![区县])[\u4e00-\u9fff]){2,4}?市)?(?:[\u4e00-\u9fff]{1,4}?(?:新区|区|县|旗))?)"
)
_COVER = re.compile(r"(?P<year>20\d\d)\s*年度?(?P<rest>.*?)(?P<scope>部门|单位)?\s*(?P<kind>预算|决算)")
_YEAR_TITLE = re.compile(r"(20\d\d)\s*年")
_ENUMERATED = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．])"
)
_TRAILERS = re.compile(
    r"(?:年度)?(?:区级|市级|省级|县级)?(?:部门|单位)?(?:预算|决算)(?:信息公开|公开|编制说明|情况说明)?(?:文件|表|报告)?$"
)


LABEL_CELLS = ("部门名称", "单位名称", "预算单位名称", "预算部门名称")


def labelled_department(text: str) -> str | None:
    """The name after 部门名称：/ 预算主管部门：/ 编制部门：… on a line, without a trailing 单位：… part."""
    t = normalize_text(text)
    m = _LABELLED.match(t)
    if not m:
        return None
    name = _UNIT_TAIL.sub("", m.group("name")).strip()
    if not re.search(r"[\u4e00-\u9fff]{2}", name) or "单位" in name[:4] or holds_unread(name):
        return None
    name = re.sub(r"\s+", "", name) if re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", name) else name
    return name or None


# a department's or unit's name: Han characters ending as government bodies' names end, then
# perhaps a bracketed note ((本级), (广州市人民政府公报编辑部))
ORG_NAME = re.compile(
    r"[\u4e00-\u9fff()]{3,40}(?:局|委员会|委|厅|办公室|办|院|会|部|中心|站|所|队|馆|处|街道办事处|政府|署)(?:\([^()]{1,30}\))?"
)


def form_department(cells: list[str]) -> str | None:
    """The name a form prints in a 部门名称 | name pair of cells (a performance table names its
    department so), when the second cell reads as a government body's name."""
    if len(cells) != 2 or key(cells[0]) not in LABEL_CELLS:
        return None
    name = normalize_text(cells[1])
    return name if ORG_NAME.fullmatch(key(name)) else None


def cover_department(text: str) -> str | None:
    """A department name from a cover title: '2022 年深圳市罗湖区科技创新局部门预算' -> '深圳市罗湖区科技创新局'."""
    k = key(text)
    if not _TRAILERS.search(k) or re.search(r"\.{4,}|…", k):
        return None  # a cover title ends with 预算 / 决算 (a table-of-contents line never does)
    k = re.sub(r"^20\d\d年度?", "", k)
    k = re.sub(r"(?:20\d\d|[" + UNREAD + r"]{4})年度?", "", k)  # a year, read or printed but unread
    if holds_unread(k):
        return None  # which characters a name printed but unread holds cannot be told
    name = _TRAILERS.sub("", k)
    name = re.sub(r"(?:区级|市级|省级|县级)$", "", name)
    if (
        len(name) < 4
        or name.endswith(("区", "市", "省", "县"))
        and _JURISDICTION.match(name).group("j") == name
    ):
        return None
    if any(w in name for w in ("目录", "说明", "部分", "表")) or _ENUMERATED.match(name):
        return None  # a table of contents' entry ('二、收入决算表'), not a title
    return name


def jurisdiction_of(name: str | None) -> str | None:
    """The government a department belongs to, from its name: 深圳市罗湖区科技创新局 -> 深圳市罗湖区."""
    if not name:
        return None
    m = _JURISDICTION.match(key(name))
    j = m.group("j") if m else ""
    if not j and re.match(r"^(?:国家|中华人民共和国|中央)", key(name)):
        return "中央"  # a central-government department (国家信访局, 中央…)
    return j or None


def fiscal_year_of(cover_lines: list[str], titles: list[str], prose: str, all_text: str = "") -> int | None:
    """The budget year: from the cover title, else the table titles, else the first '20XX年…预算' in the text."""
    for line in cover_lines:
        m = _COVER.search(key(line))
        if m:
            return int(m.group("year"))
    years = Counter(int(y) for t in titles for y in _YEAR_TITLE.findall(key(t)))
    if years:
        return years.most_common(1)[0][0]
    m = re.search(r"(20\d\d)年度?(?:部门|单位)?(?:预算|决算)", prose)
    if m:
        return int(m.group(1))
    m = re.search(r"[(（](20\d\d)年度?[)）]", prose + all_text)  # a form's year qualifier: （2026年度）
    return int(m.group(1)) if m else None


def kind_of(cover_lines: list[str], titles: list[str], text: str = "") -> str | None:
    """final_accounts when the cover or most table titles say 决算, else budget; None when neither
    they nor the text (`text`) say 预算 or 决算 anywhere (nothing readable: glyphs without a Unicode
    map)."""
    cover = "".join(key(x) for x in cover_lines)
    if not any(w in part for w in ("预算", "决算") for part in (cover, "".join(titles), text)):
        return None
    if "决算" in cover and "预算" not in cover.split("决算")[0][-8:]:
        return "final_accounts"
    if titles and sum(1 for t in titles if "决算" in t) * 2 > len(titles):
        return "final_accounts"
    return "budget"


def scope_of(cover_lines: list[str], titled: list[str] = ()) -> str | None:
    """unit for a 单位预算 / 单位决算 document, else department: as its cover says, else (a cover
    drawn as an image) as the lines naming a 年度 say ('第二部分2026年度单位预算表'); None when
    neither names a 预算 or 决算 (nothing readable)."""
    texts = ["".join(key(x) for x in lines) for lines in (cover_lines, titled)]
    for text in texts:
        unit, department = re.search(r"单位(?:预算|决算)", text), re.search(r"部门(?:预算|决算)", text)
        if unit or department:
            return "unit" if unit and not department else "department"
    return "department" if any("预算" in t or "决算" in t for t in texts) else None


def template_of(titles: list[tuple[str, str | None, str]]) -> str | None:
    """The layout family from (kind, number, title) of the tables found, by which tables a document
    has (not by how it numbers them): shenzhen13, shanghai9, jiangsu12, or None."""
    kinds = {k for k, _, _ in titles}
    texts = "".join(key(t) for _, _, t in titles)
    if "transfer_payment" in kinds or ("performance" in kinds and "project_expense" in kinds):
        return "shenzhen13"
    if "agency_running" in kinds or (
        "basic_by_economic" in kinds and "procurement" in kinds and "basic_expense" in kinds
    ):
        return "jiangsu12"
    if "财务收支预算总表" in texts or (
        "basic_by_economic" in kinds and "procurement" not in kinds and "summary" in kinds
    ):
        return "shanghai9"
    return None


_PART = re.compile(r"^第[一二三四五六七八九十]+部分")


# a clause whose subject is a body's name: '福州市仓山生态环境局的主要职责是', '2026年,江苏省委办公厅本年
# 收入预算合计…', '烟台市财政局部门预算包括'
_SUBJECT = re.compile(
    r"(?:^|[。;:,(])(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)?(?:20\d\d年度?,?)?(?P<name>[\u4e00-\u9fff()]{4,40}?)(?:的)?(?:20\d\d年度?)?"
    r"(?:主要职[责能]|本年|收入|支出|财政拨款|一般公共预算|政府采购|(?:部门|单位)(?:预算|决算)|包括|是|共|内设)"
)


def prose_department(text: str) -> str | None:
    """The body the running text (one printed line per line) speaks of: the name that most often
    opens a line or a clause on its duties or its budget, when more than one clause opens with it
    (a cover drawn as an image, no labelled tables and no titles naming it leave only the text)."""
    found = [
        _OWN_LEVEL.sub("", m.group("name"))
        for line in text.splitlines()
        for m in _SUBJECT.finditer(key(line))
        if ORG_NAME.fullmatch(m.group("name")) and jurisdiction_of(m.group("name"))
    ]
    # a clause opened by a verb ('纳入烟台市财政局2026年部门预算…') names the body at its end
    times = {n: sum(f.endswith(n) for f in found) for n in set(found)}
    if not times:
        return None
    most = max(times.values())
    best = [n for n, t in times.items() if t == most]
    return best[0] if most >= 2 and len(best) == 1 else None


def department_of(
    labelled: list[str], cover_lines: list[str], titled: list[str] = (), prose: str = ""
) -> str | None:
    """The department: the most common labelled name (tables and text), else the cover title, else
    the name the document's own titles give it more than once ('第二部分 X 2025 年度部门决算表', 'X 2025
    年度部门决算表' over the tables: a cover drawn as an image has no text), else the body the
    prose's clauses speak of (`prose_department`)."""
    names = Counter(_OWN_LEVEL.sub("", n) for n in labelled if n)
    if names:
        name = names.most_common(1)[0][0]
        # the same name with its government in front (上海市 + 普陀区城市管理行政执法局, the cover's
        # 预算主管部门 beside the tables' 编制部门) is the full name
        fuller = [
            n
            for n in names
            if len(n) > len(name) and n.endswith(name) and jurisdiction_of(n[: -len(name)]) == n[: -len(name)]
        ]
        return max(fuller, key=len) if fuller else name
    joined = ["".join(cover_lines[:k]) for k in range(2, min(5, len(cover_lines)) + 1)]
    for text in [*cover_lines, *joined]:  # a title set over several short lines
        name = cover_department(text)
        if name:
            return _OWN_LEVEL.sub("", name)
    named = Counter(
        _OWN_LEVEL.sub("", n)
        for line in titled
        if re.search(r"20\d\d\s*年", line) and (n := cover_department(_PART.sub("", key(line))))
    )
    if named:
        name, times = named.most_common(1)[0]
        if times >= 2:
            return name
    return prose_department(prose)
