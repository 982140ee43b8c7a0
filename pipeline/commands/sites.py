"""Serve the simulated district websites (sample/sites) on 127.0.0.1 until interrupted.

`budgetlens sites serve [--dir sample/sites] [--host 127.0.0.1] [--port 8765]` (port 0: any free
port). The listing of each site is at <base URL>/<site>/index.html.

Ctrl-C (SIGINT) and SIGTERM (`kill PID`) both stop it cleanly: the listening socket and open
connections are closed and the exit status is 0. A server started with SIGINT ignored (a background
job of a script) keeps ignoring Ctrl-C, as background jobs do: stop it with SIGTERM.
"""

from __future__ import annotations

import argparse

DEFAULT_DIR = "sample/sites"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="sites_command", metavar="ACTION", required=True)
    serve = sub.add_parser("serve", help="serve the simulated sites until Ctrl-C or SIGTERM")
    serve.add_argument("--dir", default=DEFAULT_DIR, help=f"sites directory (default: {DEFAULT_DIR})")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default: {DEFAULT_HOST})")
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port, 0 = any free one (default: {DEFAULT_PORT})"
    )


class _Terminated(Exception):
    """SIGTERM arrived: stop serving as Ctrl-C does."""


def _terminate(signum: int, frame: object) -> None:
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a repeated SIGTERM must not interrupt the stop
    raise _Terminated


def handle(args: argparse.Namespace) -> int:
    import os
    import signal
    import sys
    from pathlib import Path

    from budgetlens.scrape.simserver import SimServer

    sites = Path(args.dir)
    if not sites.is_dir():
        print(f"budgetlens sites: no sites directory at {sites}", file=sys.stderr)
        return 2
    server = SimServer(sites, host=args.host, port=args.port)
    # installed before the socket is bound: a SIGTERM at any moment from here on stops cleanly
    signal.signal(signal.SIGTERM, _terminate)
    try:
        try:
            server.start()
        except OSError as exc:
            print(f"budgetlens sites: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
            return 2
        how = "Ctrl-C" if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN else f"kill {os.getpid()}"
        print(f"Serving {sites.resolve()} at {server.base_url}/ ({how} to stop)", flush=True)
        for d in sorted(p for p in sites.iterdir() if p.is_dir() and not p.name.startswith(".")):
            print(f"  {server.url(f'/{d.name}/index.html')}", flush=True)
        server.serve_forever()
    except (KeyboardInterrupt, _Terminated):
        pass
    finally:
        server.stop()  # idempotent: serve_forever has usually stopped it already
    return 0
