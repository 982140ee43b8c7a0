"""Department types and canonical names from warehouse/department_types.csv and department_aliases.csv."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.departments import (
    OTHER,
    canonical_department,
    default_rules,
    department_type,
    read_rules,
    strip_jurisdiction,
)

from .records import load_truth, truth_files


@pytest.mark.parametrize(
    ("name", "jurisdiction", "expected"),
    [
        ("深圳市罗湖区科技创新局", "深圳市罗湖区", "科技创新"),
        ("深圳市福田区科技和工业信息化局", "深圳市福田区", "科技创新"),
        ("深圳市大鹏新区科技创新和产业发展局", "深圳市大鹏新区", "科技创新"),
        ("上海市普陀区科学技术委员会", "上海市普陀区", "科技创新"),
        ("深圳市南山区教育局", "深圳市南山区", "教育"),
        ("深圳市罗湖区财政局", "深圳市罗湖区", "财政"),
        ("深圳市罗湖区司法局", "深圳市罗湖区", "司法"),
        ("深圳市罗湖区卫生健康局", "深圳市罗湖区", "卫生健康"),
        ("上海市静安区卫生健康委员会", "上海市静安区", "卫生健康"),
        ("深圳市罗湖区文化广电旅游体育局", "深圳市罗湖区", "文化旅游体育"),
        ("深圳市大鹏新区文化体育旅游局", "深圳市大鹏新区", "文化旅游体育"),
        ("深圳市大鹏新区民政局", "深圳市大鹏新区", "民政"),
        ("上海市普陀区商务委员会", "上海市普陀区", "商务"),
        ("深圳市大鹏新区商务局", "深圳市大鹏新区", "商务"),
        ("上海市普陀区万里街道办事处", "上海市普陀区", "街道"),
        ("深圳市大鹏新区葵涌街道办事处", "深圳市大鹏新区", "街道"),
        ("江苏省人民检察院", "江苏省", "检察"),
        ("政协江苏省委员会办公厅", "江苏省", "政协"),
        ("中国人民政治协商会议江苏省委员会办公厅", "江苏省", "政协"),
        ("江苏省委办公厅", "江苏省", "党委办公厅"),
        ("中共江苏省委办公厅", "江苏省", "党委办公厅"),
        ("中国共产党江苏省委员会办公厅", "江苏省", "党委办公厅"),
        ("科技创新局", "深圳市罗湖区", "科技创新"),  # printed without its jurisdiction
        ("深圳市罗湖区 教 育 局", "深圳市罗湖区", "教育"),  # spaced-out Han
        ("深圳市光明区人力资源局", "深圳市光明区", OTHER),
        ("深圳市盐田区退役军人事务局", "深圳市盐田区", OTHER),
        ("", "深圳市罗湖区", OTHER),
        (None, None, OTHER),
    ],
)
def test_department_type(name, jurisdiction, expected):
    assert department_type(name, jurisdiction) == expected


@pytest.mark.parametrize(
    "name", ["江苏省委办公厅", "中共江苏省委办公厅", "中国共产党江苏省委员会办公厅", "中共江苏省委员会办公厅"]
)
def test_one_canonical_name_per_department(name):
    assert canonical_department(name, "江苏省") == "中共江苏省委办公厅"


@pytest.mark.parametrize(
    ("name", "jurisdiction", "expected"),
    [
        ("科技创新局", "深圳市罗湖区", "深圳市罗湖区科技创新局"),
        ("罗湖区科技创新局", "深圳市罗湖区", "深圳市罗湖区科技创新局"),
        ("深圳市罗湖区科技创新局", "深圳市罗湖区", "深圳市罗湖区科技创新局"),
        ("深圳市罗湖区⻔诊部", "深圳市罗湖区", "深圳市罗湖区门诊部"),  # look-alike radical
        (None, "深圳市罗湖区", None),
    ],
)
def test_canonical_department(name, jurisdiction, expected):
    assert canonical_department(name, jurisdiction) == expected


@pytest.mark.parametrize(
    ("name", "jurisdiction", "expected"),
    [
        ("深圳市罗湖区科技创新局", "深圳市罗湖区", "科技创新局"),
        ("中共江苏省委办公厅", "江苏省", "省委办公厅"),
        ("上海市普陀区万里街道办事处", "上海市普陀区", "万里街道办事处"),
        ("深圳市大鹏新区教育局", "深圳市大鹏新区", "教育局"),
    ],
)
def test_strip_jurisdiction(name, jurisdiction, expected):
    assert strip_jurisdiction(name, jurisdiction) == expected


def test_rules_file_is_valid_and_types_are_canonical():
    rules = default_rules()
    assert {
        "科技创新",
        "教育",
        "财政",
        "司法",
        "卫生健康",
        "文化旅游体育",
        "民政",
        "商务",
        "街道",
        OTHER,
    } <= rules.types


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("match,pattern,department_type\nfuzzy,教育局,教育\n", "match must be one of"),
        ("match,pattern,department_type\nexact,教育局,教育\nexact,教育局,财政\n", "mapped twice"),
        ("pattern,department_type\n教育局,教育\n", "header must be"),
        ("match,pattern,department_type\nexact,,教育\n", "empty pattern"),
    ],
)
def test_bad_rules_file_is_a_clear_error(tmp_path: Path, content, message):
    types = tmp_path / "types.csv"
    types.write_text(content, encoding="utf-8")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_rules(types, aliases)


TRUTH_DEPARTMENTS = sorted(
    {
        (r["document"]["department"], r["document"]["jurisdiction"], r["department_type"])
        for p in truth_files()
        for r in load_truth(p).get("records", [])
        if r.get("department_type")
    }
)


def test_the_corpus_names_departments():
    assert TRUTH_DEPARTMENTS, "the sample corpus (sample/truth) is missing from the repository"


@pytest.mark.parametrize(("name", "jurisdiction", "expected"), TRUTH_DEPARTMENTS)
def test_corpus_truth_department_types(name, jurisdiction, expected):
    assert department_type(name, jurisdiction) == expected
