"""Hostile and broken PDFs: every input ends in a record or a classified error, within the
parser's time and memory limits, never a crash of the run and never a hang.

Property-based: hypothesis mutates sample and real PDFs (byte flips, truncation at random points,
deleted xref tables, duplicated and tampered objects, scrambled streams); batches go through
`parse_many` with tight limits, the way the pipeline parses. Crafted files (bombs, loops, deep
nesting, a lying page tree, fonts without Unicode maps, absurd numbers) are built at test time.
The same kinds of files through the whole pipeline are in test_pipeline_inputs.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgetlens.parse import parse_many
from tests.reliability.common import (
    PARSE_MEMORY_MB,
    PARSE_TIMEOUT_S,
    SAMPLE_PDFS,
    SAMPLE_SITES,
    check_records,
    fuzz,
    record_schema_validator,
)
from tests.reliability.crafted import mutate
from tests.reliability.crafted.hostile import CRAFTED
from tests.reliability.crafted.mutate import Mutation

pytestmark = [pytest.mark.reliability, pytest.mark.xdist_group("reliability-hostile")]

BATCH = 4  # files per example: one parse_many pool per batch, two workers busy
AREA = "hostile PDF"
SEE_ALSO = "tests/parse/test_inputs.py, tests/parse/test_pool.py"


@pytest.fixture(scope="session")
def validator():
    return record_schema_validator()


@pytest.fixture(scope="session")
def sample_sources() -> dict[str, bytes]:
    return {name: (SAMPLE_SITES / name).read_bytes() for name in SAMPLE_PDFS}


@pytest.fixture(scope="session")
def real_sources(real_pdfs_dir: Path) -> dict[str, bytes]:
    files = sorted(real_pdfs_dir.glob("*.pdf"))
    if not files:
        pytest.skip(f"no real PDFs in {real_pdfs_dir}")
    return {p.name: p.read_bytes() for p in files}


def mutations(names: list[str]) -> st.SearchStrategy[Mutation]:
    """Mutations of the named sources. Places are drawn as permille / seeds rather than floats, so
    a small derandomized run still spreads over the whole file instead of clinging to offset 0."""
    source = st.sampled_from(names)
    frac = st.integers(1, 999).map(lambda n: n / 1000)
    seed = st.integers(0, 2**32 - 1)
    return st.one_of(
        st.builds(lambda s, sd, n: Mutation(s, "flip", (sd, n)), source, seed, st.integers(1, 64)),
        st.builds(lambda s, f, k: Mutation(s, "truncate", (f, k)), source, frac, st.booleans()),
        st.builds(
            lambda s, p: Mutation(s, "delete_xref", (p,)), source, st.one_of(st.none(), st.integers(0, 10**7))
        ),
        st.builds(
            lambda s, picks, w, t: Mutation(s, "duplicate", (tuple(picks), w, t)),
            source,
            st.lists(frac, min_size=1, max_size=8),
            frac,
            st.booleans(),
        ),
        st.builds(
            lambda s, w, at, n, sd: Mutation(s, "scramble_stream", (w, at, n, sd)),
            source,
            frac,
            frac,
            st.integers(1, 4096),
            seed,
        ),
    )


def parse_batch(batch: list[Mutation], sources: dict[str, bytes], out: Path, validator, faults) -> None:
    """Write the mutated files, parse them in the worker pool, check every result."""
    files: dict[Path, tuple[Mutation, bytes]] = {}
    for i, m in enumerate(batch):
        data = m.apply(sources[m.source])
        path = out / f"{i}-{m.kind}.pdf"
        path.write_bytes(data)
        files[path] = (m, data)
    results = list(parse_many(list(files), workers=2, timeout_s=PARSE_TIMEOUT_S, memory_mb=PARSE_MEMORY_MB))
    assert sorted(p for p, _ in results) == sorted(files), "every file comes back exactly once"
    for path, records in results:
        m, data = files[path]
        with faults.trial(f"mutated PDF: {m.kind}", AREA, see_also=SEE_ALSO) as t:
            t.outcome(check_records(records, data, validator))


@fuzz(10)
@given(batch=st.lists(mutations(list(SAMPLE_PDFS)), min_size=BATCH, max_size=BATCH))
def test_mutated_sample_pdfs_end_in_a_record_or_a_classified_error(
    batch, sample_sources, validator, faults, tmp_path_factory
):
    parse_batch(batch, sample_sources, tmp_path_factory.mktemp("mutated-sample"), validator, faults)


@pytest.mark.realpdf
def test_mutated_real_pdfs_end_in_a_record_or_a_classified_error(
    real_sources, validator, faults, tmp_path_factory
):
    names = sorted(real_sources)

    @fuzz(6)
    @given(batch=st.lists(mutations(names), min_size=BATCH, max_size=BATCH))
    def run(batch):
        parse_batch(batch, real_sources, tmp_path_factory.mktemp("mutated-real"), validator, faults)

    run()


# --- the mutations themselves (pure functions) --------------------------------------------------


def _tiny() -> bytes:
    from tests.reliability.crafted.pdfraw import text_page_pdf

    return text_page_pdf(["Income total 2,579.00"])


def test_mutations_do_what_they_say():
    data = _tiny()
    assert b"\nxref\n" in data and b"\nxref\n" not in mutate.delete_xref(data)
    assert mutate.delete_xref(data, point_startxref_at=7).endswith(b"startxref\n7\n%%EOF\n")
    assert mutate.truncate(data, 0.5) == data[: len(data) // 2]
    assert mutate.truncate(data, 0.5, keep_eof=True).endswith(b"%%EOF\n")
    flipped = mutate.flip_bytes(data, [(0.5, 0)])
    assert sum(a != b for a, b in zip(data, flipped, strict=True)) == 1
    many = mutate.random_flips(data, seed=3, count=20)
    assert many[: mutate.HEADER_BYTES] == data[: mutate.HEADER_BYTES] and many != data
    assert many == mutate.random_flips(data, seed=3, count=20)
    dup = mutate.duplicate_objects(data, [0.0, 0.99], 0.5, tamper=False)
    assert dup.count(b"1 0 obj") == 2 and len(dup) > len(data)
    scrambled = mutate.scramble_stream(data, 0.0, 0.0, 8, 1)
    assert len(scrambled) == len(data) and scrambled != data and scrambled.startswith(b"%PDF-")


# --- crafted hostile files --------------------------------------------------------------------

# What each crafted file may end as. None = parsed into a record (with no figure invented).
ALLOWED: dict[str, set[str | None]] = {
    "bomb_content_2gib": {"too_large", "no_text"},
    "bomb_text_operators": {"too_large", "timeout"},
    "bomb_image": {"no_text"},
    "loop_pages_tree": {"truncated"},
    "loop_self_reference": {None, "truncated", "no_text"},
    "loop_form_xobject": {None, "no_text"},
    "deep_arrays": {None, "no_text"},
    "deep_dictionaries": {None, "truncated", "no_text"},
    "pages_claimed_50000": {"too_large"},
    "pages_real_50000": {"too_large"},
    # no_text, or read with every unmapped page flagged (cid_text) and, below, no figure taken from it
    "font_type3_no_unicode": {"no_text", "cid_text"},
    "font_type0_no_tounicode": {"no_text", "cid_text"},
    "absurd_numbers": {None, "truncated", "no_text"},
}


@pytest.fixture(scope="session")
def crafted_results(tmp_path_factory) -> dict[str, tuple[bytes, list[dict]]]:
    """Every crafted file parsed once, together, in the worker pool with the tight limits."""
    d = tmp_path_factory.mktemp("crafted")
    paths: dict[Path, tuple[str, bytes]] = {}
    for c in CRAFTED:
        data = c.build()
        p = d / f"{c.name}.pdf"
        p.write_bytes(data)
        paths[p] = (c.name, data)
    out = {}
    for path, records in parse_many(
        list(paths), workers=2, timeout_s=PARSE_TIMEOUT_S, memory_mb=PARSE_MEMORY_MB
    ):
        name, data = paths[path]
        out[name] = (data, records)
    assert sorted(out) == sorted(c.name for c in CRAFTED)
    return out


def test_every_crafted_file_is_listed_with_an_expectation():
    assert sorted(ALLOWED) == sorted(c.name for c in CRAFTED)


@pytest.mark.parametrize("crafted", CRAFTED, ids=[c.name for c in CRAFTED])
def test_crafted_file_ends_in_a_record_or_a_classified_error(crafted, crafted_results, validator, faults):
    with faults.trial(f"crafted: {crafted.name}", AREA, see_also=SEE_ALSO) as t:
        data, records = crafted_results[crafted.name]
        outcome = check_records(records, data, validator)
        codes = {w["code"] if isinstance(w, dict) else w for w in records[0]["warnings"]}
        if outcome == "parsed" and "cid_text" in codes:
            outcome = "cid_text"
        t.outcome(outcome)
        assert (None if outcome == "parsed" else outcome) in ALLOWED[crafted.name], (
            records[0]["error"],
            crafted.what,
        )
        for rec in records:  # text the parser could not map is never turned into figures
            assert all(v is None for v in rec["totals"].values())


def test_text_without_a_unicode_map_gives_no_department_name(crafted_results):
    _, records = crafted_results["font_type0_no_tounicode"]
    assert records[0]["error"] is not None or records[0]["document"]["department"] is None
