"""Serving the bundled simulated sites for a sources config that refers to `{simulated}`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from budgetlens.scrape.config import SourcesConfig
from budgetlens.scrape.simserver import SimServer


@contextmanager
def serve_simulated(config: SourcesConfig) -> Iterator[str | None]:
    """Serve the config's [simulated] directory on its loopback address while the block runs and
    yield the base URL (None, serving nothing, when the config has no [simulated] section).

        cfg = load_sources(path)
        with serve_simulated(cfg) as base_url:
            cfg = cfg.with_simulated_base(base_url) if base_url else cfg
            fetch_jurisdiction(cfg, "luohu", store)
    """
    sim = config.simulated
    if sim is None:
        yield None
        return
    if not sim.dir.is_dir():
        raise FileNotFoundError(f"[simulated] dir {sim.dir} does not exist (render the sample corpus first)")
    with SimServer(sim.dir, host=sim.host, port=sim.port) as server:
        yield server.base_url
