"""The simulated district websites: a real threaded HTTP server on 127.0.0.1, with fault injection.

Serves a sites directory (docs/corpus.md): static files (a directory serves its index.html), the
download script `<dir>/download.jsp?id=N` mapped by `<dir>/downloads.json` ({"N": "files/x.pdf"})
and answered with an RFC 6266 Content-Disposition (`filename*=UTF-8''…`), `/robots.txt` (from the
directory or given in code), strong ETags and Last-Modified with 304 on conditional GET.

Faults are per path (the percent-decoded path, or path?query for one query): a list of `Fault`s,
each applied to its next `times` requests (None: all), in order, then the path is served normally.

    with SimServer(sites_dir, faults={"/luohu/files/a.pdf": [Fault.status(500, times=2)]}) as srv:
        srv.base_url            # http://127.0.0.1:<free port>
        srv.hits("/luohu/files/a.pdf"), srv.max_in_flight, srv.requests
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import mimetypes
import socket
import ssl
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, quote, unquote, urlsplit

from budgetlens.scrape.store import UnsafePathError, safe_join

DEFAULT_HOST = "127.0.0.1"
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


@dataclass
class _Resource:
    body: bytes
    content_type: str
    etag: str
    last_modified: str
    extra: list[tuple[str, str]] = field(default_factory=list)


def content_disposition(name: str) -> str:
    """`attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266/5987)."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "budgetlens-simserver"
    sys_version = ""
    timeout = 10  # an idle keep-alive connection is closed after this
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stalls
    sim: SimServer  # set on the subclass made per server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass

    def setup(self) -> None:
        super().setup()
        self.sim._connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        self.sim._connections.discard(self.connection)

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response(code, message)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def do_GET(self) -> None:
        self._dispatch(head=False)

    # -- dispatch ------------------------------------------------------------------------------

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

    def _serve(self, path: str, query: str, head: bool) -> None:
        resource = self.sim.resource(path, query)
        if resource is None:
            self._plain(404, b"<html><body>404 Not Found</body></html>", head)
        else:
            self._send_resource(resource, head)

    def _plain(self, status: int, body: bytes, head: bool, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _not_modified(self, r: _Resource) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or r.etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = email.utils.parsedate_to_datetime(ims)
                return email.utils.parsedate_to_datetime(r.last_modified) <= since
            except (TypeError, ValueError):
                return False
        return False

    def _headers_for(self, r: _Resource, status: int = 200, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", r.content_type)
        self.send_header("ETag", r.etag)
        self.send_header("Last-Modified", r.last_modified)
        for k, v in r.extra:
            self.send_header(k, v)
        if length is not None:
            self.send_header("Content-Length", str(length))

    def _send_resource(self, r: _Resource, head: bool) -> None:
        if self._not_modified(r):
            self._headers_for(r, 304)
            self.end_headers()
            return
        self._headers_for(r, 200, len(r.body))
        self.end_headers()
        if not head:
            self.wfile.write(r.body)

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
                _Resource(
                    fault.body, "application/pdf", _etag(fault.body), sim.replaced_at, r.extra if r else []
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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # never wait for a client's idle keep-alive connection on close
    allow_reuse_address = True
    ssl_context: ssl.SSLContext | None = None

    def finish_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        """TLS handshake (when serving https) in the connection's own thread, then serve it."""
        if self.ssl_context is not None:
            request = self.ssl_context.wrap_socket(request, server_side=True)
        super().finish_request(request, client_address)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up (reset, broken pipe, timeout) is normal here; anything else is printed."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class SimServer:
    """The simulated sites on a loopback address, in a background thread. A context manager."""

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
        self.ssl_context = ssl_context  # serve https with this server-side context (e.g. a self-signed cert)
        self.sites_dir = Path(sites_dir).resolve()
        if not self.sites_dir.is_dir():
            raise FileNotFoundError(f"no sites directory at {self.sites_dir}")
        self.host, self.port = host, port
        self.robots = robots
        self.replaced_at = _http_date(time.time() + 1)
        self._faults: dict[str, list[list]] = {}
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._closing = threading.Event()
        self._connections: set[socket.socket] = set()
        self._in_flight = 0
        self.max_in_flight = 0
        self.requests: list[RequestRecord] = []  # answered requests, in the order they ended
        self.arrivals: list[str] = []  # decoded paths of requests received, in arrival order
        self._etags: dict[tuple[str, int, int], str] = {}
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        for path, rules in (faults or {}).items():
            self.set_faults(path, *(rules if isinstance(rules, list) else [rules]))

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> SimServer:
        """Bind and serve in a background thread; `base_url` is valid from now on."""
        handler = type("SimHandler", (_Handler,), {"sim": self})
        self._closing.clear()
        self._httpd = _Server((self.host, self.port), handler)
        self._httpd.ssl_context = self.ssl_context
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"simserver-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake stalled handlers and close open connections."""
        self._closing.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        for conn in list(self._connections):
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Block until interrupted (for `budgetlens sites serve`)."""
        if self._thread is None:
            self.start()
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>` (https with an ssl_context; no trailing slash)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.ssl_context else 'http'}://{host}:{self.port}"

    def url(self, path: str) -> str:
        """Absolute, percent-encoded URL of a decoded path (`/luohu/files/2022年….pdf`)."""
        return self.base_url + quote(path, safe="/?=&")

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

    # -- content ---------------------------------------------------------------------------------

    def _file(self, path: Path) -> _Resource:
        st = path.stat()
        body = path.read_bytes()
        key = (str(path), st.st_mtime_ns, st.st_size)
        etag = self._etags.get(key)
        if etag is None:
            etag = self._etags[key] = _etag(body)
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype.startswith("text/"):
            ctype += "; charset=utf-8"
        return _Resource(body, ctype, etag, _http_date(st.st_mtime))

    def resource(self, path: str, query: str = "") -> _Resource | None:
        """What a normal GET of `path` (decoded) returns, or None for 404."""
        try:
            if path == "/robots.txt" and self.robots is not None:
                body = self.robots.encode()
                return _Resource(body, "text/plain; charset=utf-8", _etag(body), _http_date(0))
            rel = path.lstrip("/")
            if rel.endswith("download.jsp") or rel == "download.jsp":
                return self._download(rel, query)
            target = safe_join(self.sites_dir, rel) if rel else self.sites_dir
            if target.is_dir():
                target = target / "index.html"
            return self._file(target) if target.is_file() else None
        except (UnsafePathError, OSError, ValueError):
            return None

    def _download(self, rel: str, query: str) -> _Resource | None:
        folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
        base = safe_join(self.sites_dir, folder) if folder else self.sites_dir
        mapping_file = base / "downloads.json"
        ids = parse_qs(query).get("id", [])
        if not ids or not mapping_file.is_file():
            return None
        mapping = json.loads(mapping_file.read_text(encoding="utf-8"))
        target_rel = mapping.get(ids[0])
        if not isinstance(target_rel, str):
            return None
        target = safe_join(base, target_rel)
        if not target.is_file():
            return None
        r = self._file(target)
        r.content_type = "application/octet-stream"
        r.extra.append(("Content-Disposition", content_disposition(target.name)))
        return r
