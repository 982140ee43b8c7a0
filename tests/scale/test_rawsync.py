"""The raw store on an object store (budgetlens/rawsync.py): a local cache synced with `raw/` on
fsspec's real `memory://` filesystem, as two machines with their own caches would use it."""

from __future__ import annotations

import hashlib
import json
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
    page = b"<html>listing</html>"
    sha = hashlib.sha256(page).hexdigest()
    state = json.dumps({"documents": {}, "pages": {"http://x/index.html": {"sha256": sha, "etag": "e1"}}})
    first.state_dir.mkdir(parents=True)
    (first.state_dir / "luohu.json").write_text(state, encoding="utf-8")
    first.pages_dir.mkdir(parents=True)
    (first.pages_dir / f"{sha}.body").write_bytes(page)
    (first.pages_dir / f"{'0' * 64}.body").write_bytes(b"another source's page")
    first.push_state("luohu")
    assert remote.list("raw/.pages") == [f"raw/.pages/{sha}.body"]  # only the pages the state names
    second = SyncedRawStore(tmp_path / "cache-b", remote)
    assert second.pull_state("luohu") is True
    assert (second.state_dir / "luohu.json").read_text(encoding="utf-8") == state
    assert (second.pages_dir / f"{sha}.body").read_bytes() == page


def test_a_failed_upload_is_a_storage_error_for_the_fetcher(
    tmp_path: Path, remote: FsspecStorage, monkeypatch
):
    store = SyncedRawStore(tmp_path / "cache", remote)

    def refuse(*_a, **_k):
        raise RuntimeError("503 Slow Down")  # what a backend's own exception type looks like

    monkeypatch.setattr(remote.fs, "pipe_file", refuse)
    with pytest.raises(OSError, match="503 Slow Down"):
        store.put_bytes(PDF)


def test_a_source_id_that_would_leave_the_store_is_refused(tmp_path: Path, remote: FsspecStorage):
    store = SyncedRawStore(tmp_path / "cache", remote)
    with pytest.raises(ValueError):
        store.pull_state("../../etc")
