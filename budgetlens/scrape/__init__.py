"""Sources and scraping: find budget PDFs on district websites (or a drop folder) and store them.

The pipeline's entry points:

    config = load_sources(Path("sources/sample.toml"))
    with serve_simulated(config) as base_url:          # only for {simulated} listings
        config = config.with_simulated_base(base_url) if base_url else config
        report = fetch_jurisdiction(config, "luohu", RawStore(Path("data/raw")))
    report.documents   # DocumentVersion: url, sha256, status downloaded|unchanged, previous_sha256 …
    report.log         # FetchLogEntry.to_row(): the fetch_log rows

See docs/sources.md for the config and the guarantees.
"""

from budgetlens.scrape.config import (
    LinkRule,
    Pagination,
    SimulatedSites,
    Source,
    SourcesConfig,
    SourcesConfigError,
    load_sources,
)
from budgetlens.scrape.crawler import crawl_listing, fetch_documents, fetch_jurisdiction
from budgetlens.scrape.drop import DropFile, scan_drop_folder
from budgetlens.scrape.fetcher import Fetcher
from budgetlens.scrape.limiter import DEFAULT_LIMITER, HostLimiter
from budgetlens.scrape.records import FETCH_LOG_COLUMNS, OUTCOMES, DocumentVersion, FetchLogEntry, FetchReport
from budgetlens.scrape.settings import FetchSettings
from budgetlens.scrape.simserver import SimServer
from budgetlens.scrape.simulated import serve_simulated
from budgetlens.scrape.store import RawStore, StoredBlob, UnsafePathError
from budgetlens.scrape.transport import build_client
from budgetlens.scrape.urlpolicy import HostPolicy, RefusedURL

__all__ = [
    "DEFAULT_LIMITER",
    "FETCH_LOG_COLUMNS",
    "OUTCOMES",
    "DocumentVersion",
    "DropFile",
    "FetchLogEntry",
    "FetchReport",
    "FetchSettings",
    "Fetcher",
    "HostLimiter",
    "HostPolicy",
    "LinkRule",
    "Pagination",
    "RawStore",
    "RefusedURL",
    "SimServer",
    "SimulatedSites",
    "Source",
    "SourcesConfig",
    "SourcesConfigError",
    "StoredBlob",
    "UnsafePathError",
    "build_client",
    "crawl_listing",
    "fetch_documents",
    "fetch_jurisdiction",
    "load_sources",
    "scan_drop_folder",
    "serve_simulated",
]
