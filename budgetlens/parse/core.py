"""Parse one budget PDF into `budgetlens.budget/1` records (docs/record.md).

`parse_pdf` never raises for bad input: a file that cannot be read gives one record with
`error`. The work is done in three passes over the document: the fast pass reads every page's
characters with PDFium; table titles are found in those lines; rules are read only for the pages
that hold tables; figures come from the tables and the text; cross-checks become warnings.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from budgetlens.amounts import format_yuan
from budgetlens.fields import HEADCOUNT_FIELDS, RECORD_SCHEMA, TABLE_KINDS, TEMPLATE_TABLES, TOTALS_FIELDS
from budgetlens.files import file_sha256
from budgetlens.identities import APPROPRIATION
from budgetlens.parse import crossfoot as cf
from budgetlens.parse import extract as ex
from budgetlens.parse import three_public
from budgetlens.parse.checks import label as field_label
from budgetlens.parse.checks import run_checks
from budgetlens.parse.document import (
    department_of,
    fiscal_year_of,
    form_department,
    jurisdiction_of,
    kind_of,
    labelled_department,
    scope_of,
    template_of,
)
from budgetlens.parse.errors import ParseError
from budgetlens.parse.grid.text import is_amount_text
from budgetlens.parse.layout import Line, page_lines
from budgetlens.parse.normalize import key
from budgetlens.parse.pdfdoc import UNMAPPED, PdfSource, RawPage, is_garbled
from budgetlens.parse.prose import (
    FINAL_ACCOUNTS_COUNTS,
    Prose,
    ProseFigure,
    build_prose,
    read_all_amounts,
    read_counts,
    read_projects,
    share_passages,
    unit_scoped_spans,
)
from budgetlens.parse.settings import ParseSettings
from budgetlens.parse.tables import (
    AGENCY_RUNNING,
    PageInfo,
    Table,
    find_tables,
    find_titles,
    is_page_furniture,
    is_page_number,
    printed_across,
    set_beside,
    shifted_rules,
    unit_by_prose,
)
from budgetlens.parse.targets import performance_rows
from budgetlens.parse.version import PARSER_VERSION


def parse_pdf(path: Path, *, settings: ParseSettings | None = None) -> list[dict]:
    """One file in, one record per department out (an unreadable file: one record with `error`)."""
    settings = settings or ParseSettings()
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > settings.max_bytes:
            return [
                error_record(
                    name,
                    file_sha256(path),
                    None,
                    "too_large",
                    f"the file is {size} bytes, over the {settings.max_bytes}-byte limit",
                )
            ]
        data = path.read_bytes()
    except FileNotFoundError:
        # no bytes were read: no sha256 (the hash of empty input would name a file that is not there)
        return [error_record(name, None, None, "not_found", f"no such file: {path}")]
    except IsADirectoryError:
        return [error_record(name, None, None, "unreadable", f"{path} is a directory, not a PDF")]
    except OSError as exc:
        return [error_record(name, None, None, "unreadable", f"cannot read the file: {exc.strerror or exc}")]
    return parse_bytes(data, name, settings=settings)


def parse_bytes(data: bytes, name: str, *, settings: ParseSettings | None = None) -> list[dict]:
    """`parse_pdf` for bytes already in memory (`name` is the file name to report)."""
    settings = settings or ParseSettings()
    sha = hashlib.sha256(data).hexdigest()
    if settings.before_parse is not None:
        settings.before_parse()  # a test seam (ParseSettings): the fault tests hang or crash here
    page_count = None
    try:
        with PdfSource(data) as src:
            page_count = src.page_count
            if page_count > settings.max_pages:
                raise ParseError(
                    "too_large", f"the file has {page_count} pages, over the {settings.max_pages}-page limit"
                )
            return _parse_source(src, name, sha)
    except ParseError as exc:
        return [error_record(name, sha, page_count, exc.code, exc.message)]
    except MemoryError:
        return [
            error_record(
                name, sha, page_count, "too_large", "the document needs more memory than the limit allows"
            )
        ]
    except Exception as exc:  # noqa: BLE001 - bad input must give a record, never a crash
        return [
            error_record(name, sha, page_count, "internal", f"parser failure: {type(exc).__name__}: {exc}")
        ]


def error_record(name: str, sha: str | None, page_count: int | None, code: str, message: str) -> dict:
    """The record of a file that could not be read: source, empty parts, `error`."""
    rec = empty_record(name, sha, None, page_count)
    rec["error"] = {"code": code, "message": message}
    return rec


def empty_record(name: str, sha: str | None, pages: list[int] | None, page_count: int | None) -> dict:
    return {
        "schema": RECORD_SCHEMA,
        "parser_version": PARSER_VERSION,
        "source": {"file": name, "sha256": sha, "pages": pages, "page_count": page_count},
        "document": {
            "jurisdiction": None,
            "department": None,
            "fiscal_year": None,
            "kind": None,
            "scope": None,
            "template": None,
        },
        "headcount": dict.fromkeys(HEADCOUNT_FIELDS),
        "totals": dict.fromkeys(TOTALS_FIELDS),
        "function_lines": [],
        "economic_lines": [],
        "projects": [],
        "procurement_lines": [],
        "performance_targets": [],
        "tables": [],
        "observations": [],
        "passages": [],
        "provenance": {},
        "warnings": [],
        "error": None,
    }


# ---------------------------------------------------------------------------------------------


class _Doc:
    """What the fast pass read from the whole file."""

    def __init__(self, src: PdfSource):
        self.src = src
        usable, cid_pages, odd_pages = self._read()
        # a font printing characters no budget prints has a broken map: its other glyphs may be
        # mapped wrong too ('。' as '2'), so the document is read again without any of its glyphs
        broken = src.broken_fonts(odd_pages) if odd_pages else {}
        if broken:
            usable, cid_pages, _ = self._read(frozenset(broken))
            for font, (odd, every) in sorted(broken.items()):
                self.warnings.append(
                    cf.Warning_(
                        "cid_text",
                        f"font {font}: {odd} of its {every} glyphs read as characters no budget prints "
                        "(a broken Unicode map): none of its glyphs is read",
                        None,
                    )
                )
        self._set_beside()
        if usable == 0:
            if cid_pages:
                raise ParseError(
                    "no_text",
                    "every page's text is glyphs without a readable Unicode map ((cid:NNN) codes, or a "
                    "broken map): nothing can be read",
                )
            raise ParseError(
                "no_text", "no page has a text layer (scanned images or blank pages): nothing can be read"
            )

    def _read(self, skip_fonts: frozenset[str] = frozenset()) -> tuple[int, int, list[int]]:
        """Read every page (the glyphs of `skip_fonts` left out): the count of pages with text to
        read, of pages with unmapped glyphs, and the pages (0-based) printing odd characters."""
        self.pages: list[PageInfo] = []
        self.raws: dict[int, RawPage] = {}
        self.warnings: list[cf.Warning_] = []
        usable = 0
        cid_pages = 0
        odd_pages: list[int] = []
        by_font_map: dict[int, int] = {}  # page -> glyphs read through their font's own map
        for i in range(self.src.page_count):
            raw = self.src.read_page(i, skip_fonts=skip_fonts)
            n = i + 1
            lines: list[Line] = []
            if not raw.chars and not raw.unmapped_chars:
                if self.src.has_images(i):
                    self.warnings.append(
                        cf.Warning_(
                            "image_page", f"page {n} is an image with no text layer (scanned): not read", n
                        )
                    )
            else:
                if raw.watermark_chars >= _WATERMARK_NOTED:
                    self.warnings.append(
                        cf.Warning_(
                            "watermark_text",
                            f"page {n}: {raw.watermark_chars} glyphs of a watermark or stamp (set at a slant, "
                            "or large and faint over the page): not read",
                            n,
                        )
                    )
                if raw.hidden_chars:
                    self.warnings.append(
                        cf.Warning_(
                            "whited_out_text",
                            f"page {n}: {raw.hidden_chars} glyphs lie under a white box drawn over them (a "
                            "figure whited out, another typed over it): not read",
                            n,
                        )
                    )
                # glyphs without a Unicode map are never data: kept as printed but unread
                # (`UNMAPPED`, a cell that prints one is not blank), the page's mapped text read
                unread = [c for c in raw.chars if c.text == UNMAPPED] if raw.unmapped_chars else []
                if unread:
                    raw.chars = [c for c in raw.chars if c.text != UNMAPPED]
                odd = [c for c in raw.chars if is_garbled(c.text)]
                if odd:
                    odd_pages.append(i)
                garbled = odd if _garbled(len(odd), raw) else []
                literal = _cid_literal(raw)
                unreadable = raw.unmapped_chars - raw.by_font_map + len(garbled)
                total = len(raw.chars) + raw.unmapped_chars - raw.by_font_map
                if garbled:
                    raw.chars = [c for c in raw.chars if not is_garbled(c.text)]
                    unread += [replace(c, text=UNMAPPED) for c in garbled]
                if literal:
                    raw.chars = []
                if literal or unreadable >= max(10, 0.02 * total):
                    cid_pages += 1
                    self.warnings.append(
                        cf.Warning_(
                            "cid_text",
                            f"page {n}: {unreadable or 'some'} glyphs without a readable Unicode map ((cid:NNN) codes, "
                            "or a broken map): not read as data",
                            n,
                        )
                    )
                if raw.by_font_map:
                    by_font_map[n] = raw.by_font_map
                if raw.pictures:
                    # figures drawn as images: their places printed, never read as blank
                    raw.chars = raw.chars + raw.pictures
                    self.warnings.append(
                        cf.Warning_(
                            "picture_text",
                            f"page {n}: {len(raw.pictures)} figures drawn as pictures, not text: not read",
                            n,
                        )
                    )
                if len(raw.chars) >= max(4, 0.1 * total) and len(raw.chars) > unreadable / 4:
                    lines, _ = page_lines(raw.chars + unread, n)
                    lines = [ln for ln in lines if not is_page_furniture(ln, raw.height)]
                    usable += 1
            raw.chars = []  # the lines hold what is needed
            self.raws[n] = raw
            self.pages.append(PageInfo(n, raw.width, raw.height, lines))
        if by_font_map:
            self.warnings.append(
                cf.Warning_(
                    "font_map_text",
                    f"{sum(by_font_map.values())} glyphs without a Unicode map, on {len(by_font_map)} pages "
                    f"({_page_list(sorted(by_font_map))}), read through their embedded font's own character map",
                    None,
                )
            )
        return usable, cid_pages, odd_pages

    def _set_beside(self) -> None:
        """Pages printing one wide sheet across two (`tables.printed_across`) read as one: the left
        page holds both, the right page is left empty (its number kept, nothing on it)."""
        self.beside: dict[int, int] = {}  # left page -> the page printing its right-hand part
        self._own_lines = {p.number: p.lines for p in self.pages}
        for left, right in printed_across(self.pages):
            a, b = self.pages[left - 1], self.pages[right - 1]
            self.pages[left - 1] = set_beside(a, b)
            self.pages[right - 1] = PageInfo(right, b.width, b.height, [])
            self.beside[left] = right
            self.warnings.append(
                cf.Warning_(
                    "printed_across",
                    f"pages {left} and {right} print one wide sheet (its right-hand columns on page "
                    f"{right}): read side by side",
                    left,
                )
            )

    def rules(self, page: int):
        if page in self.beside.values():
            return []  # read with the page before
        rules = self._own_rules(page)
        right = self.beside.get(page)
        if right is not None:
            dx = self.raws[page].width
            rules += shifted_rules(self._own_rules(right), dx)
        return rules

    def _own_rules(self, page: int):
        # the page's characters were handed to its lines: their boxes tell glyph strokes from rules
        chars = [c for ln in self._own_lines[page] for c in ln.chars]
        return self.src.read_rules(self.raws[page], chars)


# fewer watermark glyphs than this on a page are a seal's or a signature's, not worth a warning
_WATERMARK_NOTED = 5


def _page_list(pages: list[int]) -> str:
    """Pages as runs: [3, 4, 5, 9] -> '3–5, 9'."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    return ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in runs)


def _garbled(odd: int, raw: RawPage) -> bool:
    """Does a page print enough glyphs (`odd` of them) that PDFium read as Latin-1 / symbol codes
    ("åçÄé", "†°¢": a font without a Unicode map) to drop them one by one?"""
    return odd >= 10 and odd >= 0.05 * len(raw.chars)


def _cid_literal(raw: RawPage) -> bool:
    """Text that literally prints '(cid:123)' (a converted file that kept pdfminer's placeholders)."""
    text = "".join(c.text for c in raw.chars[:4000])
    return text.count("(cid:") >= 3 and text.count("(cid:") * 8 >= 0.3 * len(text)


def _parse_source(src: PdfSource, name: str, sha: str) -> list[dict]:
    doc = _Doc(src)
    hits = find_titles(doc.pages)
    segments = split_departments(doc.pages, hits)
    records = []
    for first, last in segments:
        pages = [p for p in doc.pages if first <= p.number <= last]
        seg_hits = [h for h in hits if first <= h.page <= last]
        tables = find_tables(pages, doc.rules, seg_hits)
        warnings = [w for w in doc.warnings if w.page is None or first <= w.page <= last]
        records.append(_build_record(name, sha, src.page_count, first, last, pages, tables, warnings))
    return records


def split_departments(pages: list[PageInfo], hits: list) -> list[tuple[int, int]]:
    """Page ranges of the departments of a compilation (汇编); one range for an ordinary document.

    A department starts at a cover page (a short page whose title names a budget year and
    部门预算 / 单位预算), or where a book without covers starts again (`_restarts`). A range
    without tables belongs to the department that follows (its cover or text part), except the
    compilation's own title page (…汇编), which belongs to none.
    """
    if not pages:
        return [(1, 1)]
    titled = {h.page for h in hits}  # a short table page under a running title is no cover
    covers = [p.number for p in pages if _is_cover(p) and p.number not in titled]
    starts = sorted({_opening_before(pages, hits, s) for s in {*covers, *_restarts(pages, hits, covers)}})
    if not starts or starts[0] != pages[0].number:
        starts = [pages[0].number, *starts]
    ranges = [
        (s, starts[i + 1] - 1 if i + 1 < len(starts) else pages[-1].number) for i, s in enumerate(starts)
    ]
    by_number = {p.number: p for p in pages}
    out: list[tuple[int, int]] = []
    names: list[str | None] = []  # the department each range's cover names
    carry: int | None = None  # the first page of a table-less range waiting for its department
    carried: list[int] = []  # the starts of the table-less ranges carried
    for s, e in ranges:
        has_tables = any(s <= h.page <= e for h in hits)
        if not has_tables:
            if _is_compilation_cover(by_number.get(s)) and len(ranges) > 1:
                continue
            carry = s if carry is None else carry
            carried.append(s)
            continue
        name = next((n for n in (_cover_name(pages, c) for c in (*carried, s)) if n), None)
        if carry is not None:
            s, carry, carried = carry, None, []
        if out and name and name == names[-1]:
            out[-1] = (out[-1][0], e)  # a cover repeated inside one department
        else:
            out.append((s, e))
            names.append(name)
    if carry is not None:
        if out:
            out[-1] = (out[-1][0], pages[-1].number)
        else:
            out.append((carry, pages[-1].number))
    return out or [(pages[0].number, pages[-1].number)]


def _restarts(pages: list[PageInfo], hits: list, covers: list[int]) -> list[int]:
    """Where the next department of a book without covers starts, after tables of the one before:
    a table of contents (目录) between two 收支总表, or the prose before a second 收支总表 with
    another table between the two (a title repeated on a table's next page is no restart)."""
    starts: list[int] = []
    by_number = {p.number: p for p in pages}
    last = 0  # the page the current department started on
    for page in pages:
        if page.number in covers:
            last = page.number
            continue
        before = [h for h in hits if last <= h.page < page.number]
        # a contents page between two 收支总表: another department's (a part's own list of tables
        # inside one document has no 收支总表 before it)
        if (
            any(h.kind == "summary" for h in before)
            and any(h.kind == "summary" for h in hits if h.page > page.number)
            and _is_contents(page)
            and not any(h.page == page.number for h in hits)
        ):
            starts.append(page.number)
            last = page.number
            continue
        here = [h for h in hits if h.page == page.number and h.kind == "summary" and not h.continued]
        earlier = [h for h in before if h.kind == "summary"]
        if here and earlier and any(h.kind != "summary" for h in before if h.page >= earlier[-1].page):
            # its text's first part (第一部分 / 一、部门概况) after the tables before, else back over
            # the new department's prose to those tables
            first = _opening_before(pages, hits, page.number)
            if first == page.number:
                while first - 1 > before[-1].page and _is_prose(by_number[first - 1]):
                    first -= 1
            starts.append(first)
            last = page.number
    return starts


def _is_contents(page: PageInfo) -> bool:
    """A table of contents: 目录 on a line of its own near the page's top."""
    return any(key(ln.text) == "目录" for ln in page.lines[:3])


def _opening_before(pages: list[PageInfo], hits: list, start: int) -> int:
    """A department's start moved back to its text's first part where that part opens between the
    tables before and the start (a part's title page under a running title is taken for a cover)."""
    tables_before = [h.page for h in hits if h.page < start]
    if not tables_before:
        return start
    opening = [p.number for p in pages if tables_before[-1] < p.number < start and _opens_a_document(p)]
    return opening[-1] if opening else start


def _opens_a_document(page: PageInfo) -> bool:
    """A page that opens a document's text: its first part's heading (第一部分…, 一、部门概况,
    一、部门主要职能) near the top."""
    return any(
        re.match(r"^(?:第一部分|一、(?:部门|单位)(?:概况|基本情况|主要职[能责]))", key(ln.text))
        for ln in page.lines[:3]
    )


def _is_prose(page: PageInfo) -> bool:
    """A page of running text: sentences (。) in most of its lines' paragraphs."""
    return sum("。" in ln.text for ln in page.lines) >= 2


def _is_cover(page: PageInfo) -> bool:
    """A title page: a few short lines and no table rows, one of them (or two or three in a row: a title wrapped
    mid-word, '2026 年深圳市民政局（本级）部门预' / '算') '(20XX 年)…部门预算 / 单位预算 / …决算'."""
    if not page.lines or len(page.lines) > 10:
        return False
    texts = [key(ln.text) for ln in page.lines]
    if any("。" in t or "目录" in t for t in texts) or _prints_rows(page):
        return False
    runs = ["".join(texts[i : i + n]) for n in (1, 2, 3) for i in range(len(texts) - n + 1)]
    return any(
        re.fullmatch(r"(?:20\d\d年度?)?.{0,40}?(?:部门|单位)(?:预算|决算)(?:公开|汇编)?(?:20\d\d年度?)?", t)
        for t in runs
    )


def _prints_rows(page: PageInfo) -> bool:
    """Rows of a table under a running title (a page of a table's last rows): two lines or more
    that print a figure beside other cells."""
    rows = [
        ln for ln in page.lines if len(ln.segments) >= 2 and any(is_amount_text(s.text) for s in ln.segments)
    ]
    return len(rows) >= 2


def _is_compilation_cover(page: PageInfo | None) -> bool:
    return page is not None and any("汇编" in key(ln.text) for ln in page.lines)


def _cover_name(pages: list[PageInfo], number: int) -> str | None:
    page = next((p for p in pages if p.number == number), None)
    if page is None:
        return None
    from budgetlens.parse.document import cover_department

    texts = [ln.text for ln in page.lines[:6]]
    for text in [*texts, "".join(texts)]:  # a cover title may be set over several short lines
        name = cover_department(text)
        if name:
            return name
    return None


# ---------------------------------------------------------------------------------------------


class _Totals:
    """Totals being assembled: the canonical figure per field, other printings for cross-checks."""

    def __init__(self) -> None:
        self.chosen: dict[str, ex.Figure] = {}
        self.others: dict[str, list[tuple[str, ex.Figure]]] = {}

    def offer(self, field: str, f: ex.Figure | None, label: str = "") -> None:
        if f is None:
            return
        if field not in self.chosen:
            self.chosen[field] = f
        else:
            self.others.setdefault(field, []).append((label, f))


def _prose_figure(p: ProseFigure) -> ex.Figure:
    return ex.Figure(
        Decimal(p.value), p.number, p.unit or "元", p.page, p.bbox, "prose", "正文", p.sentence, "prose"
    )


def _build_record(
    name: str,
    sha: str,
    page_count: int,
    first: int,
    last: int,
    pages: list[PageInfo],
    tables: list[Table],
    warnings: list,
) -> dict:
    rec = empty_record(name, sha, [first, last], page_count)
    warnings = list(warnings)
    table_lines = _table_line_ids(tables, pages)
    prose_lines = [
        ln for p in pages for ln in p.lines if id(ln) not in table_lines and not is_page_number(ln, p)
    ]
    prose = build_prose(prose_lines)

    # ---- document
    fiscal_year, kind, prose_amounts = _write_document(rec, pages, tables, prose_lines, prose)
    prose_counts = read_counts(prose, rec["document"]["department"])
    if kind != "final_accounts":
        for field in FINAL_ACCOUNTS_COUNTS:
            prose_counts.pop(field, None)

    by_kind: dict[str, list[Table]] = {}
    for t in tables:
        by_kind.setdefault(t.kind, []).append(t)
        if t.unit is None and not t.unit_stated and not t.empty:
            # no unit printed at all: the prose's, where it states the same figures
            found = unit_by_prose(t, prose.text)
            if found is not None:
                t.unit, t.unit_from = found
    warnings.extend(_table_warnings(tables, fiscal_year))

    def first_of(kind: str) -> Table | None:
        ts = by_kind.get(kind)
        return ts[0] if ts else None

    totals = _Totals()
    summary, appro = first_of("summary"), first_of("appropriation_summary")
    _offer_summaries(totals, summary, appro)
    expense = first_of("expense")
    exp_figs = _offer_expense(totals, expense, warnings)
    basic = first_of("basic_expense")
    basic_cols, econ_lines, econ_totals = _offer_economic(
        totals, basic, first_of("basic_by_economic"), warnings
    )
    function = first_of("general_budget_by_function")
    f_lines, f_totals = _read_function(function, tables, warnings)
    _offer_three_public(totals, first_of("three_public"), fiscal_year, kind, warnings)
    _offer_agency_running(totals, first_of(AGENCY_RUNNING))
    procurement = first_of("procurement")
    p_lines = _offer_procurement(totals, procurement, prose_amounts)
    _offer_prose(totals, prose_amounts, kind, procurement is not None, warnings)
    _three_public_read_in_part(totals, warnings)
    # the same totals printed again in other tables (valid as the same figure only when every
    # yuan is general-budget money, so that those tables cover the whole budget)
    _offer_repeats(totals, expense, exp_figs, appro, function, f_totals)

    _write_figures(rec, totals, prose_counts)

    # ---- lines
    warnings.extend(
        _write_lines(
            rec, f_lines, econ_lines, p_lines, *_project_table(by_kind.get("project_expense", [])), first_of("performance"), prose,
            totals.chosen.get("project_expense"),
        )
    )  # fmt: skip

    rec["tables"] = _table_entries(tables)

    # ---- cross-checks
    warnings.extend(
        run_checks(
            totals=totals,
            function=function,
            f_lines=f_lines,
            f_totals=f_totals,
            econ_lines=econ_lines,
            econ_totals=econ_totals,
            basic_table=basic,
            basic_cols=basic_cols,
            p_lines=p_lines,
            expense_figs=exp_figs,
            summary=summary,
        )
    )
    warnings.extend(_missing_tables(rec["document"]["template"], tables))
    rec["warnings"] = [w.as_dict() for w in _dedupe(warnings)]
    rec["observations"] = _observations(
        totals, prose_counts, rec["headcount"], f_lines, f_totals, function, tables, fiscal_year
    )
    return rec


def _offer_summaries(totals: _Totals, summary: Table | None, appro: Table | None) -> None:
    """The summary's totals; the appropriation summary's appropriations (财政拨款收支总表)."""
    if summary is not None:
        for f, fig in ex.summary_figures(summary).items():
            totals.offer(f, fig)
    appro_figs = ex.summary_figures(appro) if appro is not None else {}
    if appro is not None and "fiscal_appropriation" not in appro_figs:
        # the appropriation summary's 本年收入 is all of this year's appropriations (财政拨款)
        this_year = ex.labelled_figure(appro, ("本年收入合计", "本年收入", "财政拨款收入合计"))
        if this_year is None:
            this_year = _appropriation_by_parts(appro_figs)
        if this_year is not None:
            appro_figs["fiscal_appropriation"] = this_year
    for f in (APPROPRIATION.total, *APPROPRIATION.parts):
        totals.offer(f, appro_figs.get(f), "财政拨款收支总表")


def _appropriation_by_parts(appro_figs: dict[str, ex.Figure]) -> ex.Figure | None:
    """An appropriation summary that names no 财政拨款 row: its income total is this year's
    appropriations when it is exactly the sum of the three funds' rows (so no carry-over is in it)."""
    total = appro_figs.get("income_total")
    parts = [appro_figs.get(f) for f in APPROPRIATION.parts]
    if total is None or any(p is None for p in parts):
        return None
    return total if total.value == sum(p.value for p in parts) else None


def _offer_expense(totals: _Totals, expense: Table | None, warnings: list) -> dict[str, ex.Figure]:
    """The expense table's basic / project / reserve columns and its procurement columns (left out,
    with a warning, where those fail their own identity). Returns the figures read."""
    exp_figs = ex.expense_figures(expense) if expense is not None else {}
    exp_figs, failed_parts = ex.procurement_parts_hold(exp_figs)
    if expense is not None:
        exp_figs = dict(exp_figs)
        i = ex.total_row(expense)
        printed = i is not None and any(
            is_amount_text(c.text) and c.text.strip("0.,- ") for c in expense.grid.rows[i]
        )
        _drop_blanks_breaking(expense, "合计 row", exp_figs, _EXPENSE_IDENTITY, warnings, printed)
    if failed_parts and expense is not None:
        warnings.append(
            cf.Warning_(
                "unreadable_figures", f"{expense.label}: {failed_parts}: left out", expense.title_page
            )
        )
    for f in (
        "basic_expense",
        "project_expense",
        "reserve_expense",
        "procurement_total",
        "procurement_sme",
        "procurement_small_micro",
    ):
        totals.offer(f, exp_figs.get(f))
    return exp_figs


def _offer_economic(
    totals: _Totals, basic: Table | None, econ_table: Table | None, warnings: list
) -> tuple[dict[str, ex.Figure], list, dict[str, ex.Figure]]:
    """The basic-expense table's columns and the economic classes (301 / 302 / 303, the labelled
    group totals): (basic table columns, economic lines, economic group totals). Lines whose 类
    are far from the table's total (`crossfoot.misread`) are left out with the table's totals."""
    basic_cols = ex.basic_column_figures(basic) if basic is not None else {}
    econ_source = econ_table or basic
    econ_lines: list = []
    econ_totals: dict[str, ex.Figure] = {}
    operating_column = False  # the table prints 公用经费 as a column: 302 alone is not that figure
    if econ_source is not None:
        econ_lines, econ_totals = ex.economic_lines(econ_source)
        if econ_lines and all(f is None for _, _, f, _ in econ_lines):
            warnings.append(_bare_lines(econ_source))
        operating_column = "operating_expense" in econ_totals
        total = econ_totals.get("total")
        classes = [f for code, _, f, _ in econ_lines if len(code) == 3 and f is not None]
        if total is not None and cf.misread(total, classes):
            # lines that add up among themselves (each 类 the sum of its 款) outvote the total row;
            # the row's other columns (人员经费 | 公用经费) were read with its 合计 and go with it
            trusted = _lines_add_up([(code, f) for code, _, f, _ in econ_lines])
            row = econ_source is basic and bool(basic_cols)
            warnings.append(
                _misread_warning(
                    econ_source,
                    "",
                    classes,
                    total,
                    "the economic lines and the table's figures are",
                    trusted,
                    row,
                )
            )
            if row:
                basic_cols = {}
            if not trusted:
                _offer_all(totals, basic_cols)
                return basic_cols, [], {}
            econ_totals = {}
    _offer_all(totals, basic_cols)
    if econ_source is not None:
        classes = _class_totals(econ_lines)
        basic_econ = basic if (basic is not None and not basic_cols) else None
        cls_source = _class_totals(ex.economic_lines(basic_econ)[0] if basic_econ is not None else econ_lines)
        classes = cls_source or classes
        totals.offer("personnel_expense", classes.get("301"))
        totals.offer("household_subsidy", classes.get("303"))
        totals.offer("staff_and_household_cost", econ_totals.get("staff_and_household_cost"))
        totals.offer(
            "operating_expense",
            econ_totals.get("operating_expense") or (None if operating_column else classes.get("302")),
        )
    return basic_cols, econ_lines, econ_totals


def _bare_lines(table: Table) -> cf.Warning_:
    """None of a table's lines' figures could be placed under an amount header (a code or name
    column read under one, where the header was cut from its rows or took a row's label): the
    lines are given bare, and this says so."""
    return cf.Warning_(
        "unreadable_figures",
        f"{table.label}: no figure of its lines could be placed in an amount column: "
        "its lines are given without figures",
        table.title_page,
    )


def _offer_all(totals: _Totals, figures: dict[str, ex.Figure]) -> None:
    for f, fig in figures.items():
        totals.offer(f, fig)


def _read_function(
    function: Table | None, tables: list[Table], warnings: list
) -> tuple[list[ex.Line], dict[str, ex.Figure]]:
    """The function table's lines and its total row (carrying its classes' rounding)."""
    f_lines: list[ex.Line] = []
    f_totals: dict[str, ex.Figure] = {}
    if function is not None:
        f_lines, f_totals, dups = ex.function_lines(function, _local_codes(tables))
        if f_lines and all(v is None for ln in f_lines for v in ln.values.values()):
            warnings.append(_bare_lines(function))
        for ln in f_lines:
            _drop_blanks_breaking(function, ln.code, ln.values, _FUNCTION_IDENTITY, warnings)
        _drop_blanks_breaking(function, "合计", f_totals, _FUNCTION_IDENTITY, warnings)
        for role, fig in list(f_totals.items()):
            classes = [ln.values[role] for ln in f_lines if ln.level == 1 and ln.values.get(role) is not None]
            if cf.misread(fig, classes):
                # the 类 lines far from the total: this column was misread, in the total row (the
                # lines add up among themselves: each 类 the sum of its 款, each 款 of its 项) or in
                # the lines
                trusted = _lines_add_up([(ln.code, ln.values.get(role)) for ln in f_lines])
                warnings.append(
                    _misread_warning(function, f" {role}", classes, fig, "that column is", trusted)
                )
                if not trusted:
                    for ln in f_lines:
                        ln.values.pop(role, None)
                del f_totals[role]
                continue
            f_totals[role] = cf.with_line_rounding(fig, classes)
        for code in dups:
            warnings.append(
                cf.Warning_(
                    "duplicate_line",
                    f"{function.label} prints line {code} twice: kept once",
                    function.title_page,
                )
            )
    return f_lines, f_totals


# a row's identity, total first: the roles of its figures and their headers (合计 = 基本支出 + 项目支出)
_FUNCTION_IDENTITY = {"total": "合计", "basic": "基本支出", "project": "项目支出"}
_EXPENSE_IDENTITY = {"total": "合计", "basic_expense": "基本支出", "project_expense": "项目支出"}


def _drop_blanks_breaking(
    table: Table, row: str, values: dict, identity: dict[str, str], warnings: list, elsewhere: bool = False
) -> None:
    """The blank cells of a row (`values`: role -> figure) that, read as zero, break its identity
    (`crossfoot.blanks_breaking`; `elsewhere`: the row prints figures in other columns): left out of
    `values`, with a warning."""
    terms = {role: values.get(role) for role in identity}
    whole, *parts = terms
    blanks = cf.blanks_breaking(terms[whole], [terms[p] for p in parts], figures_elsewhere=elsewhere)
    if not blanks:
        return
    shown = [f"{identity[r]} {f.printed or 'blank'}" for r, f in terms.items() if f is not None]
    dropped = [r for r, f in terms.items() if any(f is b for b in blanks)]
    for role in dropped:
        values.pop(role, None)
    why = (
        "prints its figures under other columns"
        if len(dropped) == len(terms)
        else f"{shown[0]} ≠ {' + '.join(shown[1:])}"
    )
    warnings.append(
        cf.Warning_(
            "unreadable_figures",
            f"{table.label} {row}: {why}: its blank cells are no zeros there, left out "
            f"({' / '.join(identity[r] for r in dropped)})",
            table.title_page,
        )
    )


def _misread_warning(
    table: Table,
    column: str,
    classes: list[ex.Figure],
    total: ex.Figure,
    lines: str,
    trusted: bool,
    row: bool = False,
) -> cf.Warning_:
    """The warning of a table whose 类 lines miss its 合计 (`crossfoot.misread`): which side is left
    out (`row`: the whole 合计 row, its other columns read with it)."""
    kept = "its 合计 row is" if row else "its 合计 is"
    return cf.Warning_(
        "unreadable_figures",
        f"{table.label}: its 类 lines'{column} add up to {cf.sum_of(classes, total)}, its 合计 reads "
        f"{total.printed or '0'}: misread, {kept if trusted else lines} left out",
        table.title_page,
    )


def _lines_add_up(lines: list[tuple[str, ex.Figure | None]]) -> bool:
    """Do classified lines add up among themselves: every line with lines below it (codes two digits
    longer, starting with its code) their sum within rounding, and at least one such line?"""
    checked = 0
    for code, f in lines:
        kids = [(c, k) for c, k in lines if k is not None and len(c) == len(code) + 2 and c.startswith(code)]
        if f is None or not kids:
            continue
        if cf.sum_check(f, code, kids) is not None:
            return False
        checked += 1
    return checked > 0


def _offer_three_public(
    totals: _Totals, three: Table | None, fiscal_year: int | None, kind: str, warnings: list
) -> None:
    """The 三公 table's figures, and a final accounts' 预算数 beside its 决算数, each only where the
    table's own identities hold on the reading."""
    if three is None:
        return
    reading = three_public.read(three, fiscal_year, kind)
    if reading.failed:
        # the table's own identities fail on this reading: a misreading or a table that
        # contradicts itself; its 三公 figures are not used (the prose may still state them)
        warnings.append(
            cf.Warning_(
                "unreadable_figures",
                f"{three.label} 三公经费: {'; '.join(reading.failed)}: its 三公 figures are left out",
                three.title_page,
            )
        )
    else:
        for f, fig in reading.figures.items():
            totals.offer(f, fig)
    budgeted = three_public.read_adjusted_budget(three, fiscal_year) if kind == "final_accounts" else None
    if budgeted is not None and budgeted.failed:
        warnings.append(
            cf.Warning_(
                "unreadable_figures",
                f"{three.label} 三公经费预算数: {'; '.join(budgeted.failed)}: its 预算数 are left out",
                three.title_page,
            )
        )
    elif budgeted is not None:
        for f, fig in budgeted.figures.items():
            totals.offer(f"{f}_adjusted_budget", fig)


def _three_public_read_in_part(totals: _Totals, warnings: list) -> None:
    """A 三公 table read in part (its other figures from the prose) whose figures break the 三公
    identities with the prose's: where the prose states each table figure it disagrees with as
    another figure, with which every identity holds, the table's were misread (a header cut or
    taken for rows). They are left out for the prose's (warning `unreadable_figures`); a table read
    whole is checked by its own identities (`_offer_three_public`)."""
    chosen = {f: totals.chosen[f] for f in three_public.FIELDS if f in totals.chosen}
    from_table = [f for f, fig in chosen.items() if fig.source == "table"]
    if not from_table or len(from_table) == len(chosen) or not three_public.identity_failures(chosen):
        return
    stated = {
        f: next((o for _, o in totals.others.get(f, []) if o.source == "prose"), None) for f in from_table
    }
    misread = [f for f in from_table if stated[f] is not None and stated[f].value != chosen[f].value]
    if not misread:
        return
    mended = {**chosen, **{f: stated[f] for f in misread}}
    if three_public.identity_failures(mended):
        return
    read = "; ".join(f"{field_label(f)} {chosen[f].printed or '0'}" for f in misread)
    said = "; ".join(f"{field_label(f)} {stated[f].printed}" for f in misread)
    warnings.append(
        cf.Warning_(
            "unreadable_figures",
            f"{chosen[misread[0]].table} 三公经费, read in part: {read} breaks the 三公 identities with "
            f"the prose's figures; the prose states {said}, with which they hold: the table's reading "
            "is left out",
            chosen[misread[0]].page,
        )
    )
    for f in misread:
        totals.chosen[f] = stated[f]
        totals.others[f] = [(label, o) for label, o in totals.others.get(f, []) if o is not stated[f]]


def _offer_agency_running(totals: _Totals, agency: Table | None) -> None:
    """A table of 机关运行经费: the last figure of its total row."""
    if agency is None:
        return
    row = ex.total_row(agency)
    if row is not None:
        cells = [c for c in agency.grid.rows[row] if ex.is_amount_text(c.text)]
        if cells:
            totals.offer("agency_running_cost", ex.figure(cells[-1], agency.unit, agency, "合计"))


def _offer_procurement(totals: _Totals, procurement: Table | None, prose_amounts: dict) -> list:
    """The procurement table's total (the canonical place: the expense table's column becomes a
    cross-check) and its goods / works / services, the prose's statements of those first. Returns
    the table's category lines."""
    p_lines: list = []
    if procurement is None:
        return p_lines
    p_lines, p_total = ex.procurement_rows(procurement)
    if p_total is not None:
        if (
            "procurement_total" in totals.chosen
            and totals.chosen["procurement_total"].table != procurement.label
        ):
            # the procurement table is the canonical place; the expense table column is a cross-check
            other = totals.chosen.pop("procurement_total")
            totals.offer("procurement_total", p_total)
            totals.others.setdefault("procurement_total", []).append(("", other))
        else:
            totals.offer("procurement_total", p_total)
    # goods / works / services: the prose states them most precisely; the category rows back them up
    for field in ("procurement_goods", "procurement_works", "procurement_services"):
        for pf in prose_amounts.get(field, []):
            totals.offer(field, _prose_figure(pf), "正文")
    for code, _, fig, _ in p_lines:
        field = ex.CATEGORY_FIELDS.get(code)
        if field and fig is not None:
            totals.offer(field, fig)
    return p_lines


def _reserved(field: str, sentence: str) -> bool:
    """A statement of the procurement reserved for SMEs (面向中小企业预留…预算金额)."""
    return field in ("procurement_sme", "procurement_small_micro") and "预留" in sentence


def _offer_prose(
    totals: _Totals, prose_amounts: dict, kind: str, has_procurement_table: bool, warnings: list
) -> None:
    """The prose's amounts: they fill what no table printed and cross-check the rest. A figure no
    table prints and the prose states with different values (each unit's in turn, or several scopes)
    is not the department's beyond doubt: left out, with a warning."""
    for field, pfs in list(prose_amounts.items()):
        if field not in totals.chosen and len({pf.value for pf in pfs}) > 1:
            warnings.append(
                cf.Warning_(
                    "ambiguous_prose",
                    f"正文 states {field_label(field)} {len(pfs)} times with different figures "
                    f"({', '.join(pf.printed for pf in pfs[:4])}) and no table prints it: left out",
                    pfs[0].page,
                )
            )
            del prose_amounts[field]
    staff = totals.chosen.get("staff_and_household_cost")
    if staff is not None and "personnel_expense" in prose_amounts:
        # the prose's 人员支出 stating the table's 人员经费 (301 + 303) is that figure, not 301 alone
        prose_amounts["personnel_expense"] = [
            pf for pf in prose_amounts["personnel_expense"] if Decimal(pf.value) != staff.value
        ]
    for field in list(prose_amounts):
        chosen = totals.chosen.get(field)
        if chosen is None or chosen.source == "prose":
            continue
        # a statement is evidence against a table's figure only when it states that same figure:
        # template boilerplate (收入预算0万元 beside a table that prints money) and another concept
        # under a near name (公用经费 with capital items against 302 商品和服务支出) are not
        prose_amounts[field] = [
            pf
            for pf in prose_amounts[field]
            if not (Decimal(pf.value) == 0 and chosen.value != 0)
            and _same_concept(field, pf.sentence, chosen)
        ]
    if kind == "final_accounts":
        # final accounts: a sentence on the budget (预算数) states the plan, not the 决算 figure;
        # the procurement reserved for SMEs (预留…预算金额) is the field's own figure
        prose_amounts = {
            f: kept
            for f, pfs in prose_amounts.items()
            if (kept := [pf for pf in pfs if "预算" not in pf.sentence or _reserved(f, pf.sentence)])
        }
    for field, pfs in prose_amounts.items():
        for pf in pfs:
            if has_procurement_table and field in (
                "procurement_goods",
                "procurement_works",
                "procurement_services",
            ):
                continue  # offered with the procurement table, before its category rows
            totals.offer(field, _prose_figure(pf), "正文")


def _write_document(
    rec: dict, pages: list[PageInfo], tables: list[Table], prose_lines: list, prose: Prose
) -> tuple[int | None, str | None, dict[str, list[ProseFigure]]]:
    """Who, which year and what kind of document, into the record with the prose's passages; the
    year, the kind and the amounts the prose states for the department (a unit's statements left out)."""
    cover = [ln.text for p in pages[:2] for ln in p.lines[:8]]
    titles = [t.title for t in tables]
    labelled = [t.department for t in tables if t.department]
    for ln in prose_lines[:80]:
        d = labelled_department(ln.text)
        if d:
            labelled.append(d)
    year_lines: list[str] = []
    titled: list[str] = []  # lines naming a 年度, with the next where the title wraps after 年度
    for p in pages:  # one pass: a form's 部门名称 | name cells, and lines naming a 年度
        for i, ln in enumerate(p.lines):
            d = form_department([seg.text for seg in ln.segments])
            if d:
                labelled.append(d)
            if "年度" in ln.text:
                year_lines.append(ln.text)
                wraps = ln.text.rstrip().endswith("年度") and i + 1 < len(p.lines)
                titled.append(ln.text + p.lines[i + 1].text if wraps else ln.text)
    department = department_of(labelled, cover, titled, "\n".join(ln.text for ln in prose_lines))
    # the year and the kind are words, read where a sentence prints something unread too
    fiscal_year = fiscal_year_of(cover, titles, prose.printed, "".join(year_lines))
    kind = kind_of(cover, titles, prose.printed)
    prose_amounts = read_all_amounts(prose, fiscal_year)
    units = ex.units_named(tables)
    scoped = unit_scoped_spans(prose.text, units, department)
    rec["passages"] = share_passages(prose, scoped)
    if scoped:
        # statements about a unit of the department are not statements of the department's figures
        prose_amounts = {
            f: kept
            for f, pfs in prose_amounts.items()
            if (kept := [pf for pf in pfs if not any(a <= pf.start < b for a, b in scoped)])
        }
    rec["document"] = {
        "jurisdiction": jurisdiction_of(department) or _jurisdiction_from_cover(cover),
        "department": department,
        "fiscal_year": fiscal_year,
        "kind": kind,
        "scope": scope_of(cover, titled),
        "template": template_of([(t.kind, t.number, t.title) for t in tables]),
    }
    return fiscal_year, kind, prose_amounts


def _write_lines(
    rec: dict,
    f_lines: list[ex.Line],
    econ_lines: list,
    p_lines: list,
    project_table: Table | None,
    project_lines: list[tuple[str, ex.Figure | None, int]],
    perf: Table | None,
    prose: Prose,
    project_expense: ex.Figure | None,
) -> list:
    """The function, economic, project and procurement lines and the performance targets into the
    record; the warnings of lines left out."""
    warnings: list = []
    for i, ln in enumerate(f_lines):
        entry = {"code": ln.code, "name": ln.name, "level": ln.level}
        for role in ("total", "basic", "project"):
            fig = ln.values.get(role)
            entry[role] = format_yuan(fig.value) if fig is not None else None
            if fig is not None and fig.page is not None:
                rec["provenance"][f"function_lines[{i}].{role}"] = _prov(fig)
        rec["function_lines"].append(entry)
    rec["economic_lines"] = [
        {"code": code, "name": nm, "amount": format_yuan(f.value) if f is not None else None}
        for code, nm, f, _ in econ_lines
    ]
    project_figs: list[tuple[str, ex.Figure | None]] = [(nm, f) for nm, f, _ in project_lines]
    if not project_figs:
        # no project table: the numbered 项目支出 list of the prose
        project_figs = [(p.field, _prose_figure(p)) for p in read_projects(prose)]
    failed = _projects_fail(project_figs, project_expense)
    if failed:
        # the projects read do not add up to the project expenditure: a partial or mis-read list
        warnings.append(
            cf.Warning_(
                "unreadable_figures",
                f"{project_table.label if project_table is not None else '正文'} 项目: {failed}: the project lines are left out",
                project_table.title_page if project_table is not None else None,
            )
        )
        project_figs = []
    rec["projects"] = [
        {"name": nm, "amount": format_yuan(f.value) if f is not None else None} for nm, f in project_figs
    ]
    rec["procurement_lines"] = [
        {"category_code": code, "category": nm, "amount": format_yuan(f.value) if f is not None else None}
        for code, nm, f, _ in p_lines
    ]
    if perf is not None:
        targets = performance_rows(perf)
        if targets and all(t["target"] is None for t in targets):
            # no row's target read apart from its indicator: the columns ran together (a target
            # inside the indicator's name, "空气监测站正=5座常运转数量"); left out, not garbled
            warnings.append(
                cf.Warning_(
                    "unreadable_figures",
                    f"{perf.label}: no indicator's target value could be read apart from its name: "
                    "the performance targets are left out",
                    perf.title_page,
                )
            )
            targets = []
        rec["performance_targets"] = targets
    return warnings


def _table_warnings(tables: list[Table], fiscal_year: int | None) -> list:
    """What the tables themselves say is off: no unit we know, a note saying empty above figures, a
    title naming another year."""
    out = []
    for t in tables:
        if t.unit_from:
            out.append(
                cf.Warning_(
                    "unknown_unit",
                    f"{t.label} prints no unit we recognise: its figures are read in {t.unit}, the unit "
                    f"the prose gives the same figures ({t.unit_from})",
                    t.title_page,
                )
            )
        elif t.unit is None and not t.empty and t.kind in TABLE_KINDS:
            out.append(
                cf.Warning_(
                    "unknown_unit",
                    f"{t.label} prints no unit we recognise, nor does the prose state its figures: "
                    "its figures are left out",
                    t.title_page,
                )
            )
        if t.empty_note and not t.empty:
            out.append(
                cf.Warning_(
                    "empty_note_mismatch",
                    f"{t.label} prints figures although its note says the table is empty",
                    t.title_page,
                )
            )
        title_years = {int(y) for y in re.findall(r"(20\d\d)年", key(t.title))}
        if fiscal_year is not None and title_years and fiscal_year not in title_years:
            out.append(
                cf.Warning_(
                    "fiscal_year_mismatch",
                    f"{t.label} title names {', '.join(map(str, sorted(title_years)))}, the document is {fiscal_year}",
                    t.title_page,
                )
            )
    return out


def _write_figures(rec: dict, totals: _Totals, prose_counts: dict[str, ProseFigure]) -> None:
    """The chosen totals and the prose's counts into the record, each with where it was printed."""
    for f in TOTALS_FIELDS:
        fig = totals.chosen.get(f)
        if fig is not None:
            rec["totals"][f] = format_yuan(fig.value)
            rec["provenance"][f"totals.{f}"] = _prov(fig)
    for f in HEADCOUNT_FIELDS:
        pf = prose_counts.get(f)
        if pf is not None:
            rec["headcount"][f] = int(pf.value)
            rec["provenance"][f"headcount.{f}"] = {"page": pf.page, "bbox": list(pf.bbox), "source": "prose"}
    hc = rec["headcount"]
    if hc["retirees_total"] is None and hc["veteran_retirees"] is not None and hc["retirees"] is not None:
        # 离退休 = 离休 + 退休 when both are stated (GLOSSARY: "printed together or both known")
        hc["retirees_total"] = hc["veteran_retirees"] + hc["retirees"]
        a, b = prose_counts["veteran_retirees"], prose_counts["retirees"]
        box = [
            min(a.bbox[0], b.bbox[0]),
            min(a.bbox[1], b.bbox[1]),
            max(a.bbox[2], b.bbox[2]),
            max(a.bbox[3], b.bbox[3]),
        ]
        rec["provenance"]["headcount.retirees_total"] = {
            "page": a.page,
            "bbox": box if a.page == b.page else list(a.bbox),
            "source": "prose",
        }


def _table_entries(tables: list[Table]) -> list[dict]:
    """Every standard table as the record lists it (docs/record.md, "tables")."""
    out = []
    for t in tables:
        if t.kind not in TABLE_KINDS:
            continue
        entry = {
            "kind": t.kind,
            "title": t.title,
            "unit": t.unit,
            "pages": t.pages,
            "header": [[c.text for c in row] for row in t.grid.header],
            "rows": [[c.text for c in row] for row in t.grid.rows],
            "boxes": [
                [[round(v, 2) for v in c.box] if c.box and c.text else None for c in row]
                for row in t.grid.rows
            ],
            "empty": t.empty,
        }
        if t.number:
            entry["number"] = t.number
        out.append(entry)
    return out


def _missing_tables(template: str | None, tables: list[Table]) -> list:
    """A warning for each standard table of the recognised layout family that the document lacks."""
    if not template:
        return []
    found = {t.kind for t in tables}
    return [
        cf.Warning_(
            "missing_table", f"the {template} layout has a {k} table; this document prints none", None
        )
        for k in TEMPLATE_TABLES[template]
        if k not in found
    ]


# The words that name each concept a field may be printed under: a prose sentence and a table
# figure are the same figure only when they name the same concept.
_CONCEPT_WORDS = {
    "operating_expense": (("公用经费", "公用支出"), ("商品和服务", "302")),
    "personnel_expense": (("人员支出", "工资福利", "301"), ("人员经费",)),
}


def _same_concept(field: str, sentence: str, chosen: ex.Figure) -> bool:
    groups = _CONCEPT_WORDS.get(field)
    if not groups:
        return True
    said = key(sentence)
    printed = key(f"{chosen.label}")
    for group in groups:
        if any(w in said for w in group):
            return any(w in printed for w in group) or not any(
                w in printed for g in groups if g is not group for w in g
            )
    return True


def _projects_fail(projects: list[tuple[str, ex.Figure | None]], total: ex.Figure | None) -> str | None:
    """Why the project lines cannot be trusted (their sum is not the project expenditure beyond the
    printed rounding), or None. Without a project total there is nothing to check them against."""
    figs = [f for _, f in projects if f is not None]
    if not figs or total is None:
        return None
    s = sum((f.value for f in figs), Decimal(0))
    tol = cf.reach(total) + sum((cf.slack(f) for f in figs), Decimal(0))
    if abs(s - total.value) <= tol:
        return None
    return f"Σ {len(figs)} projects {format_yuan(s)} ≠ 项目支出 {total.printed or format_yuan(total.value)}"


def _project_table(tables: list[Table]) -> tuple[Table | None, list[tuple[str, ex.Figure | None, int]]]:
    """The first project-expense table that lists projects (a 项目支出 table by economic class
    lists none) and its project rows, else the first table and none."""
    for t in tables:
        rows = ex.project_rows(t)
        if rows:
            return t, rows
    return (tables[0] if tables else None), []


def _class_totals(lines: list) -> dict[str, ex.Figure]:
    """Economic 类 figures by code; a 类 printed in several rows with different figures (partial
    rows by another classification beside it) has no single total in the table: left out."""
    seen: dict[str, list[ex.Figure]] = {}
    for code, _, f, _ in lines:
        if len(code) == 3 and f is not None:
            seen.setdefault(code, []).append(f)
    return {code: fs[0] for code, fs in seen.items() if len({f.value for f in fs}) == 1}


def _all_general_budget(totals: _Totals) -> bool:
    """Is all income general-budget appropriation (no other funds, no carry-over)?"""
    c = totals.chosen
    inc, gba = c.get("income_total"), c.get("general_budget_appropriation")
    carry_in, carry_out = c.get("carryover_in"), c.get("carryover_out")
    return (
        inc is not None
        and gba is not None
        and inc.value == gba.value
        and (carry_in is None or carry_in.value == 0)
        and (carry_out is None or carry_out.value == 0)
    )


def _offer_basic_by_parts(totals: _Totals, expense, function, f_totals) -> None:
    """An expense table that prints the basic expenditure only as its parts (基本支出 over 人员支出 |
    公用支出): the function table's 基本支出 is all of it when it is exactly their sum."""
    basic = f_totals.get("basic") if function is not None else None
    if expense is None or basic is None or "basic_expense" in totals.chosen:
        return
    parts = ex.basic_parts(expense)
    if parts and sum(f.value for f in parts) == basic.value:
        totals.offer("basic_expense", basic, function.label)


def _offer_repeats(totals: _Totals, expense, exp_figs, appro, function, f_totals) -> None:
    _offer_basic_by_parts(totals, expense, function, f_totals)
    if not _all_general_budget(totals):
        return
    if exp_figs.get("total") is not None:
        totals.offer("expense_total", exp_figs["total"], "支出总表")
    if appro is not None:
        af = ex.summary_figures(appro)
        for f in ("income_total", "expense_total"):
            totals.offer(f, af.get(f), "财政拨款收支总表")
    if function is not None:
        for role, field in (
            ("total", "expense_total"),
            ("basic", "basic_expense"),
            ("project", "project_expense"),
        ):
            totals.offer(field, f_totals.get(role), function.label)


def _obs(field: str, fig: ex.Figure, canonical: bool) -> dict | None:
    if fig.page is None or fig.bbox is None:
        return None
    return {
        "field": field,
        "where": fig.where or ("prose" if fig.source == "prose" else ""),
        "label": fig.label,
        "printed": fig.printed,
        "unit": fig.unit,
        "value": format_yuan(fig.value),
        "canonical": canonical,
        "page": fig.page,
        "bbox": list(fig.bbox),
    }


def _observations(
    totals: _Totals, counts, headcount, f_lines, f_totals, function, tables, fiscal_year
) -> list[dict]:
    """Every printing of a figure that was read (docs/record.md, observations)."""
    out: list[dict | None] = []
    for field in TOTALS_FIELDS:
        if field in totals.chosen:
            out.append(_obs(f"totals.{field}", totals.chosen[field], True))
        for _, other in totals.others.get(field, []):
            out.append(_obs(f"totals.{field}", other, False))
    for field, pf in counts.items():
        if headcount.get(field) == pf.value:
            out.append(
                {
                    "field": f"headcount.{field}",
                    "where": "prose",
                    "label": pf.sentence,
                    "printed": pf.number,
                    "unit": None,
                    "value": int(pf.value),
                    "canonical": True,
                    "page": pf.page,
                    "bbox": list(pf.bbox),
                }
            )
    for ln in f_lines:
        fig = ln.values.get("total")
        if fig is not None:
            out.append(_obs(f"function:{ln.code}", fig, True))
    if function is not None:
        for role, fig in f_totals.items():
            if role in ("total", "basic", "project"):
                out.append(_obs(f"table_total:{function.kind}.{role}", fig, True))
        out.extend(_function_repeats(f_lines, tables))
    for t in tables:
        if (
            t.kind in ("expense", "project_expense", "procurement", "basic_expense", "basic_by_economic")
            and not t.empty
        ):
            row = ex.total_row(t)
            if row is None:
                continue
            roles = ex.column_roles(
                t,
                {
                    "leaf:total": (("合计", "总计", "金额", "小计"), ("政府采购",)),
                    "leaf:basic": (("基本支出",), ()),
                    "leaf:project": (("项目支出",), ("政府采购",)),
                },
            )
            for role, j in roles.items():
                fig = ex.figure(t.grid.rows[row][j], t.unit, t, ex.header_label(t, j))
                if fig is not None:
                    out.append(_obs(f"table_total:{t.kind}.{role}", fig, True))
    return [o for o in out if o is not None]


def _function_repeats(f_lines: list[ex.Line], tables: list[Table]) -> list[dict | None]:
    """Function-line totals printed again in the summary tables' expenditure rows (matched by name, in order)."""
    out: list[dict | None] = []
    for t in tables:
        if t.kind not in ("summary", "appropriation_summary") or not f_lines:
            continue
        k = 0
        for label_key, cell, _, text in ex.labelled_values(t):
            for j in range(k, len(f_lines)):
                if ex.row_key(f_lines[j].name) == label_key:
                    fig = ex.figure(cell, t.unit, t, text)
                    if fig is not None:
                        out.append(_obs(f"function:{f_lines[j].code}", fig, False))
                    k = j + 1
                    break
    return out


_FUNCTION_CODED = (
    "general_budget_by_function",
    "income",
    "expense",
    "gov_fund",
    "state_capital",
    "transfer_payment",
    "appropriation_by_function",
)


def _local_codes(tables: list[Table]) -> dict[str, dict[str, str]]:
    """Function codes the document itself prints next to names (in any function-classified table)."""
    from budgetlens.parse.classification import local_codes

    pairs = []
    for t in tables:
        if t.kind in _FUNCTION_CODED:
            pairs.extend((cr.code, cr.name) for cr in ex.coded_rows(t) if cr.code and cr.name)
    return local_codes(pairs)


def _decimals(t: Table) -> int:
    """The most decimals any figure of the table's body is printed with."""
    from budgetlens.amounts import printed_precision

    ds = [printed_precision(c.text) for row in t.grid.rows for c in row if ex.is_amount_text(c.text)]
    return max(ds, default=0)


def _prov(fig: ex.Figure) -> dict:
    return {
        "page": fig.page,
        "bbox": list(fig.bbox) if fig.bbox else [0.0, 0.0, 0.0, 0.0],
        "source": fig.source,
    }


def _dedupe(warnings: list) -> list:
    seen = set()
    out = []
    for w in warnings:
        k = (w.code, w.message)
        if k not in seen:
            seen.add(k)
            out.append(w)
    return out


def _jurisdiction_from_cover(cover: list[str]) -> str | None:
    for line in cover:
        k = key(line)
        m = re.match(r"^(.{2,12}?(?:区|县|市|省))(?:20\d\d年)", k)
        if m:
            return m.group(1)
    return None


def _table_line_ids(tables: list[Table], pages: list[PageInfo]) -> set[int]:
    """Ids of the lines that belong to tables (title, meta, body, notes): everything else is prose."""
    ids: set[int] = set()
    for t in tables:
        ids.update(t.line_ids)
    return ids
