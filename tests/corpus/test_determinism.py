"""Determinism: the same seed gives byte-identical truth; rendering twice gives identical files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.plan import plan_corpus
from corpus.render import render_truth
from corpus.truth import dumps, load_truth


def test_plan_is_deterministic() -> None:
    assert [dumps(t) for t in plan_corpus()] == [dumps(t) for t in plan_corpus()]


def test_other_seed_other_corpus() -> None:
    a, b = plan_corpus(1), plan_corpus(2)
    assert a[5]["id"] == b[5]["id"] and dumps(a[5]) != dumps(b[5])


def test_committed_truth_is_what_the_code_plans(sample_dir: Path) -> None:
    """sample/truth is exactly the planned truth (pages as rendered): the sample is in sync with the code."""
    for truth in plan_corpus():
        path = sample_dir / "truth" / f"{truth['id']}.json"
        committed = json.loads(path.read_text(encoding="utf-8"))
        for record, done in zip(truth["records"], committed["records"], strict=True):
            record["pages"] = done["pages"]
        assert dumps(truth) == path.read_text(encoding="utf-8"), truth["id"]


def _render_twice(truth: dict, tmp_path: Path) -> tuple[bytes, bytes, dict, dict]:
    a, b = json.loads(json.dumps(truth)), json.loads(json.dumps(truth))
    render_truth(a, tmp_path / "a.pdf")
    render_truth(b, tmp_path / "b.pdf")
    return (tmp_path / "a.pdf").read_bytes(), (tmp_path / "b.pdf").read_bytes(), a, b


@pytest.mark.parametrize("producer", ["reportlab", "chromium"])
def test_rendering_twice_is_identical(
    sample_dir: Path, tmp_path: Path, producer: str, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("chromium" if producer == "chromium" else "cjk_fonts")
    manifest = json.loads((sample_dir / "manifest.json").read_text(encoding="utf-8"))
    doc = next(
        d
        for d in manifest["documents"]
        if d["producer"] == producer and d["error_code"] is None and d["template"] == "shenzhen13"
    )
    truth = load_truth(sample_dir / doc["truth"])
    one, two, a, b = _render_twice(truth, tmp_path)
    assert one == two and one.startswith(b"%PDF-")
    assert dumps(a) == dumps(b) == dumps(truth)  # pages found again are the committed ones


@pytest.mark.slow
def test_render_corpus_twice_gives_identical_truth(tmp_path: Path, chromium: Path) -> None:
    from corpus.build import render_corpus

    first = render_corpus(tmp_path / "a", n=24, seed=7, workers=2)
    second = render_corpus(tmp_path / "b", n=24, seed=7, workers=1)
    files_a = sorted((tmp_path / "a" / "truth").iterdir())
    assert len(files_a) == len(first["documents"]) == 24
    for path in files_a:
        assert path.read_bytes() == (tmp_path / "b" / "truth" / path.name).read_bytes(), path.name
    assert [d["id"] for d in first["documents"]] == [d["id"] for d in second["documents"]]
    for site in first["sites"]:
        index = (tmp_path / "a" / "sites" / site["district"] / "index.html").read_bytes()
        assert index == (tmp_path / "b" / "sites" / site["district"] / "index.html").read_bytes()
