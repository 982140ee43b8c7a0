"""Page images with the figures read outlined (pdfplumber's page images): `budgetlens inspect` and
the report's links from a failed check to both printings on their pages.

Boxes are `(x0, top, x1, bottom)` in PDF points from the page's top-left corner, as the parser
records them (docs/record.md). Red: the canonical printing (the value the record holds); blue:
another printing of the same figure (the one a failed check compared with it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

Box = tuple[float, float, float, float]
CANONICAL, OTHER = "red", "blue"


def draw(
    pdf: Path | str,
    boxes: Mapping[int, list[tuple[Box, str]]],
    out_dir: Path,
    *,
    resolution: int = 100,
    name: str = "page-{page:03d}.png",
) -> list[Path]:
    """Write one PNG per page (1-based numbers) with its boxes outlined; the paths written. Pages the
    file does not have are skipped. Each page is closed after use."""
    import pdfplumber

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with pdfplumber.open(pdf) as doc:
        for number in sorted(boxes):
            if not 1 <= number <= len(doc.pages):
                continue
            page = doc.pages[number - 1]
            try:
                image = page.to_image(resolution=resolution)
                for bbox, colour in boxes[number]:
                    image.draw_rect(bbox, stroke=colour, fill=(0, 0, 0, 0), stroke_width=2)
                target = out_dir / name.format(page=number)
                image.save(target)
                written.append(target)
            finally:
                page.close()
    return written


def printing_boxes(printings: Iterable[Mapping]) -> dict[int, list[tuple[Box, str]]]:
    """page → [(box, colour)] of printings (rows with page, x0, top, x1, bottom, canonical); rows
    without a page or a box are left out (pure)."""
    out: dict[int, list[tuple[Box, str]]] = {}
    for p in printings:
        box = (p.get("x0"), p.get("top"), p.get("x1"), p.get("bottom"))
        if p.get("page") is None or any(v is None for v in box):
            continue
        out.setdefault(int(p["page"]), []).append((box, CANONICAL if p.get("canonical") else OTHER))
    return out
