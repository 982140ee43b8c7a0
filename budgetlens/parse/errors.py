"""The parser's one exception: a file that cannot be read at all, with its error code."""

from __future__ import annotations

from budgetlens.fields import ERROR_CODES


class ParseError(Exception):
    """A file that cannot be parsed: `code` is one of budgetlens.fields.ERROR_CODES."""

    def __init__(self, code: str, message: str):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown parse error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
