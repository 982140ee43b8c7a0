"""The simulated district websites: a real threaded HTTP server on 127.0.0.1.

Serves a sites directory (docs/corpus.md): static files (a directory serves its index.html), the
download script `<dir>/download.jsp?id=N` mapped by `<dir>/downloads.json` ({"N": "files/x.pdf"})
and answered with an RFC 6266 Content-Disposition (`filename*=UTF-8''…`), strong ETags and
Last-Modified with 304 on conditional GET. `make run` fetches the bundled sample from it
(`serve_simulated`, for a sources config with `{simulated}` listings) and `budgetlens sites serve`
runs it in the foreground.

    with SimServer(sites_dir) as srv:
        srv.base_url            # http://127.0.0.1:<free port>
        srv.url("/luohu/index.html")

The tests' server (faults injected per path, request records, robots.txt given in code, TLS)
subclasses it in the dev package: corpus/faultserver.py.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import mimetypes
import socket
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, quote, unquote, urlsplit

from budgetlens.scrape.store import UnsafePathError, safe_join

DEFAULT_HOST = "127.0.0.1"


@dataclass
class Resource:
    """What a GET of one path answers: body, type, validators and extra headers."""

    body: bytes
    content_type: str
    etag: str
    last_modified: str
    extra: list[tuple[str, str]] = field(default_factory=list)


def content_disposition(name: str) -> str:
    """`attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266/5987)."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def strong_etag(body: bytes) -> str:
    """A strong ETag for a body (a sha256 prefix, quoted)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def http_date(ts: float) -> str:
    """An HTTP date (RFC 9110 IMF-fixdate) for a POSIX timestamp."""
    return email.utils.formatdate(ts, usegmt=True)


class SiteHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the server's sites directory."""

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

    def _dispatch(self, head: bool) -> None:
        parts = urlsplit(self.path)
        self._status = None
        try:
            self._serve(unquote(parts.path, errors="replace"), parts.query, head)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            self.close_connection = True

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

    def _not_modified(self, r: Resource) -> bool:
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

    def _headers_for(self, r: Resource, status: int = 200, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", r.content_type)
        self.send_header("ETag", r.etag)
        self.send_header("Last-Modified", r.last_modified)
        for k, v in r.extra:
            self.send_header(k, v)
        if length is not None:
            self.send_header("Content-Length", str(length))

    def _send_resource(self, r: Resource, head: bool) -> None:
        if self._not_modified(r):
            self._headers_for(r, 304)
            self.end_headers()
            return
        self._headers_for(r, 200, len(r.body))
        self.end_headers()
        if not head:
            self.wfile.write(r.body)


class SiteHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # never wait for a client's idle keep-alive connection on close
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up (reset, broken pipe, timeout) is normal here; anything else is printed."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class SimServer:
    """The simulated sites on a loopback address, in a background thread. A context manager."""

    handler_class: type[SiteHandler] = SiteHandler
    server_class: type[SiteHTTPServer] = SiteHTTPServer
    scheme = "http"

    def __init__(self, sites_dir: Path, *, host: str = DEFAULT_HOST, port: int = 0) -> None:
        self.sites_dir = Path(sites_dir).resolve()
        if not self.sites_dir.is_dir():
            raise FileNotFoundError(f"no sites directory at {self.sites_dir}")
        self.host, self.port = host, port
        self._closing = threading.Event()  # set by stop(): handlers that wait give up
        self._connections: set[socket.socket] = set()
        self._etags: dict[tuple[str, int, int], str] = {}
        self._httpd: SiteHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def _make_httpd(self) -> SiteHTTPServer:
        handler = type("SimHandler", (self.handler_class,), {"sim": self})
        return self.server_class((self.host, self.port), handler)

    def start(self) -> SimServer:
        """Bind and serve in a background thread; `base_url` is valid from now on."""
        self._closing.clear()
        self._httpd = self._make_httpd()
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
        """Stop serving, wake waiting handlers and close open connections."""
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
        """`http://127.0.0.1:<port>` (no trailing slash)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    def url(self, path: str) -> str:
        """Absolute, percent-encoded URL of a decoded path (`/luohu/files/2022年….pdf`)."""
        return self.base_url + quote(path, safe="/?=&")

    # -- content ---------------------------------------------------------------------------------

    def _file(self, path: Path) -> Resource:
        st = path.stat()
        body = path.read_bytes()
        key = (str(path), st.st_mtime_ns, st.st_size)
        etag = self._etags.get(key)
        if etag is None:
            etag = self._etags[key] = strong_etag(body)
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype.startswith("text/"):
            ctype += "; charset=utf-8"
        return Resource(body, ctype, etag, http_date(st.st_mtime))

    def resource(self, path: str, query: str = "") -> Resource | None:
        """What a GET of `path` (decoded) returns, or None for 404."""
        try:
            rel = path.lstrip("/")
            if rel.endswith("download.jsp") or rel == "download.jsp":
                return self._download(rel, query)
            target = safe_join(self.sites_dir, rel) if rel else self.sites_dir
            if target.is_dir():
                target = target / "index.html"
            return self._file(target) if target.is_file() else None
        except (UnsafePathError, OSError, ValueError):
            return None

    def _download(self, rel: str, query: str) -> Resource | None:
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
