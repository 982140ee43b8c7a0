"""An httpx client that cannot reach a host its policy refuses.

`GuardedTransport` checks each request's URL against the `HostPolicy` (scheme, allowlist) and
connects through `GuardedBackend`, which resolves the host name itself (an injectable resolver,
so tests simulate DNS without a real lookup), checks every resolved address (no private or
loopback address unless the policy allows it) and then connects to that checked address, so a
name cannot resolve to one address for the check and another for the connection. TLS still
verifies the certificate against the host name (httpcore passes it as the SNI/server name).
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx

from budgetlens.scrape.settings import FetchSettings
from budgetlens.scrape.urlpolicy import HostPolicy, RefusedURL, ip_literal

# resolver(host, port) -> addresses (IP strings). Raise socket.gaierror when the name does not resolve.
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Addresses of `host` from the system resolver (getaddrinfo), in its order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        ip = str(info[4][0])
        if ip not in seen:
            seen.append(ip)
    return seen


class GuardedBackend(httpcore.NetworkBackend):
    """A network backend that resolves, checks every address against the policy, then connects."""

    def __init__(self, policy: HostPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolver = resolver
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        literal = ip_literal(host)
        if literal is not None:
            addresses = [literal]
        else:
            try:
                addresses = self.resolver(host, port)
            except OSError as exc:  # socket.gaierror: the name does not resolve
                raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
            if not addresses:
                raise httpcore.ConnectError(f"cannot resolve {host}: no address")
        for ip in addresses:  # every address must pass, not just the first
            self.policy.check_address(ip)
        last: Exception | None = None
        for ip in addresses:
            try:
                return self._inner.connect_tcp(ip, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise RefusedURL("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx transport: URL policy check per request, address policy check per connection."""

    def __init__(
        self,
        policy: HostPolicy,
        *,
        resolver: Resolver = system_resolver,
        verify: ssl.SSLContext | bool = True,
        max_connections: int = 4,
    ) -> None:
        super().__init__(trust_env=False)  # no proxy from the environment: traffic goes where the policy says
        self.policy = policy
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(policy, resolver),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.policy.check_url(request.url)
        return super().handle_request(request)


def build_client(
    policy: HostPolicy,
    settings: FetchSettings,
    *,
    resolver: Resolver = system_resolver,
    verify: ssl.SSLContext | bool = True,
) -> httpx.Client:
    """An httpx.Client for one source: guarded transport, no automatic redirects (the fetcher
    follows and checks each hop), the settings' timeouts and User-Agent, no proxies from the
    environment."""
    transport = GuardedTransport(
        policy, resolver=resolver, verify=verify, max_connections=settings.max_per_host * 2
    )
    return httpx.Client(
        transport=transport,
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        headers={"User-Agent": settings.user_agent},
    )
