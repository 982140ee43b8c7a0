"""Importing the parser (and the parse command) must not import Dagster or Great Expectations."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.parametrize("module", ["budgetlens.parse", "pipeline.commands.parse", "pipeline.cli"])
def test_no_dagster_or_gx_on_import(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('dagster', 'great_expectations'))\n"
        "print(','.join(bad))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ""


def test_public_api() -> None:
    import budgetlens.parse as p

    assert callable(p.parse_pdf) and callable(p.parse_many)
    assert isinstance(p.PARSER_VERSION, str) and p.PARSER_VERSION
    assert p.DEFAULT_TIMEOUT_S > 0 and p.DEFAULT_MEMORY_MB > 0
