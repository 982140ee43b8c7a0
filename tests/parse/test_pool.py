"""parse_many: worker processes with a time and a memory limit; results stream back as they finish."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetlens.parse import ParseSettings, parse_many


@pytest.fixture
def docs(make_pdf) -> list[Path]:
    return [make_pdf(f"doc{i}.pdf") for i in range(3)]


def test_every_file_comes_back_once_and_on_result_sees_each(docs: list[Path]) -> None:
    seen: list[Path] = []
    results = list(parse_many(docs, workers=2, on_result=lambda p, recs: seen.append(p)))
    assert sorted(p for p, _ in results) == sorted(docs)
    assert seen == [p for p, _ in results]
    assert all(recs[0]["error"] is None for _, recs in results)


def test_a_hanging_worker_is_killed_and_its_file_gets_timeout(docs: list[Path]) -> None:
    results = dict(parse_many(docs[:1], workers=1, timeout_s=1.0, settings=ParseSettings(debug_sleep_s=30)))
    err = results[docs[0]][0]["error"]
    assert err["code"] == "timeout" and "1 s" in err["message"]
    assert results[docs[0]][0]["source"]["file"] == docs[0].name


def test_a_ballooning_worker_gets_too_large(docs: list[Path]) -> None:
    results = dict(
        parse_many(docs[:1], workers=1, memory_mb=300, settings=ParseSettings(debug_allocate_mb=2000))
    )
    assert results[docs[0]][0]["error"]["code"] == "too_large"


def test_a_crashing_worker_gives_internal_and_is_replaced(docs: list[Path]) -> None:
    results = dict(parse_many(docs[:2], workers=1, settings=ParseSettings(debug_crash=True)))
    assert {recs[0]["error"]["code"] for recs in results.values()} == {"internal"}


def test_after_a_killed_worker_the_other_files_still_parse(docs: list[Path]) -> None:
    # one worker, the first file hangs (a test hook on every file here); the pool must go on
    results = list(parse_many(docs, workers=1, timeout_s=0.5, settings=ParseSettings(debug_sleep_s=5)))
    assert len(results) == 3
    assert {recs[0]["error"]["code"] for _, recs in results} == {"timeout"}


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"timeout_s": 0}, "timeout_s"), ({"memory_mb": 0}, "memory_mb")]
)
def test_limits_must_be_positive(docs: list[Path], kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        list(parse_many(docs, **kwargs))
