"""Bad input never crashes the parser: damaged bytes give a record (with an error code or not)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetlens.fields import ERROR_CODES
from budgetlens.parse import parse_bytes, parse_many


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory, cjk_font) -> bytes:
    from tests.parse import pdfmaker

    return pdfmaker.render(pdfmaker.Doc(), tmp_path_factory.mktemp("pdf") / "good.pdf").read_bytes()


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_damaged_bytes_give_a_record_never_an_exception(good_bytes: bytes, data) -> None:
    raw = bytearray(good_bytes)
    for _ in range(data.draw(st.integers(1, 20), label="flips")):
        i = data.draw(st.integers(0, len(raw) - 1), label="offset")
        raw[i] = data.draw(st.integers(0, 255), label="byte")
    records = parse_bytes(bytes(raw), "damaged.pdf")
    assert records
    for rec in records:
        assert rec["source"]["file"] == "damaged.pdf"
        assert rec["error"] is None or rec["error"]["code"] in ERROR_CODES


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_are_refused_cleanly(data: bytes) -> None:
    rec = parse_bytes(data, "x.pdf")[0]
    assert rec["error"] is not None and rec["error"]["code"] in ERROR_CODES


def test_parse_many_from_a_threaded_process_uses_a_clean_fork_server(make_pdf) -> None:
    # a process running threads (as the Dagster daemon does) must not fork itself mid-lock
    stop = threading.Event()
    t = threading.Thread(target=stop.wait, daemon=True)
    t.start()
    try:
        docs = [make_pdf(f"d{i}.pdf") for i in range(2)]
        results = dict(parse_many(docs, workers=2))
    finally:
        stop.set()
        t.join()
    assert sorted(results) == sorted(Path(d) for d in docs)
    assert all(r[0]["error"] is None for r in results.values())
