"""The simulated sites with deliberate faults, for the scraper and reliability tests.

`FaultServer` is the product's `budgetlens.scrape.simserver.SimServer` (same files, download script,
ETags and 304s) plus what only tests need: faults injected per path, a record of every request,
robots.txt given in code and serving over TLS.

Faults are per path (the percent-decoded path, or path?query for one query): a list of `Fault`s,
each applied to its next `times` requests (None: all), in order, then the path is served normally.

    with FaultServer(sites_dir, faults={"/luohu/files/a.pdf": [Fault.error(500, times=2)]}) as srv:
        srv.base_url            # http://127.0.0.1:<free port>
        srv.hits("/luohu/files/a.pdf"), srv.max_in_flight, srv.requests
"""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from budgetlens.scrape.simserver import (
    DEFAULT_HOST,
    Resource,
    SimServer,
    SiteHandler,
    SiteHTTPServer,
    http_date,
    strong_etag,
)

CHUNK = 64 * 1024
HTML_ERROR_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>系统提示</title></head>'
    "<body><p>系统维护中，请稍后再试。</p></body></html>"
).encode()


@dataclass(frozen=True)
class Fault:
    """One injected misbehaviour. Build with the class methods."""

    kind: str
    times: int | None = None
    status: int = 500
    headers: tuple[tuple[str, str], ...] = ()
    location: str = ""
    seconds: float = 0.0
    size: int = 0
    keep: int = 0
    body: bytes = b""
    chunked: bool = False

    @classmethod
    def error(cls, status: int, *, times: int | None = None, retry_after: str | int | None = None) -> Fault:
        """Answer `status` (e.g. 500, 404, 429) with a small HTML body; Retry-After when given."""
        headers = (("Retry-After", str(retry_after)),) if retry_after is not None else ()
        return cls("status", times, status=status, headers=headers)

    @classmethod
    def stall(cls, seconds: float, *, times: int | None = None) -> Fault:
        """Say nothing for `seconds` (a read timeout for a client with a shorter one), then serve."""
        return cls("stall", times, seconds=seconds)

    @classmethod
    def redirect(cls, location: str, *, status: int = 302, times: int | None = None) -> Fault:
        """Redirect to `location` (relative or absolute: another host, a loop …)."""
        return cls("redirect", times, status=status, location=location)

    @classmethod
    def truncate(cls, keep: int = 100, *, times: int | None = None) -> Fault:
        """Announce the full Content-Length, send `keep` bytes, close."""
        return cls("truncate", times, keep=keep)

    @classmethod
    def html(cls, *, times: int | None = None) -> Fault:
        """An HTML error page with status 200 (at a .pdf URL, as real servers do)."""
        return cls("html", times)

    @classmethod
    def oversize(cls, size: int, *, chunked: bool = False, times: int | None = None) -> Fault:
        """A `size`-byte PDF-looking body, with Content-Length or (chunked=True) without."""
        return cls("oversize", times, size=size, chunked=chunked)

    @classmethod
    def trickle(cls, seconds_per_byte: float = 1.0, *, times: int | None = None) -> Fault:
        """Send the file one byte every `seconds_per_byte`."""
        return cls("trickle", times, seconds=seconds_per_byte)

    @classmethod
    def reset(cls, keep: int = 100, *, times: int | None = None) -> Fault:
        """Send headers and `keep` bytes, then reset the connection (RST)."""
        return cls("reset", times, keep=keep)

    @classmethod
    def replace(cls, body: bytes, *, times: int | None = None) -> Fault:
        """Serve `body` instead of the file (a corrected file re-uploaded under the same URL)."""
        return cls("replace", times, body=body)

    @classmethod
    def delay(cls, seconds: float, *, times: int | None = None) -> Fault:
        """Wait `seconds`, then serve normally (slow server; used to measure concurrency)."""
        return cls("stall", times, seconds=seconds)


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it."""

    method: str
    path: str  # percent-decoded
    query: str
    headers: dict[str, str]
    status: int | None
    fault: str | None
    started: float  # monotonic


class _FaultHandler(SiteHandler):
    sim: FaultServer  # set on the subclass made per server

    def _dispatch(self, head: bool) -> None:
        sim = self.sim
        parts = urlsplit(self.path)
        path = unquote(parts.path, errors="replace")
        self._status = None
        fault = sim._take_fault(path, parts.query)
        sim._enter(path)
        started = time.monotonic()
        try:
            if fault is None:
                self._serve(path, parts.query, head)
            else:
                self._fault(fault, path, parts.query, head)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            self.close_connection = True
        finally:
            sim._leave(
                RequestRecord(
                    self.command,
                    path,
                    parts.query,
                    {
                        k.lower(): v
                        for k, v in self.headers.items()
                        if k.lower()
                        in ("if-none-match", "if-modified-since", "user-agent", "accept-encoding")
                    },
                    self._status,
                    fault.kind if fault else None,
                    started,
                )
            )

    def _fault(self, fault: Fault, path: str, query: str, head: bool) -> None:
        sim = self.sim
        if fault.kind == "status":
            self._plain(
                fault.status, f"<html><body>{fault.status}</body></html>".encode(), head, fault.headers
            )
        elif fault.kind == "stall":
            if sim._closing.wait(fault.seconds):
                self.close_connection = True
                return
            self._serve(path, query, head)
        elif fault.kind == "redirect":
            self.send_response(fault.status)
            self.send_header("Location", fault.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif fault.kind == "html":
            self._plain(200, HTML_ERROR_PAGE, head)
        elif fault.kind == "replace":
            r = sim.resource(path, query)
            self._send_resource(
                Resource(
                    fault.body,
                    "application/pdf",
                    strong_etag(fault.body),
                    sim.replaced_at,
                    r.extra if r else [],
                ),
                head,
            )
        elif fault.kind == "oversize":
            self._oversize(fault)
        elif fault.kind in ("truncate", "reset", "trickle"):
            r = sim.resource(path, query)
            if r is None:
                self._plain(404, b"<html><body>404</body></html>", head)
                return
            self._headers_for(r, 200, len(r.body))
            self.end_headers()
            self.close_connection = True
            if fault.kind == "trickle":
                for i in range(len(r.body)):
                    self.wfile.write(r.body[i : i + 1])
                    self.wfile.flush()
                    if sim._closing.wait(fault.seconds):
                        return
                return
            self.wfile.write(r.body[: fault.keep])
            self.wfile.flush()
            if fault.kind == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
        else:  # pragma: no cover - Fault's constructors make only the kinds above
            raise ValueError(f"unknown fault kind {fault.kind!r}")

    def _oversize(self, fault: Fault) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        if fault.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(fault.size))
        self.end_headers()
        self.close_connection = True
        head = b"%PDF-1.7\n%" + b"\xe2\xe3\xcf\xd3\n"
        sent = 0
        while sent < fault.size and not self.sim._closing.is_set():
            chunk = (head if sent == 0 else b"") + b"0" * CHUNK
            chunk = chunk[: fault.size - sent]
            if fault.chunked:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            else:
                self.wfile.write(chunk)
            sent += len(chunk)
        if fault.chunked:
            self.wfile.write(b"0\r\n\r\n")


class _Server(SiteHTTPServer):
    ssl_context: ssl.SSLContext | None = None

    def finish_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        """TLS handshake (when serving https) in the connection's own thread, then serve it."""
        if self.ssl_context is not None:
            request = self.ssl_context.wrap_socket(request, server_side=True)
        super().finish_request(request, client_address)


class FaultServer(SimServer):
    """The simulated sites with faults and request records, in a background thread. A context manager."""

    handler_class = _FaultHandler
    server_class = _Server

    def __init__(
        self,
        sites_dir: Path,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        faults: dict[str, list[Fault] | Fault] | None = None,
        robots: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(sites_dir, host=host, port=port)
        self.ssl_context = ssl_context  # serve https with this server-side context (e.g. a self-signed cert)
        self.robots = robots  # /robots.txt given in code (None: the sites directory's, if any)
        self.replaced_at = http_date(time.time() + 1)
        self._faults: dict[str, list[list]] = {}
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self.max_in_flight = 0
        self.requests: list[RequestRecord] = []  # answered requests, in the order they ended
        self.arrivals: list[str] = []  # decoded paths of requests received, in arrival order
        for path, rules in (faults or {}).items():
            self.set_faults(path, *(rules if isinstance(rules, list) else [rules]))

    def _make_httpd(self) -> SiteHTTPServer:
        httpd = super()._make_httpd()
        httpd.ssl_context = self.ssl_context
        return httpd

    @property
    def scheme(self) -> str:  # type: ignore[override]
        return "https" if self.ssl_context else "http"

    def resource(self, path: str, query: str = "") -> Resource | None:
        if path == "/robots.txt" and self.robots is not None:
            body = self.robots.encode()
            return Resource(body, "text/plain; charset=utf-8", strong_etag(body), http_date(0))
        return super().resource(path, query)

    # -- faults and observations -----------------------------------------------------------------

    def set_faults(self, path: str, *faults: Fault) -> None:
        """Replace the faults of `path` (decoded, optionally with ?query)."""
        with self._lock:
            self._faults[path] = [[f, f.times] for f in faults]

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, path: str, query: str) -> Fault | None:
        keys = ([f"{path}?{query}"] if query else []) + [path]
        with self._lock:
            for key in keys:
                for rule in self._faults.get(key, []):
                    fault, left = rule
                    if left is None:
                        return fault
                    if left > 0:
                        rule[1] = left - 1
                        return fault
        return None

    def _enter(self, path: str) -> None:
        with self._lock:
            self.arrivals.append(path)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self, record: RequestRecord) -> None:
        with self._lock:
            self._in_flight -= 1
            self.requests.append(record)
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until no request is being answered (a client may have its response before the
        server has recorded it); False if that did not happen within `timeout`."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    def hits(self, path: str) -> int:
        """Requests received for a decoded path (any query), answered or still running."""
        with self._lock:
            return sum(1 for p in self.arrivals if p == path)

    def reset_stats(self) -> None:
        """Forget recorded requests and the in-flight maximum."""
        with self._lock:
            self.requests.clear()
            self.arrivals.clear()
            self.max_in_flight = 0
