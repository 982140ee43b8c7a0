"""Bad inputs: files that are not readable budgets, each made from an intact source document.

A bad input's truth carries `render.bad_input = {"kind": …, "source": <truth of the intact
document>, …}` so that it can be re-rendered; its `expect.error_code` is what a parser must say.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

BAD_KINDS: dict[str, str | None] = {
    # kind -> expected error_code
    "truncated": "truncated",
    "encrypted": "encrypted",
    "html_error": "not_pdf",
    "empty": "not_pdf",
    "scanned": "no_text",
}
DEFAULT_KEEP = 0.55
SCAN_DPI = 50
ERROR_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>系统提示</title></head>
<body><h1>系统繁忙，请稍后再试</h1><p>您访问的文件暂时无法下载（错误代码 500）。</p>
<p><a href="/">返回首页</a></p></body></html>
"""


def truncate(data: bytes, keep: float) -> bytes:
    """The first `keep` fraction of a PDF: no xref, no trailer, no %%EOF."""
    cut = data[: max(16, int(len(data) * keep))]
    return cut.replace(b"%%EOF", b"%%EO_")


def rasterize(pdf_bytes: bytes, out: Path, dpi: int = SCAN_DPI) -> None:
    """A scan of a PDF: every page an image (grey JPEG), no text layer at all."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    src = pdfium.PdfDocument(pdf_bytes)
    try:
        canvas = Canvas(str(out), invariant=1, pageCompression=1)
        canvas.setCreator("scanner")
        for i in range(len(src)):
            page = src[i]
            w, h = page.get_size()
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            buf = io.BytesIO()
            image.save(buf, format="JPEG", quality=45)
            canvas.setPageSize((w, h))
            canvas.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, width=w, height=h)
            canvas.showPage()
        canvas.save()
    finally:
        src.close()


def make_bad_input(truth: dict[str, Any], out: Path) -> Path:
    """Write the bad input a truth record describes to `out`."""
    from corpus.render import render_document

    spec = truth["render"]["bad_input"]
    kind = spec["kind"]
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "empty":
        out.write_bytes(b"")
        return out
    if kind == "html_error":
        out.write_bytes(ERROR_PAGE.encode("utf-8"))
        return out
    source = spec["source"]
    tmp = out.with_name(out.name + ".src.pdf")
    try:
        if kind == "encrypted":
            source = dict(
                source,
                render=dict(
                    source["render"],
                    encryption={"user": spec["password"], "owner": spec["password"] + "-owner"},
                ),
            )
        render_document(source, tmp)
        data = tmp.read_bytes()
        if kind == "truncated":
            out.write_bytes(truncate(data, float(spec.get("keep", DEFAULT_KEEP))))
        elif kind == "encrypted":
            out.write_bytes(data)
        elif kind == "scanned":
            rasterize(data, out)
        else:
            raise ValueError(f"unknown bad input {kind!r}")
    finally:
        tmp.unlink(missing_ok=True)
    return out
