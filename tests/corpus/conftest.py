"""Corpus test fixtures: skip with a stated reason when the CJK fonts or Chromium are absent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus.fonts import missing_fonts


@pytest.fixture(scope="session")
def cjk_fonts() -> None:
    missing = missing_fonts()
    if missing:
        pytest.skip(
            f"CJK fonts not installed ({', '.join(missing)}): apt-get install fonts-wqy-zenhei "
            "fonts-arphic-uming (.ci/run does)"
        )


@pytest.fixture(scope="session")
def chromium(cjk_fonts: None) -> Path:
    from corpus.pdf_chromium import chromium_path

    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does): producer 2 untested")
    return path


@pytest.fixture(scope="session")
def qpdf() -> str:
    exe = shutil.which("qpdf")
    if exe is None:
        pytest.skip("qpdf is not installed (apt-get install qpdf; .ci/run does)")
    return exe


@pytest.fixture(scope="session", autouse=True)
def _close_chromium():
    """Shut the shared headless Chromium down when the session ends (if a test started it)."""
    yield
    from corpus import pdf_chromium

    pdf_chromium.close_printer()
