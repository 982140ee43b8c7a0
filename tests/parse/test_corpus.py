"""The sample corpus: every truth field exact for every document, every bad input refused with its code.

Parametrised over sample/truth/*.json, so new documents are tested as the corpus grows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budgetlens.parse import parse_pdf
from corpus.accuracy import differences
from tests.conftest import SAMPLE
from tests.parse.conftest import sample_truths

TRUTHS = sample_truths()

# Documents whose truth file holds something the PDF does not print (reported to the corpus owner);
# strict: the test fails as soon as the truth is corrected, so this list cannot go stale.
TRUTH_DISAGREES: dict[str, str] = {}


def _exact_case(p: Path):
    reason = TRUTH_DISAGREES.get(p.stem)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(p, marks=marks, id=p.stem)


def _id(p: Path) -> str:
    return p.stem


@pytest.fixture(scope="module")
def parsed() -> dict[str, list[dict]]:
    """Each sample document parsed once for the whole module."""
    return {}


def _parse(truth_path: Path, cache: dict[str, list[dict]]) -> tuple[dict, list[dict]]:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    if truth_path.name not in cache:
        cache[truth_path.name] = parse_pdf(SAMPLE / truth["file"])
    return truth, cache[truth_path.name]


def test_the_sample_corpus_is_there() -> None:
    assert TRUTHS, (
        f"no truth files under {SAMPLE / 'truth'}: the sample corpus is missing from the repository"
    )
    assert all((SAMPLE / json.loads(t.read_text(encoding="utf-8"))["file"]).is_file() for t in TRUTHS)


@pytest.mark.parametrize("truth_path", [_exact_case(p) for p in TRUTHS])
def test_every_truth_field_is_exact(truth_path: Path, parsed) -> None:
    truth, records = _parse(truth_path, parsed)
    problems = differences(truth, records)
    assert not problems, (
        f"{truth_path.name} ({', '.join(truth.get('render', {}).get('variations', []))}):\n"
        + "\n".join(problems)
    )


@pytest.mark.parametrize("truth_path", TRUTHS, ids=_id)
def test_every_record_follows_the_schema(truth_path: Path, parsed, schema_validator) -> None:
    _, records = _parse(truth_path, parsed)
    for rec in records:
        errors = [f"{list(e.path)}: {e.message}" for e in schema_validator.iter_errors(rec)]
        assert not errors, "\n".join(errors[:10])


@pytest.mark.parametrize("truth_path", TRUTHS, ids=_id)
def test_every_figure_has_provenance(truth_path: Path, parsed) -> None:
    _, records = _parse(truth_path, parsed)
    for rec in records:
        for part in ("totals", "headcount"):
            for field, value in rec[part].items():
                if value is not None:
                    assert f"{part}.{field}" in rec["provenance"], f"{part}.{field} has no provenance"
        for i, line in enumerate(rec["function_lines"]):
            for role in ("total", "basic", "project"):
                if line[role] is not None:
                    assert f"function_lines[{i}].{role}" in rec["provenance"]
