"""The fault suite (issue 8): fixtures, hypothesis settings, and the summary table.

Every test here is marked `reliability` (module-level `pytestmark`). The table of faults tried and
survived is printed at the end of the session and written to test-artifacts/reliability.json;
under pytest-xdist each worker sends its rows to the controller, which prints and writes them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.reliability.faulttable import FaultTable

REPO = Path(__file__).resolve().parents[2]
ARTIFACT = REPO / "test-artifacts" / "reliability.json"
TABLE = FaultTable()
_WORKER_KEY = "budgetlens_reliability"


def pytest_configure(config: pytest.Config) -> None:
    # `make reliability` runs without xdist (-p no:xdist), whose marker must still be known
    config.addinivalue_line("markers", "xdist_group(name): keep these tests on one xdist worker")


@pytest.fixture(scope="session")
def faults() -> FaultTable:
    """The session's fault table (see faulttable.py)."""
    return TABLE


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the rows to the controller
        workeroutput[_WORKER_KEY] = json.dumps(TABLE.to_json())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # noqa: ANN001 - xdist's hook signature
    rows = getattr(node, "workeroutput", {}).get(_WORKER_KEY)
    if rows:
        TABLE.merge_json(json.loads(rows))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001 - pytest's hook
    if getattr(config, "workeroutput", None) is not None or not TABLE.rows:
        return
    terminalreporter.section("reliability: faults tried and survived")
    for line in TABLE.lines():
        terminalreporter.write_line(line)
    TABLE.write(ARTIFACT)
    terminalreporter.write_line(f"written to {ARTIFACT.relative_to(REPO)}")
