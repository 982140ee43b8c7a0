"""The storage seam (budgetlens/storage.py) against a local folder and fsspec's real `memory://`
and `file://` filesystems: the same contract on every backend."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from budgetlens.storage import (
    FsspecStorage,
    LocalStorage,
    Prefixed,
    Storage,
    StorageError,
    check_key,
    is_url,
    open_storage,
    substorage,
)

BACKENDS = ["local", "memory", "file"]


def make_storage(kind: str, tmp_path: Path) -> Storage:
    if kind == "local":
        return LocalStorage(tmp_path / "store")
    if kind == "memory":
        return FsspecStorage(f"memory://budgetlens-test-{uuid.uuid4().hex}/data")
    return FsspecStorage(f"file://{tmp_path / 'fsspec-store'}")


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path: Path) -> Storage:
    return make_storage(request.param, tmp_path)


@pytest.mark.parametrize(
    ("key", "normal"),
    [
        ("a.json", "a.json"),
        ("staging/records/x.json", "staging/records/x.json"),
        ("a//b/./c", "a/b/c"),
        ("raw/ab/ab12.pdf", "raw/ab/ab12.pdf"),
    ],
)
def test_check_key_normalises(key: str, normal: str):
    assert check_key(key) == normal


@pytest.mark.parametrize(
    "key", ["", "/etc/passwd", "../x", "a/../../x", "a/\x00b", "a\\b", "C:/x", ".", "a/\nb"]
)
def test_check_key_refuses_keys_that_leave_the_root(key: str):
    with pytest.raises(StorageError):
        check_key(key)


@pytest.mark.parametrize(
    ("location", "url"),
    [
        ("data", False),
        ("/srv/data", False),
        ("s3://bucket/x", True),
        ("memory://x", True),
        ("file:///srv/x", True),
        ("gcs://b/p", True),
        ("C:/data", False),
    ],
)
def test_is_url(location: str, url: bool):
    assert is_url(location) is url


def test_open_storage_picks_the_backend(tmp_path: Path):
    assert isinstance(open_storage(tmp_path), LocalStorage)
    assert isinstance(open_storage(f"file://{tmp_path}"), FsspecStorage)
    assert isinstance(open_storage("memory://budgetlens-open"), FsspecStorage)
    with pytest.raises(StorageError):
        open_storage(tmp_path, anon=True)


def test_write_read_exists_and_replace(store: Storage):
    assert not store.exists("staging/records/a.json")
    with pytest.raises(FileNotFoundError):
        store.read_bytes("staging/records/a.json")
    store.write_bytes("staging/records/a.json", b"one")
    assert store.exists("staging/records/a.json")
    assert store.read_bytes("staging/records/a.json") == b"one"
    store.write_bytes("staging/records/a.json", b"two", durable=False)
    assert store.read_bytes("staging/records/a.json") == b"two"
    assert store.list("staging/records") == ["staging/records/a.json"]  # no temporary file left behind


def test_list_is_sorted_flat_filtered_and_skips_hidden_names(store: Storage):
    for key in ["d/b.json", "d/a.json", "d/c.jsonl", "d/.a.json.tmp", "d/sub/x.json", "e/z.json"]:
        store.write_bytes(key, b"x")
    assert store.list("d") == ["d/a.json", "d/b.json", "d/c.jsonl"]
    assert store.list("d", ".json") == ["d/a.json", "d/b.json"]
    assert store.list("nothing-here") == []


def test_move_and_delete(store: Storage):
    store.write_bytes("records/a.json", b"A")
    store.move("records/a.json", "loaded/a.json")
    assert not store.exists("records/a.json")
    assert store.read_bytes("loaded/a.json") == b"A"
    store.write_bytes("records/a.json", b"A2")
    store.move("records/a.json", "loaded/a.json")  # replaces
    assert store.read_bytes("loaded/a.json") == b"A2"
    with pytest.raises(FileNotFoundError):
        store.move("records/missing.json", "loaded/missing.json")
    store.delete("loaded/a.json")
    store.delete("loaded/a.json")  # nothing to delete: no error
    assert not store.exists("loaded/a.json")


def test_keys_are_checked_on_every_operation(store: Storage):
    for call in (
        lambda: store.write_bytes("../out.json", b"x"),
        lambda: store.read_bytes("/etc/passwd"),
        lambda: store.exists("a/../../b"),
        lambda: store.list("../"),
        lambda: store.delete(".."),
    ):
        with pytest.raises(StorageError):
            call()


def test_local_path_only_where_the_bytes_are_a_local_file(store: Storage, tmp_path: Path):
    store.write_bytes("raw/x.pdf", b"%PDF-1.7")
    path = store.local_path("raw/x.pdf")
    if isinstance(store, FsspecStorage) and not store.is_local_fs:
        assert path is None
    else:
        assert path is not None and path.read_bytes() == b"%PDF-1.7"


def test_substorage_sees_only_its_prefix(store: Storage):
    sub = substorage(store, "staging")
    sub.write_bytes("records/a.json", b"x")
    assert store.read_bytes("staging/records/a.json") == b"x"
    assert sub.list("records") == ["records/a.json"]
    sub.move("records/a.json", "loaded/a.json")
    assert store.exists("staging/loaded/a.json")
    assert isinstance(sub, LocalStorage if isinstance(store, LocalStorage) else Prefixed)
    with pytest.raises(StorageError):
        sub.read_bytes("../outside.json")


def test_a_failed_local_write_leaves_the_old_content(tmp_path: Path, monkeypatch):
    store = FsspecStorage(f"file://{tmp_path / 's'}")
    store.write_bytes("a.json", b"old")

    def broken_mv(*_a, **_k):
        raise OSError("disk gone")

    monkeypatch.setattr(store.fs, "mv", broken_mv)
    with pytest.raises(OSError):
        store.write_bytes("a.json", b"new")
    assert store.read_bytes("a.json") == b"old"
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["a.json"]  # the temporary file is gone
