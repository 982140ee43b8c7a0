"""The corpus plan: which documents exist, their truth, producer, font and variations.

`plan_corpus(seed, n)` returns every truth record (pages not yet filled) of a corpus: with
`n=None` the default sample corpus (10 Shenzhen districts × 6 department types × 2022/2023, two
Shanghai districts, a 汇编, three 决算 paired with budgets of the same department-years, bad inputs
and corrupted copies); with `n` a corpus of n documents of the same kinds for benchmarks.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from corpus.catalog import SHANGHAI, SHENZHEN, SIX_TYPES, TYPES
from corpus.ledger import DEFAULT_GRAIN, Ledger, next_year, prior_of
from corpus.seed import SEED_ID, seed_truth
from corpus.synth import Printer, make_ledger, prior_from_ledger, record_from_ledger
from corpus.truth import skeleton

DEFAULT_SEED = 20220101
AXES: dict[str, list[str]] = {
    "numbering": ["表1", "表 1", "表一", "附表1", "公开01表", "none"],
    "title": ["plain", "plain", "year", "spaced"],
    "unit": ["万元", "万元", "万元2", "元", "mixed"],
    "codes": ["one_column", "one_column", "three_columns", "in_name"],
    "continuation": ["single", "repeat_header", "no_repeat_header", "totals_alone"],
    "totals": ["first", "first", "last"],
    "rules": ["grid", "grid", "hrules", "none"],
    "orientation": ["portrait", "portrait", "landscape", "rotated"],
    "empty": ["本表本年无发生额", "无", "本表为空"],
    "headcount": ["full", "full", "establishment", "staff_only", "none"],
    "zero": ["0", "0", "dash", "blank", "0.00"],
}
RARE: dict[str, int] = {  # flag -> how many documents of a sample carry it
    "glyphs:fake_bold": 4,
    "glyphs:fullwidth": 4,
    "glyphs:radicals": 4,
    "three_public:meeting_training": 4,
    "rounding:tail": 6,
}


@dataclass
class DocPlan:
    """One planned single-department document."""

    doc_id: str
    district: str
    jurisdiction: str
    dtype: str
    year: int
    template: str = "shenzhen13"


def assign_axes(rng: random.Random, count: int) -> list[dict[str, str]]:
    """Per document one value of each axis; every value occurs (when count allows)."""
    out: list[dict[str, str]] = [{} for _ in range(count)]
    for axis, options in AXES.items():
        values = [options[i % len(options)] for i in range(count)]
        rng.shuffle(values)
        for d, v in zip(out, values, strict=True):
            d[axis] = v
    return out


def file_for(district: str, year: int, dept: str, suffix: str = "部门预算") -> str:
    return f"sites/{district}/files/{year}年{dept}{suffix}.pdf"


def _page_rows(record: dict[str, Any], continuation: str, totals_last: bool) -> dict[str, list[int]]:
    """Explicit page breaks that put long tables over 2–3 pages (or a totals row alone)."""
    n_fun = len(record["function_lines"]) + 1
    n_sum = max(11, len(record["function_lines"]) + len(record["extra"]["fund_lines"])) + 3
    if continuation in ("repeat_header", "no_repeat_header"):
        parts = 3 if n_fun > 24 else 2
        return {"general_budget_by_function": [math.ceil(n_fun / parts)], "summary": [math.ceil(n_sum / 2)]}
    if continuation == "totals_alone":
        out = {"summary": [n_sum - 3, 3]}
        if totals_last:
            out["general_budget_by_function"] = [n_fun - 1, 1]
        return out
    return {}


def render_spec(
    template: str,
    producer: str,
    font: str,
    seed: int,
    axes: dict[str, str],
    flags: list[str],
    record: dict[str, Any],
) -> dict[str, Any]:
    variations = [f"{k}:{v}" for k, v in axes.items()] + flags + ["header:merged"]
    if producer == "chromium" and axes.get("orientation") == "rotated":
        variations[variations.index("orientation:rotated")] = "orientation:landscape"
    spec: dict[str, Any] = {
        "producer": producer,
        "font": font,
        "template": template,
        "seed": seed,
        "variations": sorted(variations),
    }
    rows = _page_rows(record, axes.get("continuation", "single"), axes.get("totals") == "last")
    if rows:
        spec["page_rows"] = rows
    spec["overrides"] = []
    return spec


def truth_for(plan: DocPlan, record: dict[str, Any], render: dict[str, Any], dept: str) -> dict[str, Any]:
    return skeleton(plan.doc_id, file_for(plan.district, plan.year, dept), "synthetic", render, [record])


class Planner:
    """Builds the documents of a corpus, department by department."""

    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)
        self.truths: list[dict[str, Any]] = []
        self.seed_record = seed_truth()["records"][0]

    def department_years(
        self, district: str, jurisdiction: str, dtype_key: str, years: list[int], template: str = "shenzhen13"
    ) -> list[tuple[int, Ledger, dict[str, Any]]]:
        """Ledgers for consecutive years; the first carries synthetic prior-year figures for its prose
        (later years compare themselves with the year before, see `add_department`)."""
        rng = random.Random(f"{self.seed}:{district}:{dtype_key}")
        dtype = TYPES[dtype_key]
        shanghai = template == "shanghai9"
        shape = None
        if (district, dtype_key) == ("luohu", "科技创新"):
            shape = (
                23,
                1700,
                ["预算准备金", "综合事务", "科协科普工作", "科技创新与产业发展", "离退休干部管理"],
            )
        led = make_ledger(
            rng,
            district,
            jurisdiction,
            dtype,
            DEFAULT_GRAIN,
            with_units=bool(dtype.units) and rng.random() < 0.45 and not shanghai,
            shanghai=shanghai,
            with_fund=bool(dtype.fund_line) and rng.random() < 0.6 and not shanghai,
            shape=shape,
        )
        out = [(years[0], led, {"year": years[0] - 1, **prior_of(rng, led)})]
        for year in years[1:]:
            led = next_year(rng, led)
            out.append((year, led, {}))
        return out

    def add_department(
        self,
        district: str,
        jurisdiction: str,
        dtype_key: str,
        years: list[int],
        axes_list: list[dict[str, str]],
        flags_of: dict[str, list[str]],
        producer_of: dict[str, str],
        font_of: dict[str, str],
        template: str = "shenzhen13",
    ) -> None:
        dtype = TYPES[dtype_key]
        chain = self.department_years(district, jurisdiction, dtype_key, years, template)
        prev_record: dict[str, Any] | None = None
        prev_led: Ledger | None = None
        for (year, led, prior), axes in zip(chain, axes_list, strict=True):
            doc_id = f"{district}-{dtype.abbr}-{year}"
            if doc_id == SEED_ID:
                prev_record, prev_led = self.seed_record, None
                continue
            flags = flags_of.get(doc_id, [])
            scheme = axes["unit"]
            if "rounding:tail" in flags:
                scheme = "万元"
            elif scheme == "万元":
                led = _regrain(led, Decimal(10_000))
            if prev_record is not None:
                prior = prior_from_ledger(prev_led, year - 1, Printer(scheme), prev_record)
            rng = random.Random(f"{self.seed}:{doc_id}")
            record = record_from_ledger(
                rng,
                led,
                year,
                jurisdiction,
                scheme,
                axes["headcount"],
                prior,
                template,
                meeting_training="three_public:meeting_training" in flags,
            )
            render = render_spec(
                template,
                producer_of.get(doc_id, "reportlab"),
                font_of.get(doc_id, "wqy-zenhei"),
                self.seed + len(self.truths),
                axes,
                flags,
                record,
            )
            self.truths.append(
                truth_for(
                    DocPlan(doc_id, district, jurisdiction, dtype_key, year, template),
                    record,
                    render,
                    led.department,
                )
            )
            prev_record, prev_led = record, led


def _regrain(led: Ledger, grain: Decimal) -> Ledger:
    """The ledger on a coarser grain (万元 documents print exact sums): every amount re-rounded."""
    from corpus.ledger import q

    for u in led.units:
        u.personnel, u.operating, u.household = (q(v, grain) for v in (u.personnel, u.operating, u.household))
        for store in (u.lines, u.fund_lines):
            for v in store.values():
                v[0], v[1] = q(v[0], grain), q(v[1], grain)
        u.projects = [(n, max(grain, q(a, grain)), c) for n, a, c in u.projects]
        # keep lines consistent with re-rounded personnel and projects: rebuild project parts
        for code in list(u.lines):
            u.lines[code][1] = Decimal(0)
        for code in list(u.fund_lines):
            u.fund_lines[code][1] = Decimal(0)
        u.fund = Decimal(0)
        for _, a, c in u.projects:
            target = u.fund_lines if c in u.fund_lines else u.lines
            target.setdefault(c, [Decimal(0), Decimal(0)])[1] += a
            if target is u.fund_lines:
                u.fund += a
        basic_lines = sum((v[0] for v in u.lines.values()), Decimal(0))
        admin = next(
            c
            for c, v in u.lines.items()
            if v[0] and c.endswith(("01", "50", "99")) and c not in ("2080501", "2101101", "2210201")
        )
        u.lines[admin][0] += u.basic - basic_lines  # absorb the re-rounding in 行政运行
        u.procurement = {k: q(v, grain) for k, v in u.procurement.items()}
        u.procurement["sme"] = min(u.procurement["sme"], sum((u.procurement[k] for k in "ABC"), Decimal(0)))
        u.procurement["small_micro"] = min(u.procurement["small_micro"], u.procurement["sme"])
    led.agency = q(led.agency, grain)
    led.grain = grain
    return led


SHANGHAI_DOCS: list[tuple[str, str, list[int]]] = [
    ("putuo", "商务", [2022, 2023]),
    ("putuo", "科技创新", [2023]),
    ("putuo", "街道", [2023]),
    ("jingan", "教育", [2023]),
    ("jingan", "卫生健康", [2023]),
]
SHANGHAI_AXES = {
    "numbering": "none",
    "title": "year",
    "codes": "three_columns",
    "continuation": "single",
    "totals": "last",
    "orientation": "landscape",
    "empty": "本表为空",
    "headcount": "none",
    "zero": "blank",
}
BOOK = ("dapeng", "深圳市大鹏新区", 2023, ("民政", "商务", "街道"))
# 决算 paired with budgets of the sample: (district, department type, year, producer, font, variations).
# Three 教育局 of 2022 (a peer group for the execution comparison); 福田's 三公 is nil and prints 0.00
# (an all-blank 三公 row is a parser defect, see tests/parse/test_corpus_final.py).
FINALS: list[tuple[str, str, int, str, str, list[str]]] = [
    ("futian", "教育", 2022, "reportlab", "uming", ["zero:0.00"]),
    ("nanshan", "教育", 2022, "chromium", "wqy-zenhei", []),
    ("longhua", "教育", 2022, "reportlab", "wqy-zenhei", []),
]
BAD_DEPTS = {  # kind -> (district, jurisdiction, department suffix, year)
    "truncated": ("longgang", "深圳市龙岗区", "城市管理和综合执法局", 2023),
    "encrypted": ("nanshan", "深圳市南山区", "住房和建设局", 2023),
    "html_error": ("baoan", "深圳市宝安区", "水务局", 2023),
    "empty": ("longhua", "深圳市龙华区", "应急管理局", 2023),
    "scanned": ("pingshan", "深圳市坪山区", "统计局", 2022),
}
SPECIAL = {  # parse normally, with a twist in the file
    "owner_password": ("guangming", "深圳市光明区", "人力资源局", 2023),
    "cid_page": ("yantian", "深圳市盐田区", "退役军人事务局", 2023),
}
CORRUPT_SUFFIX = {
    "cross_table": "（第二版）",
    "prose_table": "（网页版）",
    "kuan_sum": "（公示稿）",
    "procurement_parts": "（修订前）",
    "one_yuan": "（备份）",
}


def _spread(rng: random.Random, ids: list[str], share: float, value: str, default: str) -> dict[str, str]:
    chosen = set(rng.sample(ids, k=max(1, int(len(ids) * share))))
    return {i: value if i in chosen else default for i in ids}


def _shanghai_axes(rng: random.Random) -> dict[str, str]:
    axes = dict(SHANGHAI_AXES)
    axes["unit"] = rng.choice(["mixed", "mixed", "元"])
    axes["rules"] = rng.choice(["hrules", "grid"])
    return axes


def _other_department(
    planner: Planner, district: str, jurisdiction: str, suffix: str, year: int, base_type: str = "司法"
) -> tuple[dict[str, Any], str]:
    """A clean single-department truth for a department outside the six types (for bad inputs)."""
    rng = random.Random(f"{planner.seed}:{district}:{suffix}")
    led = make_ledger(rng, district, jurisdiction, TYPES[base_type], DEFAULT_GRAIN, with_units=False)
    led.department = jurisdiction + suffix
    prior = {"year": year - 1, **prior_of(rng, led)}
    record = record_from_ledger(rng, led, year, jurisdiction, "万元2", "full", prior)
    record["department_type"] = "other"
    record["extra"]["duties"] = f"{led.department}负责本区相关行政管理和公共服务工作。"
    return record, led.department


def plan_corpus(seed: int = DEFAULT_SEED, n: int | None = None) -> list[dict[str, Any]]:
    """Every truth record of a corpus (see module doc); deterministic in `seed`."""
    from corpus.corrupt import corrupt

    pl = Planner(seed)
    rng = random.Random(seed)
    if n is None:
        combos = [(d, j, t) for d, j in SHENZHEN for t in SIX_TYPES]
        years = [2022, 2023]
        shanghai = SHANGHAI_DOCS
    else:
        from corpus.catalog import EXTRA_TYPES

        combos = [(d, j, t) for d, j in SHENZHEN for t in SIX_TYPES + EXTRA_TYPES]
        n_years = max(2, math.ceil(n / len(combos)))
        years = list(range(2023 - n_years + 1, 2024))
        shanghai = SHANGHAI_DOCS
    ids = [f"{d}-{TYPES[t].abbr}-{yr}" for d, _, t in combos for yr in years]
    axes = iter(assign_axes(rng, len(ids)))
    producers = _spread(rng, ids, 1 / 3, "chromium", "reportlab")
    fonts = _spread(rng, ids, 1 / 4, "uming", "wqy-zenhei")
    flags: dict[str, list[str]] = {}
    pool = [i for i in ids if i != SEED_ID]
    for flag, count in RARE.items():
        k = count if n is None else max(count, len(pool) // 25)
        for i in rng.sample(pool, k=min(k, len(pool))):
            flags.setdefault(i, []).append(flag)
            if flag.startswith("glyphs:") and flag != "glyphs:fullwidth":
                producers[i] = (
                    "reportlab" if flag == "glyphs:fake_bold" and rng.random() < 0.5 else producers[i]
                )
    if n is None:
        for d, j, t in combos:
            pl.add_department(d, j, t, years, [next(axes) for _ in years], flags, producers, fonts)
    for d, t, yrs in shanghai:
        j = dict(SHANGHAI)[d]
        ax = [_shanghai_axes(rng) for _ in yrs]
        sh_ids = [f"{d}-{TYPES[t].abbr}-{yr}" for yr in yrs]
        prod = {i: rng.choice(["reportlab", "chromium"]) for i in sh_ids}
        font = {i: rng.choice(["wqy-zenhei", "uming"]) for i in sh_ids}
        pl.add_department(d, j, t, yrs, ax, {}, prod, font, template="shanghai9")
    if n is not None:  # a benchmark corpus: Shanghai first, then Shenzhen year by year
        for d, j, t in combos:
            pl.add_department(d, j, t, years, [next(axes) for _ in years], flags, producers, fonts)
    specials = special_documents(pl, rng)
    regular = pl.truths
    if n is not None:  # exactly n documents: the seed, the specials, the corrupted copies, then regular ones
        # (the one-yuan copy replaces its original, so it adds no document)
        regular = regular[: max(0, n - 1 - len(specials) - (len(CORRUPT_SUFFIX) - 1))]
    truths = regular + specials
    clean = {t["id"]: t for t in truths}
    for how, source_id in _corruption_sources(clean).items():
        truths.append(corrupt(clean[source_id], how, CORRUPT_SUFFIX[how]))
        if how == "one_yuan":
            # The one-yuan slip is a good document (published with a warning), so it takes its clean
            # original's place: two current budgets of one department and year would be duplicates.
            truths.remove(clean[source_id])
    truths.insert(0, seed_truth())
    return truths


def _corruption_sources(clean: dict[str, dict[str, Any]]) -> dict[str, str]:
    """A clean source document for each corruption (the one-yuan slip needs a document printed in 元)."""
    plain = [
        i
        for i, t in sorted(clean.items())
        if t["render"]["template"] == "shenzhen13"
        and len(t["records"]) == 1
        and not t["render"].get("bad_input")
        and t["records"][0]["document"]["kind"] == "budget"
        and t["records"][0]["department_type"] != "other"
        and t["records"][0]["totals"]["procurement_total"] not in (None, "0.00")
    ]
    in_yuan = [i for i in plain if t_unit(clean[i]) == "元"]
    out: dict[str, str] = {}
    if not plain:
        return out
    for k, how in enumerate(("cross_table", "prose_table", "kuan_sum", "procurement_parts")):
        out[how] = plain[(7 * k + 3) % len(plain)]
    out["one_yuan"] = in_yuan[0] if in_yuan else plain[0]
    return out


def t_unit(truth: dict[str, Any]) -> str:
    return next(t["unit"] for t in truth["records"][0]["tables"] if t["kind"] == "summary")


def special_documents(pl: Planner, rng: random.Random) -> list[dict[str, Any]]:
    """The 汇编, the 决算 (paired with budgets planned before), the bad inputs and the files with a twist."""
    out: list[dict[str, Any]] = []
    # 汇编: several departments back to back in one PDF (reportlab: page ranges are known)
    district, jur, year, types = BOOK
    records = []
    for t in types:
        chain = pl.department_years(district, jur, t, [year])
        _, led, prior = chain[0]
        r = record_from_ledger(random.Random(f"{pl.seed}:book:{t}"), led, year, jur, "万元", "full", prior)
        records.append(r)
    axes = {
        "numbering": "表1",
        "title": "plain",
        "unit": "万元",
        "codes": "one_column",
        "continuation": "single",
        "totals": "first",
        "rules": "grid",
        "orientation": "portrait",
        "empty": "本表本年无发生额",
        "headcount": "full",
        "zero": "0",
    }
    render = render_spec(
        "shenzhen13", "reportlab", "wqy-zenhei", pl.seed + 9001, axes, ["compilation"], records[0]
    )
    render.pop("page_rows", None)
    render["book_title"] = f"{year}年{jur}部门预算汇编"
    out.append(
        skeleton(
            f"{district}-huibian-{year}",
            f"sites/{district}/files/{year}年{jur}部门预算汇编.pdf",
            "synthetic",
            render,
            records,
        )
    )
    # 决算: final accounts drawn from the budget of the same department-year (`corpus.final`)
    budgets = {t["id"]: t for t in pl.truths}
    for k, (district, dtype, year, producer, font, variations) in enumerate(FINALS):
        budget = budgets.get(f"{district}-{TYPES[dtype].abbr}-{year}")
        if budget is not None:
            out.append(final_truth(budget, pl.seed, pl.seed + 9002 + k, producer, font, variations))
    # bad inputs, each from an intact source document
    for k, (kind, (district, jur, suffix, year)) in enumerate(BAD_DEPTS.items()):
        record, dept = _other_department(pl, district, jur, suffix, year)
        source = skeleton(
            f"{district}-bad-{kind}-source",
            file_for(district, year, dept),
            "synthetic",
            render_spec(
                "shenzhen13",
                "reportlab",
                "wqy-zenhei",
                pl.seed + 9100 + k,
                {"numbering": "表1", "unit": "万元2"},
                [],
                record,
            ),
            [record],
        )
        spec: dict[str, Any] = {"kind": kind, "source": source}
        if kind == "truncated":
            spec["keep"] = 0.55
        if kind == "encrypted":
            spec["password"] = "budget2023"
        from corpus.badinputs import BAD_KINDS

        render = {
            "producer": "reportlab" if kind not in ("html_error", "empty") else None,
            "font": "wqy-zenhei",
            "template": "shenzhen13",
            "seed": pl.seed + 9100 + k,
            "variations": [f"bad:{kind}"],
            "bad_input": spec,
        }
        out.append(
            skeleton(
                f"{district}-bad-{kind.replace('_', '-')}-{year}",
                file_for(district, year, dept),
                "synthetic",
                render,
                [],
                error_code=BAD_KINDS[kind],
            )
        )
    for k, (kind, (district, jur, suffix, year)) in enumerate(SPECIAL.items()):
        record, dept = _other_department(pl, district, jur, suffix, year)
        flags = ["encryption:owner"] if kind == "owner_password" else ["glyphs:cid_page"]
        render = render_spec(
            "shenzhen13",
            "reportlab",
            "uming" if k else "wqy-zenhei",
            pl.seed + 9200 + k,
            {"numbering": "表 1", "unit": "万元2"},
            flags,
            record,
        )
        if kind == "owner_password":
            render["encryption"] = {"owner": "owner-only-2023"}
        else:
            record["warnings"] = ["cid_text"]
        out.append(
            skeleton(
                f"{district}-{kind.replace('_', '-')}-{year}",
                file_for(district, year, dept),
                "synthetic",
                render,
                [record],
            )
        )
    return out


def final_truth(
    budget: dict[str, Any], seed: int, render_seed: int, producer: str, font: str, variations: list[str]
) -> dict[str, Any]:
    """The truth of the final accounts (部门决算) paired with a budget truth: same department,
    jurisdiction, year, scope and department type, published beside the budget on its site."""
    from corpus.final import final_record

    record = budget["records"][0]
    doc = record["document"]
    flags = sorted(["kind:final_accounts", *variations])
    final = final_record(record, f"{seed}:final:{budget['id']}", flags)
    district = budget["file"].split("/")[1]
    return skeleton(
        f"{budget['id']}-final",
        file_for(district, doc["fiscal_year"], doc["department"], "部门决算"),
        "synthetic",
        {
            "producer": producer,
            "font": font,
            "template": "final_accounts",
            "seed": render_seed,
            "variations": flags,
            "overrides": [],
        },
        [final],
    )
