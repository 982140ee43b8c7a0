"""Small budget PDFs drawn with reportlab for the parser tests (crafted variations and bad inputs).

Deterministic (reportlab invariant mode). Uses the system CJK font WenQuanYi Zen Hei; tests skip
with a stated reason when it is absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT = "WQYZenHei"


def font_available() -> bool:
    return FONT_PATH.is_file()


def _register() -> None:
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    rl_config.invariant = 1
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))


@dataclass
class Doc:
    """A one-department budget: a cover, a text page, a summary table and a function table."""

    department: str = "深圳市罗湖区科技创新局"
    year: int = 2022
    kind_word: str = "部门预算"
    title: str = "收支总表"
    unit: str = "万元"
    income: list[tuple[str, str]] = field(
        default_factory=lambda: [
            ("一、政府预算拨款", "2,579"),
            ("1. 一般公共预算拨款", "2,579"),
            ("2. 政府性基金预算拨款", "0"),
            ("3. 国有资本经营预算拨款", "0"),
            ("本年收入合计", "2,579"),
            ("上年结余、结转", "0"),
            ("收入总计", "2,579"),
        ]
    )
    expense: list[tuple[str, str]] = field(
        default_factory=lambda: [
            ("一、一般公共服务支出", "600"),
            ("二、科学技术支出", "1,979"),
            ("", ""),
            ("", ""),
            ("本年支出合计", "2,579"),
            ("结转下年", "0"),
            ("支出总计", "2,579"),
        ]
    )
    functions: list[tuple[str, str, str, str, str]] = field(
        default_factory=lambda: [
            ("201", "一般公共服务支出", "600", "0", "600"),
            ("20132", "组织事务", "600", "0", "600"),
            ("2013299", "其他组织事务支出", "600", "0", "600"),
            ("206", "科学技术支出", "1,979", "952", "1,027"),
            ("20601", "科学技术管理事务", "1,979", "952", "1,027"),
            ("2060101", "行政运行", "952", "952", "0"),
            ("2060102", "一般行政管理事务", "1,027", "0", "1,027"),
        ]
    )
    prose: str = (
        "深圳市罗湖区科技创新局下设办公室、科协办，共 2 个部门。行政编制总数 12 人，实有在编人数 11 人；"
        "离休 0 人，退休 7 人。2022 年部门预算收入 2,579 万元。"
    )
    fake_bold: bool = False  # draw every glyph of the titles twice, 0.4 pt apart
    spaced_title: bool = False  # "收 支 总 表"
    rotate: bool = False  # the table pages stored as rotated portrait pages (/Rotate 90)
    ruled: bool = True


def render(doc: Doc, out: Path, *, encrypt_user: str | None = None, encrypt_owner: str | None = None) -> Path:
    """Write `doc` as a PDF at `out`."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register()
    encrypt = None
    if encrypt_user is not None or encrypt_owner is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(encrypt_user or "", encrypt_owner or "owner", strength=128)
    c = canvas.Canvas(str(out), pagesize=A4, encrypt=encrypt, invariant=1)
    w, h = A4
    # cover
    _text(c, w / 2 - 150, h - 250, f"{doc.year} 年{doc.department}{doc.kind_word}", 20, bold=doc.fake_bold)
    c.showPage()
    # text part
    y = h - 80
    _text(c, 60, y, "第一部分 部门概况", 14)
    y -= 30
    line = ""
    for ch in doc.prose:
        line += ch
        if len(line) >= 36:
            _text(c, 60, y, line, 10)
            y -= 16
            line = ""
    if line:
        _text(c, 60, y, line, 10)
    c.showPage()
    # tables
    _table_page(
        c,
        doc,
        "表1",
        doc.title,
        ["项目", f"{doc.year} 年预算数", "项目", f"{doc.year} 年预算数"],
        [[a, b, e, f] for (a, b), (e, f) in zip(doc.income, doc.expense, strict=True)],
        [170, 80, 170, 80],
    )
    _table_page(
        c,
        doc,
        "表7",
        "一般公共预算支出表（按功能分类）",
        ["科目编码", "科目名称", "支出总计", "基本支出", "项目支出"],
        [list(r) for r in doc.functions],
        [70, 170, 80, 80, 80],
    )
    c.save()
    return out


def _text(c, x: float, y: float, s: str, size: float, *, bold: bool = False) -> None:
    c.setFont(FONT, size)
    c.drawString(x, y, s)
    if bold:
        c.drawString(x + 0.4, y, s)


def _table_page(
    c, doc: Doc, number: str, title: str, header: list[str], rows: list[list[str]], widths: list[float]
) -> None:
    from reportlab.lib.pagesizes import A4

    w, h = A4
    if doc.rotate:
        # a landscape table stored as a portrait page turned by /Rotate 90: draw in the rotated frame.
        # reportlab writes a rotated page's media box with its size swapped: ask for the landscape
        # size so the page stored is portrait and the page shown landscape, the table inside it
        c.setPageSize((h, w))
        c.setPageRotation(90)
        c.saveState()
        c.translate(w, 0)
        c.rotate(90)
        pw, ph = h, w
    else:
        pw, ph = w, h
    shown = " ".join(title) if doc.spaced_title else title
    _text(c, 60, ph - 60, number, 10)
    _text(c, pw / 2 - 8 * len(shown) / 2 * 1.6, ph - 85, shown, 16, bold=doc.fake_bold)
    _text(c, 60, ph - 110, f"部门名称：{doc.department}", 10)
    _text(c, pw - 140, ph - 110, f"单位：{doc.unit}", 10)
    x0, y = 60.0, ph - 130
    row_h = 18.0
    xs = [x0]
    for wd in widths:
        xs.append(xs[-1] + wd)
    for r, row in enumerate([header, *rows]):
        top = y - r * row_h
        for j, cell in enumerate(row):
            if not cell:
                continue
            numeric = r > 0 and cell.replace(",", "").replace(".", "").isdigit() and j >= len(row) - 3
            size = 9
            if numeric:
                c.setFont(FONT, size)
                c.drawRightString(xs[j + 1] - 4, top - 13, cell)
            else:
                _text(c, xs[j] + 4, top - 13, cell, size)
        if doc.ruled:
            c.line(xs[0], top, xs[-1], top)
    bottom = y - (len(rows) + 1) * row_h
    if doc.ruled:
        c.line(xs[0], bottom, xs[-1], bottom)
        for x in xs:
            c.line(x, y, x, bottom)
    if doc.rotate:
        c.restoreState()
    c.showPage()


def image_only_pdf(out: Path) -> Path:
    """A 'scanned' document: one page holding only an image, no text layer."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("RGB", (200, 100), (230, 230, 230))
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.drawImage(ImageReader(img), 100, 500, 300, 150)
    c.showPage()
    c.save()
    return out


def cid_pdf(out: Path) -> Path:
    """Text in a font whose /ToUnicode maps were blanked: it extracts as (cid:NNN) / stray codes."""
    import re

    from reportlab.pdfgen import canvas

    _register()
    c = canvas.Canvas(str(out), invariant=1, pageCompression=0)
    for _ in range(2):
        c.setFont(FONT, 12)
        for i in range(20):
            c.drawString(60, 780 - 18 * i, "深圳市罗湖区科技创新局部门预算收支总表一般公共预算")
        c.showPage()
    c.save()
    data = out.read_bytes()
    data = re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)), data)
    out.write_bytes(data)
    return out
