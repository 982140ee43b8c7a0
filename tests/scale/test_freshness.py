"""The publish stage's skip-when-unchanged (budgetlens/publish/freshness.py): the fingerprint of
everything it reads changes with every change that matters and with nothing else."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from budgetlens.publish import freshness
from warehouse.schema import create_schema


@pytest.fixture
def con(tmp_path: Path):
    c = duckdb.connect(str(tmp_path / "wh.duckdb"))
    create_schema(c)
    for doc_id, dtype in (("a", "科技创新"), ("b", "教育")):
        _insert_doc(c, doc_id, dtype)
    yield c
    c.close()


def _insert_doc(c, doc_id: str, dtype: str = "教育") -> None:
    c.execute(
        "insert into documents (doc_id, file_sha256, record_index, department_type, status, table_count, "
        "warning_count, loaded_at) values (?, ?, 1, ?, 'published', 0, 0, now())",
        [doc_id, doc_id, dtype],
    )


CHANGES = {
    "status": "update documents set status = 'quarantined', status_reason = 'x' where doc_id = 'a'",
    "superseded": "update documents set superseded_by = 'b' where doc_id = 'a'",
    "reloaded": "update documents set loaded_at = loaded_at + interval 1 second where doc_id = 'b'",
    "department type": "update documents set department_type = '教育' where doc_id = 'a'",
    "new document": lambda c: _insert_doc(c, "c"),
    "quality verdict": "insert into quality_results (doc_id, expectation, suite, severity, message, checked_at) "
    "values ('a', 'e1', 'identities', 'warning', 'm', now())",
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_the_publish_stage_reads_changes_the_fingerprint(con, change: str):
    before = freshness.inputs_fingerprint(con)
    assert freshness.inputs_fingerprint(con) == before  # stable while nothing changes
    change_it = CHANGES[change]
    change_it(con) if callable(change_it) else con.execute(change_it)
    assert freshness.inputs_fingerprint(con) != before


def test_settings_are_part_of_the_fingerprint(con):
    assert freshness.inputs_fingerprint(con, {"min_peers": 3}) != freshness.inputs_fingerprint(
        con, {"min_peers": 5}
    )


def test_rows_the_publish_stage_does_not_read_leave_it_alone(con):
    before = freshness.inputs_fingerprint(con)
    con.execute("insert into runs (run_id, started_at, status) values ('r1', now(), 'succeeded')")
    assert freshness.inputs_fingerprint(con) == before


def test_state_is_per_asset_and_forgotten_before_a_rebuild(tmp_path: Path):
    out = tmp_path / "pub"
    assert not freshness.is_current(out, "html_report", "f1")
    freshness.record(out, "html_report", "f1")
    freshness.record(out, "published_exports", "f1")
    assert freshness.is_current(out, "html_report", "f1")
    assert not freshness.is_current(out, "html_report", "f2")
    freshness.forget(out, "html_report")
    assert not freshness.is_current(out, "html_report", "f1")
    assert freshness.is_current(out, "published_exports", "f1")
    (out / freshness.STATE_NAME).write_text("{not json", encoding="utf-8")
    assert freshness.read_state(out) == {}  # a damaged state only means one rebuild


def test_the_code_digest_covers_the_publish_code(tmp_path: Path):
    """The digest changes when a file of the publish code changes, and its globs match files."""
    import shutil

    root = freshness._ROOT
    matched = {p for g in freshness.CODE_GLOBS for p in root.glob(g) if p.is_file()}
    assert matched and all(g and any(root.glob(g)) for g in freshness.CODE_GLOBS)
    copy = tmp_path / "copy"
    for p in matched:
        (copy / p.relative_to(root)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, copy / p.relative_to(root))
    digest = freshness.code_digest.__wrapped__  # the digest itself, not the per-process cache
    before = digest(copy)
    assert before == digest(freshness._ROOT)
    victim = copy / sorted(matched)[0].relative_to(root)
    victim.write_bytes(victim.read_bytes() + b"\n# changed\n")
    assert digest(copy) != before
