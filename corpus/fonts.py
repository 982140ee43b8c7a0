"""The two CJK fonts of the corpus, by corpus name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FontSpec:
    """A system TrueType collection member and the names each producer knows it by."""

    key: str  # corpus name, as in truth render.font
    path: Path
    subfont: int
    css_family: str  # fontconfig family for Chromium
    pdf_name: str  # substring of the embedded BaseFont name
    face_name: str  # the face's PostScript name as reportlab embeds it


FONTS: dict[str, FontSpec] = {
    "wqy-zenhei": FontSpec(
        "wqy-zenhei",
        Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
        0,
        "WenQuanYi Zen Hei",
        "WenQuanYi",
        "WenQuanYiZenHei",
    ),
    "uming": FontSpec(
        "uming", Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0, "AR PL UMing CN", "UMing", "UMingCN"
    ),
}
DEFAULT_FONT = "wqy-zenhei"


class FontMissing(RuntimeError):
    """A corpus font is not installed (apt: fonts-wqy-zenhei, fonts-arphic-uming)."""


def font_spec(key: str) -> FontSpec:
    """The FontSpec for a corpus font name; raises FontMissing when its file is absent."""
    spec = FONTS[key]
    if not spec.path.is_file():
        raise FontMissing(f"font {key} is not installed: {spec.path} is missing")
    return spec


def missing_fonts() -> list[str]:
    """Corpus fonts whose files are absent on this machine."""
    return [k for k, s in FONTS.items() if not s.path.is_file()]
