"""Reviewed exceptions as code: `expectations/overrides.toml` lists failing checks a reviewer has
accepted for one document (its sha256, the expectation, optionally the finding's item, why, who).

An accepted finding keeps its message, gets severity `accepted` and the reviewer's reason: the
document is not quarantined or withheld for it, and its flags name it, so a reader sees both the
failure and who accepted it. An entry that does not name a document and an expectation, or lacks
`why` / `who`, is refused with one line naming the file and the entry (never an automatic pass).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from expectations.spec import Finding

DEFAULT_OVERRIDES = Path(__file__).with_name("overrides.toml")
ACCEPTED = "accepted"
_REQUIRED = ("sha256", "expectation", "why", "who")


class OverrideError(ValueError):
    """The overrides file cannot be used (the message names the file and the entry)."""


@dataclass(frozen=True)
class Override:
    sha256: str
    expectation: str
    why: str
    who: str
    item: str | None = None

    def matches(self, f: Finding, sha256: str | None) -> bool:
        return (
            sha256 == self.sha256
            and f.expectation == self.expectation
            and (self.item is None or f.item == self.item)
        )


def load(path: Path = DEFAULT_OVERRIDES) -> tuple[Override, ...]:
    """The reviewed exceptions of `path` (none when the file does not exist)."""
    if not path.is_file():
        return ()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise OverrideError(f"{path}: {exc}") from None
    out = []
    for n, entry in enumerate(data.get("accept", []), start=1):
        missing = [k for k in _REQUIRED if not str(entry.get(k) or "").strip()]
        if missing:
            raise OverrideError(f"{path}: [[accept]] entry {n} lacks {', '.join(missing)}")
        sha = str(entry["sha256"]).strip().lower()
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise OverrideError(f"{path}: [[accept]] entry {n}: sha256 must be the file's 64 hex digits")
        out.append(
            Override(sha, str(entry["expectation"]), str(entry["why"]), str(entry["who"]), entry.get("item"))
        )
    return tuple(out)


def apply(
    findings: Iterable[Finding], sha256_of: Mapping[str, str | None], overrides: Iterable[Override]
) -> list[Finding]:
    """Findings with the reviewed ones marked `accepted` (their reviewer and reason appended)."""
    rules = list(overrides)
    out = []
    for f in findings:
        rule = next((r for r in rules if r.matches(f, sha256_of.get(f.doc_id))), None)
        if rule is None or f.severity == ACCEPTED:
            out.append(f)
        else:
            out.append(
                replace(f, severity=ACCEPTED, message=f"{f.message}（已复核接受：{rule.why}；{rule.who}）")
            )
    return out
