"""Truth record → PDF: pick the layout of `render.template`, draw with `render.producer`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.context import Ctx
from corpus.model import Document, Rendered, Section


def build_document(truth: dict[str, Any]) -> Document:
    """The print model of a truth record (every record one section, in order)."""
    render = truth["render"]
    template = render["template"]
    sections: list[Section] = []
    for record in truth["records"]:
        ctx = Ctx.of(record, render)
        notice = truth.get("origin") != "seed"
        if template == "shenzhen13":
            from corpus.layout_shenzhen import Shenzhen13

            sections.append(Shenzhen13(ctx, notice).section())
        elif template == "shanghai9":
            from corpus.layout_shanghai import Shanghai9

            sections.append(Shanghai9(ctx, notice).section())
        elif template == "final_accounts":
            from corpus.layout_final import FinalAccounts

            sections.append(FinalAccounts(ctx, notice).section())
        else:
            raise ValueError(f"unknown template {template!r}")
    first = truth["records"][0]["document"] if truth["records"] else {}
    word = "部门决算" if first.get("kind") == "final_accounts" else "部门预算"
    title = render.get("book_title") or f"{first.get('fiscal_year', '')}年{first.get('department', '')}{word}"
    preface: list = []
    if render.get("book_title"):  # a compilation (汇编): its own cover before the departments
        from corpus.model import Heading, Para

        preface = [Heading(render["book_title"], 0), Para("示例数据", center=True, size=16)]
        preface += [Para(r["document"]["department"], center=True) for r in truth["records"]]
    return Document(
        title=title,
        sections=sections,
        author=first.get("department") or "",
        subject="示例数据" if truth.get("origin") != "seed" else word,
        preface=preface,
    )


def render_document(truth: dict[str, Any], out: Path) -> Rendered:
    """Draw the truth's PDF into `out` with its producer and font; returns page facts."""
    render = truth["render"]
    doc = build_document(truth)
    out.parent.mkdir(parents=True, exist_ok=True)
    if render["producer"] == "reportlab":
        from corpus.pdf_reportlab import render_reportlab

        enc = render.get("encryption") or {}
        return render_reportlab(doc, out, render["font"], enc.get("user"), enc.get("owner"))
    if render["producer"] == "chromium":
        from corpus.pdf_chromium import render_chromium

        return render_chromium(doc, out, render["font"])
    if render["producer"] == "office":
        from corpus.pdf_office import render_office

        return render_office(doc, out, render["font"])
    raise ValueError(f"unknown producer {render['producer']!r}")


def render_truth(truth: dict[str, Any], out: Path) -> Path:
    """Render a truth record's PDF to `out` and fill in each record's `pages` [first, last] (in place).

    A bad input (`render.bad_input`) is made from its intact source document instead.
    """
    if truth["render"].get("bad_input"):
        from corpus.badinputs import make_bad_input

        return make_bad_input(truth, out)
    rendered = render_document(truth, out)
    for record, (first, last) in zip(truth["records"], rendered.section_pages, strict=True):
        record["pages"] = [first, last]
    return out
