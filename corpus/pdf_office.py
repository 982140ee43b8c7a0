"""Producer 3: the same `Document` as an OpenDocument text (flat XML, .fodt), exported to PDF by
the office suite most budget offices use (LibreOffice, headless: `soffice --convert-to pdf`).

Tables are Writer tables (ruled cells, merged header cells, header rows repeated on each page),
the text flows as the office suite sets it, each table starts a page (landscape tables on a
landscape page style). Asian/Western autospacing is off: the extra gap it sets between a Latin
letter and a Han character ("C类") would read as a space that the truth does not hold. Each conversion uses a user profile of its own, so conversions may run in
parallel. The PDF's dates are pinned (same length) so the output is reproducible.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from corpus.fonts import font_spec
from corpus.model import Cell, Document, Heading, PageBreak, Para, Rendered, Table
from corpus.pdf_chromium import page_count, pin_dates

CONVERT_TIMEOUT_S = 180
_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
)
_PORTRAIT_WIDTH_CM = 21.0 - 2 * 1.76
_LANDSCAPE_WIDTH_CM = 29.7 - 2 * 1.76


def soffice_path() -> Path | None:
    """The office suite's command (LibreOffice `soffice`), or None when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return Path(found) if found else None


def _e(text: str) -> str:
    return escape(text)


def _styles(family: str, tables: list[Table]) -> str:
    cols = []
    for n, t in enumerate(tables):
        width = _LANDSCAPE_WIDTH_CM if t.orientation != "portrait" else _PORTRAIT_WIDTH_CM
        total = sum(t.widths)
        cols.append(
            f'<style:style style:name="T{n}" style:family="table"><style:table-properties '
            f'style:width="{width:.2f}cm" table:align="center"/></style:style>'
        )
        for j, w in enumerate(t.widths):
            cols.append(
                f'<style:style style:name="T{n}C{j}" style:family="table-column"><style:table-column-properties '
                f'style:column-width="{width * w / total:.3f}cm"/></style:style>'
            )
    size = 9
    return f"""
<office:font-face-decls><style:font-face style:name="CJK" svg:font-family="'{_e(family)}'"/></office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph"><style:paragraph-properties fo:line-height="150%"
  style:text-autospace="none"/>
  <style:text-properties style:font-name="CJK" style:font-name-asian="CJK" fo:font-size="10.5pt"
   style:font-size-asian="10.5pt" fo:language="zh" fo:country="CN"/></style:default-style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="PP"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
  style:print-orientation="portrait" fo:margin="1.76cm"/></style:page-layout>
 <style:page-layout style:name="PL"><style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm"
  style:print-orientation="landscape" fo:margin="1.76cm"/></style:page-layout>
 <style:style style:name="P" style:family="paragraph"><style:paragraph-properties fo:text-indent="0.74cm"
  fo:margin-bottom="0.1cm"/></style:style>
 <style:style style:name="Pflat" style:family="paragraph"/>
 <style:style style:name="Pc" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/></style:style>
 <style:style style:name="H0" style:family="paragraph"><style:paragraph-properties fo:text-align="center"
  fo:margin-top="7cm" fo:margin-bottom="1cm"/><style:text-properties fo:font-size="22pt" style:font-size-asian="22pt"/></style:style>
 <style:style style:name="H1" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.2cm"
  fo:margin-bottom="0.2cm"/><style:text-properties fo:font-size="15pt" style:font-size-asian="15pt"/></style:style>
 <style:style style:name="H1c" style:family="paragraph" style:parent-style-name="H1"><style:paragraph-properties
  fo:text-align="center"/></style:style>
 <style:style style:name="H2" style:family="paragraph"><style:text-properties fo:font-size="12.5pt"
  style:font-size-asian="12.5pt"/></style:style>
 <style:style style:name="H3" style:family="paragraph"><style:text-properties fo:font-size="11pt"
  style:font-size-asian="11pt"/></style:style>
 <style:style style:name="Brk" style:family="paragraph" style:master-page-name="Portrait"><style:paragraph-properties
  fo:break-before="page"/></style:style>
 <style:style style:name="BrkL" style:family="paragraph" style:master-page-name="Landscape"/>
 <style:style style:name="Num" style:family="paragraph"><style:text-properties fo:font-size="9.5pt"
  style:font-size-asian="9.5pt"/></style:style>
 <style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center"
  fo:margin-bottom="0.2cm"/><style:text-properties fo:font-size="15pt" style:font-size-asian="15pt"/></style:style>
 <style:style style:name="Meta" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.1cm">
  <style:tab-stops><style:tab-stop style:position="{_LANDSCAPE_WIDTH_CM:.2f}cm" style:type="right"/></style:tab-stops>
  </style:paragraph-properties><style:text-properties fo:font-size="9.5pt" style:font-size-asian="9.5pt"/></style:style>
 <style:style style:name="MetaP" style:family="paragraph" style:parent-style-name="Meta"><style:paragraph-properties>
  <style:tab-stops><style:tab-stop style:position="{_PORTRAIT_WIDTH_CM:.2f}cm" style:type="right"/></style:tab-stops>
  </style:paragraph-properties></style:style>
 <style:style style:name="Note" style:family="paragraph"><style:text-properties fo:font-size="9.5pt"
  style:font-size-asian="9.5pt"/></style:style>
 <style:style style:name="cL" style:family="paragraph"><style:paragraph-properties fo:line-height="115%"/>
  <style:text-properties fo:font-size="{size}pt" style:font-size-asian="{size}pt"/></style:style>
 <style:style style:name="cC" style:family="paragraph" style:parent-style-name="cL"><style:paragraph-properties
  fo:text-align="center"/></style:style>
 <style:style style:name="cR" style:family="paragraph" style:parent-style-name="cL"><style:paragraph-properties
  fo:text-align="end"/></style:style>
 {"".join(_INDENT_STYLE.format(n=n, pt=n * size) for n in range(1, 4))}
 <style:style style:name="grid" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000"
  fo:padding="0.06cm" style:vertical-align="middle"/></style:style>
 <style:style style:name="open" style:family="table-cell"><style:table-cell-properties fo:border="none"
  fo:padding="0.06cm" style:vertical-align="middle"/></style:style>
 <style:style style:name="hline" style:family="table-cell"><style:table-cell-properties fo:border="none"
  fo:border-bottom="0.5pt solid #000000" fo:padding="0.06cm" style:vertical-align="middle"/></style:style>
 {"".join(cols)}
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Portrait" style:page-layout-name="PP"/>
 <style:master-page style:name="Landscape" style:page-layout-name="PL"/>
</office:master-styles>"""


_INDENT_STYLE = (
    '<style:style style:name="cLi{n}" style:family="paragraph" style:parent-style-name="cL">'
    '<style:paragraph-properties fo:margin-left="{pt}pt"/></style:style>'
)


def _cell(text: str, align: str, style: str, colspan: int = 1, rowspan: int = 1) -> str:
    span = (f' table:number-columns-spanned="{colspan}"' if colspan > 1 else "") + (
        f' table:number-rows-spanned="{rowspan}"' if rowspan > 1 else ""
    )
    para = (
        f'<text:p text:style-name="c{align}">{_e(text)}</text:p>'
        if text
        else f'<text:p text:style-name="c{align}"/>'
    )
    return f'<table:table-cell table:style-name="{style}" office:value-type="string"{span}>{para}</table:table-cell>'


def _table(t: Table, n: int) -> str:
    style = {"grid": "grid", "hrules": "hline", "none": "open"}[t.rules]
    cols = "".join(f'<table:table-column table:style-name="T{n}C{j}"/>' for j in range(t.ncols))
    header = []
    for row in t.header:
        cells = []
        for cell in row:
            if cell is None:
                cells.append("<table:covered-table-cell/>")
            else:
                assert isinstance(cell, Cell)
                cells.append(_cell(cell.text, "C", style, cell.colspan, cell.rowspan))
        header.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    spans = {(r, c0): c1 for r, c0, c1 in t.spans}
    body = []
    for r, row in enumerate(t.rows):
        cells, skip = [], -1
        for c, text in enumerate(row):
            if c <= skip:
                cells.append("<table:covered-table-cell/>")
                continue
            c1 = spans.get((r, c))
            level = min(t.indents.get((r, c), 0), 3)
            align = f"Li{level}" if level and t.align[c] == "L" else t.align[c]
            cells.append(_cell(text, align, style, (c1 - c + 1) if c1 is not None else 1))
            if c1 is not None:
                skip = c1
        body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    head = "".join(header)
    if head and t.repeat_header:
        head = f"<table:table-header-rows>{head}</table:table-header-rows>"
    return f'<table:table table:name="T{n}" table:style-name="T{n}">{cols}{head}{"".join(body)}</table:table>'


def document_fodt(doc: Document, family: str) -> str:
    """The whole document as one flat OpenDocument text."""
    tables = [b for s in doc.sections for b in s.blocks if isinstance(b, Table)]
    out: list[str] = []
    pending_break = False
    landscape = False
    n = 0
    for s_index, section in enumerate(doc.sections):
        pending_break = pending_break or s_index > 0
        for block in section.blocks:
            if isinstance(block, PageBreak):
                pending_break = True
                continue
            if isinstance(block, Table) and not block.inline:
                land = block.orientation != "portrait"
                first = "BrkL" if land else ("Brk" if (out or landscape) else "Pflat")
                landscape = land
                meta_style = "Meta" if land else "MetaP"
                parts = []
                if block.number:
                    parts.append(f'<text:p text:style-name="{first}">{_e(block.number)}</text:p>')
                    first = "Num"
                title = " ".join(block.title) if block.title_spaced else block.title
                parts.append(
                    f'<text:p text:style-name="{first if first != "Num" else "Title"}">{_e(title)}</text:p>'
                )
                if block.dept_line or block.unit_line:
                    parts.append(
                        f'<text:p text:style-name="{meta_style}">{_e(block.dept_line or "")}<text:tab/>'
                        f"{_e(block.unit_line or '')}</text:p>"
                    )
                parts.append(_table(block, n))
                parts += [f'<text:p text:style-name="Note">{_e(x)}</text:p>' for x in block.notes]
                out.extend(parts)
                n += 1
                pending_break = True
                continue
            if pending_break or landscape:
                style = "Brk"
                landscape = False
            else:
                style = None
            pending_break = False
            if isinstance(block, Table):  # inline: part of the prose flow
                out.append(f'<text:p text:style-name="{style or "Pflat"}"/>' + _table(block, n))
                n += 1
            elif isinstance(block, Heading):
                name = (
                    "H0"
                    if block.level == 0
                    else ("H1c" if block.center else f"H{min(max(block.level, 1), 3)}")
                )
                if style:
                    out.append(f'<text:p text:style-name="{style}"/>')
                out.append(f'<text:p text:style-name="{name}">{_e(block.text)}</text:p>')
            elif isinstance(block, Para):
                name = "Pc" if block.center else ("P" if block.indent else "Pflat")
                if style:
                    out.append(f'<text:p text:style-name="{style}"/>')
                out.append(f'<text:p text:style-name="{name}">{_e(block.text)}</text:p>')
    body = "".join(out)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {_NS} office:version="1.2" '
        f'office:mimetype="application/vnd.oasis.opendocument.text">{_styles(family, tables)}'
        f"<office:body><office:text>{body}</office:text></office:body></office:document>"
    )


def convert(fodt: str, out: Path) -> bytes:
    """Export the flat document to PDF with the office suite (a profile of its own); the PDF bytes."""
    exe = soffice_path()
    if exe is None:
        raise RuntimeError("the office suite is not installed (apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="budgetlens-office-") as tmp:
        src = Path(tmp) / f"{out.stem}.fodt"
        src.write_text(fodt, encoding="utf-8")
        profile = (Path(tmp) / "profile").as_uri()
        run = subprocess.run(
            [
                str(exe),
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(src),
            ],
            capture_output=True,
            text=True,
            timeout=CONVERT_TIMEOUT_S,
            check=False,
        )
        pdf = Path(tmp) / f"{out.stem}.pdf"
        if run.returncode != 0 or not pdf.is_file():
            raise RuntimeError(f"the office suite did not convert {out.name}: {run.stderr.strip()[-500:]}")
        return pin_dates(pdf.read_bytes())


def render_office(doc: Document, out: Path, font: str) -> Rendered:
    """Export `doc` to `out` through the office suite in `font` (a corpus font name)."""
    if len(doc.sections) != 1:
        raise ValueError("the office suite renders one department per document (compilations use reportlab)")
    data = convert(document_fodt(doc, font_spec(font).css_family), out)
    out.write_bytes(data)
    pages = page_count(data)
    return Rendered(pages=pages, section_pages=[(1, pages)])
