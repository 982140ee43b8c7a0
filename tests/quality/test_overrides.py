"""Reviewed exceptions as code (expectations/overrides.toml): accepted by a named reviewer, never silently."""

from __future__ import annotations

import pytest

from expectations import overrides
from expectations.decide import decide
from expectations.spec import Finding

SHA = "af5b6c11b3883edd1e087576a062478ebb5413fef16be299e7f5459421c6fb54"


def _write(tmp_path, body: str):
    path = tmp_path / "overrides.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_committed_file_accepts_nothing():
    assert overrides.load() == ()


def test_an_accepted_finding_publishes_with_its_reviewer_and_reason(tmp_path):
    path = _write(
        tmp_path,
        f'[[accept]]\nsha256 = "{SHA}"\nexpectation = "income_equals_expense"\n'
        'why = "收入总计 includes 上年结转; checked against the printed pages"\nwho = "A. Reviewer"\n',
    )
    rules = overrides.load(path)
    f = Finding("d1", "income_equals_expense", "identities", "error", "document", "收入 ≠ 支出")
    other = Finding("d2", "income_equals_expense", "identities", "error", "document", "收入 ≠ 支出")
    held = overrides.apply([f, other], {"d1": SHA, "d2": "0" * 64}, rules)
    assert (
        held[0].severity == "accepted" and "A. Reviewer" in held[0].message and "上年结转" in held[0].message
    )
    assert held[1] == other  # another file's finding is untouched
    verdicts = decide(["d1", "d2"], held, reason_chars=1000)
    assert verdicts["d1"].status == "published" and verdicts["d1"].flags == ("income_equals_expense",)
    assert verdicts["d2"].status == "quarantined"


def test_an_item_narrows_the_acceptance_to_one_finding(tmp_path):
    path = _write(
        tmp_path,
        f'[[accept]]\nsha256 = "{SHA}"\nexpectation = "printings_agree_across_tables"\n'
        'item = "function:210@appropriation_summary#3"\nwhy = "尾数误差"\nwho = "B"\n',
    )
    a = Finding(
        "d1",
        "printings_agree_across_tables",
        "crosscheck",
        "error",
        "function:210@appropriation_summary#3",
        "m",
    )
    b = Finding(
        "d1", "printings_agree_across_tables", "crosscheck", "error", "totals.expense_total@summary#1", "m"
    )
    out = overrides.apply([a, b], {"d1": SHA}, overrides.load(path))
    assert [x.severity for x in out] == ["accepted", "error"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (f'[[accept]]\nsha256 = "{SHA}"\nexpectation = "x"\nwho = "B"\n', "entry 1 lacks why"),
        ('[[accept]]\nsha256 = "abc"\nexpectation = "x"\nwhy = "y"\nwho = "B"\n', "64 hex digits"),
        ("[[accept]\n", "overrides.toml"),
    ],
)
def test_an_incomplete_entry_is_refused_with_the_file_and_entry(tmp_path, body, says):
    path = _write(tmp_path, body)
    with pytest.raises(overrides.OverrideError) as exc:
        overrides.load(path)
    assert str(path) in str(exc.value) and says in str(exc.value)
