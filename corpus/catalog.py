"""What the generator draws from: jurisdictions, department types, their function lines and projects.

Function codes follow the national classification of government expenditure by function
(政府收支分类科目); their names come from its one list (`budgetlens.function_codes`); department names are plausible official names, varied across districts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SHENZHEN: list[tuple[str, str]] = [
    ("luohu", "深圳市罗湖区"),
    ("futian", "深圳市福田区"),
    ("nanshan", "深圳市南山区"),
    ("yantian", "深圳市盐田区"),
    ("baoan", "深圳市宝安区"),
    ("longgang", "深圳市龙岗区"),
    ("longhua", "深圳市龙华区"),
    ("pingshan", "深圳市坪山区"),
    ("guangming", "深圳市光明区"),
    ("dapeng", "深圳市大鹏新区"),
]
SHANGHAI: list[tuple[str, str]] = [("putuo", "上海市普陀区"), ("jingan", "上海市静安区")]


@dataclass(frozen=True)
class DeptType:
    """A department type: its names, size, function lines and projects."""

    key: str  # canonical department_type
    abbr: str  # id part
    name: str  # default official name suffix
    names: dict[str, str] = field(default_factory=dict)  # district key -> name suffix when it differs
    staff: tuple[int, int] = (20, 40)
    project_wan: tuple[int, int] = (800, 5000)
    admin_line: str = "2060101"  # 行政运行
    general_line: str = "2060102"  # 一般行政管理事务
    institution_line: str = "2060150"  # 事业运行
    project_lines: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # subordinate unit name suffixes
    fund_line: str | None = None  # a government-fund line some departments have
    divisions: tuple[str, ...] = ()
    duties: str = ""
    goals: tuple[str, ...] = ()

    def official(self, district: str) -> str:
        return self.names.get(district, self.name)


_COMMON_DIVS = ("办公室", "人事科", "财务审计科", "法规科", "综合科", "党建工作科")

TYPES: dict[str, DeptType] = {
    "科技创新": DeptType(
        "科技创新",
        "kjcxj",
        "科技创新局",
        names={
            "futian": "科技和工业信息化局",
            "yantian": "科技创新和工业信息化局",
            "dapeng": "科技创新和产业发展局",
            "longhua": "科技创新局",
        },
        staff=(18, 40),
        project_wan=(1200, 9000),
        admin_line="2060101",
        general_line="2060102",
        institution_line="2060150",
        project_lines=("2060499", "2060702", "2069999", "2013299", "2060503"),
        projects=(
            "科技创新与产业发展",
            "科协科普工作",
            "创新载体培育",
            "知识产权保护与运用",
            "高新技术企业培育",
            "科技金融服务",
            "综合事务",
            "预算准备金",
            "离退休干部管理",
        ),
        units=("科技服务中心",),
        divisions=("科技创新促进科", "招商引资科", "新兴产业发展科", "科协办"),
        duties="负责贯彻执行国家、省、市科技创新相关法律法规和方针政策，编制本区科技创新发展规划和年度计划并组织实施，"
        "统筹推进创新载体建设、高新技术企业培育和科学普及工作。",
        goals=(
            "完善科技创新扶持政策体系，优化资助流程；",
            "推进高新技术企业培育，扩大国家高新技术企业规模；",
            "建设专业园区和创新载体，强化产业空间保障；",
            "多形式开展科普活动，提升全民科学素质。",
        ),
    ),
    "教育": DeptType(
        "教育",
        "jyj",
        "教育局",
        staff=(45, 90),
        project_wan=(20000, 90000),
        admin_line="2050101",
        general_line="2050102",
        institution_line="2050199",
        project_lines=("2050201", "2050202", "2050203", "2050204", "2050801", "2059999"),
        projects=(
            "学前教育发展专项",
            "义务教育学位建设",
            "中小学办学经费",
            "高中教育质量提升",
            "教师培训",
            "学生资助",
            "智慧校园建设",
            "校园安全保障",
            "课后服务",
            "教育信息化运维",
        ),
        units=("教育科学研究院", "教师发展中心", "教育装备中心"),
        divisions=("基础教育科", "学前教育科", "德育科", "教育督导室", "计划财务科"),
        duties="负责贯彻执行国家和省、市有关教育工作的方针、政策和法律法规，拟订本区教育发展规划并组织实施，"
        "统筹管理本区各级各类教育，推进教育均衡发展和教育质量提升。",
        goals=(
            "新建、改扩建公办中小学，增加公办学位；",
            "推进学前教育普惠发展，提高公办幼儿园在园幼儿占比；",
            "加强教师队伍建设，开展分层分类培训；",
            "推进智慧校园建设，提升教育信息化水平。",
        ),
    ),
    "财政": DeptType(
        "财政",
        "czj",
        "财政局",
        staff=(60, 120),
        project_wan=(1500, 8000),
        admin_line="2010601",
        general_line="2010602",
        institution_line="2010650",
        project_lines=("2010602", "2010699"),
        projects=(
            "预算编制与评审",
            "财政信息化建设",
            "政府采购管理",
            "国有资产管理",
            "会计管理与监督",
            "预算绩效管理",
            "财政投资评审",
        ),
        units=("财政投资评审中心",),
        divisions=("预算科", "国库科", "政府采购科", "资产管理科", "绩效管理科", "会计科"),
        duties="负责贯彻执行财税方针政策，拟订本区财政发展规划，编制区级预决算草案并组织执行，管理区级财政收支、政府采购和国有资产。",
        goals=(
            "深化预算管理制度改革，推进预算绩效管理全覆盖；",
            "加强政府采购监管，优化营商环境；",
            "推进财政信息化建设，提升财政管理效能；",
        ),
    ),
    "司法": DeptType(
        "司法",
        "sfj",
        "司法局",
        staff=(40, 90),
        project_wan=(600, 3000),
        admin_line="2040601",
        general_line="2040699",
        institution_line="2040650",
        project_lines=("2040604", "2040605", "2040607", "2040610", "2040699"),
        projects=(
            "基层司法所运行",
            "普法宣传教育",
            "公共法律服务体系建设",
            "社区矫正管理",
            "人民调解工作",
            "法律援助",
            "行政复议与应诉",
        ),
        units=("公证处",),
        divisions=(
            "法治调研科",
            "行政执法协调监督科",
            "普法与依法治理科",
            "人民参与和促进法治科",
            "公共法律服务管理科",
        ),
        duties="负责统筹推进本区法治政府建设，承担行政复议、行政执法协调监督、普法宣传、人民调解、社区矫正和公共法律服务体系建设等工作。",
        goals=(
            "完善公共法律服务体系，提升法律服务可及性；",
            "深入开展普法宣传，推进基层依法治理；",
            "规范社区矫正管理，确保安全稳定；",
        ),
    ),
    "卫生健康": DeptType(
        "卫生健康",
        "wjj",
        "卫生健康局",
        names={"dapeng": "卫生健康局"},
        staff=(40, 80),
        project_wan=(8000, 50000),
        admin_line="2100101",
        general_line="2100102",
        institution_line="2100199",
        project_lines=("2100401", "2100408", "2100409", "2100402", "2100102"),
        projects=(
            "基本公共卫生服务",
            "重大公共卫生服务",
            "疾病预防控制",
            "社区健康服务机构运营补助",
            "卫生监督执法",
            "家庭医生签约服务",
            "卫生应急体系建设",
            "健康教育与促进",
        ),
        units=("疾病预防控制中心", "卫生监督所"),
        divisions=("医政医管科", "疾病预防控制科", "基层卫生科", "妇幼健康科", "规划财务科"),
        duties="负责贯彻执行国民健康政策和卫生健康法律法规，拟订本区卫生健康事业发展规划并组织实施，统筹医疗卫生资源配置，"
        "组织开展疾病预防控制、卫生应急和基本公共卫生服务工作。",
        goals=(
            "推进基本公共卫生服务均等化；",
            "加强疾病预防控制体系建设；",
            "提升社区健康服务能力；",
            "做好卫生应急保障。",
        ),
    ),
    "文化旅游体育": DeptType(
        "文化旅游体育",
        "wtlj",
        "文化广电旅游体育局",
        names={
            "dapeng": "文化体育旅游局",
            "yantian": "文化广电旅游体育局",
            "guangming": "文化广电旅游体育局",
        },
        staff=(30, 60),
        project_wan=(3000, 15000),
        admin_line="2070101",
        general_line="2070102",
        institution_line="2070150",
        project_lines=("2070104", "2070109", "2070112", "2070307", "2070308"),
        projects=(
            "公共文化服务体系建设",
            "全民健身活动",
            "图书馆运营",
            "文化市场综合执法",
            "体育场馆运营补助",
            "旅游推广",
            "非物质文化遗产保护",
        ),
        units=("图书馆", "文化馆"),
        fund_line="2296003",
        divisions=("公共文化科", "文化产业科", "旅游发展科", "体育事业科", "广播电视科"),
        duties="负责贯彻执行文化、广电、旅游、体育工作的方针政策和法律法规，拟订本区文化旅游体育发展规划并组织实施，"
        "推进公共文化服务体系和全民健身公共服务体系建设。",
        goals=("完善公共文化设施网络；", "举办全民健身系列赛事；", "推动文旅融合发展；"),
    ),
    "民政": DeptType(
        "民政",
        "mzj",
        "民政局",
        staff=(30, 55),
        project_wan=(4000, 20000),
        admin_line="2080201",
        general_line="2080299",
        institution_line="2080299",
        project_lines=("2080208", "2080299", "2081002", "2081001"),
        fund_line="2296002",
        projects=(
            "社区治理能力建设",
            "养老服务补贴",
            "儿童福利保障",
            "社会组织培育",
            "殡葬服务管理",
            "困难群众救助",
        ),
        divisions=("社会事务科", "社区建设科", "养老服务科", "社会组织管理科"),
        duties="负责贯彻执行民政工作方针政策和法律法规，承担本区社会救助、养老服务、儿童福利、社区治理和社会组织管理等工作。",
        goals=("完善养老服务体系；", "加强社区治理；", "落实困难群众救助政策；"),
    ),
    "商务": DeptType(
        "商务",
        "swj",
        "商务局",
        names={"nanshan": "商务局", "futian": "投资推广和企业服务中心"},
        staff=(25, 45),
        project_wan=(2000, 10000),
        admin_line="2160201",
        general_line="2160299",
        institution_line="2160299",
        project_lines=("2160299", "2160699"),
        projects=("促进消费专项", "外贸稳增长", "商圈提升", "招商推介活动", "电子商务发展"),
        divisions=("商贸流通科", "对外贸易科", "投资促进科", "市场运行科"),
        duties="负责贯彻执行国内外贸易和国际经济合作的方针政策，拟订本区商务发展规划，推进商贸流通、对外贸易和招商引资工作。",
        goals=("促进消费提质扩容；", "稳外贸稳外资；", "优化商业网点布局；"),
    ),
    "街道": DeptType(
        "街道",
        "jd",
        "街道办事处",
        staff=(90, 180),
        project_wan=(4000, 16000),
        admin_line="2010301",
        general_line="2010302",
        institution_line="2010350",
        project_lines=("2010302", "2120104", "2120199", "2080208"),
        projects=(
            "社区党群服务中心运营",
            "城市管理综合执法",
            "安全生产监管",
            "社区网格化管理",
            "环境卫生提升",
            "民生微实事",
        ),
        divisions=(
            "党政办公室",
            "党建工作办公室",
            "社区建设办公室",
            "城市管理办公室",
            "公共安全办公室",
            "综合执法队",
        ),
        duties="负责辖区党的建设、社区治理、城市管理、公共安全、民生服务等工作，组织实施辖区社会治理和公共服务事项。",
        goals=("推进党建引领基层治理；", "提升辖区市容环境；", "加强安全生产监管；"),
    ),
}

SIX_TYPES = ("科技创新", "教育", "财政", "司法", "卫生健康", "文化旅游体育")
EXTRA_TYPES = ("民政", "商务", "街道")
STREETS = {"dapeng": "葵涌", "pingshan": "坑梓", "putuo": "万里", "jingan": "石门二路"}

SHANGHAI_NAMES = {
    "科技创新": "科学技术委员会",
    "商务": "商务委员会",
    "卫生健康": "卫生健康委员会",
    "文化旅游体育": "文化和旅游局",
    "教育": "教育局",
}

PROCUREMENT_SUBS = {"A": ("A02", "通用设备"), "B": ("B99", "其他建筑工程"), "C": ("C99", "其他服务")}
PROCUREMENT_NAMES = {"A": "货物", "B": "工程", "C": "服务"}
