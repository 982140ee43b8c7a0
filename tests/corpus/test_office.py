"""Producer 3 (the office suite): the flat OpenDocument the corpus hands to LibreOffice."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from corpus.model import Cell, Document, Heading, Para, Section, Table
from corpus.pdf_office import document_fodt

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def _doc() -> Document:
    header = [
        [Cell("项目", rowspan=2), Cell("2022 年预算", colspan=2)],
        [None, Cell("基本支出"), Cell("项目支出")],
    ]
    table = Table(
        title="支出总表",
        header=header,
        rows=[["合计", "952", "1,627"], ["<科技> & 创新", "0", "48"]],
        widths=[3, 1, 1],
        align=["L", "R", "R"],
        number="表 3",
        dept_line="部门名称：深圳市罗湖区科技创新局",
        unit_line="单位：万元",
        notes=["注：本表金额单位转换时可能存在尾数误差。"],
    )
    return Document(title="t", sections=[Section([Heading("第一部分", 1), Para("正文。"), table])])


def test_the_document_is_well_formed_odf_with_merged_header_cells():
    root = ET.fromstring(document_fodt(_doc(), "WenQuanYi Zen Hei"))
    (table,) = root.iter(f"{{{NS['table']}}}table")
    header = table.find("table:table-header-rows", NS)
    assert header is not None and len(header.findall("table:table-row", NS)) == 2
    first = header.findall("table:table-row/table:table-cell", NS)[0]
    assert first.get(f"{{{NS['table']}}}number-rows-spanned") == "2"
    assert len(header.findall("table:table-row/table:covered-table-cell", NS)) == 1
    body = table.findall("table:table-row", NS)
    assert [c.findtext("text:p", namespaces=NS) for c in body[1]] == ["<科技> & 创新", "0", "48"]
    texts = ["".join(p.itertext()) for p in root.iter(f"{{{NS['text']}}}p")]
    assert "表 3" in texts and "支出总表" in texts and "注：本表金额单位转换时可能存在尾数误差。" in texts
    assert any(t.startswith("部门名称：") and t.endswith("单位：万元") for t in texts)
