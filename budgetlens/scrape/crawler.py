"""One jurisdiction end to end: listing pages → document links → PDFs in the raw store.

`fetch_jurisdiction` is what the pipeline calls, once per jurisdiction (the Dagster partition).
"""

from __future__ import annotations

import random
import ssl
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from budgetlens.scrape.config import Source, SourcesConfig
from budgetlens.scrape.drop import ingest_drop_folder
from budgetlens.scrape.fetcher import Fetcher
from budgetlens.scrape.limiter import DEFAULT_LIMITER, HostLimiter
from budgetlens.scrape.links import extract_links, next_page_links, numbered_page_url
from budgetlens.scrape.names import decode_html
from budgetlens.scrape.records import (
    ABSENT,
    REFUSED_HOST,
    STORAGE_ERROR,
    DocumentVersion,
    FetchLogEntry,
    FetchReport,
)
from budgetlens.scrape.state import FetchState, open_state
from budgetlens.scrape.store import RawStore
from budgetlens.scrape.transport import Resolver, build_client, system_resolver

# progress(entry, done, total): after every fetch; done/total count this jurisdiction's
# documents (total is 0 while the listing pages are still being read).
Progress = Callable[[FetchLogEntry, int, int], None]
_END_OF_PAGES = frozenset({404, 410})


def crawl_listing(
    fetcher: Fetcher, source: Source, progress: Progress | None = None
) -> tuple[list[str], bool]:
    """Document URLs found on the source's listing pages, in page order without duplicates, and
    whether every listing page was read (False: some failed, so the list may be incomplete).

    Follows numbered pages (`pagination.pattern`, ending at the first 404/410) and "next" links
    (`pagination.next_selector`), at most `max_pages` pages in all. Links the host policy refuses
    are logged as `refused_host` here, without any request."""
    assert source.listing is not None
    pag, rule = source.pagination, source.links
    queue: list[str] = [source.listing]
    numbered: set[str] = set()  # URLs made from pagination.pattern: a 404/410 there ends the listing
    visited: set[str] = set()
    urls: list[str] = []
    refused: set[str] = set()
    complete = True
    next_number = pag.start
    while queue and len(visited) < source.settings.max_pages:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        page = fetcher.fetch_page(
            url, kind="listing", end_statuses=_END_OF_PAGES if url in numbered else frozenset()
        )
        if progress is not None:
            progress(page.entry, 0, 0)
        if pag.pattern and (url == source.listing or url in numbered) and page.entry.outcome != ABSENT:
            following = numbered_page_url(source.listing, pag.pattern, next_number)
            next_number += 1
            numbered.add(following)
            queue.append(following)
        if page.body is None:
            complete = complete and page.entry.outcome == ABSENT
            continue
        html = decode_html(page.body, page.content_type)
        for link in extract_links(
            html,
            page.final_url,
            selector=rule.selector,
            href_pattern=rule.href_pattern,
            text_pattern=rule.text_pattern,
        ):
            if link.url in urls or link.url in refused:
                continue
            why = fetcher.check(link.url)
            if why is not None:
                refused.add(link.url)
                entry = fetcher.refuse(
                    link.url, "document", REFUSED_HOST, f"{why} (linked from {page.final_url})"
                )
                if progress is not None:
                    progress(entry, 0, 0)
                continue
            urls.append(link.url)
        if pag.next_selector:
            queue.extend(next_page_links(html, page.final_url, pag.next_selector))
    return urls, complete


def fetch_documents(
    fetcher: Fetcher, urls: list[str], progress: Progress | None = None
) -> list[DocumentVersion]:
    """Fetch `urls` with at most `max_per_host` in flight; documents in the order of `urls`."""
    results: list[DocumentVersion | None] = [None] * len(urls)
    done = 0
    lock = threading.Lock()

    def one(i: int) -> None:
        nonlocal done
        doc, entry = fetcher.fetch_document(urls[i])
        results[i] = doc
        with lock:
            done += 1
            if progress is not None:
                progress(entry, done, len(urls))

    workers = max(1, min(fetcher.settings.max_per_host, len(urls)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"fetch-{fetcher.source.id}") as pool:
        for future in [pool.submit(one, i) for i in range(len(urls))]:
            future.result()
    return [d for d in results if d is not None]


def fetch_jurisdiction(
    config: SourcesConfig,
    jurisdiction: str,
    store: RawStore,
    *,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
    limiter: HostLimiter = DEFAULT_LIMITER,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
    resolver: Resolver = system_resolver,
    verify: ssl.SSLContext | bool = True,
) -> FetchReport:
    """Fetch every document of one source (by id) into `store` and return what was found and logged.

    A run with nothing new makes only conditional requests and stores nothing. Failures of single
    documents are in `report.log` (never raised); `report.complete` is False when a listing page
    could not be read. `client` defaults to `build_client(...)` for the source (guarded
    transport); a client passed in should come from `build_client` too, as only the URL checks
    run outside the transport. `sleep`, `rng`, `resolver` and `verify` are for tests.
    Raises KeyError for an unknown source and ValueError for an unexpanded `{simulated}` listing.
    """
    source = config.source(jurisdiction)
    if not source.ready:
        raise ValueError(
            f"source {jurisdiction!r} lists {source.listing!r}: serve the simulated sites "
            "(serve_simulated) and load the config with simulated_base_url first"
        )
    with open_state(store, source.id) as state:
        if source.kind == "drop":
            report = ingest_drop_folder(source, store, state, progress=progress)
        else:
            report = _fetch_web(source, store, state, client, progress, limiter, sleep, rng, resolver, verify)
    if state.save_error:  # e.g. a full disk: the documents are fine, only the next run's validators are lost
        report.log.append(
            FetchLogEntry(
                jurisdiction=source.id,
                kind="state",
                url=state.path.as_uri(),
                outcome=STORAGE_ERROR,
                error=f"fetch state not saved ({state.save_error}): the next run asks without validators "
                "and finds stored documents unchanged",
            )
        )
    return report


def _fetch_web(
    source: Source,
    store: RawStore,
    state: FetchState,
    client: httpx.Client | None,
    progress: Progress | None,
    limiter: HostLimiter,
    sleep: Callable[[float], None],
    rng: random.Random | None,
    resolver: Resolver,
    verify: ssl.SSLContext | bool,
) -> FetchReport:
    """`fetch_jurisdiction` for a website source, inside its open fetch state."""
    own_client = client is None
    http = (
        client
        if client is not None
        else build_client(source.policy(), source.settings, resolver=resolver, verify=verify)
    )
    try:
        fetcher = Fetcher(source, store, state, http, limiter=limiter, sleep=sleep, rng=rng)
        urls, complete = crawl_listing(fetcher, source, progress)
        documents = fetch_documents(fetcher, urls, progress)
    finally:
        if own_client:
            http.close()
    return FetchReport(source.id, documents=documents, log=list(fetcher.log), complete=complete)
