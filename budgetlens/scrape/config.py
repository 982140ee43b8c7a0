"""The sources config (TOML; docs/sources.md): which jurisdictions, where their documents are, how politely.

`load_sources(path)` reads one file or every `*.toml` in a directory. A listing URL may start with
`{simulated}`: the base URL of the bundled simulated sites, known only once they are served
(`serve_simulated(config)`), then expanded by `load_sources(path, simulated_base_url=…)` or
`config.with_simulated_base(…)`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from budgetlens.scrape.links import valid_selector
from budgetlens.scrape.settings import SETTING_NAMES, FetchSettings, SettingsError
from budgetlens.scrape.urlpolicy import HostPolicy, host_key, ip_literal, parse_host_entry

SIMULATED_TOKEN = "{simulated}"
DEFAULT_LINK_SELECTOR = "a[href]"
DEFAULT_HREF_PATTERN = r"(?i)\.pdf(?:$|\?)"
DEFAULT_SIMULATED_HOST = "127.0.0.1"
SOURCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

_TOP_KEYS = {"defaults", "simulated", "sources"}
_SOURCE_KEYS = {"name", "listing", "drop_dir", "allowed_hosts", "links", "pagination"} | SETTING_NAMES
_LINK_KEYS = {"selector", "href_pattern", "text_pattern"}
_PAGINATION_KEYS = {"pattern", "next_selector", "start"}
_SIMULATED_KEYS = {"dir", "host", "port", "site_template"}
SITE_TOKEN = "{site}"


class SourcesConfigError(ValueError):
    """The sources config is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class LinkRule:
    """Which links on a listing page are documents: CSS selector, then regexes over the
    percent-decoded absolute URL and over the link text (each only when given)."""

    selector: str = DEFAULT_LINK_SELECTOR
    href_pattern: str | None = DEFAULT_HREF_PATTERN
    text_pattern: str | None = None

    def __post_init__(self) -> None:
        if not self.selector.strip() or not valid_selector(self.selector):
            raise ValueError(f"links.selector is not a CSS selector: {self.selector!r}")
        for name in ("href_pattern", "text_pattern"):
            pattern = getattr(self, name)
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"links.{name} is not a regex: {exc}") from exc


@dataclass(frozen=True)
class Pagination:
    """More listing pages: numbered (`pattern` with `{n}`, from `start`, relative to the listing
    URL; a 404 ends them) and/or a "next page" link (`next_selector`). `max_pages` is a setting."""

    pattern: str | None = None
    next_selector: str | None = None
    start: int = 1

    def __post_init__(self) -> None:
        if self.pattern is not None and self.pattern.count("{n}") != 1:
            raise ValueError("pagination.pattern must contain {n} exactly once, e.g. index_{n}.html")
        if self.start < 0:
            raise ValueError("pagination.start must be >= 0")
        if self.next_selector is not None and not valid_selector(self.next_selector):
            raise ValueError(f"pagination.next_selector is not a CSS selector: {self.next_selector!r}")


@dataclass(frozen=True)
class Source:
    """One jurisdiction's source: a website listing (`listing`) or a local drop folder (`drop_dir`)."""

    id: str
    name: str | None
    listing: str | None
    drop_dir: Path | None
    allowed_hosts: tuple[str, ...]
    links: LinkRule
    pagination: Pagination
    settings: FetchSettings
    uses_simulated: bool = False

    @property
    def kind(self) -> str:
        """ "web" or "drop"."""
        return "drop" if self.drop_dir is not None else "web"

    @property
    def ready(self) -> bool:
        """False while the listing still holds an unexpanded `{simulated}`."""
        return self.listing is None or SIMULATED_TOKEN not in self.listing

    def policy(self) -> HostPolicy:
        """The host policy of this source: its allowed hosts and `allow_private`."""
        return HostPolicy.for_hosts(self.allowed_hosts, self.settings.allow_private)


@dataclass(frozen=True)
class SimulatedSites:
    """The bundled simulated sites: a directory served on a loopback address (port 0 = any free port)."""

    dir: Path
    host: str = DEFAULT_SIMULATED_HOST
    port: int = 0


@dataclass(frozen=True)
class SourcesConfig:
    """Every source by id, and the simulated sites section if any."""

    paths: tuple[Path, ...]
    sources: dict[str, Source]
    simulated: SimulatedSites | None = None
    simulated_base_url: str | None = None
    _documents: tuple[tuple[Path, dict[str, Any]], ...] = field(default=(), repr=False, compare=False)

    @property
    def jurisdictions(self) -> list[str]:
        """Source ids in config order (the partition keys)."""
        return list(self.sources)

    @property
    def needs_simulated(self) -> bool:
        """True when some listing refers to `{simulated}` and no base URL was given yet."""
        return any(not s.ready for s in self.sources.values())

    def source(self, source_id: str) -> Source:
        """The source with this id; KeyError naming the known ones."""
        try:
            return self.sources[source_id]
        except KeyError:
            raise KeyError(
                f"no source {source_id!r} in {', '.join(map(str, self.paths))} "
                f"(known: {', '.join(self.sources) or 'none'})"
            ) from None

    def with_simulated_base(self, base_url: str) -> SourcesConfig:
        """The same config with `{simulated}` expanded to `base_url` (e.g. http://127.0.0.1:8765)."""
        return _build(self._documents, base_url)


def load_sources(path: Path, *, simulated_base_url: str | None = None) -> SourcesConfig:
    """Read a sources config file, or every `*.toml` in a directory (sorted, ids must be unique)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.toml") if p.is_file())
        if not files:
            if any(p.is_file() and p.suffix.lower() == ".pdf" for p in path.iterdir()):
                return _build(((path.resolve(), drop_folder_config(path)),), simulated_base_url)
            raise SourcesConfigError(f"{path}: no *.toml sources config and no .pdf file in this directory")
    elif path.is_file():
        files = [path]
    else:
        raise SourcesConfigError(f"{path}: no such sources config")
    documents = []
    for f in files:
        try:
            with f.open("rb") as fh:
                documents.append((f.resolve(), tomllib.load(fh)))
        except tomllib.TOMLDecodeError as exc:
            raise SourcesConfigError(f"{f}: not valid TOML: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise SourcesConfigError(f"{f}: not UTF-8: {exc}") from exc
    return _build(tuple(documents), simulated_base_url)


def drop_folder_config(folder: Path) -> dict[str, Any]:
    """A folder of PDFs given as --sources: one drop-folder source named after the folder (its id
    the folder name where that is a valid id, else drop-<hash of the path>)."""
    import hashlib

    folder = folder.resolve()
    sid = (
        folder.name
        if SOURCE_ID.match(folder.name)
        else "drop-" + hashlib.sha256(str(folder).encode()).hexdigest()[:8]
    )
    return {"sources": {sid: {"name": folder.name, "drop_dir": str(folder)}}}


def _check_keys(where: str, table: Any, allowed: set[str] | frozenset[str]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise SourcesConfigError(f"{where} must be a table")
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise SourcesConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )
    return table


def _settings(where: str, base: FetchSettings, values: dict[str, Any]) -> FetchSettings:
    picked = {k: v for k, v in values.items() if k in SETTING_NAMES}
    if isinstance(picked.get("max_bytes"), float):
        picked["max_bytes"] = int(picked["max_bytes"])
    try:
        return base.with_overrides(picked)
    except SettingsError as exc:
        raise SourcesConfigError(f"{where}: {exc}") from exc


def _http_url(text: str, what: str) -> httpx.URL:
    """`text` as an absolute http(s) URL, or SourcesConfigError naming `what`."""
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise SourcesConfigError(f"{what} {text!r}: {exc}") from exc
    if url.scheme not in ("http", "https") or not url.raw_host:
        raise SourcesConfigError(f"{what} must be an http(s) URL, got {text!r}")
    return url


def _build(documents: tuple[tuple[Path, dict[str, Any]], ...], base_url: str | None) -> SourcesConfig:
    if base_url is not None:
        _http_url(base_url, "simulated base URL")
        base_url = base_url.rstrip("/")
    sources: dict[str, Source] = {}
    simulated: SimulatedSites | None = None
    for path, data in documents:
        _check_keys(str(path), data, _TOP_KEYS)
        file_defaults = _settings(
            f"{path} [defaults]",
            FetchSettings(),
            _check_keys(f"{path} [defaults]", data.get("defaults", {}), SETTING_NAMES),
        )
        if "simulated" in data:
            sim = _simulated(path, data["simulated"])
            if simulated is not None and sim != simulated:
                raise SourcesConfigError(
                    f"{path}: a second, different [simulated] section ({simulated.dir} already)"
                )
            simulated = sim
        table = _check_keys(f"{path} [sources]", data.get("sources", {}), set(data.get("sources", {})))
        for sid, values in table.items():
            if sid in sources:
                raise SourcesConfigError(f"{path}: source {sid!r} is defined twice")
            sources[sid] = _source(path, sid, values, file_defaults, base_url)
        template = (
            data.get("simulated", {}).get("site_template")
            if isinstance(data.get("simulated"), dict)
            else None
        )
        if template is not None and simulated is not None:
            for sid, values in _sites_from_template(path, simulated.dir, template).items():
                sources.setdefault(sid, _source(path, sid, values, file_defaults, base_url))
    if not sources:
        raise SourcesConfigError(f"{', '.join(str(p) for p, _ in documents)}: no [sources.<id>] defined")
    if any(s.uses_simulated for s in sources.values()) and simulated is None:
        raise SourcesConfigError(
            "a listing uses {simulated} but no [simulated] section says which directory to serve"
        )
    return SourcesConfig(
        paths=tuple(p for p, _ in documents),
        sources=sources,
        simulated=simulated,
        simulated_base_url=base_url,
        _documents=documents,
    )


def _sites_from_template(path: Path, sites_dir: Path, template: Any) -> dict[str, dict[str, Any]]:
    """One source table per site directory (sorted; hidden ones skipped), `{site}` in its listing
    replaced by the directory name. Directories whose name is not a valid source id are skipped."""
    where = f"{path} [simulated.site_template]"
    _check_keys(where, template, _SOURCE_KEYS - {"drop_dir"})
    listing = template.get("listing")
    if not isinstance(listing, str) or not listing.startswith(SIMULATED_TOKEN) or SITE_TOKEN not in listing:
        raise SourcesConfigError(
            f"{where}: listing must start with {SIMULATED_TOKEN} and contain {SITE_TOKEN}"
        )
    if not sites_dir.is_dir():
        return {}
    out: dict[str, dict[str, Any]] = {}
    for d in sorted(p for p in sites_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if SOURCE_ID.match(d.name):
            out[d.name] = {**template, "listing": listing.replace(SITE_TOKEN, quote(d.name))}
    return out


def _simulated(path: Path, values: Any) -> SimulatedSites:
    where = f"{path} [simulated]"
    _check_keys(where, values, _SIMULATED_KEYS)
    if not isinstance(values.get("dir"), str) or not values["dir"]:
        raise SourcesConfigError(f"{where}: dir (the sites directory, relative to this file) is required")
    host = values.get("host", DEFAULT_SIMULATED_HOST)
    literal = ip_literal(host) if isinstance(host, str) else None
    if literal is None or not literal.startswith("127.") and literal != "::1":
        raise SourcesConfigError(f"{where}: host must be a loopback address (127.0.0.1), got {host!r}")
    port = values.get("port", 0)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
        raise SourcesConfigError(f"{where}: port must be 0..65535 (0 = a free port)")
    return SimulatedSites(dir=(path.parent / values["dir"]).resolve(), host=literal, port=port)


def _source(path: Path, sid: str, values: Any, defaults: FetchSettings, base_url: str | None) -> Source:
    where = f"{path} [sources.{sid}]"
    if not SOURCE_ID.match(sid):
        raise SourcesConfigError(
            f"{where}: a source id is letters, digits, '_', '-', '.' (at most 64), got {sid!r}"
        )
    _check_keys(where, values, _SOURCE_KEYS)
    settings = _settings(where, defaults, values)
    name = values.get("name")
    if name is not None and not isinstance(name, str):
        raise SourcesConfigError(f"{where}: name must be a string")
    listing, drop = values.get("listing"), values.get("drop_dir")
    if (listing is None) == (drop is None):
        raise SourcesConfigError(f"{where}: give exactly one of listing (a URL) or drop_dir (a folder)")
    try:
        links = LinkRule(**_check_keys(f"{where}.links", values.get("links", {}), _LINK_KEYS))
        pagination = Pagination(
            **_check_keys(f"{where}.pagination", values.get("pagination", {}), _PAGINATION_KEYS)
        )
    except (TypeError, ValueError) as exc:
        raise SourcesConfigError(f"{where}: {exc}") from exc
    hosts = values.get("allowed_hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        raise SourcesConfigError(f'{where}: allowed_hosts must be a list of "host" or "host:port"')
    for h in hosts:
        try:
            parse_host_entry(h)
        except ValueError as exc:
            raise SourcesConfigError(f"{where}: allowed_hosts: {exc}") from exc
    if drop is not None:
        if not isinstance(drop, str) or not drop or "\x00" in drop:
            raise SourcesConfigError(f"{where}: drop_dir must be a folder path")
        return Source(
            sid, name, None, (path.parent / drop).resolve(), tuple(hosts), links, pagination, settings
        )
    if not isinstance(listing, str) or not listing.strip():
        raise SourcesConfigError(f"{where}: listing must be a URL")
    uses_simulated = listing.startswith(SIMULATED_TOKEN)
    if SIMULATED_TOKEN in listing and not uses_simulated:
        raise SourcesConfigError(f"{where}: {{simulated}} may only start a listing URL")
    if uses_simulated and not settings.allow_private:
        raise SourcesConfigError(f"{where}: the simulated sites are on 127.0.0.1; set allow_private = true")
    if uses_simulated and base_url is not None:
        listing = base_url + listing[len(SIMULATED_TOKEN) :]
    if SIMULATED_TOKEN not in listing:
        url = _http_url(listing, f"{where}: listing")
        if not hosts:
            hosts = [host_key(url)]  # the listing's host (with its port when it names one)
    return Source(sid, name, listing, None, tuple(hosts), links, pagination, settings, uses_simulated)
