"""Find the standard tables of a budget document by their titles and read each into a grid.

Tables are recognised by title words (never by position or printed number): `classify_title`
maps a printed title to a canonical kind. A title counts only when table matter follows it (a
unit line, header words or figures), so a table of contents or a sentence that names a table is
not a table. A table runs from its title to the next title, over as many pages as it continues
on (with or without a repeated title and header), and stops at a note (注：…), at prose, or at
the end of the document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from budgetlens.parse.classification import classification_shaped, led_by_code
from budgetlens.parse.grid.build import build_grid
from budgetlens.parse.grid.cells import Grid, is_column_number_row
from budgetlens.parse.grid.text import is_amount_text, is_anchor, is_unread, is_value_text
from budgetlens.parse.layout import LINE_CENTRE_TOLERANCE, TABLE_HEADER_WORDS, Line, make_line
from budgetlens.parse.normalize import has_han, key
from budgetlens.parse.pdfdoc import UNMAPPED, UNREAD, Char, Rule
from budgetlens.parse.prose import AMOUNT_STATED

# Internal kinds: tables read for figures but not listed in `tables` (not standard kinds).
AGENCY_RUNNING = "agency_running"
APPROPRIATION_BY_FUNCTION = "appropriation_by_function"

_CN_NUM = "一二三四五六七八九十"
_NUMBER_ONLY = re.compile(
    rf"^(?:附表|表|公开)?[\d{_CN_NUM}]+(?:-\d+)?表?$|^(?:附表|表)[\d{_CN_NUM}]+(?:-\d+)?$|^公开\d+表$"
)
_NUMBER_PREFIX = re.compile(
    rf"^(?P<num>(?:附表|表|公开)(?:\d+|[{_CN_NUM}]{{1,3}}(?=[{_CN_NUM}]|[^{_CN_NUM}]))(?:-\d+)?表?[:.、]?"
    rf"|(?:预算|决算)\d{{1,2}}表[:.、]?"
    rf"|[(\[][{_CN_NUM}\d]+[)\]][、.:]?|[{_CN_NUM}]+[、.:]|\d+[.、:](?!\d))"
)
_UNIT_SUFFIX = re.compile(r"[(\[]?(?:金额)?单位[:]?(?:人民币)?(?:亿元|百万元|千元|万元|元)[)\]]?$")
_CONTINUED = re.compile(r"[(\[]?续(?:表)?\d*[)\]]?$")
_UNIT_IN_TEXT = re.compile(r"单位[:]?(?:人民币)?(亿元|百万元|千元|万元|元|亿|百万|千|万)")
# a unit statement, read or not ('单位:万美元', '(单位:千)'), never a label such as 预算单位:X局
_UNIT_STATEMENT = re.compile(r"单位:(?:[^:()\[\]]{1,4}(?:$|[)\]])|[^:]{0,6}元)")
_UNIT_IN_HEADER = re.compile(r"[(\[](亿元|百万元|千元|万元|元)[)\]]")
_META = re.compile(r"^(?:部门名称|预算主管部门|主管部门|编制部门|编制单位|部门|单位名称|预算单位)[:]")
_NOTE = re.compile(r"^(?:注|说明|备注|附注)\s*\d*[:.、]|^注\d")
_EMPTY_MARKS = (
    "本表本年无发生额",
    "此表为空",
    "本表为空",
    "为空表",
    "本表无数据",
    "无发生额",
    "本部门无该项目",
    "本单位无该项目",
    "本年度无此项",
)
# a header line holds two of these (功能分类/经济分类 name the classification columns)
_HEADER_WORDS = (*TABLE_HEADER_WORDS, "功能分类", "经济分类")
_TOC_LEADERS = re.compile(r"[…]{1,}|\.{4,}|·{3,}")
_PAGE_NUMBER = re.compile(
    r"^[-—–]?\s*(?:第\s*)?\d{1,4}\s*(?:页)?\s*[-—–]?$"
    r"|^\d+\s*/\s*\d+$"
    # a word processor's footer: 第 3 页 共 60 页, 第3页，共60页, 共60页 第3页, Page 3 of 60
    r"|^第\s*\d{1,4}\s*页\s*[,，、/]?\s*共\s*\d{1,4}\s*页$"
    r"|^共\s*\d{1,4}\s*页\s*[,，、/]?\s*第\s*\d{1,4}\s*页$"
    r"|^[Pp]age\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$"
)
# at most this many unmapped glyphs alone at a page's edge are its page number ('- 123 -')
_UNREAD_PAGE_NUMBER = 8
# a bare number printed last on its page is its page number when it stands this many of its own
# heights below the line above
_CLEAR_LINES = 3


def classify_title(text: str) -> str | None:
    """The canonical table kind a printed title names, or None when it names no standard table.

    >>> classify_title("表 7 一般公共预算支出表（按功能分类）")
    'general_budget_by_function'
    """
    core = title_core(text)
    if not core or not _looks_like_title(core):
        return None
    # a qualifier cut at the page's edge (…预算表（ | 功能科目）) is read without it
    k = canonical_title(re.sub(r"\([^()]*$", "", _CONTINUED.sub("", _UNIT_SUFFIX.sub("", key(text)))))
    if "三公" in k and "经费" in k:
        return "three_public"
    if "绩效目标" in k or "绩效指标" in k:
        return "performance"
    if "转移支付" in k:
        return "transfer_payment"
    if "政府采购" in k:
        return "procurement"
    if "政府性基金" in k:
        return "gov_fund"
    if "国有资本经营" in k:
        return "state_capital"
    if ("财政拨款" in k or "政府预算拨款" in k) and "收支" in k:
        return "appropriation_summary"
    if "收支" in k and "总表" in k:
        return "summary"
    if "基本支出" in k:
        if "一般公共预算" in k and ("经济" in k or "科目" in k):
            return "basic_by_economic"
        if "财政拨款" in k or "总表" in k:
            return "basic_expense"
        if "经济" in k:
            return "basic_by_economic"
        return "basic_expense"
    if "项目支出" in k:
        return "project_expense"
    if "机关运行经费" in k:
        return AGENCY_RUNNING
    if "经济" in k and "基本" not in k:
        return None  # all expenditure by economic class: no standard table of ours
    if "一般公共预算" in k and "支出" in k and ("功能" in k or k.endswith("支出表") or "按功能" in k):
        return "general_budget_by_function"
    if "财政拨款支出" in k and ("功能" in k or "预算表" in k):
        return APPROPRIATION_BY_FUNCTION
    if "收入" in k and "总表" in k:
        return "income"
    if "支出" in k and "总表" in k:
        return "expense"
    if k.endswith(("收入表", "部门收入表")):
        return "income"
    if k.endswith(("支出表", "部门支出表")) and len(k) <= 8:
        return "expense"
    return None


def canonical_title(k: str) -> str:
    """A title key in one wording: 收入支出 → 收支, 总体情况表 / 情况表 → 总表 / 表, and the
    预算 / 决算 word before 表 dropped ("收支总体情况表", "收入支出决算总表", "收支预算总表" are all
    收支总表; "一般公共预算支出情况表" is 一般公共预算支出表)."""
    k = k.replace("收入支出", "收支")
    k = re.sub(r"总体情况表$", "总表", k)
    k = re.sub(r"情况表$", "表", k)
    k = re.sub(r"(?:预算|决算)(?=总?表(?:\([^()]{0,12}\)?)?$)", "", k)
    return k


def _split_number(k: str) -> tuple[str | None, str]:
    """A title key split into its printed number prefix (or None) and the rest.

    A Chinese-numeral number never takes the first character of 一般 / 三公 ("表一一般…" is 表一 + 一般…).
    """
    m = _NUMBER_PREFIX.match(k)
    if not m or len(k) <= m.end():
        return None, k
    num, rest = m.group("num"), k[m.end() :]
    if rest[:1] in ("般", "公") and num[-1:] in ("一", "三"):
        num, rest = num[:-1], num[-1] + rest
    return num, rest


def title_core(text: str) -> str:
    """A title's matching key without its printed number, unit or continuation mark."""
    _, k = _split_number(key(text))
    k = _UNIT_SUFFIX.sub("", k)
    k = _CONTINUED.sub("", k)
    return k


def _looks_like_title(k: str) -> bool:
    if len(k) > 48 or _TOC_LEADERS.search(k):
        return False
    if any(p in k for p in ("。", "，", "；", "《", "》")) or k.endswith((",", ";")):
        return False
    # a title ends with 表 (optionally followed by a bracketed qualifier such as (按功能分类), or by
    # its opening bracket alone: the title of a wide table printed across two pages, cut at the edge)
    return bool(re.search(r"表(?:\([^()]{0,12}\)?)?$", k))


def table_number(text: str) -> str | None:
    """The printed number of a table ('表1', '公开01表', '附表一'), from its title line or number line."""
    k = key(text)
    num, _ = _split_number(k)
    if num and re.match(r"^(?:附表|表|公开|预算\d|决算\d)", num) and len(num) > 1:
        return num.rstrip("、.:")
    return _number_line(text)


def unit_of(texts: list[str]) -> str | None:
    """The unit a table prints (万元 / 元 / 亿元 …) from its title, meta and header texts, in order.

    Handles a unit wrapped over two lines ("单位：万" / "元").
    """
    keys = [key(t) for t in texts]
    for i, k in enumerate(keys):
        m = _UNIT_IN_TEXT.search(k)
        if not m:
            continue
        u = m.group(1)
        if not u.endswith("元"):
            rest = k[m.end() :]
            nxt = keys[i + 1] if i + 1 < len(keys) else ""
            if rest.startswith("元") or nxt.startswith("元"):
                u += "元"
            else:
                continue
        return u
    for k in keys:
        m = _UNIT_IN_HEADER.search(k)
        if m:
            return m.group(1)
    return None


def states_a_unit(texts: list[str]) -> bool:
    """Do these texts print a unit statement, read or not ('单位：万美元'), other than a label such as
    预算单位：X局?"""
    return any(_UNIT_STATEMENT.search(key(t)) for t in texts)


def unit_by_prose(table: Table, prose_text: str) -> tuple[str, str] | None:
    """(unit, the figure as the prose states it) for a table that prints no unit we recognise:
    the unit the prose gives the same printed figures. Only figures of three digits or more count;
    every such figure the prose states must carry one unit, and at least one must
    be found; else None (the table's figures cannot be placed in yuan).
    """
    stated: dict[str, set[str]] = {}
    printed: dict[str, str] = {}
    for m in AMOUNT_STATED.finditer(prose_text):
        digits = re.sub(r"[,，]", "", m.group("num"))
        stated.setdefault(digits, set()).add(m.group("unit"))
        printed.setdefault(digits, m.group(0))
    units: set[str] = set()
    evidence = ""
    for row in table.grid.rows:
        for cell in row:
            digits = cell.text.replace(",", "").replace(" ", "")
            if not is_amount_text(cell.text) or digits not in stated:
                continue
            if len(digits.replace(".", "").lstrip("0")) < 3:
                continue  # '25', '0.19': too short to tell one figure from another
            units |= stated[digits]
            evidence = evidence or printed[digits]
    return (units.pop(), evidence) if len(units) == 1 else None


def is_page_number(line: Line, page: PageInfo) -> bool:
    """A page number or running page label near the top or bottom edge, or printed last on its page
    (a page whose box is larger than its print, a page a table leaves half empty with its number
    under the last row, a page that prints its number alone)."""
    at_edge = line.top > 0.88 * page.height or line.bottom < 0.08 * page.height
    if not _PAGE_NUMBER.match(line.text):
        # a few glyphs without a Unicode map alone at the page's edge: a page number in a font
        # without a map ('- 82 -' read as six unknown glyphs)
        glyphs = line.text.replace(" ", "")
        return at_edge and 0 < len(glyphs) <= _UNREAD_PAGE_NUMBER and set(glyphs) == {UNMAPPED}
    if at_edge:
        return True
    lines = page.lines
    if line is not lines[-1]:
        return False
    # alone on its page (a page left blank); '-32-', '第32页', '32/60' say what they are; a bare '32'
    # may be a figure, unless set well apart
    return (
        len(lines) == 1
        or not line.text.strip().isdigit()
        or line.top - lines[-2].bottom > _CLEAR_LINES * line.em
    )


# What a browser or a portal prints in a page's margin when a document is printed or downloaded
# through it: the address, the file's name, the date and time (2026/3/15 10:22)
_FURNITURE = re.compile(
    r"(?:https?://|www\.)[\w.-]|\.(?:pdf|docx?|xlsx?|wps|et|html?)(?![a-z])"
    r"|20\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*\d{1,2}:\d{2}",
    re.IGNORECASE,
)
# the margin bands (of the page's height, at its top and at its foot) a print header or footer sits in
_MARGIN = 0.05


def is_page_furniture(line: Line, page_height: float) -> bool:
    """A browser's or portal's print header or footer: a line in the page's top or bottom margin
    that prints an address, a file name or a date and time. It belongs to no table and no sentence."""
    in_margin = line.bottom < _MARGIN * page_height or line.top > (1 - _MARGIN) * page_height
    return in_margin and bool(_FURNITURE.search(line.text))


def is_prose(line: Line, page_width: float) -> bool:
    """A line of running text (a paragraph), not a table row: one wide run of words."""
    if len(line.segments) != 1 or is_anchor(line):
        return False
    return (line.x1 - line.x0) >= 0.6 * page_width and len(line.text) >= 20


@dataclass
class PageInfo:
    """One page after the fast pass."""

    number: int
    width: float
    height: float
    lines: list[Line]


@dataclass
class TitleHit:
    page: int
    index: int
    kind: str
    title: str
    number: str | None
    continued: bool = False


@dataclass
class Table:
    """One standard table as printed: its kind, title, unit and grid of cells."""

    kind: str
    title: str
    number: str | None
    unit: str | None
    pages: list[int]
    grid: Grid
    notes: list[str] = field(default_factory=list)
    empty: bool = False
    empty_note: bool = False
    department: str | None = None
    title_page: int = 0
    fiscal_years: list[int] = field(default_factory=list)
    line_ids: set[int] = field(default_factory=set)
    unit_from: str = ""  # where the unit was taken from when the table prints none (the prose's figure)
    unit_stated: bool = True  # the table prints a unit statement (单位：…), read or not

    @property
    def label(self) -> str:
        """How a person finds this table in the document: its printed number, else its title."""
        return self.number or self.title


def find_titles(pages: list[PageInfo]) -> list[TitleHit]:
    """Confirmed table titles in document order (table matter must follow each)."""
    hits: list[TitleHit] = []
    pending_number: str | None = None  # a number line may close one page and its title open the next
    taken = (0, 0)  # a number line printed right under its title: that title's, not the next one's
    for n, page in enumerate(pages):
        lines = page.lines
        after = pages[n + 1] if n + 1 < len(pages) and pages[n + 1].number == page.number + 1 else None
        for i, line in enumerate(lines):
            text = line.text
            k = key(text)
            if _number_line(text):
                if (page.number, i) != taken:
                    pending_number = k
                continue
            kind = classify_title(text)
            if kind is None:
                continue
            following = _following(lines, i, page, after)
            if not _confirmed(following):
                pending_number = None
                continue
            number = table_number(text) or pending_number
            if number is None and following:
                number = _number_line(following[0][0].text)
                if number is not None:
                    line_after, its_page = following[0]
                    taken = (
                        its_page.number,
                        next(j for j, ln in enumerate(its_page.lines) if ln is line_after),
                    )
            pending_number = None
            continued = bool(_CONTINUED.search(key(text).replace(_UNIT_SUFFIX.pattern, "")))
            hits.append(TitleHit(page.number, i, kind, _clean_title(text), number, continued))
    return hits


def _number_line(text: str) -> str | None:
    """A line that prints only a table's number (公开 01 表 / 表 1)."""
    k = key(text)
    return k if _NUMBER_ONLY.match(k) and re.match(r"^(?:附表|表|公开)", k) else None


def _clean_title(text: str) -> str:
    """The printed title without its number prefix (kept apart) or unit suffix."""
    t = text.strip()
    t = re.sub(rf"^(?:附表|表|公开)\s*[\d{_CN_NUM}]+(?:-\d+)?\s*表?\s*[:：.、]?\s*", "", t)
    t = re.sub(r"\s*[（(]?\s*(?:金额)?单位\s*[:：].*$", "", t)
    return t.strip()


_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]{1,3}部分")


def _following(
    lines: list[Line], i: int, page: PageInfo, after: PageInfo | None
) -> list[tuple[Line, PageInfo]]:
    """The lines after line i, page numbers left out; where none follows on its page (a title at the
    foot of a page), the next page's."""
    out = _without_page_numbers(lines[i + 1 :], page)
    return out if out or after is None else _without_page_numbers(after.lines, after)


def _without_page_numbers(lines: list[Line], page: PageInfo) -> list[tuple[Line, PageInfo]]:
    """(line, page) of the lines that are no page number (wherever the page sets it)."""
    return [
        (ln, page) for ln in lines if not (is_page_number(ln, page) or _PAGE_NUMBER.match(ln.text.strip()))
    ]


def _confirmed(following: list[tuple[Line, PageInfo]]) -> bool:
    """Table matter follows a title: a unit line, header words, figures or an empty-table mark."""
    seen = 0
    for line, page in following:
        if classify_title(line.text):
            return False
        k = key(line.text)
        if _PART_HEADING.match(k):
            return False  # 第三部分 …情况说明: the next part of the document (a table of contents)
        if _UNIT_IN_TEXT.search(k) or _META.match(k) or is_anchor(line):
            return True
        if any(m in k for m in _EMPTY_MARKS):
            return True
        if sum(1 for w in _HEADER_WORDS if w in k) >= 2 and not is_prose(line, page.width):
            return True
        seen += 1
        if seen >= 8:
            return False
    return False


def find_tables(
    pages: list[PageInfo], rules_for: Callable[[int], list[Rule]], hits: list[TitleHit] | None = None
) -> list[Table]:
    """Every table in document order; `rules_for(page_number)` reads a page's rules on demand."""
    if hits is None:
        hits = find_titles(pages)
    by_number = {p.number: p for p in pages}
    tables: list[Table] = []
    merged = _merge_continuations(hits, by_number)
    for n, group in enumerate(merged):
        nxt = merged[n + 1][0] if n + 1 < len(merged) else None
        tables.append(_read_table(group, nxt, by_number, rules_for))
    return tables


_ONE_PER_PROJECT = ("performance",)


def _merge_continuations(hits: list[TitleHit], pages: dict[int, PageInfo]) -> list[list[TitleHit]]:
    """Group a title repeated at the top of following pages (or marked 续) with its first occurrence.
    Up to three pages of body rows with no title between them (the table spilled rows onto pages of
    their own before the title is printed again) do not part them, except for the kinds printed
    once per project under one title (绩效目标表), where the next title starts the next table."""
    groups: list[list[TitleHit]] = []
    for h in hits:
        if groups:
            prev = groups[-1][-1]
            same = prev.kind == h.kind and (prev.number == h.number or not h.number or not prev.number)
            first_on_page = not any(o.page == h.page and o.index < h.index for o in hits)
            if (
                same
                and prev.page < h.page <= prev.page + (1 if h.kind in _ONE_PER_PROJECT else _SPILL_PAGES + 1)
                and _rows_only(pages, prev.page + 1, h.page)
                and first_on_page
                and (h.continued or key(h.title) == key(prev.title))
            ):
                groups[-1].append(h)
                continue
            if same and h.continued:
                groups[-1].append(h)
                continue
        groups.append([h])
    return groups


# pages of body rows a table may spill onto before its title is printed again
_SPILL_PAGES = 3


def _rows_only(pages: dict[int, PageInfo], first: int, stop: int) -> bool:
    """Do pages first … stop − 1 hold table rows only (no running text)?"""
    return all(
        not any(is_prose(ln, pages[n].width) for ln in pages[n].lines)
        for n in range(first, stop)
        if n in pages
    )


def _read_table(
    group: list[TitleHit],
    nxt: TitleHit | None,
    pages: dict[int, PageInfo],
    rules_for: Callable[[int], list[Rule]],
) -> Table:
    head = group[0]
    last_page = max(pages)
    end_page = nxt.page if nxt else last_page
    repeats = {(h.page, h.index) for h in group[1:]}
    parts: list[tuple[list[Line], list[Rule]]] = []
    meta: list[str] = [head.title]
    notes: list[str] = []
    page_numbers: list[int] = []
    line_ids: set[int] = set()
    for h in group:
        if h.page in pages and h.index < len(pages[h.page].lines):
            line_ids.add(id(pages[h.page].lines[h.index]))
    ended = False
    closed = False  # notes or a heading closed the table: only the next page's columns beside it may follow
    for pno in range(head.page, end_page + 1):
        if pno not in pages:
            break
        page = pages[pno]
        # what the table held before a page it may not keep (one after the table was closed)
        kept = (set(line_ids), len(meta), len(notes)) if closed else None
        start = head.index + 1 if pno == head.page else 0
        stop = nxt.index if (nxt and pno == nxt.page) else len(page.lines)
        if start > 0 and pno == head.page and start - 2 >= 0 and table_number(page.lines[start - 2].text):
            line_ids.add(id(page.lines[start - 2]))
        body: list[Line] = []
        in_notes = False
        for i in range(start, stop):
            line = page.lines[i]
            if (pno, i) in repeats:
                continue
            if is_page_number(line, page):
                continue
            k = key(line.text)
            if _number_line(line.text):
                line_ids.add(id(line))
                continue
            if pno != head.page and not body and title_core(k) == title_core(head.title):
                line_ids.add(id(line))
                continue  # the title repeated on a continuation page without being confirmed
            if _ends_table(line, page.width, head.kind):
                ended = True
                break
            if _META.match(k) or (
                _UNIT_IN_TEXT.search(k) and len(line.segments) <= 3 and not is_anchor(line)
            ):
                meta.append(line.text)
                line_ids.add(id(line))
                continue
            empty_mark = any(m in k for m in _EMPTY_MARKS) and not is_anchor(line)
            if in_notes or _NOTE.match(k) or empty_mark:
                in_notes = in_notes or bool(_NOTE.match(k)) or bool(body) or pno != head.page
                notes.append(line.text)
                line_ids.add(id(line))
                continue
            body.append(line)
            line_ids.add(id(line))
        joined = (
            bool(body)
            and pno != head.page
            and page_numbers[-1:] == [pno - 1]
            and bool(parts)
            and _columns_continued(parts[-1][0], body)
        )
        if joined:
            # the page prints the right-hand columns of the page before (a wide table printed
            # across pages): its rows are that page's rows; what it prints above the first of them
            # is beside the title, not in the table (its number, its unit)
            first = min(ln.top for ln in parts[-1][0])
            for ln in body:
                if ln.bottom < first:
                    meta.append(ln.text)
            body = [ln for ln in body if ln.bottom >= first]
            parts[-1] = _side_by_side(parts[-1], (body, rules_for(pno)), pages[pno - 1].width)
            page_numbers.append(pno)
        if closed:
            if not joined and kept is not None:  # the page is not this table's: read elsewhere
                line_ids.clear()
                line_ids.update(kept[0])
                del meta[kept[1] :], notes[kept[2] :]
            break
        if body and not joined:
            parts.append((body, rules_for(pno)))
            page_numbers.append(pno)
        elif pno == head.page:
            page_numbers.append(pno)
        if in_notes or ended:
            closed = True  # notes or a heading close a table: later pages belong to whatever
            # follows, but for the columns beside its last page
    grid = build_grid(parts)
    header_texts = [c.text for row in grid.header for c in row if c.text]
    unit = unit_of(meta + header_texts)
    # a unit printed that we do not read ('单位：万美元') is not the same as none printed: only a
    # table that states no unit at all may take the prose's
    unit_stated = unit is not None or states_a_unit(meta + header_texts)
    department = _department_of(meta)
    empty_note = any(any(m in key(n) for m in _EMPTY_MARKS) for n in notes) or any(
        key(seg.text) in ("无", "此表为空", "本表为空", "空表")
        for lines, _ in parts
        for ln in lines
        for seg in ln.segments
    )
    # a row of column numbers (栏次 | 1 | 2 | 3 …) under the header prints no figures
    figures = [
        c.text for row in grid.rows if not is_column_number_row(row) for c in row if is_amount_text(c.text)
    ]
    nonzero = [f for f in figures if f.replace(",", "").replace(".", "").strip("0-") != ""]
    empty = (empty_note and not nonzero) or (not grid.rows and not figures)
    years = [int(y) for y in re.findall(r"(20\d\d)\s*年", " ".join([head.title, *header_texts]))]
    return Table(
        kind=head.kind,
        title=head.title,
        number=head.number,
        unit=unit,
        pages=sorted(set(page_numbers)) or [head.page],
        grid=grid,
        notes=notes,
        empty=empty,
        empty_note=empty_note,
        department=department,
        title_page=head.page,
        fiscal_years=years,
        line_ids=line_ids,
        unit_stated=unit_stated,
    )


# A page printing further columns of the page before (a wide table printed across two pages, as a
# spreadsheet prints columns that do not fit): most of its lines with a figure print figures only,
# each level with a line of the page before that prints words (`_level`); at least _ACROSS_MIN_ROWS
# of its lines sit so, its header lines beside the header's counted (the last page of a table may
# hold two rows)
_ACROSS_SHARE = 0.8
_ACROSS_MIN_ROWS = 3


def _level(a: Line, b: Line) -> bool:
    """Are two lines (of two pages set side by side) one printed line: their centres as close as the
    characters of one line's (`layout.group_lines`; a figure in a smaller font than its row's label)?"""
    return abs(a.centre - b.centre) <= LINE_CENTRE_TOLERANCE * min(a.bottom - a.top, b.bottom - b.top)


def _columns_continued(before: list[Line], lines: list[Line]) -> bool:
    """Do `lines` (a page's body) print further columns of the rows `before` (the page before's)?"""

    def beside_words(ln: Line, header: bool) -> bool:
        return any(_level(b, ln) and has_han(b.text) and not (header and _figured(b)) for b in before)

    figured = [ln for ln in lines if _figured(ln)]
    if not figured:
        return False
    with_figures = {id(ln) for ln in figured}
    rows = [ln.top for ln in figured if _figures_only(ln)]
    first, last = min(rows, default=0.0), max(rows, default=0.0)
    if any(id(ln) not in with_figures and has_han(ln.text) and first < ln.top < last for ln in lines):
        # words among its rows (names wrapped around their figures): the page labels rows of its own
        return False
    beside = sum(1 for ln in figured if _figures_only(ln) and beside_words(ln, False))
    headed = sum(
        1 for ln in lines if id(ln) not in with_figures and has_han(ln.text) and beside_words(ln, True)
    )
    if beside >= _ACROSS_SHARE * len(figured) and beside + headed >= _ACROSS_MIN_ROWS:
        return True
    # a last page of two rows whose header is cut otherwise than the left page's: each row level to
    # a point with a row of words, nothing below them but rows so
    return (
        len(figured) >= 2
        and all(ln.top < first for ln in lines if id(ln) not in with_figures)
        and all(_figures_only(ln) for ln in figured)
        and _level_with_words(figured, before)
    )


# Two pages printed from one wide sheet (a spreadsheet prints the columns that do not fit on the
# next page, the rows at the same heights): where the two pages' lines overlap in height, at least
# _BESIDE_SHARE of one page's lines and _BESIDE_OTHER_SHARE of the other's (a two-sided summary
# leaves its 收入 side blank beside 支出 rows) stand level to a point (_BESIDE_CENTRE: one sheet's rows stand
# at the same heights on both pages, while the rows of two tables a few points apart in pitch drift
# past each other), _BESIDE_MIN_LINES of them at least, in other columns (at most _BESIDE_SAME of the
# level pairs start with the same kind of text at the same x, as the pages of one table going on
# downwards, or of two tables of one template, do: a repeated header is the same words at the same
# x, a two-sided summary's two headers the same words elsewhere); no title of one page stands level with a row of
# figures of the other, not both pages print a title, and not both label their rows with codes.
# Neither page is running text, and both are of one height (one size of paper).
_BESIDE_SHARE = 0.8
_BESIDE_OTHER_SHARE = 0.3
_BESIDE_PROSE = 1 / 3  # of a page's lines at most running text (a table's note, wrapped)
_SENTENCE = re.compile(r"[，。；]")  # a line of sentences, however many runs its figures cut it into
_BESIDE_MIN_LINES = 3
_BESIDE_CENTRE = 1.0
_BESIDE_SAME = 0.2
_BESIDE_X = 3.0


def printed_across(pages: list[PageInfo]) -> list[tuple[int, int]]:
    """The pairs of pages (numbers, left and right) that print one wide sheet each: of the pairs of
    consecutive pages that may (`beside_score`), those that together stand the most lines level, each
    page in one pair at most (the right half of one sheet and the left half of the next may stand
    level too, where every sheet repeats its header)."""
    n = len(pages)
    best: list[tuple[int, list[tuple[int, int]]]] = [(0, [])] * (n + 2 * _DOWN_THEN_OVER + 1)
    scores: dict[tuple[int, int], int] = {}
    titled = [any(_titled(ln) for ln in p.lines) for p in pages]
    # a page most of whose glyphs are printed but unread (`is_unread`) shows nothing of its columns
    unread = [_mostly_unread(p) for p in pages]

    def score(i: int, j: int) -> int:
        if (i, j) not in scores:
            scores[i, j] = 0 if unread[i] or unread[j] else beside_score(pages[i], pages[j])
        return scores[i, j]

    for i in range(n - 1, -1, -1):
        best[i] = best[i + 1]
        # k = 1: the right part on the next page; k > 1: a spreadsheet's "down, then over" order, the
        # sheet's k left parts first, then its k right parts, each right part k pages after its left
        for k in range(1, _DOWN_THEN_OVER + 1):
            end = i + 2 * k
            if end > n or pages[end - 1].number != pages[i].number + 2 * k - 1:
                break
            if k > 1 and any(titled[t] for t in (*range(i + 1, i + k), *range(i + k + 1, end))):
                continue  # a sheet's parts after its first on each side print no title: two tables
            got = [score(i + t, i + k + t) for t in range(k)]
            if k > 1 and not got[-1] and not (unread[i + k - 1] or unread[end - 1]):
                got[-1] = _last_parts_level(pages[i + k - 1], pages[end - 1])
            if all(got) and sum(got) + best[end][0] > best[i][0]:
                pairs = [(pages[i + t].number, pages[i + k + t].number) for t in range(k)]
                best[i] = (sum(got) + best[end][0], [*pairs, *best[end][1]])
    return best[0][1]


def _mostly_unread(page: PageInfo) -> bool:
    """Are most of a page's glyphs printed but unread (`pdfdoc.UNREAD`: no Unicode map, pictures)?"""
    texts = [ln.text for ln in page.lines]
    unread = sum(t.count(ch) for t in texts for ch in UNREAD)
    return unread > 0 and unread * 2 > sum(len(t) - t.count(" ") for t in texts)


# the most pages one sheet's left parts run to, printed "down, then over" (`printed_across`)
_DOWN_THEN_OVER = 6


def _last_parts_level(left: PageInfo, right: PageInfo) -> int:
    """The rows of a sheet's last right part standing level with its last left part, where the
    sheet's other parts pair (`printed_across`, "down, then over"): a last page of a row or two is
    too short for `beside_score`. Every row of figures on `right` stands level to a point with a
    line of words on `left`, two rows at least; else 0."""
    if abs(left.height - right.height) > _BESIDE_CENTRE:
        return 0
    rows = [ln for ln in right.lines if _figures_only(ln) and not is_page_number(ln, right)]
    words = [ln for ln in left.lines if not _titled(ln)]
    if len(rows) < 2 or any(_titled(ln) for ln in right.lines) or not _level_with_words(rows, words):
        return 0
    return len(rows)


def _level_with_words(rows: list[Line], lines: list[Line]) -> bool:
    """Does each of `rows` (one page's rows of figures) stand level to a point with a line of words
    among `lines` (the other page's)?"""
    return all(any(_level_to_a_point(b, ln) and has_han(b.text) for b in lines) for ln in rows)


def beside_score(left: PageInfo, right: PageInfo) -> int:
    """How many lines of `right` stand level with lines of `left` where `right` may print the
    right-hand part of the sheet `left` prints (a wide table printed across); 0 where it may not.
    The cheap tests first: most pairs of pages fail on the heights of their lines alone."""
    if abs(left.height - right.height) > _BESIDE_CENTRE:
        return 0  # one sheet is printed on one size of paper
    by_centre = sorted(left.lines, key=lambda ln: ln.centre)
    centres = [ln.centre for ln in by_centre]

    def level_with(y: Line) -> list[Line]:
        i = bisect.bisect_left(centres, y.centre - _BESIDE_CENTRE)
        j = bisect.bisect_right(centres, y.centre + _BESIDE_CENTRE)
        return by_centre[i:j]

    if sum(1 for y in right.lines if level_with(y)) < _BESIDE_MIN_LINES:
        return 0
    a = [ln for ln in left.lines if not is_page_number(ln, left)]
    b = [ln for ln in right.lines if not is_page_number(ln, right)]
    if len(a) < _BESIDE_MIN_LINES or len(b) < _BESIDE_MIN_LINES:
        return 0
    kept = {id(x) for x in a}
    pairs = [(x, y) for y in b for x in level_with(y) if id(x) in kept]
    if len(pairs) < _BESIDE_MIN_LINES or not any(_figured(x) or _figured(y) for x, y in pairs):
        return 0
    shares = []
    for these, those, level in ((a, b, {id(x) for x, _ in pairs}), (b, a, {id(y) for _, y in pairs})):
        top, bottom = min(ln.top for ln in those), max(ln.bottom for ln in those)
        facing = [ln for ln in these if top <= ln.centre <= bottom]
        shares.append(sum(1 for ln in facing if id(ln) in level) / max(len(facing), 1))
    if max(shares) < _BESIDE_SHARE or min(shares) < _BESIDE_OTHER_SHARE:
        return 0
    if sum(1 for x, y in pairs if _same_column(x, y)) > _BESIDE_SAME * len(pairs):
        return 0
    if any(
        sum(is_prose(ln, p.width) or bool(_SENTENCE.search(ln.text)) for ln in lines)
        > _BESIDE_PROSE * len(lines)
        for p, lines in ((left, a), (right, b))
    ):
        return 0
    if any(classify_title(x.text) for x in a) and any(classify_title(y.text) for y in b):
        return 0  # a title on each page: two tables
    if any((_titled(x) and _figured(y)) or (_titled(y) and _figured(x)) for x, y in pairs):
        return 0
    if sum(1 for x, y in pairs if _coded(x) and _coded(y)) >= 2:
        return 0  # rows labelled by their codes on both pages: two tables (a sheet's labels are on its left)
    return len(pairs)


def _coded(line: Line) -> bool:
    """Is a line led by a classification code printed as a run of its own (201, 2080505) or in
    brackets ([30101]基本工资)? A code joined to its name by a dash (2010601-行政运行) is not counted:
    a sheet may print several code columns, one on each page."""
    t = line.segments[0].text.replace(" ", "")
    return classification_shaped(t) or (t.startswith("[") and led_by_code(t))


def _figured(line: Line) -> bool:
    return any(is_value_text(s.text) for s in line.segments)


def _figures_only(line: Line) -> bool:
    """Does a line print figures (or nil marks) alone? Glyphs printed but unread (`is_unread`) may
    be a label as well as a figure: a line printing them is not one of figures alone."""
    return all(is_value_text(s.text) and not is_unread(s.text) for s in line.segments)


def _level_to_a_point(a: Line, b: Line) -> bool:
    """Do two lines of two pages stand at one height, as one sheet's row does (`_BESIDE_CENTRE`)?"""
    return abs(a.centre - b.centre) <= _BESIDE_CENTRE


def _titled(line: Line) -> bool:
    return bool(classify_title(line.text) or _number_line(line.text))


def _text_kind(text: str) -> str:
    t = text.replace(" ", "")
    if is_unread(t):
        return "unread"  # a label or a figure: which, cannot be told
    return "code" if t.isdigit() and 3 <= len(t) <= 9 else "figure" if is_value_text(t) else "words"


def _same_column(a: Line, b: Line) -> bool:
    """Do two level lines print in the same columns? Their words and codes (set flush left) start at
    the same x, half of them at least; lines of figures alone, their figures (set flush right) end at
    the same x. A two-sided table's two headers print the same words, but not at the same x; figure
    columns of even pitch may meet by chance, so beside words they are not compared."""
    wa = [s for s in a.segments if _text_kind(s.text) != "figure"]
    wb = [s for s in b.segments if _text_kind(s.text) != "figure"]
    if wa or wb:
        short, other = sorted((wa, wb), key=len)
        alike = sum(
            1
            for s in short
            if any(abs(s.x0 - t.x0) <= _BESIDE_X and _text_kind(s.text) == _text_kind(t.text) for t in other)
        )
        return bool(short) and alike >= 0.5 * len(short)
    short, other = sorted((a.segments, b.segments), key=len)
    alike = sum(1 for s in short if any(abs(s.x1 - t.x1) <= _BESIDE_X for t in other))
    return alike >= max(min(2, len(short)), 0.5 * len(short))


def set_beside(left: PageInfo, right: PageInfo) -> PageInfo:
    """The sheet `left` and `right` print (`printed_across`): `right` set beside `left`, its lines
    joined to the lines level with them, numbered as `left` (the right page's page number left out)."""
    b = [ln for ln in right.lines if not is_page_number(ln, right)]
    lines, _ = _side_by_side((left.lines, []), (b, []), left.width)
    return PageInfo(left.number, left.width + right.width, max(left.height, right.height), lines)


def _side_by_side(
    left: tuple[list[Line], list[Rule]], right: tuple[list[Line], list[Rule]], offset: float
) -> tuple[list[Line], list[Rule]]:
    """The page `left` with the page `right` set beside it, `offset` points to the right: each line of
    `right` joins the line of `left` at its height (a line at no such height stays a line)."""
    lines, joined = [], set()
    for ln in left[0]:
        beside = [r for r in right[0] if id(r) not in joined and _level(r, ln)]
        joined.update(id(r) for r in beside)
        chars = ln.chars + [_shifted(c, offset) for r in beside for c in r.chars]
        lines.append(make_line(chars, ln.page) if beside else ln)
    lines += [
        make_line([_shifted(c, offset) for c in r.chars], r.page) for r in right[0] if id(r) not in joined
    ]
    return sorted(lines, key=lambda ln: ln.top), left[1] + shifted_rules(right[1], offset)


def shifted_rules(rules: list[Rule], dx: float) -> list[Rule]:
    """Rules moved `dx` points to the right (a page's rules set beside the page before)."""
    return [Rule(r.x0 + dx, r.top, r.x1 + dx, r.bottom) for r in rules]


def _shifted(c: Char, dx: float) -> Char:
    return Char(c.text, c.x0 + dx, c.top, c.x1 + dx, c.bottom, c.space_before)


_SECTION = re.compile(rf"^(?:第[{_CN_NUM}]+部分|[{_CN_NUM}]+、.{{2,30}}(?:情况|说明|解释)$|目录$)")


_HEADING_END = re.compile(r"(?:情况说明|相关说明|名词解释|编制说明|概况|主要职能|机构设置)$")


def _ends_table(line: Line, page_width: float, kind: str) -> bool:
    """A line after which the table cannot go on: a section heading, or (not in a performance table) prose."""
    k = key(line.text)
    if _SECTION.match(k) or (len(line.segments) == 1 and len(k) <= 24 and _HEADING_END.search(k)):
        return True
    if table_number(line.text) and _looks_like_title(k):
        return True  # the next table's numbered title, of a kind read or not (预算11表…明细表)
    return kind != "performance" and is_prose(line, page_width)


def _department_of(meta: list[str]) -> str | None:
    for m in meta:
        k = key(m)
        mm = re.match(
            r"^(?:部门名称|预算主管部门|主管部门|编制部门|编制单位|部门|单位名称|预算单位)[:](.+?)(?:(?:金额)?单位[:].*)?$",
            k,
        )
        if mm and mm.group(1):
            name = mm.group(1)
            # keep the printed (non-key) form: find it back in the printed meta line
            return _printed_department(m, name)
    return None


def _printed_department(printed: str, name_key: str) -> str:
    from budgetlens.parse.normalize import normalize_text

    t = normalize_text(printed)
    t = re.sub(
        r"^(?:部门名称|预算主管部门|主管部门|编制部门|编制单位|部门|单位名称|预算单位)\s*[:：]\s*", "", t
    )
    t = re.sub(r"\s*(?:金额)?单位\s*[:：].*$", "", t)
    return t.strip() or name_key
