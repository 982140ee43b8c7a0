"""Text normalisation: what a printed glyph means, whatever form it was printed in.

- full-width digits and Latin letters (２０２２, Ａ) become ASCII; so do the full-width forms of
  the characters that belong to numbers (．－＋％ and the thousands comma between digits);
  Chinese punctuation （）：，、 stays as printed;
- look-alike radicals (⻔ for 门, ⻋ for 车; the Kangxi radicals block and the CJK radicals
  supplement) and CJK compatibility ideographs become the unified ideographs;
- spaces between Han characters (justified or spaced-out titles: "收 支 总 表") are removed.

Fake-bold doubled glyphs are removed earlier, by position (see layout.dedupe_overprint).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# CJK Radicals Supplement forms that print like a whole character (no NFKC mapping exists).
RADICAL_LOOKALIKES: dict[str, str] = {
    "\u2e9f": "母",
    "\u2ea0": "民",
    "\u2ec4": "西",
    "\u2ec5": "见",
    "\u2ec6": "角",
    "\u2ec7": "角",
    "\u2ec8": "讠",
    "\u2ec9": "贝",
    "\u2ecb": "车",
    "\u2ecc": "辶",
    "\u2ecd": "辶",
    "\u2ed0": "钅",
    "\u2ed1": "長",
    "\u2ed3": "长",
    "\u2ed4": "门",
    "\u2ed8": "青",
    "\u2ed9": "韦",
    "\u2eda": "页",
    "\u2edb": "风",
    "\u2edc": "飞",
    "\u2edd": "食",
    "\u2ee0": "饣",
    "\u2ee2": "马",
    "\u2ee3": "骨",
    "\u2ee4": "鬼",
    "\u2ee5": "鱼",
    "\u2ee6": "鸟",
    "\u2ee7": "卤",
    "\u2ee8": "麦",
    "\u2ee9": "黄",
    "\u2eea": "黾",
    "\u2eec": "齐",
    "\u2eee": "齿",
    "\u2ef0": "龙",
    "\u2ef3": "龟",
    "\u2e8b": "㔾",
    "\u2e98": "扌",
    "\u2ea1": "氵",
    "\u2ea3": "灬",
    "\u2ea8": "犭",
    "\u2ea9": "王",
    "\u2eab": "罒",
    "\u2ead": "礻",
    "\u2eb0": "纟",
    "\u2ebc": "月",
    "\u2e9d": "月",
    "\u2ebe": "艹",
    "\u2ebf": "艹",
    "\u2ec0": "艹",
    "\u2ec1": "虍",
    "\u2ec2": "衤",
    "\u2ecf": "阝",
    "\u2ed6": "阝",
}

# Full-width forms that are part of figures; the rest of the full-width punctuation is kept.
_NUMERIC_FULLWIDTH = {"．": ".", "－": "-", "＋": "+", "％": "%", "／": "/"}

_CHAR_MAP: dict[int, str] = {}
for _cp in range(0xFF10, 0xFF1A):  # ０-９
    _CHAR_MAP[_cp] = chr(_cp - 0xFEE0)
for _cp in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # Ａ-Ｚ ａ-ｚ
    _CHAR_MAP[_cp] = chr(_cp - 0xFEE0)
for _k, _v in _NUMERIC_FULLWIDTH.items():
    _CHAR_MAP[ord(_k)] = _v
for _k, _v in RADICAL_LOOKALIKES.items():
    _CHAR_MAP[ord(_k)] = _v
for _cp in list(range(0x2F00, 0x2FD6)) + list(range(0xF900, 0xFADA)):  # Kangxi radicals, compat ideographs
    _CHAR_MAP[_cp] = unicodedata.normalize("NFKC", chr(_cp))
_CHAR_MAP[0x3000] = " "  # ideographic space
_CHAR_MAP[0x00A0] = " "


def normalize_char(ch: str) -> str:
    """One printed character in its canonical form (see module docstring)."""
    return _CHAR_MAP.get(ord(ch), ch) if len(ch) == 1 else ch.translate(_CHAR_MAP)


_HAN = re.compile(r"[\u4e00-\u9fff]")


def has_han(text: str) -> bool:
    """Does the text print a Han character (words: a name or a label, not a figure or a mark)?"""
    return _HAN.search(text) is not None


def is_cjk(ch: str) -> bool:
    """A Han character or CJK/full-width punctuation (characters that are never space-separated)."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x3000 <= cp <= 0x303F
        or 0xFF00 <= cp <= 0xFFEF
        or 0x2E80 <= cp <= 0x2FDF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x2FFFF
        or cp in (0x201C, 0x201D, 0x2018, 0x2019, 0x2014, 0x2026, 0x00B7)
    )


_HAN_SPACE = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…])\s+(?=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…])"
)
_SPACES = re.compile(r"\s+")
_THOUSANDS_COMMA = re.compile(r"(?<=\d)，(?=\d{3}(?:\D|$))")


@lru_cache(maxsize=1 << 16)
def normalize_text(text: str) -> str:
    """A printed string in canonical form: characters mapped, spaces between Han removed, spaces collapsed."""
    t = text.translate(_CHAR_MAP)
    t = _THOUSANDS_COMMA.sub(",", t)
    t = _SPACES.sub(" ", t).strip()
    return _HAN_SPACE.sub("", t)


_KEY_DROP = re.compile(r"[\s\"'“”‘’「」『』]+")
_KEY_MAP = str.maketrans(
    {"（": "(", "）": ")", "：": ":", "，": ",", "；": ";", "【": "[", "】": "]", "〔": "[", "〕": "]"}
)


@lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """A matching key: normalised, no whitespace or quotes, ASCII brackets and colons."""
    return _KEY_DROP.sub("", normalize_text(text)).translate(_KEY_MAP)
