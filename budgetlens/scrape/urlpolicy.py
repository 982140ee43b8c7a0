"""Which URLs may be fetched: http(s) only, allowed hosts only, no private addresses unless allowed.

Checked twice: the URL (scheme, host against the allowlist) before a request is built, and every
address a host name resolves to, inside the transport, before a socket is opened (see transport.py).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

ALLOWED_SCHEMES = frozenset({"http", "https"})


class RefusedURL(Exception):
    """A URL or address the policy does not allow; raised before any connection is made."""


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_text(raw_host: bytes) -> str:
    host = raw_host.decode("ascii").lower().rstrip(".")
    return f"[{host}]" if ":" in host else host


def host_key(url: httpx.URL) -> str:
    """`host` or `host:port` (port only when the URL names a non-default one), IDNA, lower-case."""
    host = _host_text(url.raw_host)
    return f"{host}:{url.port}" if url.port is not None else host


def effective_port(url: httpx.URL) -> int | None:
    """The port a connection to `url` uses."""
    return url.port if url.port is not None else _DEFAULT_PORTS.get(url.scheme)


def parse_host_entry(entry: str) -> tuple[str, int | None]:
    """An allowlist entry `host` or `host:port` as (host, port or None = any port); ValueError if malformed."""
    text = entry.strip()
    if not text or any(c in text for c in "/?#@ \\"):
        raise ValueError(f"not a host or host:port: {entry!r}")
    try:
        url = httpx.URL(f"x-host://{text}/")
    except httpx.InvalidURL as exc:
        raise ValueError(f"not a host or host:port: {entry!r}") from exc
    if not url.raw_host:
        raise ValueError(f"not a host or host:port: {entry!r}")
    return _host_text(url.raw_host), url.port


def is_public_address(ip: str) -> bool:
    """True for a globally routable unicast address; False for loopback, private, link-local, …"""
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_global and not addr.is_multicast


def ip_literal(host: str) -> str | None:
    """The address when `host` is an IP literal (brackets allowed), else None."""
    try:
        return str(ipaddress.ip_address(host.strip("[]").split("%", 1)[0]))
    except ValueError:
        return None


def canonical_url(href: str, base: str | None = None) -> str:
    """`href` made absolute against `base`, without fragment, percent-encoded (httpx.URL form).

    Raises ValueError for something that cannot be a URL.
    """
    text = href.strip()
    joined = urljoin(base, text) if base else text
    try:
        url = httpx.URL(joined)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError(f"not a URL: {href!r}") from exc
    return str(url.copy_with(fragment=None))


@dataclass(frozen=True)
class HostPolicy:
    """Allowed (host, port) pairs (port None = any port) and whether private addresses may be used."""

    allowed: frozenset[tuple[str, int | None]]
    allow_private: bool = False

    @classmethod
    def for_hosts(cls, hosts: list[str] | tuple[str, ...], allow_private: bool = False) -> HostPolicy:
        """A policy from allowlist entries `host` / `host:port`."""
        return cls(frozenset(parse_host_entry(h) for h in hosts), allow_private)

    def describe(self) -> str:
        """The allowlist as text, for messages."""
        return ", ".join(sorted(h if p is None else f"{h}:{p}" for h, p in self.allowed)) or "(none)"

    def host_allowed(self, url: httpx.URL) -> bool:
        """True when the URL's host (and port) is on the allowlist."""
        host = _host_text(url.raw_host)
        return (host, None) in self.allowed or (host, effective_port(url)) in self.allowed

    def check_url(self, url: str | httpx.URL) -> httpx.URL:
        """The parsed URL, or RefusedURL: not http(s), credentials in it, host not allowed, or a
        private/loopback IP literal while private addresses are not allowed."""
        try:
            parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise RefusedURL(f"not a URL: {url!r}") from exc
        if parsed.scheme not in ALLOWED_SCHEMES:
            raise RefusedURL(f"scheme {parsed.scheme or '(none)'!r} is not fetched (http and https only)")
        if not parsed.raw_host:
            raise RefusedURL("URL without a host")
        if parsed.userinfo:
            raise RefusedURL("URL with credentials is not fetched")
        if not self.host_allowed(parsed):
            raise RefusedURL(f"host {host_key(parsed)} is not in the allowed hosts ({self.describe()})")
        literal = ip_literal(parsed.raw_host.decode("ascii"))
        if literal is not None:
            self.check_address(literal)
        return parsed

    def check_address(self, ip: str) -> None:
        """RefusedURL when `ip` is not public and private addresses are not allowed."""
        if not self.allow_private and not is_public_address(ip):
            raise RefusedURL(f"address {ip} is private, loopback or reserved (allow_private is off)")
