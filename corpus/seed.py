"""The seed document: 2022 年深圳市罗湖区科技创新局部门预算, as a truth record.

Every figure is the one printed in ../shared/seed/ (万元). Tables 2, 4 and 5, missing from the seed
text, are reconstructed as ../shared/seed/README.md explains: all income is general public budget
appropriation; basic expenditure = 人员支出 810 + 公用支出 87 + 对个人和家庭的补助 55; project
expenditure = the five projects of 第三部分. The seed's own prose (duties, goals, project
descriptions, the 第七部分 table and the task part of 表13) is carried in `records[0].extra`.
"""

from __future__ import annotations

from typing import Any

from budgetlens.fields import TEMPLATE_TABLES
from corpus.truth import empty_headcount, empty_totals, function_line, skeleton, wan

SEED_ID = "luohu-kjcxj-2022"
SEED_FILE = "sites/luohu/files/2022年深圳市罗湖区科技创新局部门预算.pdf"
SEED_RENDER_SEED = 20220101
DEPT = "深圳市罗湖区科技创新局"

# 表7 一般公共预算支出表（按功能分类）: code, name, total, basic, project (万元)
_FUNCTIONS: list[tuple[str, str, int, int, int]] = [
    ("201", "一般公共服务支出", 60, 0, 60),
    ("20132", "组织事务", 60, 0, 60),
    ("2013299", "其他组织事务支出", 60, 0, 60),
    ("206", "科学技术支出", 2224, 657, 1567),
    ("20601", "科学技术管理事务", 793, 657, 136),
    ("2060101", "行政运行", 657, 657, 0),
    ("2060102", "一般行政管理事务", 136, 0, 136),
    ("20604", "技术与研究开发", 1210, 0, 1210),
    ("2060499", "其他技术与研究开发支出", 1210, 0, 1210),
    ("20607", "科学技术普及", 217, 0, 217),
    ("2060702", "科普活动", 217, 0, 217),
    ("20699", "其他科学技术支出", 4, 0, 4),
    ("2069999", "其他科学技术支出", 4, 0, 4),
    ("208", "社会保障和就业支出", 135, 135, 0),
    ("20805", "行政事业单位养老支出", 135, 135, 0),
    ("2080501", "行政单位离退休", 55, 55, 0),
    ("2080505", "机关事业单位基本养老保险缴费支出", 54, 54, 0),
    ("2080506", "机关事业单位职业年金缴费支出", 26, 26, 0),
    ("210", "卫生健康支出", 20, 20, 0),
    ("21011", "行政事业单位医疗", 20, 20, 0),
    ("2101101", "行政单位医疗", 20, 20, 0),
    ("221", "住房保障支出", 140, 140, 0),
    ("22102", "住房改革支出", 140, 140, 0),
    ("2210201", "住房公积金", 81, 81, 0),
    ("2210203", "购房补贴", 59, 59, 0),
]

_TARGETS: list[tuple[str, str, str, str]] = [
    ("产出", "数量", "国高企业认定数", "102 家"),
    ("产出", "数量", "发明专利拥有量", "2600 件"),
    ("产出", "数量", "第六届大梧桐创新创业大赛", "1 场"),
    ("产出", "数量", "菁英人才（C类）补贴发放工作", "1 次"),
    ("产出", "数量", "完成软科学研究计划结题评审工作", "1 次"),
    ("产出", "数量", "完成软科学研究计划立项评审工作", "1 次"),
    ("产出", "数量", "举办大创客节活动", "1 场"),
    ("产出", "数量", "全年科普画廊科普挂图设计制作", "≥4 期"),
    ("产出", "质量", "科普读本错误率", "≤1%"),
    ("产出", "质量", "战略性新兴产业增加值", "175 亿"),
    ("产出", "质量", "第六届大梧桐创新创业大赛参赛项目", "≥250 家"),
    ("产出", "质量", "对接区外科技企业及项目数", "≥80"),
    ("产出", "时效", "启动第六届大梧桐创新创业大赛", "二季度"),
    ("产出", "成本", "支付合格率", "100%"),
    ("效益", "经济效益", "通过活动推动项目落地", "10 个"),
    ("效益", "社会效益", "全民科学素质水平", "有所提高"),
    ("效益", "可持续影响", "提升辖区科技企业认知度，提升辖区科技产业影响力", "有所提升"),
    ("效益", "生态效益", "营造罗湖区创新创业氛围", "长效"),
    ("满意度", "服务对象满意度", "科技企业满意度", "≥95%"),
    ("满意度", "其他满意度", "退休老干部满意度", "≥95%"),
]

_DUTIES = (
    "深圳市罗湖区科技创新局主要职责是贯彻执行国家、省、市创新驱动、科技创新、科学普及等相关法律、法规、规章和方针政策，"
    "编制本区创新驱动、科技创新、科学普及发展规划、年度计划与政策措施并组织实施。负责统筹辖区战略性新兴产业发展，"
    "推动产业集聚发展，推进深圳国家自主创新示范区、深圳国家高新区建设，引进与培育各类创新载体、新型研发机构，"
    "推进产学研合作，提升辖区基础创新能力，战略性新兴产业领域重点产业项目遴选、重大项目引进，"
    "编制辖区产业转型升级科技创新扶持政策并组织实施，促进全民科学素质提高等工作。"
)

_GOALS = [
    "加强产业规划引领，依托大梧桐新兴产业带，结合罗湖区清水河片区、笋岗片区、莲塘片区等重点区域，全面实施罗湖区科技创新“十四五”规划；",
    "进一步强化产业空间挖潜，全面梳理空置或新建成的创新型产业空间，建设 2 个专业园区，为新兴产业发展需求提供空间保障；",
    "推进创新载体及新型研发机构培育引进工作，开展政策宣讲和培育辅导服务，完成全年创新载体及新型研发机构培育引进任务；",
    "通过线上线下方式深度参与各类科技展会，利用展会举办招商推介会，并设置罗湖展位，提高曝光度；",
    "瞄准重点产业赴北京、上海、苏州、南京等地举办市外招商专场推介。聚焦央企、上市公司、行业龙头，探寻企业对接渠道，推进精准对接；",
    "充分发挥龙头企业虹吸效应，纵向挖掘辖区重点企业上下游产业情况，横向比选储备相关企业资源，通过产业链招商提高产业集聚度；",
    "深化与金融机构、专业咨询机构、社会物业、产业协会等单位的合作，整合资源借助外力储备空间资源和项目资源，探索组建政企联合招商专班；",
    "加快培育国高企业，为有 1 类知识产权企业、软件信息服务企业、国高认定未通过企业提供重点辅导培训服务；",
    "推动专利指标水平提升，从发明专利创造、维持、专利质押、专利许可等方面发力；",
    "提高战新产业增加值，从推动战新企业库纳统和企业数据准确填报两个方面开展工作；",
    "继续常态化走访辖区企业，举办特色企业活动，宣讲扶持政策；",
    "多形式开展科普活动，加强多部门联动，办好科普节日活动。",
]

_SAVING = "主要原因是厉行勤俭节约，相应经费节约使用。"
_PROJECT_PROSE = [
    {
        "name": "预算准备金",
        "content": "应付突发事件，应急工作的补充，费用支出的调剂补充，以备资金缺口。",
        "change": wan(-63),
        "change_pct": "57%",
        "reason": _SAVING,
    },
    {
        "name": "综合事务",
        "content": "党政事务、国防动员、离退休干部活动和辅助性人员工资等方面。",
        "change": wan(-11),
        "change_pct": "11%",
        "reason": _SAVING,
    },
    {
        "name": "科协科普工作",
        "content": "科普资源管理和科普活动工作。",
        "change": wan(-93),
        "change_pct": "30%",
        "reason": _SAVING,
    },
    {
        "name": "科技创新与产业发展",
        "content": (
            "开展招商引资相关工作，开展产业课题研究，培育辖区国高企业，提升企业自主创新能力，提升我区专利水平，"
            "提升企业服务质量，营造良好营商环境等工作。"
        ),
        "change": wan(-490),
        "change_pct": "28%",
        "reason": "主要原因是厉行勤俭节约，创新驱动经费、菁英人才各项综合服务补贴等经费都在一定程度上减少。",
    },
    {
        "name": "离退休干部管理",
        "content": "按照区委组织部统一要求开展干部健康管理等工作。",
        "change": wan(0),
        "change_pct": "0%",
        "reason": "与上年预算保持一致。",
    },
]

_KEY_PROJECTS = [
    {
        "name": "科技创新与产业发展",
        "goal": [
            "通过鼓励“四上”科技企业发展、鼓励企业申报各类奖励与创新资质、鼓励企业研发关键环节、鼓励新型研发机构发展、"
            "鼓励科技金融创新发展、鼓励专利高质量发展等扶持项目，鼓励企业加大研发投入，解决科技企业融资贵问题，助推企业助型升级高质量发展；"
            "通过请第三方专业机构为辖区企业提供相应的辅导服务,完成国高认定、专利创造水平提升、战略性新兴产业增加值占 GDP 等多项市考区指标任务,"
            "推动企业转型升级;开展落实深圳市国家可持续发展议程创新示范区建设工作、引进与培育创新载体及新型研发机构工作、加快深港两地产业协同发展等工作;"
            "开展深创赛罗湖预选赛赛事项目、招商推介及资源对接服务项目、专家评审服务项目;开展国际人才交流大会罗湖展区布展工作,"
            "开展软科学研究计划立项评审和结题评审工作,组织开展“科创中国”创新创业投资大会;完成菁英人才(C类)创业扶持项目评审和补贴发放工作。",
            "数量指标方面:国高企业认定数 102 家;发明专利拥有量 2600 件;展出展品数量≥20 件;展览次数≥5 次;完成专题报告≥1 篇;"
            "第六届大梧桐创新创业大赛 1 场;园区检查次数 4 次;完成国际人才交流大会(罗湖展馆)布展 1 场;菁英人才(C类)补贴发放 1 次。",
            "质量指标方面:战略性新兴产业增加值 175 亿元;第六届大梧桐创新创业大赛参赛项目≥250 项;对接区外科技企业及项目数≥80 项;"
            "菁英人才(C类)创业扶持项目评审完成率 100%。",
            "时效指标方面:在第二季度启动第六届大梧桐创新创业大赛;全年度开展招商推介及资源对接工作。",
            "成本指标方面:支付合格率 100%。",
            "社会效益指标方面:提升辖区科技企业认知度,提升辖区科技产业影响力;长效营造罗湖区创新创业氛围;人才服务水平有所提高。",
            "服务对象满意度方面:科技企业满意度≥95%;引进企业满意度≥95%;人才投诉次数≤5 次。",
        ],
    },
    {
        "name": "科协科普工作",
        "goal": [
            "完成科普画廊挂图设计制作和日常维护工作;开展主题活动;抓好辖区科普信息化建设工作;支持辖区科技创新教育特色学校建设。",
            "数量指标方面:全年科普画廊科普挂图设计制作≥4 期;举办科普主题节日活动≥2 场;举办大创客节活动 1 场。",
            "质量指标方面:全年活动完成率≥95%;科普读本错误率≤1%。",
            "时效指标方面:全年按照工作时效推进各项工作。",
            "成本指标方面：科协科普经费 217 万元/年。",
            "社会效益指标方面：全民科学素质水平有所提高；三模基地、科技创新教育特色学校影响力有所提高。",
            "服务对象满意度方面：科技活动满意度≥95%。",
        ],
    },
    {
        "name": "离退休干部管理",
        "goal": [
            "按照区委组织部统一要求开展干部健康管理管理工作。",
            "数量指标方面：干部健康管理次数≥1次。",
            "质量指标方面：干部健康管理达标率≥60%。",
            "时效指标方面：全年按要求落实干部健康管理管理工作。",
            "成本指标方面：干部健康管理 4000 元/人。",
            "社会效益指标方面：关心爱护干部工作力度有所提升。",
            "服务对象满意度方面：干部满意度≥95%。",
        ],
    },
    {
        "name": "预算准备金",
        "goal": [
            "应付突发事件，应急工作的补充，费用支出的调剂补充，以备资金缺口。",
            "数量指标方面：资金到位率 100%。",
            "质量指标方面：有效支持业务工作。",
            "时效指标方面：全年按照规定，严格用款。",
            "成本指标方面：预算准备金 48 万元/年。",
            "社会效益指标方面：有效保障机关工作正常开展。",
            "服务对象满意度方面：各科室满意度≥95%。",
        ],
    },
    {
        "name": "综合事务",
        "goal": [
            "提高辖区企业国防动员训练演练水平、国防动员意识；重视退休老干部慰问工作，提升退休老干部获得感，进一步加强队伍建设；"
            "聘请人员有效协助在职在编人员落实业务工作；开展党建工作。",
            "数量指标方面：聘请辅助性人员人数≥1人；慰问退休干部人次 5 人次；科技企业参与国防项目数量有一定增长；开展党建活动次数≥2 次。",
            "质量指标方面：辅助性人员有效协助在职在编人员落实业务工作；慰问退休干部覆盖率；慰问退休干部覆盖率；党建活动质量有所提升。",
            "时效指标方面：每月按照具体工资额度按时发放辅助性人员工资；按照工作计划进行春节慰问、中秋慰问，开展订报工作；开展党建活动频率每季度一次。",
            "成本指标方面：辅助性人力资源经费 78.68 万元/年；退休老干部活动成本 8960 元/人/年；基层党建工作成本费用 1.49 万元/年。",
            "社会效益指标方面：有效保障机关工作正常运转；关心爱护老干部工作力度有所提升；学习氛围有所提升。",
            "服务对象满意度方面：科室对辅助性人员满意度≥95%；退休老干部满意度≥95%；科技企业满意度≥95%；党员满意度≥90%。",
        ],
    },
]

_TASKS = [
    {
        "name": "产业工作",
        "content": (
            "1.通过鼓励“四上”科技企业发展、鼓励企业申报各类奖励与创新资质、鼓励企业研发关键环节、鼓励新型研发机构发展、"
            "鼓励科技金融创新发展、鼓励专利高质量发展等扶持项目，鼓励企业加大研发投入，解决科技企业融资贵问题，助推企业助型升级高质量发展。"
            "2.通过请第三方专业机构为辖区企业提供相应的辅导服务，完成国高认定、专利创造水平提升、战略性新兴产业增加值占 GDP 等多项市考区指标任务，推动企业转型升级。"
            "3.开展落实深圳市国家可持续发展议程创新示范区建设工作、引进与培育创新载体及新型研发机构工作、加快深港两地产业协同发展等工作。"
            "4.开展深创赛罗湖预选赛区赛事项目、招商推介及资源对接服务项目、专家评审服务项目。"
            "5.开展国际人才交流大会罗湖展区布展工作，开展软科学研究计划立项评审和结题评审工作，组织开展“科创中国”创新创业投资大会。"
            "6.完成菁英人才（C类）创业扶持项目评审和补贴发放工作。"
        ),
        "total": wan(1270),
        "fiscal": wan(1270),
        "other": wan(0),
    },
    {
        "name": "科协科普工作",
        "content": (
            "完成科普画廊挂图设计制作和日常维护工作,开展各类科普活动,抓好辖区科普信息化建设工作,支持辖区科技创新教育特色学校建设。"
        ),
        "total": wan(217),
        "fiscal": wan(217),
        "other": wan(0),
    },
    {
        "name": "日常维护工作",
        "content": "支持单位产业工作和科协科普工作。",
        "total": wan(1092),
        "fiscal": wan(1092),
        "other": wan(0),
    },
]

_OVERALL_GOAL = [
    "1.通过鼓励“四上”科技企业发展、鼓励企业申报各类奖励与创新资质、鼓励企业研发关键环节、鼓励新型研发机构发展、鼓励科技金融创新发展、"
    "鼓励专利高质量发展等扶持项目，鼓励企业加大研发投入，解决科技企业融资贵问题，助推企业助型升级高质量发展。",
    "2.通过请第三方专业机构为辖区企业提供相应的辅导服务，完成国高认定、专利创造水平提升、战略性新兴产业增加值占 GDP 等多项市考区指标任务，推动企业转型升级。",
    "3.开展落实深圳市国家可持续发展议程创新示范区建设工作、引进与培育创新载体及新型研发机构工作、加快深港两地产业协同发展等工作。",
    "4.开展深创赛罗湖预选赛赛事项目、招商推介及资源对接服务项目、专家评审服务项目。",
    "5.完成科普画廊挂图设计制作和日常维护工作，开展各类科普活动,抓好辖区科普信息化建设工作，支持辖区科技创新教育特色学校建设，"
    "完成菁英人才（C类）创业扶持项目评审和补贴发放工作。",
    "6.开展国际人才交流大会罗湖展区布展工作，开展软科学研究计划立项评审和结题评审工作，组织开展“科创中国”创新创业投资大会。",
]


def seed_record() -> dict[str, Any]:
    """The one record of the seed document, figures as printed (万元 → yuan)."""
    headcount = empty_headcount()
    headcount.update(
        admin_authorized=12,
        admin_actual=11,
        cs_managed_authorized=14,
        cs_managed_actual=12,
        institution_authorized=0,
        institution_actual=0,
        veteran_retirees=0,
        retirees=7,
        retirees_total=7,
        internal_divisions=5,
        subordinate_units=0,
        vehicles=1,  # 共有车辆 1 辆 (its 单价 100 万元以上 count is of 专用设备 only: large_equipment null)
    )
    totals = empty_totals()
    totals.update(
        income_total=wan(2579),
        expense_total=wan(2579),
        fiscal_appropriation=wan(2579),
        general_budget_appropriation=wan(2579),
        gov_fund_appropriation=wan(0),
        state_capital_appropriation=wan(0),
        basic_expense=wan(952),
        project_expense=wan(1627),
        carryover_in=wan(0),
        carryover_out=wan(0),
        personnel_expense=wan(810),
        operating_expense=wan(87),
        household_subsidy=wan(55),
        agency_running_cost=wan(87),
        three_public_total=wan("2.65"),
        overseas_travel=wan(0),
        official_reception=wan(0),
        vehicle_total=wan("2.65"),
        vehicle_purchase=wan(0),
        vehicle_operation=wan("2.65"),
        procurement_total=wan(300),
        procurement_goods=wan(0),
        procurement_works=wan(0),
        procurement_services=wan(300),
        procurement_sme=wan(300),
        procurement_small_micro=wan(300),
    )
    tables = [
        {"kind": k, "unit": "万元", "decimals": 2 if k == "three_public" else 0, "empty": k in _EMPTY}
        for k in _SEED_TABLES
    ]
    return {
        "pages": None,
        "department_type": "科技创新",
        "document": {
            "jurisdiction": "深圳市罗湖区",
            "department": DEPT,
            "fiscal_year": 2022,
            "kind": "budget",
            "scope": "department",
        },
        "headcount": headcount,
        "totals": totals,
        "function_lines": [function_line(c, n, wan(t), wan(b), wan(p)) for c, n, t, b, p in _FUNCTIONS],
        "economic_lines": [
            {"code": "301", "name": "工资福利支出", "amount": wan(810)},
            {"code": "302", "name": "商品和服务支出", "amount": wan(87)},
            {"code": "303", "name": "对个人和家庭的补助", "amount": wan(55)},
        ],
        "projects": [
            {"name": p["name"], "amount": wan(a)}
            for p, a in zip(_PROJECT_PROSE, (48, 88, 217, 1270, 4), strict=True)
        ],
        "procurement_lines": [
            {"category_code": "C", "category": "服务", "amount": wan(300)},
            {"category_code": "C99", "category": "其他服务", "amount": wan(300)},
        ],
        "performance_targets": [
            {"task": None, "indicator_level1": a, "indicator_level2": b, "indicator_level3": c, "target": d}
            for a, b, c, d in _TARGETS
        ],
        "tables": tables,
        "warnings": [],
        "extra": {
            "duties": _DUTIES,
            "divisions": ["办公室", "科技创新促进科", "招商引资科", "新兴产业发展科", "科协办"],
            "goals": _GOALS,
            "units": [],
            "fund_lines": [],
            "prior_year": {
                "year": 2021,
                "income_total": wan(2727),
                "expense_total": wan(2727),
                "three_public_total": wan("2.65"),
                "overseas_travel": wan(0),
                "official_reception": wan(0),
                "vehicle_total": wan("2.65"),
                "vehicle_purchase": wan(0),
                "vehicle_operation": wan("2.65"),
                "agency_running_cost": wan(49),
            },
            "change_reason": (
                "一是由于厉行勤俭节约，创新驱动经费、科协科普经费、菁英人才各项综合服务补贴等经费都在一定程度上减少；"
                "二是 2022 年度不再由我局租赁国检大厦。"
            ),
            "agency_reason": "主要是编制增加，相应实有人数增加，导致办公费、工会经费、福利费、其他交通费用相应增加。",
            "three_public_use": "主要是用于 1 辆公务用车加油、维护、保养等方面的支出",
            "vehicles": 1,
            "projects": _PROJECT_PROSE,
            "key_projects": _KEY_PROJECTS,
            "performance": {"manager": DEPT, "tasks": _TASKS, "overall_goal": _OVERALL_GOAL},
            "assets": {
                "as_of": "2021 年 10 月",
                "vehicles": 1,
                "general_equipment": 1,
                "special_equipment": 1,
                "new_vehicles": 0,
                "new_general_equipment": 0,
                "new_special_equipment": 0,
            },
        },
    }


_SEED_TABLES = TEMPLATE_TABLES["shenzhen13"]
_EMPTY = frozenset({"gov_fund", "state_capital", "transfer_payment"})


def seed_truth() -> dict[str, Any]:
    """The seed document's full truth record (pages filled in by the renderer)."""
    render = {
        "producer": "reportlab",
        "font": "wqy-zenhei",
        "template": "shenzhen13",
        "seed": SEED_RENDER_SEED,
        "variations": [
            "numbering:表 1",
            "codes:one_column",
            "unit:万元",
            "continuation:repeat_header",
            "totals:first",
            "rules:grid",
            "headcount:full",
            "empty:本表本年无发生额",
            "sample:cover_plain",
        ],
        "page_rows": {
            "summary": [11, 13, 4],
            "appropriation_summary": [16, 12],
            "general_budget_by_function": [13, 13],
        },
        "overrides": [
            {"place": "summary", "row": "20604", "col": "name", "text": "技术与研究与开发"},
            {"place": "summary", "row": "2060499", "col": "name", "text": "其他技术与研究与开发支出"},
            {"place": "appropriation_summary", "row": "20604", "col": "name", "text": "技术与开发"},
            {"place": "appropriation_summary", "row": "2060499", "col": "name", "text": "其他技术与开发支出"},
        ],
    }
    return skeleton(SEED_ID, SEED_FILE, "seed", render, [seed_record()])
