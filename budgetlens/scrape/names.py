"""Names and text from the wire: Content-Disposition file names, URL file names, HTML charsets.

File names found here are metadata only (`file_name` in the log and the document version); the
raw store never uses them as paths.
"""

from __future__ import annotations

import codecs
import re
from urllib.parse import unquote, unquote_to_bytes, urlsplit

_PARAM = re.compile(r';\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# Chinese sites label GBK pages gb2312 or gbk; gb18030 is the superset that decodes all of them.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
MAX_NAME_CHARS = 200


def _codec(label: str) -> str | None:
    """A Python codec name for a charset label, or None if unknown."""
    name = _CHARSET_ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Bytes as text: the given charset, else UTF-8, else GB18030 (never raises)."""
    for label in (charset, "utf-8", "gb18030"):
        codec = _codec(label) if label else None
        if codec is None:
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _unquote_name(text: str, charset: str | None = None) -> str:
    """Percent-decode a name in `charset`, or UTF-8 then GB18030 when not given."""
    return decode_bytes(unquote_to_bytes(text), charset)


def parse_content_disposition(value: str | bytes | None) -> str | None:
    """The file name a Content-Disposition header gives, or None.

    `filename*` (RFC 5987/6266: `UTF-8''%E2…`, any charset) wins over `filename`. A plain
    `filename` may be quoted, raw UTF-8/GBK bytes, or (non-standard, common on Chinese sites)
    percent-encoded. Only the last path component is kept; the result is `safe_filename`-cleaned.
    """
    if value is None:
        return None
    text = decode_bytes(value) if isinstance(value, bytes) else value
    params: dict[str, str] = {}
    for key, raw in _PARAM.findall((";" + text.split(";", 1)[1]) if ";" in text else ""):
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params.setdefault(key.lower(), raw)
    name: str | None = None
    extended = params.get("filename*")
    if extended and extended.count("'") >= 2:
        charset, _lang, encoded = extended.split("'", 2)
        name = _unquote_name(encoded, charset or "utf-8")
    if not name and params.get("filename"):
        plain = params["filename"]
        name = _unquote_name(plain) if re.search(r"%[0-9A-Fa-f]{2}", plain) else plain
    return safe_filename(name) if name else None


def file_name_from_url(url: str) -> str | None:
    """The last path segment of `url`, percent-decoded (UTF-8, else GB18030), cleaned; None if empty."""
    path = urlsplit(url).path
    segment = path.rsplit("/", 1)[-1]
    return safe_filename(_unquote_name(segment)) if segment else None


def safe_filename(name: str | None) -> str | None:
    """A display-safe base name: no directories, no control characters or NUL, no leading dots,
    at most MAX_NAME_CHARS characters. None when nothing is left."""
    if not name:
        return None
    base = re.split(r"[/\\]", name)[-1]
    base = "".join(c for c in base if ord(c) >= 32 and c != "\x7f").strip().lstrip(".").strip()
    if not base:
        return None
    if len(base) > MAX_NAME_CHARS:
        stem, dot, ext = base.rpartition(".")
        base = (
            (stem[: MAX_NAME_CHARS - len(ext) - 1] + "." + ext)
            if dot and len(ext) <= 10
            else base[:MAX_NAME_CHARS]
        )
    return base


def html_charset(body: bytes, content_type: str | None) -> str | None:
    """The charset a page declares: Content-Type header, then a BOM, then <meta> in the first 4 KiB."""
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            return m.group(1)
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8"
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii") if m else None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """An HTML page as text, in the charset it declares (GBK pages included), else UTF-8/GB18030."""
    text = decode_bytes(body, html_charset(body, content_type))
    return text.removeprefix("\ufeff")


def unquote_url(url: str) -> str:
    """A URL percent-decoded for matching and display (UTF-8, invalid bytes replaced)."""
    return unquote(url, errors="replace")
