"""The dev package `corpus/` stays out of the product: not in the wheel, and `budgetlens corpus`
says how to get it when it is missing instead of failing with a traceback."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from pipeline.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_dev_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as a product install sees it: `corpus` cannot be imported."""
    for name in [m for m in sys.modules if m == "corpus" or m.startswith("corpus.")] + ["corpus"]:
        monkeypatch.setitem(sys.modules, name, None)  # None in sys.modules: ModuleNotFoundError


@pytest.mark.parametrize(
    "argv",
    [
        ["corpus", "render"],
        ["corpus", "render", "--n", "5"],
        ["corpus", "one", "t.json", "o.pdf"],
        ["corpus", "score", "--list"],
    ],
)
def test_corpus_command_without_the_dev_package_says_how_to_get_it(
    no_dev_package: None, argv: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "budgetlens corpus: the corpus tools come with the dev install: pip install -e '.[dev]'\n"
    assert list(tmp_path.iterdir()) == []


def test_help_and_the_other_commands_do_not_need_the_dev_package(
    no_dev_package: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["corpus", "render", "--help"])
    assert done.value.code == 0
    assert "--n" in capsys.readouterr().out


def test_the_product_wheel_leaves_the_dev_package_out() -> None:
    from setuptools import find_namespace_packages

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = find_namespace_packages(where=str(REPO), include=config["packages"]["find"]["include"])
    assert {"budgetlens", "pipeline", "assets", "expectations", "warehouse"} <= set(packages)
    assert not [p for p in packages if p.split(".")[0] in ("corpus", "tests", "bench")]
    # the editable install puts the checkout on sys.path, so the dev package imports there
    assert config["package-dir"] == {"": "."}
