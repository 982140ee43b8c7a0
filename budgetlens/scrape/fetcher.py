"""Fetching one URL politely and safely: retries, deadline, redirects checked hop by hop, conditional
GET, streamed size cap, `%PDF-` check, and one log entry per fetch.

`Fetcher` serves one source (its host policy, settings and fetch state). `fetch_document` stores a
PDF in the raw store; `fetch_page` reads a listing page or robots.txt (kept for conditional GET).
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from budgetlens.files import atomic_write_bytes
from budgetlens.scrape.config import Source
from budgetlens.scrape.limiter import DEFAULT_LIMITER, HostLimiter
from budgetlens.scrape.names import file_name_from_url, parse_content_disposition
from budgetlens.scrape.records import (
    ABSENT,
    CONNECTION_ERROR,
    DOWNLOADED,
    FETCHED,
    HTTP_ERROR,
    REDIRECT_LOOP,
    REFUSED_HOST,
    REJECTED_NOT_PDF,
    ROBOTS_DISALLOWED,
    STORAGE_ERROR,
    TIMEOUT,
    TOO_LARGE,
    TRUNCATED,
    UNCHANGED,
    DocumentVersion,
    FetchLogEntry,
)
from budgetlens.scrape.retry import is_retryable_status, parse_retry_after, retry_delay
from budgetlens.scrape.robots import RobotsRules, parse_robots
from budgetlens.scrape.state import FetchState
from budgetlens.scrape.store import RawStore, StoredBlob, TooLargeError
from budgetlens.scrape.urlpolicy import RefusedURL, canonical_url, host_key

PDF_MAGIC = b"%PDF-"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CLIENT_ERRORS = frozenset(range(400, 500))


class _Retry(Exception):
    """This attempt failed in a way another attempt may not."""

    def __init__(self, outcome: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.outcome, self.message, self.retry_after = outcome, message, retry_after


class _Stop(Exception):
    """The fetch ends here with this outcome; no further attempt."""

    def __init__(self, outcome: str, message: str) -> None:
        super().__init__(message)
        self.outcome, self.message = outcome, message


class _NotPdf(Exception):
    pass


class _DeadlinePassed(Exception):
    pass


@dataclass
class PageResult:
    """A listing page or robots.txt: its body (None when the fetch failed) and log entry."""

    entry: FetchLogEntry
    body: bytes | None
    content_type: str | None
    final_url: str


@dataclass
class _Got:
    """What one successful exchange produced."""

    status: int
    blob: StoredBlob | None = None
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    disposition: bytes | None = None

    @classmethod
    def of(cls, response: httpx.Response) -> _Got:
        """The status and the validators of a response (its body is read by the caller)."""
        return cls(
            response.status_code,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            content_type=response.headers.get("content-type"),
            disposition=next(
                (v for k, v in response.headers.raw if k.lower() == b"content-disposition"), None
            ),
        )


def _printable_head(data: bytes, limit: int = 60) -> str:
    text = data[:limit].decode("utf-8", errors="replace")
    return "".join(c if c.isprintable() else " " for c in text).strip()


def _validators(prior: dict[str, Any] | None) -> dict[str, str]:
    """Conditional GET headers from what was recorded last time (ETag, Last-Modified)."""
    headers: dict[str, str] = {}
    if prior and prior.get("etag"):
        headers["If-None-Match"] = prior["etag"]
    if prior and prior.get("last_modified"):
        headers["If-Modified-Since"] = prior["last_modified"]
    return headers


def transport_failure(exc: Exception) -> _Retry | _Stop:
    """Classify an exception raised while talking to a server."""
    if isinstance(exc, RefusedURL):
        return _Stop(REFUSED_HOST, str(exc))
    if isinstance(exc, httpx.TimeoutException):
        return _Retry(TIMEOUT, f"{type(exc).__name__}: {exc or 'timed out'}")
    if isinstance(exc, httpx.RemoteProtocolError) and "complete message body" in str(exc):
        return _Retry(TRUNCATED, f"body cut short: {exc}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return _Stop(REFUSED_HOST, str(exc))
    return _Retry(CONNECTION_ERROR, f"{type(exc).__name__}: {exc}")


class Fetcher:
    """Fetches the URLs of one source. Thread-safe: documents may be fetched from several threads."""

    def __init__(
        self,
        source: Source,
        store: RawStore,
        state: FetchState,
        client: httpx.Client,
        *,
        limiter: HostLimiter = DEFAULT_LIMITER,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.source = source
        self.settings = source.settings
        self.policy = source.policy()
        self.store = store
        self.state = state
        self.client = client
        self.limiter = limiter
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._robots: dict[str, RobotsRules] = {}
        self._robots_refused: dict[str, str] = {}
        self._robots_lock = threading.Lock()
        self._log_lock = threading.Lock()
        self.log: list[FetchLogEntry] = []

    # -- bookkeeping ---------------------------------------------------------------------------

    def _record(self, entry: FetchLogEntry) -> None:
        with self._log_lock:
            self.log.append(entry)

    def _new_entry(self, kind: str, url: str) -> FetchLogEntry:
        return FetchLogEntry(jurisdiction=self.source.id, kind=kind, url=url)

    # -- robots.txt ----------------------------------------------------------------------------

    def _robots_for(self, url: httpx.URL) -> RobotsRules:
        """The robots.txt rules of the URL's origin, read once per fetcher. Raises _Stop(refused_host)
        when the origin itself is refused (its robots.txt could not even be asked for)."""
        origin = f"{url.scheme}://{host_key(url)}"
        with self._robots_lock:
            rules = self._robots.get(origin)
            if rules is None:
                page = self.fetch_page(
                    f"{origin}/robots.txt", kind="robots", obey_robots=False, end_statuses=_CLIENT_ERRORS
                )
                if page.body is not None:
                    rules = parse_robots(page.body.decode("utf-8", errors="replace"))
                elif page.entry.outcome == ABSENT:
                    rules = RobotsRules.allow_all()  # RFC 9309: 4xx, "unavailable", means no rules
                elif page.entry.outcome == REFUSED_HOST:
                    self._robots_refused[origin] = page.entry.error or "refused"
                    rules = RobotsRules.disallow_all()
                else:
                    rules = RobotsRules.disallow_all()  # RFC 9309: unreachable means stay away
                self._robots[origin] = rules
            if origin in self._robots_refused:
                raise _Stop(REFUSED_HOST, self._robots_refused[origin])
            return rules

    def _min_delay(self, url: httpx.URL, obey_robots: bool) -> float:
        delay = self.settings.min_delay
        if obey_robots and self.settings.obey_robots:
            crawl = self._robots_for(url).crawl_delay(self.settings.robots_agent)
            if crawl is not None:
                delay = max(delay, min(crawl, self.settings.crawl_delay_max))
        return delay

    # -- one exchange, redirects and retries -----------------------------------------------------

    def _attempt(
        self,
        url: str,
        headers: dict[str, str],
        deadline_at: float,
        entry: FetchLogEntry,
        consume: Callable[[httpx.Response, float], _Got],
        obey_robots: bool,
    ) -> _Got:
        current, seen = url, {url}
        s = self.settings
        for _hop in range(s.max_redirects + 1):
            try:
                parsed = self.policy.check_url(current)
            except RefusedURL as exc:
                raise _Stop(REFUSED_HOST, f"{exc}: {current}") from None
            if (
                obey_robots
                and s.obey_robots
                and not self._robots_for(parsed).allows(str(parsed), s.robots_agent)
            ):
                raise _Stop(ROBOTS_DISALLOWED, f"robots.txt disallows {current} for {s.robots_agent}")
            min_delay = self._min_delay(parsed, obey_robots)
            with self.limiter.slot(host_key(parsed), max_in_flight=s.max_per_host, min_delay=min_delay):
                remaining = deadline_at - self._clock()
                if remaining <= 0:
                    raise _Stop(TIMEOUT, f"deadline of {s.deadline:g}s passed")
                timeout = httpx.Timeout(
                    min(s.read_timeout, remaining), connect=min(s.connect_timeout, remaining), pool=remaining
                )
                try:
                    request = self.client.build_request("GET", parsed, headers=headers, timeout=timeout)
                    response = self.client.send(request, stream=True)
                except (httpx.HTTPError, RefusedURL) as exc:
                    raise transport_failure(exc) from None
                try:
                    entry.final_url, entry.status = str(response.url), response.status_code
                    location = response.headers.get("location")
                    if response.status_code in _REDIRECTS and location:
                        try:
                            target = canonical_url(location, str(response.url))
                        except ValueError:
                            raise _Stop(
                                HTTP_ERROR, f"redirect to an unusable Location {location!r}"
                            ) from None
                        if target in seen:
                            raise _Stop(REDIRECT_LOOP, f"redirect loop back to {target}")
                        seen.add(target)
                        current = target
                        continue
                    return consume(response, deadline_at)
                except (httpx.HTTPError, RefusedURL) as exc:
                    raise transport_failure(exc) from None
                finally:
                    response.close()
        raise _Stop(REDIRECT_LOOP, f"more than {s.max_redirects} redirects")

    def _with_retries(
        self,
        url: str,
        headers: dict[str, str],
        entry: FetchLogEntry,
        consume: Callable[[httpx.Response, float], _Got],
        *,
        obey_robots: bool = True,
    ) -> _Got:
        s = self.settings
        deadline_at = self._clock() + s.deadline
        attempt = 0
        while True:
            attempt += 1
            entry.attempts = attempt
            try:
                return self._attempt(url, headers, deadline_at, entry, consume, obey_robots)
            except _Retry as failure:
                if attempt >= s.attempts:
                    raise _Stop(
                        failure.outcome, f"{failure.message} (gave up after {attempt} attempts)"
                    ) from None
                delay = retry_delay(attempt, s, retry_after=failure.retry_after, rng=self._rng)
                if self._clock() + delay >= deadline_at:
                    raise _Stop(
                        failure.outcome,
                        f"{failure.message} (no time left for another attempt "
                        f"within the {s.deadline:g}s deadline)",
                    ) from None
                self._sleep(delay)

    def _guard(
        self,
        chunks: Iterator[bytes],
        entry: FetchLogEntry,
        deadline_at: float,
        max_bytes: int,
        require_pdf: bool,
    ) -> Iterator[bytes]:
        """Pass chunks through, enforcing the size cap, the deadline and (for PDFs) the `%PDF-` start."""
        head = b""
        checked = not require_pdf
        total = 0
        for chunk in chunks:
            total += len(chunk)
            entry.bytes = total
            if total > max_bytes:
                raise TooLargeError(f"more than the {max_bytes}-byte cap")
            if self._clock() > deadline_at:
                raise _DeadlinePassed(f"deadline of {self.settings.deadline:g}s passed after {total} bytes")
            if checked:
                yield chunk
                continue
            head += chunk
            if len(head) >= len(PDF_MAGIC):
                if not head.startswith(PDF_MAGIC):
                    raise _NotPdf(f"body does not start with %PDF- (starts {_printable_head(head)!r})")
                checked = True
                yield head
        if not checked:
            raise _NotPdf(f"body of {total} bytes is not a PDF (starts {_printable_head(head)!r})")

    @staticmethod
    def _retry_or_stop(response: httpx.Response) -> _Retry | _Stop:
        status = response.status_code
        if is_retryable_status(status):
            return _Retry(
                HTTP_ERROR, f"HTTP {status}", parse_retry_after(response.headers.get("retry-after"))
            )
        return _Stop(HTTP_ERROR, f"HTTP {status}")

    # -- documents -----------------------------------------------------------------------------

    def fetch_document(self, url: str) -> tuple[DocumentVersion | None, FetchLogEntry]:
        """Fetch one PDF into the raw store. Returns the document version (None on failure) and its log entry."""
        entry = self._new_entry("document", url)
        t0 = self._clock()
        prior = self.state.document(url)
        conditional = prior is not None and self.store.has(prior["sha256"])
        headers = {"Accept-Encoding": "identity", **(_validators(prior) if conditional else {})}
        s = self.settings

        def consume(response: httpx.Response, deadline_at: float) -> _Got:
            got = _Got.of(response)
            if response.status_code == 304 and conditional:
                return got
            if not (200 <= response.status_code < 300) or response.status_code in (204, 206):
                raise self._retry_or_stop(response)
            length = response.headers.get("content-length")
            if (
                length
                and length.isdigit()
                and int(length) > s.max_bytes
                and not response.headers.get("content-encoding")
            ):
                entry.bytes = 0
                raise _Stop(TOO_LARGE, f"Content-Length {int(length)} is over the {s.max_bytes}-byte cap")
            try:
                got.blob = self.store.put_stream(
                    self._guard(response.iter_bytes(), entry, deadline_at, s.max_bytes, True)
                )
            except TooLargeError as exc:
                raise _Stop(TOO_LARGE, str(exc)) from None
            except _NotPdf as exc:
                raise _Stop(REJECTED_NOT_PDF, str(exc)) from None
            except _DeadlinePassed as exc:
                raise _Stop(TIMEOUT, str(exc)) from None
            except OSError as exc:
                raise _Stop(STORAGE_ERROR, f"raw store: {exc}") from None
            return got

        doc: DocumentVersion | None = None
        try:
            got = self._with_retries(url, headers, entry, consume)
        except _Stop as stop:
            entry.outcome, entry.error = stop.outcome, stop.message
        else:
            doc = self._document_version(url, entry, prior, got)
        finally:
            entry.elapsed_s = round(self._clock() - t0, 6)
            self._record(entry)
        return doc, entry

    def _document_version(
        self, url: str, entry: FetchLogEntry, prior: dict[str, Any] | None, got: _Got
    ) -> DocumentVersion:
        etag = got.etag or (prior or {}).get("etag")
        last_modified = got.last_modified or (prior or {}).get("last_modified")
        if got.blob is None:  # 304
            assert prior is not None
            sha, size, status = prior["sha256"], prior["bytes"], UNCHANGED
            file_name = prior.get("file_name")
            fetched_at, previous, history = (
                prior["fetched_at"],
                prior.get("previous_sha256"),
                prior.get("history", []),
            )
            entry.bytes = 0
        else:
            sha, size = got.blob.sha256, got.blob.bytes
            file_name = (
                parse_content_disposition(got.disposition)
                or file_name_from_url(entry.final_url or url)
                or file_name_from_url(url)
            )
            if prior is not None and prior["sha256"] == sha:
                status, fetched_at = UNCHANGED, prior["fetched_at"]
                previous, history = prior.get("previous_sha256"), prior.get("history", [])
            else:
                status, fetched_at = DOWNLOADED, entry.fetched_at.isoformat()
                previous = prior["sha256"] if prior else None
                history = (prior.get("history", []) + [prior["sha256"]]) if prior else []
        entry.outcome, entry.sha256, entry.etag, entry.last_modified = status, sha, etag, last_modified
        entry.file_name = file_name
        self.state.set_document(
            url,
            {
                "sha256": sha,
                "bytes": size,
                "etag": etag,
                "last_modified": last_modified,
                "file_name": file_name,
                "fetched_at": fetched_at,
                "previous_sha256": previous,
                "history": history,
            },
        )
        return DocumentVersion(
            jurisdiction=self.source.id,
            url=url,
            file_name=file_name,
            sha256=sha,
            bytes=size,
            fetched_at=datetime.fromisoformat(fetched_at) if isinstance(fetched_at, str) else fetched_at,
            etag=etag,
            last_modified=last_modified,
            status=status,
            previous_sha256=previous,
        )

    # -- pages ---------------------------------------------------------------------------------

    def fetch_page(
        self,
        url: str,
        *,
        kind: str = "listing",
        obey_robots: bool = True,
        end_statuses: frozenset[int] = frozenset(),
    ) -> PageResult:
        """Read a listing page or robots.txt (conditional GET against the copy kept last time).

        A final status in `end_statuses` (404 on a numbered listing page, any 4xx on robots.txt)
        is logged as `absent`, not as an error."""
        entry = self._new_entry(kind, url)
        t0 = self._clock()
        prior = self.state.page(url)
        cached_path = self.store.pages_dir / f"{prior['sha256']}.body" if prior else None
        conditional = cached_path is not None and cached_path.is_file()
        headers = _validators(prior) if conditional else {}
        s = self.settings

        def consume(response: httpx.Response, deadline_at: float) -> _Got:
            got = _Got.of(response)
            if response.status_code == 304 and conditional:
                return got
            if not (200 <= response.status_code < 300):
                raise self._retry_or_stop(response)
            try:
                got.body = b"".join(
                    self._guard(response.iter_bytes(), entry, deadline_at, s.max_page_bytes, False)
                )
            except TooLargeError as exc:
                raise _Stop(TOO_LARGE, str(exc)) from None
            except _DeadlinePassed as exc:
                raise _Stop(TIMEOUT, str(exc)) from None
            return got

        body: bytes | None = None
        content_type: str | None = None
        try:
            got = self._with_retries(url, headers, entry, consume, obey_robots=obey_robots)
        except _Stop as stop:
            if entry.status in end_statuses and stop.outcome == HTTP_ERROR:
                entry.outcome = ABSENT
            else:
                entry.outcome, entry.error = stop.outcome, stop.message
        else:
            entry.etag, entry.last_modified = got.etag, got.last_modified
            if got.body is None:  # 304: the kept copy
                assert prior is not None and cached_path is not None
                body, content_type = cached_path.read_bytes(), prior.get("content_type")
                entry.outcome, entry.sha256, entry.bytes = UNCHANGED, prior["sha256"], 0
            else:
                body, content_type = got.body, got.content_type
                sha = hashlib.sha256(body).hexdigest()
                try:
                    atomic_write_bytes(self.store.pages_dir / f"{sha}.body", body)
                    self.state.set_page(
                        url,
                        {
                            "sha256": sha,
                            "etag": got.etag,
                            "last_modified": got.last_modified,
                            "content_type": content_type,
                        },
                    )
                except OSError:
                    pass  # the page is still usable; only the next conditional GET is lost
                entry.outcome, entry.sha256, entry.bytes = FETCHED, sha, len(body)
        finally:
            entry.elapsed_s = round(self._clock() - t0, 6)
            self._record(entry)
        return PageResult(entry, body, content_type, entry.final_url or url)

    def refuse(self, url: str, kind: str, outcome: str, message: str) -> FetchLogEntry:
        """Log a URL refused without any request (e.g. a link to a host outside the config)."""
        entry = self._new_entry(kind, url)
        entry.outcome, entry.error = outcome, message
        self._record(entry)
        return entry

    def check(self, url: str) -> str | None:
        """Why `url` would be refused before any request (host policy), or None if it may be fetched."""
        try:
            self.policy.check_url(url)
        except RefusedURL as exc:
            return str(exc)
        return None
