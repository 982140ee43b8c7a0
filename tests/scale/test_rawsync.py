"""The raw store on an object store (budgetlens/rawsync.py): a local cache synced with `raw/` on
fsspec's real `memory://` filesystem, as two machines with their own caches would use it."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest

from budgetlens.rawsync import RawSyncError, SyncedRawStore
from budgetlens.storage import FsspecStorage

PDF = b"%PDF-1.7\n" + b"x" * 2000 + b"\n%%EOF\n"


@pytest.fixture
def remote() -> FsspecStorage:
    return FsspecStorage(f"memory://budgetlens-raw-{uuid.uuid4().hex}")


def test_a_stored_pdf_is_uploaded_and_another_cache_downloads_it(tmp_path: Path, remote: FsspecStorage):
    first = SyncedRawStore(tmp_path / "cache-a", remote)
    blob = first.put_bytes(PDF)
    sha = hashlib.sha256(PDF).hexdigest()
    assert blob.sha256 == sha and not blob.existed
    assert remote.read_bytes(f"raw/{sha[:2]}/{sha}.pdf") == PDF
    second = SyncedRawStore(tmp_path / "cache-b", remote)
    assert second.has(sha)  # held remotely: the fetcher sends a conditional GET
    assert not second.path_for(sha).exists()
    assert second.local(sha).read_bytes() == PDF  # downloaded into the cache when the parser needs it
    assert second.push(sha) is False  # already there: never uploaded twice


def test_a_pdf_in_neither_place_or_with_wrong_bytes_is_refused(tmp_path: Path, remote: FsspecStorage):
    store = SyncedRawStore(tmp_path / "cache", remote)
    sha = hashlib.sha256(PDF).hexdigest()
    assert not store.has(sha)
    with pytest.raises(RawSyncError, match="neither"):
        store.local(sha)
    remote.write_bytes(f"raw/{sha[:2]}/{sha}.pdf", PDF + b"tampered")
    with pytest.raises(RawSyncError, match="does not match"):
        store.local(sha)
    assert not store.path_for(sha).exists()  # nothing wrong is kept in the cache


def test_fetch_state_and_listing_pages_travel_with_the_source(tmp_path: Path, remote: FsspecStorage):
    first = SyncedRawStore(tmp_path / "cache-a", remote)
    assert first.pull_state("luohu") is False
    (first.state_dir).mkdir(parents=True)
    (first.state_dir / "luohu.json").write_text('{"documents": {}}', encoding="utf-8")
    first.pages_dir.mkdir(parents=True)
    (first.pages_dir / "p1.body").write_bytes(b"<html>listing</html>")
    first.push_state("luohu")
    second = SyncedRawStore(tmp_path / "cache-b", remote)
    assert second.pull_state("luohu") is True
    assert (second.state_dir / "luohu.json").read_text(encoding="utf-8") == '{"documents": {}}'
    assert (second.pages_dir / "p1.body").read_bytes() == b"<html>listing</html>"


def test_a_source_id_that_would_leave_the_store_is_refused(tmp_path: Path, remote: FsspecStorage):
    store = SyncedRawStore(tmp_path / "cache", remote)
    with pytest.raises(ValueError):
        store.pull_state("../../etc")
