"""budgetlens.files: atomic writes, hashing, SQL files (the bottom layer every stage uses)."""

from __future__ import annotations

import hashlib
import json

import pytest

from budgetlens.files import atomic_write_bytes, atomic_write_json, file_sha256, read_sql


def test_an_atomic_write_replaces_the_file_and_leaves_no_partial(tmp_path):
    target = tmp_path / "sub" / "a.json"
    atomic_write_json(target, {"b": 1, "a": "甲"})
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": "甲", "b": 1}
    atomic_write_json(target, {"x": [1, 2]}, compact=True)
    assert target.read_text(encoding="utf-8") == '{"x":[1,2]}'
    assert [p.name for p in target.parent.iterdir()] == ["a.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "a.bin"
    atomic_write_bytes(target, b"old")

    with pytest.raises(TypeError):  # the write itself fails (text where bytes are due)
        atomic_write_bytes(target, "new")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.bin"]


def test_file_sha256_and_read_sql(tmp_path):
    f = tmp_path / "x.pdf"
    f.write_bytes(b"%PDF-1.4" * 300_000)  # more than one chunk
    assert file_sha256(f) == hashlib.sha256(f.read_bytes()).hexdigest()
    (tmp_path / "q.sql").write_text("select 1", encoding="utf-8")
    assert read_sql(tmp_path, "q") == "select 1"
