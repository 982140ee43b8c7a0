"""`budgetlens corpus score`: the real PDFs against their golden files, as printed or made harder
(corpus/scoring.py, the measurement behind docs/accuracy.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corpus.scoring import details, goldens_in, score_folder, score_records, table, totals
from corpus.stress import STRESSES, ToolMissing, rewritten_by
from pipeline.cli import main
from tests.conftest import SAMPLE
from tests.parse.conftest import GOLDEN

GOLDEN_PARTS = ("document", "headcount", "totals", "function_lines", "economic_lines")
SMALL_REAL = "jiangsu-cppcc-office-2019-budget-tables.pdf"


def _golden() -> dict:
    return {
        "file": "x.pdf",
        "document": {"year": 2026, "department": "某局"},
        "totals": {"expense_total": "100.00", "basic_expense": "60.00"},
        "function_lines": [{"code": "201", "name": "一般公共服务支出", "level": 1, "total": "100.00"}],
        "economic_lines": [{"code": "301", "name": "工资福利支出", "amount": "60.00"}],
    }


def test_a_record_scores_exact_missing_and_wrong_fields_apart() -> None:
    rec = {
        "error": None,
        "document": {"year": 2026, "department": "某局本级"},  # wrong
        "totals": {"expense_total": "100.00", "basic_expense": None},  # exact, missing
        "function_lines": [{"code": "201", "name": "一般公共服务支出", "level": 1, "total": "100.00"}],
        "economic_lines": [
            {"code": "301", "name": "工资福利支出", "amount": "60.00"},
            {"code": "302", "name": "商品和服务支出", "amount": "1.00"},  # a line the table does not print
        ],
        "warnings": [{"code": "printed_across", "message": "pp3-4"}, {"code": "other", "message": "-"}],
    }
    score = score_records(_golden(), [rec, rec])
    # the function line's basic and project are null in both: exact
    assert (score.fields["exact"], score.fields["missing"], score.fields["wrong"]) == (7, 1, 1)
    assert score.fields["fields"] == 9
    assert score.fields["wrong_fields"] == ["document.department: got '某局本级', want '某局'"]
    assert (score.economic["exact"], score.economic["wrong"], score.economic["fields"]) == (2, 1, 2)
    assert score.records == 2 and score.warnings == {"printed_across": 1}
    t = totals([score])
    assert (t["fields"], t["exact"], t["missing"], t["wrong"], t["split"]) == (9, 7, 1, 1, 1)
    lines = details([score])
    assert lines[0] == "  x.pdf: 7/9 exact, 1 missing, 1 wrong; economic 2/2, 1 wrong; 2 records"
    assert "    document.department: got '某局本级', want '某局'" in lines


def test_a_document_the_parser_refuses_scores_every_field_missing() -> None:
    refused = {"error": {"code": "no_text", "message": "no text layer"}, "warnings": []}
    score = score_records(_golden(), [refused])
    assert score.error == "no_text: no text layer"
    # every printed field missing, none wrong (the nulls the golden holds stay exact)
    assert (score.fields["missing"], score.fields["exact"], score.fields["wrong"]) == (7, 2, 0)
    assert "| as printed | 1 | 9 | 22.2 % | 7 | 0 | 0.0 % | 0 | 1 | 0 |" in table([("as printed", [score])])


def _sample_as_golden(tmp_path: Path) -> tuple[Path, Path]:
    """The first sample document with figures, copied to a folder of PDFs, its truth as a golden file."""
    for path in sorted((SAMPLE / "truth").glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        render = truth.get("render", {}).get("variations", [])
        if truth.get("records") and not any(v.startswith(("bad:", "corrupt:")) for v in render):
            break
    pdfs, golden = tmp_path / "pdfs", tmp_path / "golden"
    pdfs.mkdir()
    golden.mkdir()
    shutil.copy(SAMPLE / truth["file"], pdfs / "doc.pdf")
    rec = truth["records"][0]
    typed = {"file": "doc.pdf", **{k: rec[k] for k in GOLDEN_PARTS if k in rec}}
    (golden / "doc.json").write_text(json.dumps(typed, ensure_ascii=False), encoding="utf-8")
    return pdfs, golden


def test_a_sample_document_scored_against_its_truth_is_exact(tmp_path: Path) -> None:
    pdfs, golden = _sample_as_golden(tmp_path)
    assert (
        main(
            [
                "corpus",
                "score",
                "--pdfs",
                str(pdfs),
                "--golden",
                str(golden),
                "--json",
                str(tmp_path / "s.json"),
            ]
        )
        == 0
    )
    [score] = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["as printed"]
    assert score["error"] is None and score["records"] == 1
    assert score["fields"]["exact"] == score["fields"]["fields"] > 20
    assert score["economic"]["exact"] == score["economic"]["fields"] > 0


def test_a_stress_that_cannot_be_made_says_why_and_the_rest_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdfs, golden = _sample_as_golden(tmp_path)
    (golden / "absent.json").write_text(json.dumps({"file": "absent.pdf", "totals": {}}), encoding="utf-8")
    tool = rewritten_by("budgetlens-no-such-tool", "no-such-package", ["{src}", "{out}"])
    with pytest.raises(ToolMissing, match=r"budgetlens-no-such-tool \(no-such-package\) is not installed"):
        tool(b"%PDF-1.7")
    monkeypatch.setitem(STRESSES, "by-a-missing-tool", (tool, "written again by a tool that is not there"))
    scores = score_folder(pdfs, goldens_in(golden), "by-a-missing-tool", workers=1)
    assert [s.error for s in scores] == [
        f"absent: {pdfs / 'absent.pdf'} is not there",
        "stress failed: ToolMissing: budgetlens-no-such-tool (no-such-package) is not installed",
    ]
    assert totals(scores)["failed"] == 2


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--pdfs", "{tmp}/nowhere"], "no folder of PDFs at {tmp}/nowhere (--pdfs, or BUDGETLENS_SHARED)"),
        (
            ["--pdfs", "{tmp}", "--golden", "{tmp}/nowhere"],
            "no folder of golden files at {tmp}/nowhere (--golden)",
        ),
        (
            ["--pdfs", "{tmp}", "--golden", "{tmp}", "--stress", "upside-up"],
            "unknown stress upside-up (--list names them)",
        ),
    ],
)
def test_a_score_that_cannot_run_says_why_in_one_line(
    argv: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["corpus", "score", *(a.format(tmp=tmp_path) for a in argv)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"budgetlens corpus score: {says.format(tmp=tmp_path)}\n"


def test_the_stresses_are_listed_with_what_each_does(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "score", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == list(STRESSES)
    assert all(len(line.split(maxsplit=1)) == 2 for line in listed)


@pytest.mark.realpdf
def test_a_real_document_made_harder_is_scored_from_the_command_line(
    real_pdfs_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["corpus", "score", "--pdfs", str(real_pdfs_dir), "--golden", str(GOLDEN), "--only", SMALL_REAL]
    argv += ["--stress", "fake-bold", "--keep", str(tmp_path / "kept")]
    assert main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    golden = json.loads((GOLDEN / SMALL_REAL.replace(".pdf", ".json")).read_text(encoding="utf-8"))
    fields = score_records(golden, []).fields["fields"]  # the golden's field count
    assert out[2] == f"| fake-bold | 1 | {fields:,} | 100.0 % | 0 | 0 | 100.0 % | 0 | 0 | 0 |"
    assert (tmp_path / "kept" / "fake-bold" / SMALL_REAL).is_file()
