"""The raw store: content addressing, atomic writes, name safety; and the fetch state file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from budgetlens.scrape.state import STATE_SCHEMA, open_state
from budgetlens.scrape.store import RawStore, TooLargeError, UnsafePathError, safe_join, safe_relpath

from .conftest import make_pdf


def test_put_stream_is_content_addressed(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    data = make_pdf("a")
    blob = store.put_stream(iter([data[:10], b"", data[10:]]))
    sha = hashlib.sha256(data).hexdigest()
    assert (blob.sha256, blob.bytes, blob.existed) == (sha, len(data), False)
    assert blob.path == tmp_path / "raw" / sha[:2] / f"{sha}.pdf" == store.path_for(sha)
    assert blob.path.read_bytes() == data and store.has(sha)
    again = store.put_bytes(data)
    assert again.existed and again.path == blob.path
    assert store.iter_sha256() == [sha] and store.partials() == []


class Boom(RuntimeError):
    pass


def test_a_failing_stream_leaves_no_file_under_a_final_name(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")

    def chunks():
        yield b"%PDF-1.4 partial"
        raise Boom("connection lost")

    with pytest.raises(Boom):
        store.put_stream(chunks())
    assert store.iter_sha256() == [] and store.partials() == []
    assert [p for p in (tmp_path / "raw").rglob("*") if p.is_file()] == []


def test_size_cap(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    with pytest.raises(TooLargeError):
        store.put_stream(iter([b"x" * 60, b"x" * 60]), max_bytes=100)
    assert store.iter_sha256() == [] and store.partials() == []
    assert store.put_stream(iter([b"x" * 100]), max_bytes=100).bytes == 100


def test_partial_left_by_a_crash_is_never_final_and_is_swept(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    store.tmp_dir.mkdir(parents=True)
    leftover = store.tmp_dir / "abc.part"  # what a killed writer leaves
    leftover.write_bytes(b"%PDF-1.4 half")
    assert store.partials() == [leftover] and store.iter_sha256() == []
    assert store.sweep_partials(older_than=3600) == 0  # young: may belong to a live writer
    assert store.sweep_partials(older_than=-1) == 1 and store.partials() == []


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "a/../../x",
        "/etc/passwd",
        "\\\\server\\share",
        "C:\\x",
        "c:x",
        "a\x00b",
        "a/\x00/b",
        "..",
        ".",
        "",
        "a\nb",
    ],
)
def test_unsafe_names_are_refused(tmp_path: Path, name: str) -> None:
    store = RawStore(tmp_path / "raw")
    with pytest.raises(UnsafePathError):
        store.resolve(name)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a/b.pdf", "a/b.pdf"),
        ("./a//b.pdf", "a/b.pdf"),
        ("a\\b.pdf", "a/b.pdf"),
        ("2022年预算.pdf", "2022年预算.pdf"),
        ("a/./b/", "a/b"),
    ],
)
def test_safe_names_are_normalised(tmp_path: Path, name: str, expected: str) -> None:
    assert safe_relpath(name).as_posix() == expected
    assert safe_join(tmp_path, name) == tmp_path / expected


def test_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(UnsafePathError, match="outside"):
        safe_join(root, "link/x")


@pytest.mark.parametrize("sha", ["../" + "a" * 61, "A" * 64, "a" * 63, "g" * 64, "a" * 64 + "\x00"])
def test_path_for_takes_only_a_sha256(tmp_path: Path, sha: str) -> None:
    with pytest.raises(ValueError):
        RawStore(tmp_path).path_for(sha)


def test_state_is_saved_atomically_and_corrupt_state_is_kept_aside(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    with open_state(store, "luohu") as state:
        state.set_document("http://a/x.pdf", {"sha256": "0" * 64})
    path = store.state_dir / "luohu.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == STATE_SCHEMA and data["documents"]["http://a/x.pdf"]["sha256"] == "0" * 64
    assert [p.name for p in store.state_dir.iterdir() if p.name.endswith(".part")] == []

    path.write_text("{not json", encoding="utf-8")
    with open_state(store, "luohu") as state:
        assert state.document("http://a/x.pdf") is None
        assert (
            state.recovered_from is not None
            and state.recovered_from.read_text(encoding="utf-8") == "{not json"
        )
    assert json.loads(path.read_text(encoding="utf-8"))["documents"] == {}


def test_state_for_an_unsafe_source_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError):
        with open_state(RawStore(tmp_path / "raw"), "../escape"):
            pass
