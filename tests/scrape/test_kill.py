"""A fetch killed (SIGKILL) in the middle of a download leaves no file under a final name, and the
next run completes it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from budgetlens.scrape import load_sources
from budgetlens.scrape.records import DOWNLOADED
from corpus.faultserver import Fault

from .conftest import DIRECT, WEB_SOURCE, Harness, write_config

REPO = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from pathlib import Path
from budgetlens.scrape import RawStore, fetch_jurisdiction, load_sources
cfg = load_sources(Path(sys.argv[1]), simulated_base_url=sys.argv[2])
print("start", flush=True)
fetch_jurisdiction(cfg, "luohu", RawStore(Path(sys.argv[3])))
"""


def test_kill_during_download_leaves_no_partial_final_file(harness: Harness) -> None:
    target = f"/luohu/files/{DIRECT[1]}"
    harness.server.set_faults(target, Fault.trickle(0.02))
    cfg_path = write_config(
        harness.tmp / "kill.toml",
        {"luohu": dict(WEB_SOURCE)},
        defaults={"deadline": 60.0},
        simulated_dir=harness.site.root,
    )
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(cfg_path), harness.server.base_url, str(harness.store.root)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "start"
        for _ in range(500):  # until the trickled download is under way (bounded)
            if harness.server.hits(target) and harness.store.partials():
                break
            time.sleep(0.02)
        assert harness.server.hits(target) == 1 and harness.store.partials()
    finally:
        child.kill()
        child.wait(timeout=10)
    assert child.returncode == -9
    final = {harness.store.path_for(s).read_bytes() for s in harness.store.iter_sha256()}
    assert harness.site.pdfs[target] not in final  # nothing under a final name for the cut download
    assert all(b.startswith(b"%PDF-") and b in harness.site.pdfs.values() for b in final)

    harness.server.clear_faults()
    harness.config = load_sources(cfg_path, simulated_base_url=harness.server.base_url)
    report = harness.run()
    assert harness.entry(report, target).outcome == DOWNLOADED
    assert (
        harness.store.path_for(harness.entry(report, target).sha256).read_bytes() == harness.site.pdfs[target]
    )
    harness.store.sweep_partials(older_than=-1)
    assert harness.store.partials() == []
