"""Normalisation of printed text: full-width forms, look-alike radicals, spaces between Han."""

from __future__ import annotations

import pytest

from budgetlens.parse.normalize import key, normalize_char, normalize_text


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("２", "2"),
        ("Ａ", "A"),
        ("．", "."),
        ("％", "%"),
        ("⻔", "门"),  # CJK radicals supplement, C-simplified gate
        ("⻋", "车"),
        ("⻓", "长"),
        ("⼈", "人"),  # Kangxi radical
        ("（", "（"),  # Chinese punctuation stays as printed
        ("：", "："),
        ("收", "收"),
    ],
)
def test_normalize_char(printed: str, canonical: str) -> None:
    assert normalize_char(printed) == canonical


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("收 支 总 表", "收支总表"),
        ("深 圳 市 罗 湖 区", "深圳市罗湖区"),
        ("２０２２ 年预算数", "2022 年预算数"),
        ("２，５７９", "2,579"),
        ("部⻔预算", "部门预算"),
        ("公务用⻋运行维护费", "公务用车运行维护费"),
        ("  一般  公共 ", "一般公共"),
        ("1 场", "1 场"),
        ("维修（护）费", "维修（护）费"),
    ],
)
def test_normalize_text(printed: str, canonical: str) -> None:
    assert normalize_text(printed) == canonical


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("单位：万元", "单位:万元"),
        ("“三公”经费", "三公经费"),
        ("维修（护）费", "维修(护)费"),
        ("收 支 总 表", "收支总表"),
    ],
)
def test_key_ignores_spacing_quotes_and_bracket_forms(a: str, b: str) -> None:
    assert key(a) == key(b)
