"""What a fetch produces: document versions for the pipeline and one log entry per fetch."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

# Outcomes of one fetch (FetchLogEntry.outcome).
DOWNLOADED = "downloaded"  # new bytes for this URL stored
UNCHANGED = "unchanged"  # 304, or the same bytes as last time
FETCHED = "fetched"  # a listing page or robots.txt read
ABSENT = "absent"  # 404/410 where absence is normal: no robots.txt, the numbered page after the last
REJECTED_NOT_PDF = "rejected_not_pdf"  # status 200 but the body does not start with %PDF-
TOO_LARGE = "too_large"  # over the size cap (Content-Length or streamed)
HTTP_ERROR = "http_error"  # a final 4xx/5xx
TIMEOUT = "timeout"  # connect/read timeout or the per-document deadline
TRUNCATED = "truncated"  # the connection closed before Content-Length bytes arrived
CONNECTION_ERROR = "connection_error"  # refused, reset, name not resolved, TLS failure
REFUSED_HOST = "refused_host"  # host not allowed, not http(s), or a private address: no connection made
REDIRECT_LOOP = "redirect_loop"  # a redirect cycle or more than max_redirects hops
ROBOTS_DISALLOWED = "robots_disallowed"  # robots.txt forbids it: no request made
NOT_SETTLED = "not_settled"  # a drop-folder file still being written
STORAGE_ERROR = "storage_error"  # the raw store could not write (disk full, permissions)

OUTCOMES: tuple[str, ...] = (
    DOWNLOADED,
    UNCHANGED,
    FETCHED,
    ABSENT,
    REJECTED_NOT_PDF,
    TOO_LARGE,
    HTTP_ERROR,
    TIMEOUT,
    TRUNCATED,
    CONNECTION_ERROR,
    REFUSED_HOST,
    REDIRECT_LOOP,
    ROBOTS_DISALLOWED,
    NOT_SETTLED,
    STORAGE_ERROR,
)
# Kinds of fetch (FetchLogEntry.kind).
KINDS: tuple[str, ...] = ("robots", "listing", "document", "drop", "state")  # state: the fetch state file


def utc_now() -> datetime:
    """Now, timezone-aware UTC, to the microsecond."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class DocumentVersion:
    """One PDF as the pipeline sees it: the bytes now behind a URL (or a drop-folder path).

    `fetched_at` is when these bytes were first stored; `previous_sha256` is set when the same URL
    held other bytes before (a corrected file re-uploaded under the same URL).
    """

    jurisdiction: str
    url: str
    file_name: str | None
    sha256: str
    bytes: int
    fetched_at: datetime
    etag: str | None
    last_modified: str | None
    status: str  # "downloaded" | "unchanged"
    previous_sha256: str | None = None

    def to_row(self) -> dict[str, Any]:
        """A plain dict (one row)."""
        return asdict(self)


@dataclass
class FetchLogEntry:
    """One fetch of one URL, every attempt included. `to_row()` gives the `fetch_log` columns."""

    jurisdiction: str
    kind: str
    url: str
    fetched_at: datetime = field(default_factory=utc_now)
    final_url: str | None = None
    status: int | None = None
    bytes: int | None = None
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    elapsed_s: float = 0.0
    attempts: int = 0
    outcome: str = ""
    error: str | None = None
    file_name: str | None = None

    def to_row(self) -> dict[str, Any]:
        """A plain dict (one row of `fetch_log`)."""
        return asdict(self)


FETCH_LOG_COLUMNS: tuple[str, ...] = tuple(FetchLogEntry.__dataclass_fields__)


@dataclass
class FetchReport:
    """The result of fetching one jurisdiction: its documents (downloaded or unchanged) and the log."""

    jurisdiction: str
    documents: list[DocumentVersion] = field(default_factory=list)
    log: list[FetchLogEntry] = field(default_factory=list)
    complete: bool = True  # False when a listing page could not be read: documents may be missing

    @property
    def downloaded(self) -> list[DocumentVersion]:
        """Documents whose bytes are new for their URL in this run."""
        return [d for d in self.documents if d.status == DOWNLOADED]

    @property
    def unchanged(self) -> list[DocumentVersion]:
        """Documents whose URL still serves the bytes stored before."""
        return [d for d in self.documents if d.status == UNCHANGED]

    @property
    def errors(self) -> list[FetchLogEntry]:
        """Log entries that did not end in a stored, unchanged or read resource."""
        ok = {DOWNLOADED, UNCHANGED, FETCHED, ABSENT}
        return [e for e in self.log if e.outcome not in ok]

    def by_sha256(self) -> dict[str, DocumentVersion]:
        """One document per distinct content (two URLs may serve the same bytes); first URL wins."""
        out: dict[str, DocumentVersion] = {}
        for d in self.documents:
            out.setdefault(d.sha256, d)
        return out

    def outcome_counts(self) -> dict[str, int]:
        """How many log entries ended in each outcome."""
        counts: dict[str, int] = {}
        for e in self.log:
            counts[e.outcome] = counts.get(e.outcome, 0) + 1
        return counts
