"""The pipeline's staging area (assets/staging.py) on each storage backend: the functions the
ingest, parse and warehouse assets call, against a local folder and fsspec's real `memory://`
and `file://` filesystems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assets.staging import Staging
from budgetlens.storage import LocalStorage
from tests.scale.test_storage import BACKENDS, make_storage
from warehouse.staging import envelope_bytes, make_envelope, read_envelope

SHA = "ab" * 32


@pytest.fixture(params=BACKENDS)
def staging(request, tmp_path: Path) -> Staging:
    return Staging(make_storage(request.param, tmp_path))


def test_inventory_round_trip(staging: Staging):
    assert staging.read_inventory("luohu") == []
    docs = [{"url": "http://127.0.0.1/luohu/a.pdf", "sha256": SHA, "file_name": "a.pdf"}]
    staging.write_inventory("luohu", docs)
    assert staging.read_inventory("luohu") == docs


def test_parse_cache_and_attempts(staging: Staging):
    assert not staging.is_parsed(SHA, "v1")
    assert staging.parse_attempts(SHA, "v1") == 0
    assert staging.begin_parse(SHA, "v1") == 1
    assert staging.begin_parse(SHA, "v1") == 2
    assert staging.parse_attempts(SHA, "v2") == 0  # another parser version starts again
    staging.mark_parsed(SHA, "v1", [SHA], None)
    staging.end_parse(SHA)
    assert staging.is_parsed(SHA, "v1") and not staging.is_parsed(SHA, "v2")
    assert staging.parsed_marker(SHA) == {"parser_version": "v1", "doc_ids": [SHA], "error": None}
    assert staging.parse_attempts(SHA, "v1") == 0


def test_a_cut_short_attempt_marker_counts_as_one_attempt(staging: Staging):
    staging.store.write_bytes(f"attempts/{SHA}.json", b'{"parser_ver')
    assert staging.parse_attempts(SHA, "v1") == 1


def test_envelopes_wait_for_the_loader_then_move_to_loaded(staging: Staging):
    env = make_envelope(
        doc_id=SHA,
        file_sha256=SHA,
        record={"schema": "budgetlens.budget/1"},
        source_url="http://x/a.pdf",
        parser_version="v1",
        record_count=1,
    )
    key = staging.write_envelope(env)
    assert key == f"records/{SHA}.json"
    assert staging.pending_envelopes() == [key]
    assert json.loads(staging.store.read_bytes(key)) == env
    staging.mark_loaded([key])
    assert staging.pending_envelopes() == []
    assert staging.store.exists(f"loaded/{SHA}.json")


def test_fetch_logs(staging: Staging):
    rows = [
        {"url": "http://x/a.pdf", "status": 200, "outcome": "downloaded"},
        {"url": "http://x/b.pdf", "status": 304, "outcome": "unchanged"},
    ]
    key = staging.write_fetch_log("run1-luohu", rows)
    assert staging.pending_fetch_logs() == [key]
    assert staging.read_fetch_logs([key]) == rows
    staging.mark_loaded([key])
    assert staging.pending_fetch_logs() == []


def test_the_local_layout_is_the_documented_one(tmp_path: Path):
    """A local staging area keeps the layout of docs/warehouse.md and the loader reads its files."""
    staging = Staging(tmp_path)
    assert isinstance(staging.store, LocalStorage)
    env = make_envelope(doc_id=SHA, file_sha256=SHA, record={"schema": "budgetlens.budget/1"})
    staging.write_envelope(env)
    staging.write_inventory("luohu", [])
    staging.mark_parsed(SHA, "v1", [SHA], None)
    staging.begin_parse(SHA, "v1")
    assert read_envelope(tmp_path / "records" / f"{SHA}.json") == env
    assert (tmp_path / "records" / f"{SHA}.json").read_bytes() == envelope_bytes(env)
    for rel in ("inventory/luohu.json", f"parsed/{SHA}.json", f"attempts/{SHA}.json"):
        assert (tmp_path / rel).is_file(), rel
    assert staging.local_path(f"records/{SHA}.json") == tmp_path / "records" / f"{SHA}.json"
