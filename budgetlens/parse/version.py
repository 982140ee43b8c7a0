"""The parser's output version: bump it whenever the records it writes change.

The pipeline re-parses every document parsed by an older version.
"""

PARSER_VERSION = "0.3.42"
