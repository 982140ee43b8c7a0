"""Fixtures of the parser tests: the record schema, the sample corpus truths, crafted PDFs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE
from tests.parse import pdfmaker

GOLDEN = Path(__file__).parent / "golden"


def sample_truths() -> list[Path]:
    """Every truth file of the committed sample corpus (collected at import: the corpus grows)."""
    return sorted((SAMPLE / "truth").glob("*.json"))


@pytest.fixture(scope="session")
def schema_validator():
    import jsonschema

    schema = json.loads((REPO / "docs" / "budget.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="session")
def cjk_font() -> Path:
    if not pdfmaker.font_available():
        pytest.skip(
            f"the CJK font {pdfmaker.FONT_PATH} is absent (fonts-wqy-zenhei): crafted PDFs cannot be drawn"
        )
    return pdfmaker.FONT_PATH


@pytest.fixture
def make_pdf(tmp_path, cjk_font):
    """make_pdf(name, **Doc fields, encrypt_user=None, encrypt_owner=None) -> Path of a crafted budget PDF."""

    def make(
        name: str = "doc.pdf", *, encrypt_user: str | None = None, encrypt_owner: str | None = None, **fields
    ):
        return pdfmaker.render(
            pdfmaker.Doc(**fields), tmp_path / name, encrypt_user=encrypt_user, encrypt_owner=encrypt_owner
        )

    return make
