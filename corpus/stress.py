"""Real documents made harder: the same PDF with its table rules taken away.

Some publishers print their tables without rules (borderless Word tables, PDF printers that drop
thin lines). `without_rules` removes every vector path from every page of a PDF and keeps the
text where it was, so a ruled real document can be read as its unruled twin would be.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def without_rules(data: bytes) -> bytes:
    """The PDF with every path object (rules, boxes, fills) removed from every page."""
    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                objs = [
                    pdfium_c.FPDFPage_GetObject(page.raw, k)
                    for k in range(pdfium_c.FPDFPage_CountObjects(page.raw))
                ]
                for obj in objs:
                    if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_PATH:
                        pdfium_c.FPDFPage_RemoveObject(page.raw, obj)
                        pdfium_c.FPDFPageObj_Destroy(obj)
                pdfium_c.FPDFPage_GenerateContent(page.raw)
            finally:
                page.close()
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
    finally:
        pdf.close()
