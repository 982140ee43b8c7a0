"""The national classification of government expenditure by function (政府收支分类科目, 支出功能分类).

Some documents print function lines only by name ("社会保障和就业支出（类）行政事业单位养老支出（款）
行政单位离退休（项）"); their codes come from the one code list (`budgetlens/data/function_codes.csv`,
read by `budgetlens.function_codes`): 类 (3 digits), 款 (+2), 项 (+2). The list holds every 类, the
款 department budgets use, and their 项; 项 missing there are resolved by
the rules every 款 follows (行政运行 01, 一般行政管理事务 02, 机关服务 03, 事业运行 50, 其他…支出 99)
and by near-identical names among the 款's known 项 (names drift between years: 技术研究与开发 /
技术与研究开发). Codes printed anywhere in the document itself are preferred over the list.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from budgetlens.function_codes import read_function_codes
from budgetlens.parse.normalize import has_han, key

_CODE_SHAPE = re.compile(r"(?P<cls>\d{3})(?P<rest>(?:\d{2}){0,2})")
# a code printed before its name: "201 一般公共服务支出", "[201]…", "30101-基本工资"
CODE_IN_NAME = re.compile(r"^\[?(?P<code>\d{3}(?:\d{2}){0,2})\]?[\s\-—–:：]*(?P<name>[^\d\s\-—–:：].*)$")


def classification_shaped(text: str) -> bool:
    """A printed code of the national classifications: a function 类 201–234, an economic 类
    301–399 / 501–599, then 款 / 项 pairs 01–99 ('2080505', '30101'). Figures rarely are."""
    m = _CODE_SHAPE.fullmatch(text)
    if not m:
        return False
    cls = int(m.group("cls"))
    if not (201 <= cls <= 234 or 301 <= cls <= 399 or 501 <= cls <= 599):
        return False
    rest = m.group("rest")
    return all(rest[i : i + 2] != "00" for i in range(0, len(rest), 2))


def led_by_code(text: str) -> bool:
    """Does a label print a classification code first ('201', '[30101]基本工资', '201 一般公共服务支出';
    never a figure such as '228.57')?"""
    t = text.strip()
    m = CODE_IN_NAME.match(t)
    return classification_shaped(t.replace(" ", "")) or bool(
        m and classification_shaped(m.group("code")) and has_han(m.group("name"))
    )


# Synonyms that differ between classification years (older name -> current name).
SYNONYMS: dict[str, str] = {
    "行政事业单位离退休": "行政事业单位养老支出",
    "医疗卫生与计划生育支出": "卫生健康支出",
    "文化体育与传媒支出": "文化旅游体育与传媒支出",
    "国土海洋气象等支出": "自然资源海洋气象等支出",
    "技术与研究开发": "技术研究与开发",
    # 2040704 / 2040705 renamed in the classification of 2024
    "罪犯生活及医疗卫生": "犯人生活",
    "监狱业务及罪犯改造": "犯人改造",
}

_QUALIFIER = re.compile(r"[(（](?:类|款|项)[)）]")


@lru_cache(maxsize=1)
def _children() -> dict[str, dict[str, str]]:
    """Parent code ('' for the 类) -> {name key -> child code}, from the one code list."""
    children: dict[str, dict[str, str]] = {"": {}}
    for c in read_function_codes().values():
        children.setdefault(c.parent, {})[key(c.name)] = c.code
    return children


def split_in_name(text: str) -> list[str] | None:
    """'A（类）B（款）C（项）' -> ['A', 'B', 'C']; None when the text carries no 类/款/项 marks."""
    if not _QUALIFIER.search(text):
        return None
    parts = [p.strip() for p in _QUALIFIER.split(text)]
    parts = [p for p in parts if p]
    return parts or None


def _canonical(name: str) -> str:
    k = key(name)
    return key(SYNONYMS.get(k, k))


def child_code(parent: str, name: str, local: dict[str, dict[str, str]] | None = None) -> str | None:
    """The code of `name` under `parent` ('' for a 类): the document's own codes first, then the table."""
    k = _canonical(name)
    if local and parent in local and k in local[parent]:
        return local[parent][k]
    known = _children().get(parent, {})
    if k in known:
        return known[k]
    if len(parent) == 5:
        generic = {"行政运行": "01", "一般行政管理事务": "02", "机关服务": "03", "事业运行": "50"}
        if k in generic:
            return parent + generic[k]
        if k.startswith("其他") and k.endswith(("支出", "事务")):
            return parent + "99"
    # near-identical names (a character added or dropped between classification years)
    best, score = None, 0.0
    for name_key, code in known.items():
        s = SequenceMatcher(None, k, name_key).ratio()
        if s > score:
            best, score = code, s
    return best if score >= 0.8 else None


def exact_child_code(parent: str, name: str, local: dict[str, dict[str, str]] | None = None) -> str | None:
    """The code of `name` under `parent` when the document or the table holds exactly that name."""
    k = _canonical(name)
    if local and parent in local and k in local[parent]:
        return local[parent][k]
    return _children().get(parent, {}).get(k)


def code_of(parts: list[str], local: dict[str, dict[str, str]] | None = None) -> str | None:
    """The joined code of a line named by its 类 / 款 / 项 names, or None when a name is unknown."""
    code = ""
    for name in parts[:3]:
        nxt = child_code(code, name, local)
        if nxt is None:
            return None
        code = nxt
    return code


def local_codes(pairs: list[tuple[str, str]]) -> dict[str, dict[str, str]]:
    """A document's own (code, name) pairs as parent code -> {name key -> code}."""
    out: dict[str, dict[str, str]] = {}
    for code, name in pairs:
        parent = "" if len(code) == 3 else code[:-2]
        out.setdefault(parent, {})[_canonical(name)] = code
    return out


# 部门预算支出经济分类的类 (the economic classes of department budgets), for tables that print
# economic lines by name only. Only the 类: their 款 are not needed for any total.
ECONOMIC_CLASSES = {
    "工资福利支出": "301",
    "商品和服务支出": "302",
    "对个人和家庭的补助": "303",
    "债务利息及费用支出": "307",
    "资本性支出(基本建设)": "309",
    "资本性支出": "310",
    "对企业补助(基本建设)": "311",
    "对企业补助": "312",
    "对社会保障基金补助": "313",
}


def economic_class_of(name: str) -> str | None:
    """The 类 code of an economic class printed by name ('对个人和家庭的补助' -> '303')."""
    return ECONOMIC_CLASSES.get(key(name))
