"""Figures stated in the text part of a budget: headcount, totals, 三公, 机关运行经费, procurement.

The prose is the document's lines outside its tables, joined in reading order with every space
removed (Chinese wraps lines mid-word; justified text spaces out characters). Each pattern below
is a phrasing seen in real budgets (../shared/FIELD_NOTES.md); the first match in document order
wins. Amounts are converted by the unit printed right after them (万元 / 元 / 亿元); counts are
people (人 / 名) or units (个 / 家).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from budgetlens.amounts import AmountError, parse_printed, unit_multiplier
from budgetlens.parse.layout import Line
from budgetlens.parse.pdfdoc import UNREAD, holds_unread

_NUM = r"(?P<num>\d[\d,，]*(?:\.\d+)?)"
_AMT = _NUM + r"(?P<unit>亿元|万元|千元|元)"
# an amount stated with its unit, not the tail of a longer figure: '55,884.67万元', '1848万元'
AMOUNT_STATED = re.compile(r"(?<![\d.,])" + _AMT)
_CNT = r"(?P<num>\d+)(?:人|名)"
_Q = r"[“”\"'‘’]?"


@dataclass(frozen=True)
class ProseFigure:
    """A figure read from a sentence: value in yuan (amounts) or an integer (counts), where it was printed."""

    field: str
    value: Decimal | int
    printed: str  # the figure as printed, with its unit ("2,579万元")
    start: int  # position in the prose text
    number: str  # the digits as printed ("2,579")
    unit: str  # the unit printed after them ('' for counts)
    page: int
    bbox: tuple[float, float, float, float]
    sentence: str = ""  # the words the figure was printed with ("部门预算收入2,579万元")


@dataclass
class Prose:
    """The text part: one string without spaces, and for each of its characters the page and box."""

    text: str
    where: list[tuple[int, float, float, float, float]]
    line_starts: list[int] = dataclasses.field(default_factory=list)  # where each line begins in `text`
    # `text` before the sentences printing something unread were blanked: what the document names
    # itself by (its year, budget or final accounts) is read from here, never a figure
    printed: str = ""

    def __post_init__(self) -> None:
        self.printed = self.printed or self.text

    def locate(self, start: int, end: int) -> tuple[int, tuple[float, float, float, float]]:
        """Page and bounding box of the characters [start, end) (on the page of the first one)."""
        spots = self.where[start:end] or self.where[start : start + 1]
        page = spots[0][0]
        same = [s for s in spots if s[0] == page]
        return page, (
            round(min(s[1] for s in same), 2),
            round(min(s[2] for s in same), 2),
            round(max(s[3] for s in same), 2),
            round(max(s[4] for s in same), 2),
        )


def build_prose(lines: list[Line]) -> Prose:
    """Join lines (in reading order) into one spaceless text with a box per character.

    Two figures that would touch across a space ("12 11") keep a thin separator so they stay two.
    """
    parts: list[str] = []
    where: list[tuple[int, float, float, float, float]] = []
    starts: list[int] = []
    for line in lines:
        starts.append(len(parts))
        prev = ""
        for seg in line.segments:
            for c in seg.chars:
                t = c.text
                if t.isspace():
                    continue
                if (
                    prev.isdigit()
                    and t.isdigit()
                    and where
                    and c.x0 - where[-1][3] > 0.2 * (c.bottom - c.top)
                ):
                    parts.append("|")
                    where.append((line.page, c.x0, c.top, c.x0, c.bottom))
                parts.append(t)
                where.append((line.page, c.x0, c.top, c.x1, c.bottom))
                prev = t
    printed = "".join(parts)
    return Prose(_without_pictured_sentences(printed), where, starts, printed)


_SENTENCE_ENDS = "。！？；;"


def _without_pictured_sentences(text: str) -> str:
    """The text with every sentence that prints something unread (`pdfdoc.UNREAD`: a figure drawn
    as a picture, glyphs without a Unicode map) blanked out (its characters made sentence ends, so
    positions stay): which of its figures is the one a statement names cannot be told
    (政府采购预算[a picture]万元，其中：货物预算7.80万元 is no procurement total of 7.80 万元)."""
    if not holds_unread(text):
        return text
    chars = list(text)
    for at in [k for k, ch in enumerate(text) if ch in UNREAD]:
        start = at
        while start > 0 and chars[start - 1] not in _SENTENCE_ENDS:
            start -= 1
        end = at
        while end < len(chars) and chars[end] not in _SENTENCE_ENDS:
            end += 1
        chars[start:end] = "。" * (end - start)
    return "".join(chars)


def _amount(m: re.Match) -> Decimal | None:
    try:
        value = parse_printed(m.group("num").replace("，", ","))
    except AmountError:
        return None
    if value is None:
        return None
    return value * unit_multiplier(m.group("unit"))


# field -> patterns (first match in document order wins). The gaps between a field's words and
# its figure hold words (and a year), never another figure: a pattern never skips a figure. Lookbehinds keep a broader word
# (财政拨款收入预算 / 基本支出预算 / 政府采购支出预算 …) from being read as a narrower one.
_NOT_BEFORE_TOTAL = r"(?<!拨款)(?<!预算)(?<!基本)(?<!项目)(?<!采购)(?<!经费)(?<!用于)(?<!资金)(?<!财政)"
AMOUNT_PATTERNS: dict[str, list[str]] = {
    "income_total": [
        _NOT_BEFORE_TOTAL
        + r"(?:部门预算收入|部门收入预算|收入预算(?:总计|合计)?|收入、支出预算总计|收、支预算总计|收支预算总计)(?:为|是|共计)?"
        + _AMT,
    ],
    "expense_total": [
        _NOT_BEFORE_TOTAL
        + r"(?:部门预算支出|部门支出预算|支出预算(?:总计|合计)?|收入、支出预算总计|收、支预算总计|收支预算总计)(?:为|是|共计)?"
        + _AMT,
        r"(?<![收支入出])预算(?:总额)?(?:为)?" + _AMT + r"(?=[，,](?:包括|具体包括))",
    ],
    # 财政拨款收入 of one budget (一般公共预算 / 政府性基金预算 / 国有资本经营预算财政拨款收入) is that
    # budget's part, never the appropriations of all three
    "fiscal_appropriation": [
        r"(?<!一般公共预算)(?<!政府性基金预算)(?<!政府性基金)(?<!国有资本经营预算)财政拨款收入(?:预算)?(?:总计|合计)?(?:为)?"
        + _AMT
    ],
    "general_budget_appropriation": [r"一般公共预算(?:财政)?(?:拨款)?收入(?:预算)?(?:为)?" + _AMT],
    "gov_fund_appropriation": [r"政府性基金(?:预算)?(?:财政)?(?:拨款)?收入(?:预算)?(?:为)?" + _AMT],
    "state_capital_appropriation": [r"国有资本经营预算(?:财政)?(?:拨款)?收入(?:预算)?(?:为)?" + _AMT],
    "basic_expense": [
        r"(?<!财政拨款)(?<!一般公共预算)(?<!拨款)基本支出(?:预算数为|预算数|预算为|预算)?" + _AMT
    ],
    "project_expense": [r"(?<!财政拨款)项目支出(?:预算数为|预算数|预算为|预算)?" + _AMT],
    # the department's carry-over is stated with both words (上年结转结余 12.72 万元, 年终结转结余资金 0 万元;
    # final accounts: 年初 / 年末结转和结余); a bare 上年结转 N 万元 is mostly one project's or one fund's
    "carryover_in": [r"(?:上年|年初)结转[和、及与]?结余(?:资金)?(?:收入)?(?:为|是)?" + _AMT],
    "carryover_out": [
        r"(?:年末|年终)结转[和、及与]?结余(?:资金)?(?:为|是)?" + _AMT,
        r"结转[和、及与]?结余下年(?:资金|支出)?(?:为|是)?" + _AMT,
    ],
    "reserve_expense": [r"单位预留机动经费(?:预算数为|预算数|预算为|预算)?" + _AMT],
    "personnel_expense": [r"人员支出" + _AMT],
    "operating_expense": [r"(?:公用支出|公用经费)" + _AMT],
    "household_subsidy": [r"对个人和家庭(?:的)?补助(?:支出)?" + _AMT],
    "staff_and_household_cost": [r"(?<!在职)(?<!在编)(?<!离退休)人员经费" + _AMT],
    "agency_running_cost": [r"机关运行经费(?:[^。；;\d]|20\d\d年度?){0,30}?" + _AMT],
    "three_public_total": [
        _Q
        + r"三公"
        + _Q
        + r"经费(?:财政拨款)?(?:预算数?|预算支出|支出预算|预算总额)(?:总额|合计)?(?:为|是)?"
        + _AMT,
    ],
    "overseas_travel": [
        r"因公出国[(（]境[)）](?:费用?|经费)(?:(?!出国|接待|公务用车)[^；;:：\d]|20\d\d年度?){0,16}?" + _AMT
    ],
    "official_reception": [
        r"公务接待费(?:用)?(?:(?!出国|接待|公务用车)[^；;:：\d]|20\d\d年度?){0,16}?" + _AMT
    ],
    "vehicle_total": [
        r"公务用车购置(?:及|和)运行(?:维护)?费(?:用)?(?:(?!出国|接待|公务用车)[^；;:：\d]|20\d\d年度?){0,16}?"
        + _AMT
    ],
    "vehicle_purchase": [
        r"公务用车购置(?![及和])(?:费)?(?:(?!出国|接待|公务用车)[^；;:：\d]|20\d\d年度?){0,16}?" + _AMT
    ],
    "vehicle_operation": [
        r"公务用车运行(?:维护)?费(?:(?!出国|接待|公务用车)[^；;:：\d]|20\d\d年度?){0,16}?" + _AMT
    ],
    "procurement_total": [
        r"(?<!预留)(?<!预留的)(?<!企业的)政府采购(?!货物|工程|服务|管理|监管|科|工作|中心|办公室)(?:项目|支出)?(?:(?!中标|成交|供应商)[^；;。\d]|20\d\d年度?){0,30}?(?:共计|共有|总额|合计|安排|预算(?:数|金额)?|金额)(?:[(（][^()（）\d]{1,12}[)）])?(?:为|是)?"
        + _AMT
    ],
    # budgets reserve (面向 / 预留给 中小企业); final accounts state what was awarded (授予中小企业合同金额)
    # (what suppliers of that size won: 由中小企业供应商中标或成交的，采购金额 N, is another figure)
    "procurement_sme": [
        r"(?:面向|预留给?|授予)中小企业(?:(?!中标|成交|供应商)[^；;。\d]|20\d\d年度?){0,24}?" + _AMT
    ],
    "procurement_small_micro": [
        r"(?:小型和微型|小型、微型|小微)企业(?:(?!中标|成交|供应商)[^；;。\d]|20\d\d年度?){0,24}?" + _AMT
    ],
}
# Read only in the sentences right after the procurement total.
PROCUREMENT_PARTS: dict[str, str] = {
    "procurement_goods": r"货物类?(?:采购|项目)?(?:预算|支出)?(?:金额)?(?:为)?" + _AMT,
    "procurement_works": r"工程类?(?:采购|项目)?(?:预算|支出)?(?:金额)?(?:为)?" + _AMT,
    "procurement_services": r"服务类?(?:采购|项目)?(?:预算|支出)?(?:金额)?(?:为)?" + _AMT,
}
_PROCUREMENT_WINDOW = 160

COUNT_PATTERNS: dict[str, list[str]] = {
    "admin_authorized": [r"(?<!附属)行政编制(?:总数|数)?(?:为|共)?" + _CNT],
    "admin_actual": [
        r"(?<!附属)行政编制(?:总数|数)?(?:为|共)?\d+(?:人|名)[，,、]?(?:其中)?实有(?:在编|在职)?(?:人数|人员)?(?:为)?"
        + _CNT
    ],
    "cs_managed_authorized": [
        r"(?:参公|参照公务员法管理(?:的)?(?:事业)?(?:单位)?)编制(?:总数|数)?(?:为|共)?" + _CNT
    ],
    "cs_managed_actual": [
        r"(?:参公|参照公务员法管理(?:的)?(?:事业)?(?:单位)?)编制(?:总数|数)?(?:为|共)?\d+(?:人|名)[，,、]?(?:其中)?实有(?:在编|在职)?(?:人数|人员)?(?:为)?"
        + _CNT
    ],
    "institution_authorized": [r"事业编制(?:总数|数)?(?:为|共)?" + _CNT],
    "institution_actual": [
        r"事业编制(?:总数|数)?(?:为|共)?\d+(?:人|名)[，,、]?(?:其中)?实有(?:在编|在职)?(?:人数|人员)?(?:为)?"
        + _CNT
    ],
    "admin_auxiliary_authorized": [r"行政附属编制(?:总数|数)?(?:为|共)?" + _CNT],
    "authorized_total": [
        r"(?<!行政)(?<!事业)(?<!参公)(?<!附属)(?<!管理)(?:核定)?编制(?:总数|数)?(?:为|共)?" + _CNT
    ],
    "actual_total": [r"(?:在职人员|在职在编人员|实有人员|在编人员|实有在编人员|在职职工)(?:共|为)?" + _CNT],
    "veteran_retirees": [r"(?<!退)离休(?:人员|干部)?(?:共|为)?" + _CNT],
    "retirees": [r"(?<!离)退休(?:人员|干部)?(?:共|为)?" + _CNT],
    "retirees_total": [r"离退休(?:人员|干部)?(?:共|为)?" + _CNT],
    "internal_divisions": [
        r"(?:共|设|等|有)?(?P<num>\d+|[一二三四五六七八九十]{1,3})个(?:内设机构|部门|处室|科室|职能科室|内设科室|职能部门|处[(（]室[)）])",
        r"内设(?:机构|处室|科室|部门|司局|职能机构)(?:共)?(?P<num>\d+|[一二三四五六七八九十]{1,3})个",
        r"内设(?:共)?(?P<num>\d+)个(?:职能)?(?:机构|司局|处室|科室|部门)",
    ],
    # 国有资产占用: the vehicles held (共有 / 实有车辆 N 辆, or 车辆 N 辆 in a list of holdings), never the
    # ones a budget plans to buy (安排购置车辆 N 辆) nor a kind of vehicle (执法执勤用车 N 辆)
    "vehicles": [r"(?:(?:共有|实有|拥有|现有)|(?<=[，,：:；;]))车辆(?:共)?(?P<num>\d+)(?:辆|台)"],
    # equipment of 1 million yuan and more each (单价 / 单位价值 100 万元（含）以上设备 N 台（套）); another
    # threshold (单价 20 万元以上), or one kind only (100 万元以上专用设备), is another figure, not read
    "large_equipment": [
        r"(?<!购置)(?:单价|单位价值)(?:在)?100万元?(?:[（(]含[)）])?以上(?:的)?(?:大型)?设备"
        r"(?:[（(]不含车辆[)）])?(?P<num>\d+)(?:台|套)"
    ],
    # 预算绩效情况 of final accounts: "全面开展绩效自评，其中，一级项目 7 个、二级项目 16 个" (per level), "对 12 个项目
    # 开展了绩效自评" (one count), "等 3 个项目开展了部门评价"; never the projects whose results are reported
    # (反映了…4 个项目绩效自评结果) nor a budget's planned evaluations (read for final accounts only)
    "self_evaluated_level1_projects": [r"绩效自评[^。；;]{0,30}?一级项目(?:共)?(?P<num>\d+)个"],
    "self_evaluated_level2_projects": [r"绩效自评[^。；;]{0,40}?二级项目(?:共)?(?P<num>\d+)个"],
    "self_evaluated_projects": [
        r"(?:对|共)(?P<num>\d+)个项目(?:全面)?(?:开展|进行)了?(?:项目)?(?:绩效)?自评(?!结果)",
        r"绩效自评的(?:20\d\d年度?)?项目(?:共)?(?P<num>\d+)个",
    ],
    "department_evaluated_projects": [
        r"(?P<num>\d+)个(?:一级|二级)?项目(?:开展|进行)了?(?:部门|重点)(?:绩效)?评价",
    ],
}
# The counts read only from final accounts (a budget plans what they count as done).
FINAL_ACCOUNTS_COUNTS = (
    "self_evaluated_projects",
    "self_evaluated_level1_projects",
    "self_evaluated_level2_projects",
    "department_evaluated_projects",
)

_COMPILED_AMOUNTS = {f: [re.compile(p) for p in ps] for f, ps in AMOUNT_PATTERNS.items()}
_COMPILED_COUNTS = {f: [re.compile(p) for p in ps] for f, ps in COUNT_PATTERNS.items()}
_COMPILED_PARTS = {f: re.compile(p) for f, p in PROCUREMENT_PARTS.items()}


def _figure(prose: Prose, field: str, m: re.Match, value: Decimal | int) -> ProseFigure:
    groups = m.groupdict()
    start, end = (m.start("num"), m.end()) if groups.get("num") else (m.start(), m.end())
    page, bbox = prose.locate(m.start(), m.end())
    number = (groups.get("num") or "").replace("，", ",")
    return ProseFigure(
        field=field,
        value=value,
        printed=prose.text[start:end],
        start=m.start(),
        number=number,
        unit=groups.get("unit") or "",
        sentence=prose.text[m.start() : m.end()].replace("|", " "),
        page=page,
        bbox=bbox,
    )


# Words between a field's name and its figure that make the figure a change, a comparison or
# another year's figure ("公务接待费比上年减少0.15万元", "较2025年预算增加…"), not the figure itself.
_CHANGE_WORDS = re.compile(r"增加|减少|增长|下降|持平|[比较]上?年|同比|相比|上年|变化|增减|压减|节约|差额")
_YEAR_BEFORE = re.compile(r"(20\d\d)年度?[^。；;，,]{0,12}$")


# What may stand right before a field's name when the sentence states the department's figure:
# a boundary (punctuation, numbering, a year) or the words that introduce it. Anything else is a
# longer name ("大厅保安和安检服务项目支出 328.69 万元": one project's figure, not 项目支出).
_SUBJECT_BEFORE = re.compile(
    r"(?:^|[^\u4e00-\u9fff]|部门|单位|本级|其中|包括|年度?|安排|预算|为|是|的|及|和|、|共|总|全年|支出|收入)$"
)
_SUBJECT_FIELDS = ("basic_expense", "project_expense", "personnel_expense", "operating_expense")


def is_own_statement(
    text: str, m: re.Match, fiscal_year: int | None = None, field: str | None = None
) -> bool:
    """Does the match state the figure itself, for the budget year? Not when the words between the
    field's name and the number speak of a change or a comparison, nor when another year is named
    just before the field's name, nor (for the expenditure kinds) when the name is the tail of a
    longer one."""
    gap = text[m.start() : m.start("num")]
    if field == "carryover_in":
        gap = re.sub(r"^(?:上年|年初)", "", gap)  # the field's own name (上年结转), not a comparison
    if _CHANGE_WORDS.search(gap):
        return False
    if field in _SUBJECT_FIELDS and not _SUBJECT_BEFORE.search(text[max(0, m.start() - 4) : m.start()]):
        return False
    if fiscal_year is not None:
        y = _YEAR_BEFORE.search(text[max(0, m.start() - 16) : m.start()])
        if y and int(y.group(1)) != fiscal_year:
            return False
        y = re.search(r"(20\d\d)年", gap)
        if y and int(y.group(1)) != fiscal_year:
            return False
    return True


def read_all_amounts(prose: Prose, fiscal_year: int | None = None) -> dict[str, list[ProseFigure]]:
    """Every statement of every amount field in the prose, in document order (first = the field's
    value); changes, comparisons and other years' figures are not statements of the figure."""
    found: dict[str, list[ProseFigure]] = {}
    text = prose.text
    for field, patterns in _COMPILED_AMOUNTS.items():
        hits: dict[int, ProseFigure] = {}
        for pat in patterns:
            for m in pat.finditer(text):
                if not is_own_statement(text, m, fiscal_year, field):
                    continue
                value = _amount(m)
                if value is not None and m.start("num") not in hits:
                    hits[m.start("num")] = _figure(prose, field, m, value)
        if hits:
            found[field] = [hits[k] for k in sorted(hits)]
    _personnel_with_households(text, found)
    if "household_subsidy" not in found and not _described_as_wages(text, found.get("personnel_expense", [])):
        # 人员支出 beside 公用支出, with no 对个人和家庭的补助 stated on its own nor a description of
        # wages, is the document's own split of its spending (Hangzhou's 人员支出 + 日常公用支出 =
        # 基本支出, 303 inside both): not wages alone
        found.pop("personnel_expense", None)
    out = {f: v[0] for f, v in found.items()}
    total = out.get("procurement_total")
    if total is not None:
        window = text[total.start : total.start + _PROCUREMENT_WINDOW]
        for field, pat in _COMPILED_PARTS.items():
            m = pat.search(window)
            if m:
                value = _amount(m)
                if value is not None:
                    shifted = re.compile(pat.pattern).search(text, total.start)
                    if shifted is not None:
                        found[field] = [_figure(prose, field, shifted, value)]
    return found


# Items of 对个人和家庭的补助 (class 303) that a description of 人员支出 may list: 人员支出 then means
# 301 + 303 together (the glossary's staff_and_household_cost), not wages alone
_HOUSEHOLD_ITEMS = re.compile(r"离休费|退休费|抚恤金|生活补助|对个人和家庭(?:的)?补助")
# the description right after a figure ("，主要包括：基本工资、…、退休费等"), up to the next figure
_DESCRIBED = re.compile(r"[，,]?(?:主要|具体)?(?:包括|包含|含|用于|是)[:：]?(?P<items>[^。；;\d]{1,200})")


def _described_as_wages(text: str, stated: list[ProseFigure]) -> bool:
    """Is one of the statements of 人员支出 described right after as wages, without an item of 303?"""
    for f in stated:
        described = _DESCRIBED.match(text, f.start + len(f.sentence))
        if described and not _HOUSEHOLD_ITEMS.search(described["items"]):
            return True
    return False


def _personnel_with_households(text: str, found: dict[str, list[ProseFigure]]) -> None:
    """Where the prose describes its 人员支出 as holding items of class 303 (离休费、退休费、抚恤金 …),
    that figure, wherever stated, is 301 + 303 (`staff_and_household_cost`), not `personnel_expense`."""
    stated = found.get("personnel_expense", [])
    inclusive = set()
    for f in stated:
        described = _DESCRIBED.match(text, f.start + len(f.sentence))
        if described and _HOUSEHOLD_ITEMS.search(described["items"]):
            inclusive.add(f.value)
    if not inclusive:
        return
    moved = [dataclasses.replace(f, field="staff_and_household_cost") for f in stated if f.value in inclusive]
    kept = [f for f in stated if f.value not in inclusive]
    if kept:
        found["personnel_expense"] = kept
    else:
        del found["personnel_expense"]
    found["staff_and_household_cost"] = sorted(
        [*found.get("staff_and_household_cost", []), *moved], key=lambda f: f.start
    )


_N = r"(?P<num>\d+|[一二三四五六七八九十]{1,3})"
# The budget units below the department, as the prose counts or lists them. Each pattern says how
# its figure is read: `num` is the count; `whole` marks a count that includes the department itself
# when the list beside it names it (本级 or the department's name); `items` is a list of the units,
# counted; `budgets` a list of the units' budgets ("局本级决算、A决算和B决算"), counted without the
# department's own. A list that cannot be counted for sure (等, a generic item) gives nothing.
SUBORDINATE_UNITS: list[str] = [
    rf"(?P<self>本级(?:及|和|以及))?下属(?:预算单位)?(?:共)?{_N}(?:家|个)(?:预算)?(?:单位|事业单位)"
    r"(?P<list>[(（][^)）]{0,200}[)）])?",
    rf"下属单位(?:包括)?[^。；;]{{0,40}}?{_N}个(?:事业|行政)?单位",
    rf"(?<![\d共]){_N}(?:个|家)(?:下属|直属|所属)(?:的)?(?:预算|行政|二级)?(?:事业)?单位",
    r"(?P<none>无(?:独立核算(?:的)?)?下属(?:预算)?单位)",
    # the budget of the department's own level alone: "部门预算包括X本部的综合收支计划"
    r"(?:部门|单位)预算(?:是)?(?:仅)?包括(?P<none_own>[^。；;，,、]{1,40}?本[部级])的(?:综合)?收支计划",
    rf"包括[:：](?P<whole>[^。；;:：]{{1,800}}?)共{_N}家(?:基层|预算)?单位",
    rf"下设{_N}个(?:预算)?单位[，,](?:为|即|包括|分别为|分别是)[:：]?(?P<whole>[^。；;]{{1,400}})",
    rf"预算单位(?:共计|共)?{_N}(?:家|个)[，,](?:仅|具体)?(?:包括|为)[:：]?(?P<whole>[^。；;，,]{{1,400}})",
    r"下属(?:预算)?单位(?:具体)?(?:包括|有|为|分别为|分别是)[:：](?P<items>[^。；;:：]{2,800})[。；;]",
    r"(?:部门|单位)(?P<kind>决算|预算)(?:包括|由)[:：]?(?P<budgets>[^。；;:：]{2,800})[。；;]",
    # a numbered table of the budget's units under 序号 | 单位名称 (| 备注), the department's own
    # row (本级) first: "…编制范围的单位包括：序号单位名称备注1X（本级）2A3B"
    r"单位(?:包括|有|如下)[:：]?序号单位名称(?P<numbered>[^。；;]{1,1200})",
]
_COMPILED_UNITS = [re.compile(p) for p in SUBORDINATE_UNITS]
# How the name of a listed unit ends (a list with another ending, e.g. 某监狱, is not counted)
_UNIT_ENDINGS = "中心|站|所|院|馆|队|局|室|会|处|社|部|校|园|台|厅|办|委|组|团|场|厂|库|宫|科"
_UNIT_NAME_END = re.compile(rf"(?:{_UNIT_ENDINGS}|[)）])$")
_TWO_UNITS = re.compile(rf"(?:{_UNIT_ENDINGS})(?:和|及|与)")  # "A中心和B站": two names in one item


def _top_level_items(text: str) -> list[str]:
    """A list's items: split at 、 outside brackets."""
    items, depth, cur = [], 0, []
    for ch in text:
        depth += ch in "(（"
        depth -= ch in ")）" and depth > 0
        if ch == "、" and depth == 0:
            items.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    items.append("".join(cur))
    return [i.strip() for i in items]


def _unbracketed(item: str) -> str:
    return re.sub(r"[(（][^)）]*[)）]", "", item)


def _is_self(item: str, department: str | None) -> bool:
    """Does a listed unit name the department itself (X本级, its own name, or a unit accounted
    within it: 某中心（合并在本级核算）)?"""
    name = _unbracketed(item)
    if "本级" in name or "本部" in name or (bool(department) and name.startswith(department)):
        return True
    return bool(re.search(r"[(（][^)）]*(?:合并|并入|本级核算)[^)）]*[)）]", item))


def _units_value(m: re.Match, department: str | None) -> int | None:
    """What one match of SUBORDINATE_UNITS says the count is (None: it cannot be told for sure)."""
    g = m.groupdict()
    if g.get("none") or g.get("none_own"):
        return 0
    if g.get("budgets"):
        kind = g["kind"]
        items = _top_level_items(re.sub(rf"(?<={kind})(?:以及|和|及)", "、", g["budgets"]))
        names = [_unbracketed(i) for i in items]
        if len(names) < 2 or not all(n.endswith(kind) and len(n) > len(kind) + 1 for n in names):
            return None  # every item one unit's budget, or the list is not read
        if any(re.search(r"下属|所属|纳入|范围|单位" + kind, n) for n in names):
            return None  # "委本级预算，以及纳入编制范围的下属单位预算": no unit named
        return sum(not _is_self(i, department) for i in items)
    if g.get("items"):
        items = _top_level_items(g["items"])
        if any(not i or "等" in i[-2:] for i in items):
            return None
        bare = [_unbracketed(i) for i in items]
        if not all(_UNIT_NAME_END.search(b) for b in bare):
            return None
        if any(_TWO_UNITS.search(b) for b in bare):
            return None
        return len(items)
    if g.get("numbered"):
        return _numbered_units(g["numbered"], department)
    value = _count(m.group("num"))
    if g.get("whole") is not None:
        listed = [_unbracketed(i) for i in _top_level_items(g["whole"])]
        if len(listed) != value or not any(_is_self(i, department) for i in listed):
            return None  # the list is not the count's, or does not name the department itself
        return value - 1
    if g.get("self") and g.get("list") and "本级" in g["list"] and value > 0:
        # "本级及下属 2 家预算单位（X本级、Y）": the count includes the department itself
        value -= 1
    return value


_ROW_NUMBER = re.compile(r"(?<![\d.,])(\d{1,2})(?=[\u4e00-\u9fff(（])")
_TABLE_END = re.compile(r"决算表|预算表|第[一二三四五]部分|情况说明")


def _numbered_units(text: str, department: str | None) -> int | None:
    """The units of a numbered table (1 X（本级） 2 A 3 B, the cells' text in any order): the
    numbers 1, 2, … N in turn, without the department's own row; None unless that row is there."""
    end = _TABLE_END.search(text)
    text = text[: end.start()] if end else text
    expected, first_end = 1, None
    for m in _ROW_NUMBER.finditer(text):
        n = int(m.group(1))
        if n == expected:
            if expected == 2:
                first_end = m.start()
            expected += 1
        elif n == 1 and expected > 1:
            break  # the list printed again (a cell's text repeated): the first run counts
    count = expected - 1
    if count < 1:
        return None
    listed = text[:first_end] if first_end is not None else text
    if not ("本级" in listed or (department and department in listed)):
        return None  # the department's own row is not recognised: the count cannot be told
    return count - 1


def _of_the_budget(m: re.Match) -> bool:
    """Does the statement speak of the budget's units (预算单位, 基层单位, the units' budgets), not
    of subordinate units at large (a hotel the department owns may be outside its budget)?"""
    g = m.groupdict()
    return bool(
        g.get("budgets")
        or g.get("whole") is not None
        or g.get("numbered")
        or g.get("none_own")
        or "预算单位" in m.group(0)
    )


def _subordinate_units(prose: Prose, department: str | None) -> ProseFigure | None:
    """The first statement of the department's subordinate budget units that can be read for sure;
    a statement of the budget's units outranks a list of subordinate units at large."""
    hits = sorted(
        (not _of_the_budget(m), m.start(), n, m)
        for n, pat in enumerate(_COMPILED_UNITS)
        for m in pat.finditer(prose.text)
    )
    for *_, m in hits:
        value = _units_value(m, department)
        if value is not None:
            return _figure(prose, "subordinate_units", m, value)
    return None


def read_counts(prose: Prose, department: str | None = None) -> dict[str, ProseFigure]:
    """Every headcount / organisation count stated in the prose (first statement wins)."""
    out: dict[str, ProseFigure] = {}
    text = prose.text
    units = _subordinate_units(prose, department)
    if units is not None:
        out["subordinate_units"] = units
    for field, patterns in _COMPILED_COUNTS.items():
        best: tuple[int, re.Match] | None = None
        for pat in patterns:
            m = pat.search(text)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), m)
        if best is None:
            continue
        m = best[1]
        out[field] = _figure(prose, field, m, _count(m.group("num")))
    return out


_CN_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}


def _count(text: str) -> int:
    """A count printed in digits or in Chinese numerals up to 99 ('七' 7, '十二' 12, '二十' 20)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS[text]


_PROJECT_LIST = re.compile(r"项目支出(?:预算)?[^。]{0,20}?(?:具体)?包括[:：]?")
_PROJECT_ITEM = re.compile(
    r"(?:^|[。；;：:])\d{1,2}[.、．](?P<name>[^，。；;:：\d]{2,30}?)(?:项目)?(?:预算|经费)(?:为)?" + _AMT
)


def read_projects(prose: Prose) -> list[ProseFigure]:
    """The numbered project list of the prose ("（四）项目支出 1,627 万元，具体包括：1. 预算准备金预算
    48 万元，…"), in order; empty when the document prints no such list."""
    m = _PROJECT_LIST.search(prose.text)
    if not m:
        return []
    out: list[ProseFigure] = []
    text = prose.text
    pos = m.end() - 1
    end = text.find("第四部分", pos)
    window_end = end if end > 0 else len(text)
    for item in _PROJECT_ITEM.finditer(text, pos, window_end):
        value = _amount(item)
        if value is None:
            continue
        f = _figure(prose, "project", item, value)
        out.append(
            ProseFigure(
                field=item.group("name"),
                value=value,
                printed=f.printed,
                start=f.start,
                number=f.number,
                unit=f.unit,
                page=f.page,
                bbox=f.bbox,
                sentence=f.sentence,
            )
        )
    return out


_PART = re.compile(r"第[一二三四五六七八九十]+部分")


def unit_scoped_spans(text: str, units: list[str], department: str | None) -> list[tuple[int, int]]:
    """Stretches of the prose that speak of one of the department's units, not of the department:
    from a unit's name where it opens a statement or a heading ("一、X（本级）X（本级）预算 63,051.28
    万元…") to the next unit, the next part (第X部分) or the end. Figures stated there are the
    unit's: never evidence for the department's."""
    brackets = str.maketrans({"（": "(", "）": ")"})  # one for one: offsets stay those of `text`
    text = text.translate(brackets)

    def plain(name: str) -> str:
        return re.sub(r"\s+", "", name).translate(brackets)

    dept = plain(department) if department else None
    starts: list[int] = []
    for u in {plain(u) for u in units}:
        if not u or u == dept:
            continue
        for m in re.finditer(re.escape(u), text):
            tail = text[m.end() : m.end() + len(u) + 8]
            if re.match(r"(?:" + re.escape(u) + r")?(?:20\d\d年度?)?(?:部门|单位)?(?:预算|收入|支出)", tail):
                starts.append(m.start())
    if not starts:
        return []
    starts.sort()
    parts = [m.start() for m in _PART.finditer(text)]
    spans = []
    for n, a in enumerate(starts):
        nxt = starts[n + 1] if n + 1 < len(starts) else len(text)
        part = next((p for p in parts if p > a), len(text))
        spans.append((a, min(nxt, part)))
    return spans


# ---------------------------------------------------------------- passages that state a share

PASSAGE_LIMIT = 200  # passages kept per document (the first in document order)
PASSAGE_MAX_CHARS = 400  # a longer "sentence" is split at its semicolons (a table read as prose)
_SENTENCE_END = re.compile(r"[。！？]")
_CLAUSE_END = re.compile(r"[；;]")
# A heading line (一、… / （一）… / 第一部分… / 图1… / 表1…) without a sentence's punctuation: a
# passage of its own, never glued to the sentence before or after it.
_HEADING_LINE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分|[图表]\d)"
    r"[^。；;，,：:]{0,40}$"
)
_HEADING_TAIL = re.compile(r"^[^。；;，,：:]{1,15}(?:说明|情况|概况|解释|预算|决算|表)$")
_STATES_SHARE = re.compile(r"[%％]")
# a sentence comparing what was spent with what was budgeted (决算数大于 / 小于 / 等于 预算数, 与预算持平)
_STATES_DIRECTION = re.compile(r"决算数?(?:[大小等]于|与)(?:年初|全年|调整后)?预算数?")


def _pieces(text: str, ends: re.Pattern[str], a: int, b: int) -> list[tuple[int, int]]:
    """[a, b) cut after each match of `ends`."""
    out, start = [], a
    for m in ends.finditer(text, a, b):
        out.append((start, m.end()))
        start = m.end()
    if start < b:
        out.append((start, b))
    return out


def share_passages(
    prose: Prose, skip: Sequence[tuple[int, int]] = (), limit: int = PASSAGE_LIMIT
) -> list[dict]:
    """The sentences of the prose that state a percentage (a % or ％ and a digit) or compare what was
    spent with what was budgeted (决算数小于预算数 …), in document order:
    `{"text", "page"}`, the text as the prose joins it (no spaces; "|" between two figures printed
    apart is a space again), the page where the sentence begins.

    A sentence ends at 。！？ and at a heading line; it is not cut at ；, since a sentence names its
    whole once and then each part with its share (…支出预算合计 N 万元，其中：基本支出 X 万元，占 37%；
    项目支出 …). A "sentence" longer than PASSAGE_MAX_CHARS is cut at its semicolons (a table the parser
    read as prose). Sentences that touch a stretch in `skip` (a unit's, `unit_scoped_spans`) are
    not the department's; at most `limit` passages are kept."""
    text = prose.text
    starts = prose.line_starts
    cuts = {0, len(text)}
    n = 0
    while n < len(starts):
        s, e = starts[n], starts[n + 1] if n + 1 < len(starts) else len(text)
        n += 1
        if s < e and _HEADING_LINE.match(text[s:e]):
            while n < len(starts):  # the heading's wrapped tail ("…支出预" + "算情况说明")
                tail = text[e : starts[n + 1] if n + 1 < len(starts) else len(text)]
                if not _HEADING_TAIL.match(tail):
                    break
                e += len(tail)
                n += 1
            cuts.update((s, e))
    bounds = sorted(cuts)
    out: list[dict] = []
    for a0, b0 in zip(bounds, bounds[1:], strict=False):
        for a, b in _pieces(text, _SENTENCE_END, a0, b0):
            spans = _pieces(text, _CLAUSE_END, a, b) if b - a > PASSAGE_MAX_CHARS else [(a, b)]
            for s, e in spans:
                piece = text[s:e]
                if e - s > PASSAGE_MAX_CHARS or any(x < e and s < y for x, y in skip):
                    continue
                share = _STATES_SHARE.search(piece) and any(c.isdigit() for c in piece)
                if not share and not _STATES_DIRECTION.search(piece):
                    continue
                out.append({"text": piece.replace("|", " "), "page": prose.where[s][0]})
                if len(out) >= limit:
                    return out
    return out
