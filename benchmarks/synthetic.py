"""Synthetic, schema-valid filings of realistic size, for benchmarks.

    from synthetic import generate
    stats = generate(parent_dir, count=1000, seed=20261123)

Each institution gets real occupation codes, masked ID numbers and mobiles, and a
random mix of deficiencies (and sometimes reviews) so that every check path runs.
"""
from __future__ import annotations

import collections
import csv
import datetime as dt
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent
sys.path.insert(0, str(PROJECT_ROOT))

import yaml  # noqa: E402  (a dependency of the project)

from generator.categories import categories, rule_set_for  # noqa: E402
from generator.reference import Reference  # noqa: E402
from generator.sheet import get_sheet  # noqa: E402
from generator.yamlload import load_yaml  # noqa: E402

TODAY = "2026-11-23"
SHEET_ID = "henan-2022"

# --------------------------------------------------------------------------------------
# Data pools
# --------------------------------------------------------------------------------------

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
            "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力鹏宇浩凯俊峰琳雪晨欣慧颖志国海东林波斌宁"
         "燕丹婷倩佳昊然博思远航振永庆春秋立新德顺福荣晓云亮光耀瑞祥家鑫")
SCHOOL_WORDS = ("青岚 嵩岳 黄河 中原 伏牛 太行 豫东 洛浦 汴梁 商都 天中 淮滨 鹰城 牡丹 龙门 白河 丹江 桐柏 大别 嵩山 "
                "颍川 宛城 卫河 淇水 沁园 梁园 淮阳 伊川 新郑 荥阳 济水 北邙 卧龙 伏羲 仰韶 殷墟 云台 鸡公 石人 龟山").split()
SCHOOL_SUFFIXES = {
    "技工院校": ("技工学校", "高级技工学校", "技师学院"),
    "高等职业学校": ("职业技术学院", "职业学院", "工业职业技术学院"),
    "中等职业学校": ("中等专业学校", "职业中等专业学校", "工业学校"),
    "本科院校": ("科技学院", "工程学院", "应用技术学院"),
}
AREA_CODES = {"郑州市": "0371", "开封市": "0371", "洛阳市": "0379", "平顶山市": "0375", "安阳市": "0372",
              "鹤壁市": "0392", "新乡市": "0373", "焦作市": "0391", "濮阳市": "0393", "许昌市": "0374",
              "漯河市": "0395", "三门峡市": "0398", "南阳市": "0377", "商丘市": "0370", "信阳市": "0376",
              "周口市": "0394", "驻马店市": "0396", "济源市": "0391", "省直": "0371"}
MAJORS = {
    "6": ("机械加工技术", "数控技术应用", "机电一体化技术", "电气自动化设备安装与维修", "焊接技术应用", "模具制造技术",
          "工业机器人应用与维护", "汽车制造与装配技术", "化工工艺", "建筑工程施工", "电子技术应用", "智能制造技术"),
    "4": ("中式烹调", "西式面点", "电子商务", "物流服务与管理", "计算机网络应用", "幼儿保育", "美容美发与造型",
          "汽车运用与维修", "酒店服务与管理", "智慧健康养老服务与管理", "软件技术", "现代家政服务与管理"),
}
EQUIPMENT = {
    "6": (("数控车床", "台"), ("普通车床", "台"), ("数控铣床", "台"), ("立式加工中心", "台"), ("二氧化碳气体保护焊机", "台"),
          ("工业机器人工作站", "套"), ("电工综合实训考核装置", "套"), ("钳工工作台", "张"), ("数字万用表", "块"),
          ("PLC 实训台", "套"), ("量具", "套"), ("台式钻床", "台"), ("三坐标测量机", "台"), ("空气压缩机", "台")),
    "4": (("计算机", "台"), ("双头炒灶", "台"), ("三层六盘烤箱", "台"), ("不锈钢操作台", "张"), ("服务器", "台"),
          ("交换机", "台"), ("美发椅", "把"), ("汽车举升机", "台"), ("故障诊断仪", "台"), ("仓储货架", "组"),
          ("电动叉车", "台"), ("和面机", "台"), ("婴幼儿护理模型", "套"), ("投影仪", "台")),
}
POLICY_TITLES = {
    "职业技能等级认定工作规则": "职业技能等级认定工作规则",
    "公示公告制度": "职业技能等级认定公示公告制度",
    "质量监督管理办法": "职业技能等级认定质量监督管理办法",
    "档案管理制度": "职业技能等级认定档案管理制度",
    "题库建设管理办法": "职业技能等级认定题库建设管理办法",
    "证书管理及发放办法": "职业技能等级证书管理及发放办法",
    "考场规则": "职业技能等级认定考场规则（理论、技能）",
    "投诉处理办法": "职业技能等级认定考生投诉处理办法",
    "违规违纪处理办法": "职业技能等级认定考生违纪违规处理规定",
    "应急预案": "职业技能等级认定突发事件应急预案",
    "设施设备管理制度": "职业技能等级认定设备设施管理制度",
    "技能考核安全规程": "职业技能等级认定安全规程",
    "考评人员管理办法": "考评人员管理办法",
    "内部质量督导人员管理办法": "质量督导人员管理办法",
    "专家管理办法": "技能等级认定专家管理办法",
    "考务人员工作守则": "考务人员工作守则",
    "考评人员工作守则": "考评人员工作守则",
    "内部质量督导人员工作守则": "质量督导人员工作守则",
    "财务管理制度": "职业技能等级认定财务管理制度",
}
OTHER_POLICIES = ("职业技能等级认定保密制度", "考评人员回避制度", "认定信息公开与查询制度", "考生资格审核制度")
STAFF_POSITIONS = {
    "认定中心主任": "负责认定中心全面工作", "认定中心副主任": "协助主任工作，分管考务与督导联络",
    "考务科科长": "负责认定计划、报名审核与考务组织", "认定中心干事": "负责考生信息录入与成绩上报",
    "信息管理员": "负责省平台账号、机考系统与视频监控维护", "档案管理员": "负责认定档案整理、归档与借阅管理",
    "财务专员": "负责认定经费核算与收费管理", "设备管理员": "负责考核设备的检查、维护与台账",
    "教务处副处长": "负责认定与教学计划的衔接", "学生处干事": "负责学生报名组织与证书发放",
}
TITLES = {"正高级": ("正高级讲师", "教授"), "副高级": ("高级讲师", "副教授", "高级工程师"),
          "中级": ("讲师", "工程师", "实验师"), "初级": ("助理讲师", "助理工程师"), "无": ("",)}
EDUCATION = ("本科", "本科", "本科", "硕士研究生", "专科", "博士研究生")
STEPS = ["制定发布认定计划", "组织报名", "资格审核", "实施认定", "内部质量督导", "接受外部监管",
         "成绩认定与发布", "证书核发", "证书信息上网", "存档"]
LEVEL_BEYOND_CODE = "6-31-07-03"  # 工业机器人系统操作员: verified standard with levels 4-1, so level 5 is beyond it

# Deficiencies an institution may carry (each flips some check from pass to deficiency/note/review).
DEFECTS = (
    "few_full_time", "examiner_short", "examiner_unqualified", "examiner_exceptional", "examiner_no_skill_occupation",
    "examiner_outside_scope", "expert_unqualified", "expert_exceptional", "appointment_missing", "supervisor_no_duty",
    "supervisor_is_examiner", "few_supervisors", "policy_missing", "policy_incomplete", "no_other_policy",
    "archive_short", "theory_no_video", "theory_no_area", "practical_missing", "equipment_missing", "rented_equipment",
    "hazards", "office_incomplete", "targets_social", "direct_method", "method_no_description", "workflow_gap",
    "plan_gap", "self_built_ok", "self_built_no_docking", "video_retention", "no_funding_doc", "level_beyond",
    "name_mismatch", "wrong_code", "duplicate_occupation", "spec_few_reviewers", "no_textbooks_one", "no_textbooks_all",
    "question_bank_commitment", "question_bank_theory_only", "question_bank_none", "no_basis", "certificate_city",
    "certificate_seal", "certificate_no_sample", "issuer_mismatch", "legal_commitment", "no_approval_number",
    "catalogue_not_held", "bonus_outside_scope", "former_station_no_file", "no_scheme_file", "no_training_plan",
    "leading_group_no_leader", "no_center_duties", "type_ineligible_city",
    # sections left out or half-filled, as in drafts
    "no_center", "center_no_document", "no_leading_group", "leading_group_empty", "no_supervision_group",
    "supervision_no_duties", "no_office", "office_no_equipment", "no_archive", "archive_electronic_short",
    "no_theory_rooms", "practical_no_area", "practical_no_video", "video_practical_off", "video_not_queryable",
    "no_video_section", "no_exam_system", "self_built_no_evidence", "no_targets", "no_methods", "no_overview",
    "no_majors_text", "framework_gaps", "spec_despite_standard", "spec_no_file", "spec_no_levels",
    "standard_claimed_missing", "no_levels", "group_name_occupation", "non_skill_occupation", "bonus_no_occupation",
    "issuer_bad_suffix", "certificate_no_number", "certificate_bad_number", "senior_examiner_unqualified",
    "agreement_missing", "no_experts", "no_city", "approval_no_file", "legal_no_credit_code", "legal_no_certificate",
    "not_legal_no_commitment", "legal_unstated",
)


def _masked_id(rng: random.Random, adcode: str) -> str:
    area = (adcode or "410100")[:4] + f"{rng.randint(1, 99):02d}"
    return area + "*" * 8 + f"{rng.randint(0, 999):03d}" + rng.choice("0123456789X")


def _masked_mobile(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"


CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _credit_code(rng: random.Random, adcode: str) -> str:
    body = "12" + (adcode or "410000") + "MB" + rng.choice("0123456789") + rng.choice("ABCDEFGHJKLMNPQRTUWXY") \
        + "".join(rng.choice("0123456789") for _ in range(5))
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(body, CREDIT_WEIGHTS))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


class Catalogue:
    """Occupations of 大类 4 and 6 from rules/reference, with what is known about their standards."""

    @staticmethod
    def _rows() -> list[dict]:
        with (PROJECT_ROOT / "rules/reference/occupations_2022.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def __init__(self) -> None:
        reference = Reference()
        self.standards = reference.standards
        rows = [row for row in self._rows() if row["major_code"] in ("4", "6")]
        self.occupations = [(row["code"], row["name"]) for row in rows]
        self.names = dict(self.occupations)
        self.group_names = sorted(name for name, kind in reference.group_names.items() if kind == "小类")
        self.non_skill = [(row["code"], row["name"]) for row in self._rows() if row["major_code"] == "2"]
        self.with_standard = [(c, self.names[c]) for c, s in self.standards.items() if c in self.names and s.exists]
        self.without_standard = [(c, self.names[c]) for c, s in self.standards.items()
                                 if c in self.names and s.exists is False]
        with (PROJECT_ROOT / "rules/reference/henan_city_codes.csv").open(encoding="utf-8", newline="") as handle:
            self.cities = [(row["name"], row["cert_code"], row["adcode"]) for row in csv.DictReader(handle)]
        sheet = get_sheet(SHEET_ID)
        if sheet is None:
            raise SystemExit(f"bench: sheet {SHEET_ID} not found")
        self.criteria = sheet.criteria
        # the rule set each 备案类别 is judged by (rules/filing-categories.yaml): 增量备案 by its conditions
        self.rule_sets = {name: get_sheet(rule_set_for(SHEET_ID, name)[0]) for name in categories()}


# --------------------------------------------------------------------------------------
# One synthetic institution
# --------------------------------------------------------------------------------------

def _possible_points(criterion) -> list:
    """Points a reviewer may award under the criterion's scoring mode (rules/sheets/*.yaml header), high first."""
    top, per = criterion.max, criterion.per or 1
    if criterion.mode == "all_or_nothing":
        return [top, top, top, 0]
    if criterion.mode == "deduction":
        return [top, top] + [max(0, top - per * k) for k in range(1, top // per + 1)]
    if criterion.mode == "per_item":
        return [top, top] + [per * k for k in range(top // per)]
    return [top, top, top - 0.5, top - 1, max(0, top - 2)]  # discretion: steps of 0.5


class Institution:
    """Builds the documents of one institution; `files` are the evidence files to create."""

    def __init__(self, catalogue: Catalogue, index: int, seed: int):
        self.cat = catalogue
        self.index = index
        self.rng = rng = random.Random(seed * 100_003 + index)
        self.slug = f"inst-{index:04d}"
        self.files: set[str] = set()
        self.used_names: set[str] = set()
        # About a quarter are clean; the rest carry 1-6 deficiencies.
        count = 0 if rng.random() < 0.25 else rng.randint(1, 6)
        self.defects = set(rng.sample(DEFECTS, count))
        self.city, self.city_code, self.adcode = rng.choice(catalogue.cities)
        self.type = rng.choice(("技工院校", "技工院校", "高等职业学校", "中等职业学校", "本科院校"))
        short_city = "河南" if self.city == "省直" else self.city.removesuffix("市")
        self.name = short_city + rng.choice(SCHOOL_WORDS) + rng.choice(SCHOOL_SUFFIXES[self.type])
        self.center = self.name + "职业技能等级认定中心"
        self.abbrev = self.name[:2] + self.name[-2:]
        self.year = 2026
        self.category = "增量备案" if rng.random() < 0.2 else "初次备案"
        self.docs: dict[str, dict] = {}
        self.header: dict[str, str] = {}

    # --- helpers ---------------------------------------------------------------------
    def has(self, defect: str) -> bool:
        return defect in self.defects

    def evidence(self, name: str) -> str:
        path = f"evidence/{name}"
        self.files.add(path)
        return path

    def person_name(self) -> str:
        rng = self.rng
        for _ in range(1000):
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("ran out of names")

    def doc_number(self, serial: int) -> str:
        return f"{self.abbrev}〔{self.year}〕{serial}号"

    def document(self, title: str, serial: int, file: str, issuer: str = "学校办公室", date: str = "2026-01-10") -> dict:
        return {"title": title, "issuer": issuer, "number": self.doc_number(serial), "date": date,
                "file": self.evidence(file)}

    def outside_code(self) -> str:
        """A real occupation code that is not in this institution's scope."""
        codes = {code for code, _ in self.occupations}
        while True:
            code, _ = self.rng.choice(self.cat.occupations)
            if code not in codes:
                return code

    def phone(self) -> str:
        return f"{AREA_CODES.get(self.city, '0371')}-{self.rng.randint(2, 8)}{self.rng.randint(0, 9999999):07d}"

    # --- build -----------------------------------------------------------------------
    def build(self) -> "Institution":
        self.occupations = self._pick_occupations()
        self.docs["scope"] = self._scope()
        self.docs["personnel"] = self._personnel()
        self.docs["profile"] = self._profile()
        self.docs["scheme"] = self._scheme()
        self.docs["policies"] = self._policies()
        self.docs["sites"] = self._sites()
        self.docs["certificate"] = self._certificate()
        if self.rng.random() < 0.35:
            self.docs["reviews"] = self._reviews()
        return self

    def _pick_occupations(self) -> list[tuple[str, str]]:
        rng, cat = self.rng, self.cat
        k = rng.randint(3, 8)
        chosen: dict[str, str] = {}
        while len(chosen) < k:
            roll = rng.random()
            pool = cat.with_standard if roll < 0.5 else cat.without_standard if roll < 0.58 else cat.occupations
            code, name = rng.choice(pool)
            chosen.setdefault(code, name)
        if self.has("level_beyond") and LEVEL_BEYOND_CODE in cat.names:
            chosen.setdefault(LEVEL_BEYOND_CODE, cat.names[LEVEL_BEYOND_CODE])
        return list(chosen.items())

    def _levels(self, code: str) -> list[int]:
        standard = self.cat.standards.get(code)
        if standard and standard.levels and standard.verified:
            levels = sorted(standard.levels, reverse=True)
            start = self.rng.randint(0, max(0, len(levels) - 3))
            return levels[start:start + self.rng.randint(2, 3)]
        return self.rng.choice(([5, 4, 3], [4, 3, 2], [5, 4], [3, 2, 1]))

    def _scope(self) -> dict:
        rng = self.rng
        entries = []
        spec_despite_standard_done = False
        for position, (code, name) in enumerate(self.occupations):
            standard = self.cat.standards.get(code)
            entry: dict = {"code": code, "name": name}
            if self.category == "增量备案":
                entry["change"] = "新增" if position == 0 else rng.choice(("新增", "原有"))
            levels = self._levels(code)
            if standard and standard.job_types and rng.random() < 0.5:
                jobs = rng.sample(sorted(standard.job_types), rng.randint(1, len(standard.job_types)))
                if rng.random() < 0.3:
                    jobs.append(name + "（智能方向）")  # not in the 工种 table: needs review
                entry["job_types"] = [{"name": job, "levels": levels} for job in jobs]
            else:
                entry["levels"] = levels
            if code == LEVEL_BEYOND_CODE and self.has("level_beyond"):
                entry.pop("job_types", None)
                entry["levels"] = [5, 4, 3]
            entry["majors"] = rng.sample(MAJORS[code[0]], rng.randint(1, 2))
            spec = standard is not None and standard.exists is False or (standard is None and rng.random() < 0.15)
            if spec and self.has("standard_claimed_missing") and standard is not None:
                spec = False  # national standard claimed where none exists: note
            if not spec and self.has("spec_despite_standard") and standard and standard.exists and standard.verified \
                    and not spec_despite_standard_done:
                spec = spec_despite_standard_done = True  # own specification although a national standard exists
            if spec:
                reviewers = [self.person_name() for _ in range(2 if self.has("spec_few_reviewers") else rng.randint(5, 7))]
                entry["basis"] = "评价规范"
                entry["specification"] = {
                    "title": f"{name}职业技能等级评价规范", "levels": entry.get("levels") or levels,
                    "reviewed_on": f"2026-0{rng.randint(1, 2)}-{rng.randint(10, 28)}", "reviewers": reviewers,
                    "file": self.evidence(f"评价规范/{name}评价规范.pdf"),
                }
                if self.has("spec_no_file"):
                    del entry["specification"]["file"]
                if self.has("spec_no_levels"):
                    del entry["specification"]["levels"]
            else:
                entry["basis"] = "国家职业技能标准"
                entry["standard_held"] = rng.random() > 0.05
            if self.has("no_basis") and position == 0:
                entry.pop("basis")
                entry.pop("specification", None)
            bank = {"theory": True, "practical": True, "items": rng.randint(600, 2600),
                    "source": rng.choice(("国家题库", "省题库", "自主开发"))}
            if position == 0 and self.has("question_bank_commitment"):
                bank = {"theory": False, "practical": False, "commitment": "2026 年 12 月前完成理论与技能题库建设并经专家审定"}
            elif position == 0 and self.has("question_bank_theory_only"):
                bank = {"theory": True, "practical": False, "items": rng.randint(300, 900), "source": "省题库"}
            elif position == 0 and self.has("question_bank_none"):
                bank = {"theory": False, "practical": False}
            entry["question_bank"] = bank
            books = [{"title": f"{name}{suffix}", "kind": kind, "publisher": publisher}
                     for suffix, kind, publisher in (("（基础知识）", "教材", "中国劳动社会保障出版社"),
                                                     ("技能训练", "教材", "机械工业出版社"),
                                                     ("技能等级认定实训指导", "校本教材", self.name))][:rng.randint(1, 3)]
            if self.has("no_textbooks_all") or (self.has("no_textbooks_one") and position == 0):
                books = []
            entry["textbooks"] = books
            entries.append(entry)
        if self.has("no_levels"):
            entries[0].pop("levels", None)
            entries[0].pop("job_types", None)
        if self.has("group_name_occupation"):
            entries[-1]["name"] = rng.choice(self.cat.group_names)
        if self.has("non_skill_occupation"):
            code, name = rng.choice(self.cat.non_skill)
            entries.append({"code": code, "name": name, "levels": [3, 2], "majors": [rng.choice(MAJORS["4"])],
                            "basis": "评价规范", "specification": {"title": f"{name}评价规范", "levels": [3, 2],
                                                                 "reviewers": [self.person_name() for _ in range(5)],
                                                                 "file": self.evidence(f"评价规范/{name}评价规范.pdf")},
                            "question_bank": {"theory": True, "practical": False, "commitment": "2027 年前建成"},
                            "textbooks": []})
        if self.has("name_mismatch"):
            entries[-1]["name"] = entries[-1]["name"] + "（高级）"
        if self.has("wrong_code"):
            entries[-1]["code"] = "6-99-99-98"
        if self.has("duplicate_occupation"):
            entries.append(dict(entries[0]))
        scope = {"occupations": entries}
        scope["catalogue_held"] = not self.has("catalogue_not_held")
        self.header["scope"] = "认定范围：申请的职业（工种）、等级、评价标准，以及每个职业的题库与教材。"
        return scope

    def _person(self, title_level: str | None = None, skill: int | None = None, code: str | None = None) -> dict:
        rng = self.rng
        level = title_level or rng.choice(("中级", "中级", "副高级", "正高级", "初级"))
        person = {"name": self.person_name(), "id_number": _masked_id(rng, self.adcode)}
        title = rng.choice(TITLES[level])
        if title:
            person["title"] = title
        person["title_level"] = level
        if skill is not None:
            person["skill_level"] = skill
            if code:
                person["skill_occupation"] = code
        person["education"] = rng.choice(EDUCATION)
        person["employee"] = rng.random() < 0.85
        return person

    def _appointment(self, kind: str) -> dict:
        return {"agreement": True, "letter": not self.has("appointment_missing") or self.rng.random() < 0.7,
                "term": "2026-01 至 2028-12", "file": self.evidence(f"聘用/{kind}聘用协议及聘书.pdf")}

    def _personnel(self) -> dict:
        rng = self.rng
        codes = [code for code, _ in self.occupations]
        staff = []
        full_time = 1 if self.has("few_full_time") else rng.randint(2, 4)
        for i, (position, duty) in enumerate(STAFF_POSITIONS.items()):
            person = self._person()
            person = {"name": person["name"], "id_number": person["id_number"], "position": position,
                      **{k: v for k, v in person.items() if k not in ("name", "id_number")}}
            person["specialty"] = rng.choice(MAJORS[rng.choice("46")])
            person["duty"] = duty
            person["full_time"] = i < full_time
            staff.append(person)

        experts = []
        for i in range(0 if self.has("no_experts") else rng.randint(6, 10)):
            code = codes[i % len(codes)]
            if rng.random() < 0.6:
                person = self._person(rng.choice(("副高级", "正高级")))
            else:
                person = self._person("中级", 1, code)
            if i == 0 and self.has("expert_unqualified"):
                person = self._person("中级")
            if i == 1 and self.has("expert_exceptional"):
                person = self._person("初级", 2, code)
                person["exceptional"] = "全国技术能手，省级技能大师工作室领办人"
            person["position"] = rng.choice(("教务处处长", "系主任", "专业带头人", "企业技术总监", "实训中心主任"))
            person["specialty"] = rng.choice(MAJORS[code[0]])
            person["occupations"] = sorted({code, rng.choice(codes)})
            person["birth_year"] = rng.randint(1962, 1990)  # a year only, never a birth date
            person["years_in_assessment"] = rng.randint(1, 15)
            person["appointment"] = self._appointment("专家")
            experts.append(person)

        examiners = []
        serial = 0
        for position, code in enumerate(codes):
            count = rng.randint(3, 6)
            if position == 0 and self.has("examiner_short"):
                count = 2
            for i in range(count):
                serial += 1
                senior = i == 0 or rng.random() < 0.25
                if senior:
                    person = self._person("副高级") if rng.random() < 0.7 else self._person("中级", 1, code)
                else:
                    person = self._person("中级") if rng.random() < 0.6 else self._person("初级", rng.choice((2, 3)), code)
                grade = "高级考评员" if senior else "考评员"
                if position == 0 and i == 1 and self.has("examiner_unqualified"):
                    person = self._person("初级", 4, code)
                    grade = "考评员"
                if position == 0 and i == 2 and self.has("examiner_exceptional"):
                    person = self._person("无", 4, code)
                    person["exceptional"] = "企业一线技术骨干，省技能竞赛一等奖获得者"
                    grade = "考评员"
                if position == 1 and i == 0 and self.has("senior_examiner_unqualified"):
                    person = self._person("中级", 2, code)
                    grade = "高级考评员"
                if position == 1 and i == 1 and self.has("examiner_no_skill_occupation"):
                    person = self._person("初级", 3)
                    grade = "考评员"
                if person.get("title_level") in ("中级", "副高级", "正高级"):
                    person["title_occupation"] = code[:7]  # the 职称's field, as its 小类 (related by construction)
                occupations = [code]
                if position == 0 and i == 0 and self.has("examiner_outside_scope"):
                    occupations.append(self.outside_code())
                appointment = self._appointment("考评员")
                if serial == 1 and self.has("agreement_missing"):
                    appointment["agreement"] = False
                examiners.append({"name": person.pop("name"), "id_number": person.pop("id_number"), "grade": grade,
                                  "occupations": occupations, "certificate": f"KP-{self.adcode or '410000'}-2025-{serial:04d}",
                                  "appointment": appointment, **person,
                                  "specialty": rng.choice(MAJORS[code[0]])})

        supervisors = []
        for i in range(2 if self.has("few_supervisors") else rng.randint(3, 5)):
            person = self._person(rng.choice(("中级", "副高级")))
            person["position"] = rng.choice(("纪检监察室主任", "教学督导室副主任", "财务科科长", "质量管理办公室主任"))
            person["specialty"] = rng.choice(("思想政治教育", "会计", "机械制造", "教育管理"))
            person["duty"] = ("全面督导", "考评技术", "考评流程", "考务纪律", "成绩复核")[i]
            person["years_in_assessment"] = rng.randint(2, 12)
            if i == 0 and self.has("supervisor_no_duty"):
                del person["duty"]
            if i == 1 and self.has("supervisor_is_examiner"):
                person["name"] = examiners[-1]["name"]
            supervisors.append(person)
        self.contact = staff[0]
        self.header["personnel"] = "人员队伍：工作人员、专家、考评员、内部质量督导员。身份证号只填脱敏形式。"
        return {"staff": staff, "experts": experts, "examiners": examiners, "supervisors": supervisors}

    def _profile(self) -> dict:
        rng = self.rng
        category = self.category
        application: dict = {"category": category, "date": "2026-03-02"}
        serial = rng.randint(9001, 9999)
        self.filing_serial = serial
        application["commitment"] = {"signed": True, "date": "2026-03-02"}  # the 申请表 is 签字盖章
        if category == "增量备案":  # adds occupations to an existing record: that record's number and score
            application["existing_code"] = f"Y000041{self.city_code}{serial}"
            application["existing_evaluation"] = {"score": rng.randint(65, 98), "date": "2024-06-18"}
        elif rng.random() < 0.3:    # 初次备案: code of the former assessment station, if any
            application["existing_code"] = f"41{self.city_code}{rng.randint(1, 99):02d}{rng.randint(0, 9)}"
        application["letter"] = self.document(f"关于申请设立{self.center}备案的函", 8, "备案申请函.pdf", self.name, "2026-03-02")

        roll = rng.random()
        if roll < 0.6:
            status = {"state": "已提交"}
        elif roll < 0.7:
            status = {"state": "草稿"}
        elif roll < 0.85:
            start = dt.date(rng.choice((2024, 2025)), rng.randint(1, 12), rng.randint(1, 28))
            status = {"state": "已备案", "filing_number": f"Y000041{self.city_code}{serial}",
                      "valid_from": start.isoformat(),
                      "valid_until": (start.replace(year=start.year + 3) - dt.timedelta(days=1)).isoformat(),
                      "receipt_number": f"豫技鉴备〔{start.year}〕{rng.randint(1, 300)}号"}
        elif roll < 0.95:
            start = dt.date(2022, rng.randint(1, 10), rng.randint(1, 28))
            status = {"state": "已过期", "filing_number": f"Y000041{self.city_code}{serial}",
                      "valid_from": start.isoformat(), "valid_until": start.replace(year=2025).isoformat()}
        else:
            status = {"state": "已撤销", "filing_number": f"Y000041{self.city_code}{serial}",
                      "revoked_reason": "2025 年度监督检查发现考务管理不规范，经整改仍不符合要求。"}
        self.filing_number = status.get("filing_number")

        city = self.city
        if self.has("type_ineligible_city"):
            city = "武汉市"  # not in Henan: veto (unit nature)
        institution = {
            "name": self.name, "short_name": self.abbrev, "type": self.type, "nature": rng.choice(("公办", "公办", "民办")),
            "credit_code": _credit_code(rng, self.adcode),
            "registration_authority": f"{'河南省' if self.city == '省直' else self.city}事业单位登记管理局",
            "supervising_department": "河南省人力资源和社会保障厅",
            "address": f"河南省{'' if self.city == '省直' else self.city}{rng.choice(SCHOOL_WORDS)}路{rng.randint(1, 300)}号",
            "city": city, "website": f"https://jndj{self.index}.example.edu.cn", "email": f"jndj{self.index}@example.edu.cn",
            "students": rng.randint(1500, 26000), "is_legal_person": True,
            "legal_certificate": self.evidence("事业单位法人证书.pdf"),
            "approval": {"title": f"关于同意设立{self.name}的批复", "issuer": "河南省人民政府",
                         "number": f"豫政文〔{rng.randint(1985, 2015)}〕{rng.randint(1, 300)}号",
                         "date": f"{rng.randint(1985, 2015)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                         "file": self.evidence("设立批文.pdf")},
        }
        if self.has("legal_commitment"):
            institution["is_legal_person"] = False
            institution.pop("legal_certificate")
            institution["legal_commitment"] = self.evidence("法人承担法律责任承诺书.pdf")
        if self.has("no_approval_number"):
            institution["approval"].pop("number")
        if self.has("approval_no_file"):
            institution["approval"].pop("file")
        if self.has("no_city"):
            del institution["city"]
        if self.has("legal_no_credit_code"):
            del institution["credit_code"]
        if self.has("legal_no_certificate") and "legal_certificate" in institution:
            del institution["legal_certificate"]
        if self.has("not_legal_no_commitment"):
            institution["is_legal_person"] = False
            institution.pop("legal_certificate", None)
            institution.pop("legal_commitment", None)
        if self.has("legal_unstated"):
            del institution["is_legal_person"]
        profile: dict = {
            "sheet": SHEET_ID, "application": application, "status": status, "institution": institution,
            "center": {"name": self.center, "short_name": self.abbrev + "认定中心"},
            "representative": {"name": self.person_name(), "position": "校长" if self.type != "高等职业学校" else "院长",
                               "office_phone": self.phone()},
            "contact": {"name": self.contact["name"], "position": self.contact["position"], "office_phone": self.phone(),
                        "mobile": _masked_mobile(rng), "email": f"contact{self.index}@example.edu.cn"},
            "advantages": {
                "organisation": "学校成立由校长任组长的认定工作领导小组，认定中心设专职人员，考务、考评、督导、设备、财务分工明确。",
                "profession": f"开设{len(self.occupations)}个与申请职业对应的专业，实训设备齐全，“双师型”教师占专任教师六成以上。",
            },
        }
        codes = [code for code, _ in self.occupations]
        achievements: dict = {}
        if rng.random() < 0.3:
            code = self.outside_code() if self.has("bonus_outside_scope") else rng.choice(codes)
            achievements["standard_development"] = [{"occupation": code, "description": "学校教师参与该职业国家职业技能标准修订稿审定。",
                                                     "file": self.evidence("参与标准审定证明.pdf")}]
        if rng.random() < 0.25:
            achievements["question_bank_development"] = [{"occupation": rng.choice(codes),
                                                          "description": "学校教师参与国家题库操作技能试题开发。",
                                                          "file": self.evidence("参与题库开发证明.pdf")}]
        if rng.random() < 0.3 or self.has("former_station_no_file"):
            station = {"code": f"41{self.city_code}{rng.randint(100, 999)}", "name": self.name + "职业技能鉴定所"}
            if not self.has("former_station_no_file"):
                station["file"] = self.evidence("原鉴定所鉴定许可证.pdf")
            achievements["former_station"] = station
        if self.has("bonus_no_occupation"):
            achievements["question_bank_development"] = [{"description": "参与省级题库建设。",
                                                          "file": self.evidence("参与题库开发证明.pdf")}]
        if achievements:
            profile["achievements"] = achievements
        if self.has("no_center"):
            del profile["center"]
        self.header["profile"] = "机构基本信息（备案申请表首页 + 认定范围清单表头）。手机号、身份证号只填脱敏形式。"
        return profile

    def _scheme(self) -> dict:
        rng = self.rng
        codes = [code for code, _ in self.occupations]
        names = "、".join(name for _, name in self.occupations)
        people = self.docs["personnel"]
        targets = ["在校学生", "在职教职工"] + (["社会人员"] if self.has("targets_social") else [])
        methods = [{"type": "考试考核", "description": "对完成相应课程学习的学生和教职工组织理论知识考试和操作技能考核，两项均合格者认定相应等级。"}]
        if rng.random() < 0.5:
            methods.append({"type": "过程化考核", "description": "将职业技能标准融入一体化课程，课程考核合格并修满学分的学生认定相应等级。"})
        if self.has("direct_method"):
            methods.append({"type": "直接认定", "description": "对取得相应职业资格证书的学生直接认定。"})
        if self.has("method_no_description"):
            methods.append({"type": "竞赛取证"})
        exam_system = {"kind": "省平台", "name": "河南省技能人才评价管理服务平台"}
        if self.has("self_built_ok"):
            exam_system = {"kind": "自建系统", "name": self.abbrev + "考务管理系统", "docking": True,
                           "docking_evidence": self.evidence("考务系统对接证明.pdf")}
        if self.has("self_built_no_docking"):
            exam_system = {"kind": "自建系统", "name": self.abbrev + "考务管理系统", "docking": False}
        steps = list(STEPS)
        workflow: dict = {"steps": steps, "flowchart": self.evidence("认定工作流程图.pdf")}
        if self.has("workflow_gap"):
            steps.remove(rng.choice(STEPS))
            del workflow["flowchart"]
        phases = [{"phase": phase, "period": period, "tasks": task} for phase, period, task in (
            ("前期准备", "2026-01 至 2026-02", "编写认定工作方案，完善制度，建设考场与档案室。"),
            ("申请备案", "2026-03", "报送备案申请表、工作方案及佐证材料。"),
            ("试点认定", "2026-06", "备案后在两个职业开展首批试点认定。"),
            ("总结改进", "2026-07 至 2026-08", "根据人社部门监管意见整改，上报整改材料。"),
            ("全面开展", "2026-09 起", "在全部备案职业按计划开展认定。"))]
        plan: dict = {"phases": phases, "first_batch": {"date": "2026-06", "occupations": codes[:2],
                                                         "candidates": rng.randint(80, 600)}}
        if self.has("plan_gap"):
            phases.pop(rng.randrange(len(phases)))
            del plan["first_batch"]
        leaders = [{"name": self.docs["profile"]["representative"]["name"], "role": "组长", "position": "校长", "full_time": False},
                   {"name": self.person_name(), "role": "副组长", "position": "副校长", "full_time": False},
                   {"name": people["staff"][0]["name"], "role": "成员", "position": "认定中心主任", "full_time": True},
                   {"name": (people["experts"] or people["staff"])[-1]["name"], "role": "成员", "position": "教务处处长",
                    "full_time": False},
                   {"name": people["supervisors"][0]["name"], "role": "成员", "position": "纪检监察室主任", "full_time": False}]
        if self.has("leading_group_no_leader"):
            leaders = leaders[1:]
        scheme: dict = {
            "title": f"{self.center}认定工作方案",
            "file": self.evidence("认定工作方案.pdf"),
            "basics": {
                "overview": f"学校始建于{rng.randint(1950, 2005)}年，在校生{self.docs['profile']['institution']['students']}人，"
                            f"现有教职工{rng.randint(120, 900)}人，其中高级职称{rng.randint(30, 200)}人。毕业生主要在省内装备制造、"
                            "现代服务企业就业，近三年就业率保持在95%以上。",
                "training_plan": self.evidence("人才培养方案.pdf"),
                "majors": f"开设{rng.randint(10, 40)}个专业，其中与申请职业（{names}）对应的技能类专业{len(codes)}个。",
                "featured_majors": "数控技术应用、中式烹调等专业为省级示范专业，建有省级技能大师工作室。",
                "prior_assessment": "学校原设职业技能鉴定所，累计为本校学生开展职业技能鉴定约8000人次。",
            },
            "targets": targets,
            "methods": methods,
            "organisation": {
                "leading_group": {
                    "document": self.document("关于成立职业技能等级认定工作领导小组的通知", 3, "领导小组文件.pdf"),
                    "members": leaders,
                    "duties": ["贯彻落实职业技能等级认定工作的有关政策规定，研究决定认定工作中的重大事项",
                               "负责认定中心的设立、人员配备和校内相关部门的协调工作",
                               "审核年度认定工作计划、认定实施方案和工作报告",
                               "监督检查并处理认定工作中发生的重大问题"],
                },
                "center": {
                    "document": self.document(f"关于成立{self.center}的通知", 4, "认定中心成立文件.pdf"),
                    "duties": [] if self.has("no_center_duties") else [
                        "制定年度认定计划并组织实施，落实考务、考评、督导人员安排",
                        "负责认定报名、资格审核、考生信息录入与上报",
                        "负责考场准备、试卷提取与保管、成绩汇总上报",
                        "负责证书打印、发放、信息上网和认定档案管理"],
                    "groups": [{"name": "考务管理组", "duties": ["编制认定计划，组织报名与资格审核", "负责试卷保密、考务记录和成绩上报"]},
                               {"name": "专家考评工作组", "duties": ["安排专家开展技术指导和题库建设", "合理安排考评员承担考评任务并实行回避"]},
                               {"name": "设备保障组", "duties": ["按职业（工种）要求配备并维护考核设施设备"]}],
                },
                "supervision_group": {
                    "document": self.document("关于成立职业技能等级认定内部质量督导组的通知", 5, "督导组成立文件.pdf"),
                    "duties": ["制定认定质量督导计划，对每批次认定派出不少于3名督导员",
                               "对资格审核、考场秩序、考评过程、成绩评定等全过程实施督导并填写督导报告",
                               "调查核实涉及认定工作的投诉举报，向领导小组报告并提出处理建议"],
                },
            },
            "facilities": {"summary": f"设认定中心办公室、档案室、保密室、备考室，理论考场和{len(codes)}个职业的技能考核场所，均安装视频监控。",
                           "commitment": True},
            "informatization": {
                "exam_system": exam_system,
                "question_bank": "使用省平台题库管理功能组卷，校本试题经专家审定后批量导入。",
                "online_exam": "理论知识考试在智能化机房通过省平台机考，自动评分。",
                "video": {"theory_rooms": not self.has("theory_no_video"), "practical_sites": True,
                          "retention_years": 3 if self.has("video_retention") else rng.choice((5, 5, 6, 10)),
                          "queryable": True},
            },
            "funding": {"source": "学校年度预算列支认定工作专项经费。", "annual_budget": rng.randint(10, 120)},
            "quality": "执行考场规则、考评员守则和督导员守则；每批次认定全程录像并派3名督导员；资料按档案管理制度归档。",
            "workflow": workflow,
            "plan": plan,
            "certificate_design": "按人社部证书参考样式和编码规则制作，内页印有学校校徽和认定中心名称。",
        }
        if not self.has("no_funding_doc"):
            scheme["funding"]["document"] = self.document("关于安排职业技能等级认定工作专项经费的通知", 6, "专项经费文件.pdf",
                                                          "学校财务处", "2026-01-15")
        if self.has("no_scheme_file"):
            del scheme["file"]
        organisation, informatization = scheme["organisation"], scheme["informatization"]
        if self.has("center_no_document"):
            del organisation["center"]["document"]
        if self.has("leading_group_empty"):
            organisation["leading_group"] = {"document": {"title": "关于成立职业技能等级认定工作领导小组的通知"}, "members": [],
                                             "duties": []}
        if self.has("no_leading_group"):
            del organisation["leading_group"]
        if self.has("supervision_no_duties"):
            organisation["supervision_group"]["duties"] = []
        if self.has("no_supervision_group"):
            del organisation["supervision_group"]
        if self.has("video_practical_off"):
            informatization["video"]["practical_sites"] = False
        if self.has("video_not_queryable"):
            informatization["video"]["queryable"] = False
        if self.has("no_video_section"):
            del informatization["video"]
        if self.has("self_built_no_evidence"):
            informatization["exam_system"] = {"kind": "自建系统", "name": self.abbrev + "考务管理系统", "docking": True}
        if self.has("no_exam_system"):
            del informatization["exam_system"]
        if self.has("no_targets"):
            del scheme["targets"]
        if self.has("no_methods"):
            del scheme["methods"]
        if self.has("no_overview"):
            del scheme["basics"]["overview"]
        if self.has("no_majors_text"):
            scheme["basics"]["majors"] = ""
            del scheme["basics"]["featured_majors"]
        if self.has("framework_gaps"):
            del scheme["quality"], scheme["facilities"]
        if self.has("no_training_plan"):
            del scheme["basics"]["training_plan"]
        self.header["scheme"] = "认定工作方案要点，按手册第三部分提纲（一至六）填写；全文另附 PDF。"
        return scheme

    def _policies(self) -> dict:
        rng = self.rng
        categories = list(POLICY_TITLES)
        if self.has("policy_missing"):
            categories.remove(rng.choice(categories[:-1]))
        if self.has("no_other_policy"):
            categories.remove("财务管理制度")
        policies = []
        for serial, category in enumerate(categories):
            title = POLICY_TITLES[category]
            policies.append({"category": category, "title": title, "date": "2026-01-20", "issuer": "学校办公室",
                             "number": self.doc_number(10 + serial // 4), "file": self.evidence(f"制度/{title}.pdf")})
        if not self.has("no_other_policy"):
            for title in rng.sample(OTHER_POLICIES, rng.randint(0, 3)):
                policies.append({"category": "其他", "title": title, "date": "2026-01-20", "issuer": "学校办公室",
                                 "number": self.doc_number(15), "file": self.evidence(f"制度/{title}.pdf")})
        if self.has("policy_incomplete"):
            victim = rng.choice(policies)
            victim.pop(rng.choice(("number", "date", "file")))
        self.header["policies"] = "文件、规章制度清单。每项写明类别、名称、制定时间、发文部门、文号，并附制度文本。"
        return {"policies": policies}

    def _sites(self) -> dict:
        rng = self.rng
        building = rng.choice(("实训楼", "综合楼", "信息楼", "图书信息中心"))
        office = {"location": f"{building}A座{rng.randint(2, 5)}0{rng.randint(1, 9)}室", "area": rng.randint(40, 120),
                  "equipment": [f"计算机{rng.randint(3, 8)}台", "打印复印一体机1台", "证书打印机1台", f"档案柜{rng.randint(4, 12)}组"]}
        if self.has("office_incomplete"):
            del office["area"]
        archive = {"location": f"{building}A座{rng.randint(2, 5)}1{rng.randint(1, 9)}室", "area": rng.randint(30, 90),
                   "paper_years": 2 if self.has("archive_short") else rng.choice((3, 5, 10)),
                   "electronic_years": rng.choice((5, 5, 10)),
                   "facilities": ["密集柜", "防火防潮设施", "数据备份服务器1台"]}
        theory = []
        for i in range(rng.randint(1, 3)):
            room = {"location": f"信息楼{i + 3}0{rng.randint(1, 9)}智能化机房", "area": rng.randint(90, 300),
                    "count": rng.randint(1, 3), "seats": rng.randint(40, 150), "video": True}
            theory.append(room)
        if self.has("theory_no_video"):
            theory[0]["video"] = False
        if self.has("theory_no_area"):
            del theory[-1]["area"]
        practical, equipment = [], []
        codes = list(self.occupations)
        for position, (code, name) in enumerate(codes):
            pool = EQUIPMENT[code[0]]
            if not (position == 0 and self.has("practical_missing")):
                practical.append({"occupation": code, "location": f"实训楼{'ABCDEF'[position % 6]}座{rng.randint(1, 4)}层{name}实训室",
                                  "area": rng.randint(120, 900), "count": rng.randint(1, 2),
                                  "stations": rng.randint(16, 60), "video": True})
            if position == (1 if len(codes) > 1 else 0) and self.has("equipment_missing"):
                continue
            items = []
            for item_name, unit in rng.sample(pool, rng.randint(3, 6)):
                items.append({"name": item_name, "model": f"{rng.choice('ABCDGHKSXZ')}{rng.choice('JKLMTX')}-{rng.randint(10, 9999)}",
                              "quantity": rng.randint(2, 40), "unit": unit,
                              "ownership": "租赁" if self.has("rented_equipment") and not items else "自有"})
            equipment.append({"occupation": code, "location": f"{name}实训室", "items": items})
        safety = {"evacuation_signs": True, "fire_equipment": True, "rules_posted": True,
                  "inspection": self.document(f"{self.name}考核场所安全检查记录", 7, "考核场所安全检查记录.pdf", "保卫处", "2026-02-20"),
                  "hazards": []}
        if self.has("practical_no_area") and practical:
            del practical[0]["area"]
        if self.has("practical_no_video") and practical:
            practical[-1]["video"] = False
        if self.has("office_no_equipment"):
            del office["equipment"]
        if self.has("archive_electronic_short"):
            archive["electronic_years"] = 3
        if self.has("hazards"):
            safety["rules_posted"] = False
            safety["hazards"] = ["焊接实训区排烟设施待更换", "部分实训室应急照明损坏，已报修"]
        self.header["sites"] = "场地与设施设备（申请表“场地情况”“设施设备情况”）和考核场所安全。"
        sites = {
            "office": office, "archive_room": archive,
            "confidential_room": {"location": f"{building}A座{rng.randint(2, 5)}2{rng.randint(1, 9)}室", "area": rng.randint(15, 40),
                                  "count": 1, "video": True},
            "standby_room": {"location": f"信息楼{rng.randint(2, 5)}0{rng.randint(1, 9)}室", "area": rng.randint(60, 150),
                             "count": 1, "seats": rng.randint(40, 120), "video": True},
            "theory_rooms": theory, "practical_sites": practical, "equipment": equipment, "safety": safety,
        }
        for defect, key in (("no_office", "office"), ("no_archive", "archive_room"), ("no_theory_rooms", "theory_rooms")):
            if self.has(defect):
                del sites[key]
        return sites

    def _certificate(self) -> dict:
        rng = self.rng
        city_code = self.city_code
        if self.has("certificate_city"):
            city_code = f"{(int(city_code) + 1) % 19:02d}"
        serial = self.filing_serial if self.filing_number else rng.randint(9001, 9999)
        certificate = {
            "issuer": self.center,
            "seal": self.center + rng.choice(("", "职业技能等级认定专用章")),
            "sample_number": f"Y000041{city_code}{serial}26{rng.randint(1, 5)}{rng.randint(1, 999):06d}",
            "sample": self.evidence("证书样本.pdf"),
            "features": "封底印有学校校训，内页底纹为学校主楼线描图。",
        }
        if self.has("certificate_seal"):
            certificate["seal"] = self.name + "公章"
        if self.has("certificate_no_sample"):
            del certificate["sample"]
        if self.has("issuer_mismatch"):
            certificate["issuer"] = self.name[:-2] + "职业技能等级认定中心"
        if self.has("issuer_bad_suffix"):
            certificate["issuer"] = self.name + "鉴定站"
        if self.has("certificate_bad_number"):
            certificate["sample_number"] = "X" + certificate["sample_number"][1:]
        if self.has("certificate_no_number"):
            del certificate["sample_number"]
        self.header["certificate"] = "证书样式（否决项）：发证机构为“xxx职业技能等级认定中心”，样本编号按国家格式。"
        return certificate

    def _reviews(self) -> dict:
        rng = self.rng
        panel = [self.person_name() + suffix for suffix in ("（专家组组长）", "", "")]
        decisions = []
        for criterion in self.cat.rule_sets[self.category].criteria:
            judged = criterion.review or criterion.mode == "discretion"
            if not judged and rng.random() > 0.04:
                continue  # an occasional decision on a machine-decided criterion: exercises review-override
            if judged and rng.random() < 0.15:
                continue
            decision: dict = {"criterion": criterion.id}
            if criterion.outcomes:  # a veto (通过/否决) or a condition (符合/不符合)
                decision["outcome"] = criterion.outcomes[1] if rng.random() < 0.05 else criterion.outcomes[0]
            elif criterion.is_bonus:
                decision["points"] = rng.choice((0, criterion.points))
            else:
                decision["points"] = rng.choice(_possible_points(criterion))
            failed = criterion.outcomes and decision["outcome"] == criterion.outcomes[1]
            decision["reason"] = "经查阅资料和现场考察，" + ("实训车间存在较大安全隐患。" if failed else "符合要求。")
            decision["reviewer"] = panel[0]
            decision["date"] = "2026-04-15"
            decisions.append(decision)
        self.header["reviews"] = "专家组评审意见（评审人填写）。"
        return {"panel": panel, "decisions": decisions}

    # --- writing ---------------------------------------------------------------------
    def write(self, parent: Path, verify: bool = False) -> Path:
        root = parent / self.slug
        root.mkdir(parents=True)
        for key, data in self.docs.items():
            text = to_yaml(data)
            if verify:
                loaded, problems = load_yaml(text, f"{key}.yaml")
                if problems or loaded.data != data:
                    raise SystemExit(f"bench: YAML writer bug in {self.slug}/{key}.yaml: {problems or 'data differs'}")
            header = (f"# yaml-language-server: $schema={PROJECT_ROOT / 'schemas' / key}.schema.json\n"
                      f"# {self.name}：{self.header.get(key, '')}\n\n")
            (root / f"{key}.yaml").write_text(header + text, encoding="utf-8")
        for rel in sorted(self.files):
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"%PDF-1.4\n% synthetic placeholder for the beian benchmark\n%%EOF\n")
        if self.rng.random() < 0.1:
            (root / "README.md").write_text(f"# {self.name}\n\n备案材料说明。\n", encoding="utf-8")
        return root


# --------------------------------------------------------------------------------------
# A small YAML writer in the style people write filings in (indented block lists, short
# lists of scalars in flow style, quoted dates). PyYAML's pure-Python emitter would take
# most of the generation time; the first institutions are read back with the project's
# loader to prove the text means exactly the data.
# --------------------------------------------------------------------------------------

_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_BAD_START = set("-?:,[]{}#&*!|>'\"%@` ")


def _scalar(value, flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot write {value!r}")
    plain = (value and value[0] not in _BAD_START and value[-1] != " " and ": " not in value and " #" not in value
             and not value.endswith(":") and "\n" not in value and "\t" not in value
             and not (flow and any(ch in value for ch in ",[]{}"))
             and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG)
    return value if plain else json.dumps(value, ensure_ascii=False)


def _is_scalar(value) -> bool:
    return isinstance(value, (str, int, float, bool))


def _block(data, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(data, dict):
        for key, value in data.items():
            if _is_scalar(value):
                out.append(f"{pad}{key}: {_scalar(value)}")
            elif not value:
                out.append(f"{pad}{key}: {'[]' if isinstance(value, list) else '{}'}")
            elif isinstance(value, list) and all(_is_scalar(v) for v in value) and \
                    sum(len(str(v)) + 2 for v in value) + indent + len(key) < 100:
                out.append(f"{pad}{key}: [{', '.join(_scalar(v, flow=True) for v in value)}]")
            else:
                out.append(f"{pad}{key}:")
                _block(value, indent + 2, out)
    elif isinstance(data, list):
        for item in data:
            if _is_scalar(item):
                out.append(f"{pad}- {_scalar(item)}")
            elif isinstance(item, dict) and item:
                start = len(out)
                _block(item, indent + 2, out)
                out[start] = f"{pad}- {out[start][indent + 2:]}"
            else:
                raise TypeError(f"cannot write list item {item!r}")
    else:
        raise TypeError(f"cannot write {data!r}")


def to_yaml(data: dict) -> str:
    out: list[str] = []
    _block(data, 0, out)
    return "\n".join(out) + "\n"


def generate(parent: Path, count: int, seed: int) -> dict:
    catalogue = Catalogue()
    sizes = []
    stats = collections.Counter()
    for index in range(count):
        institution = Institution(catalogue, index, seed).build()
        root = institution.write(parent, verify=index < 25)
        people = institution.docs["personnel"]
        stats["occupations"] += len(institution.occupations)
        stats["people"] += sum(len(v) for v in people.values())
        stats["examiners"] += len(people["examiners"])
        stats["policies"] += len(institution.docs["policies"]["policies"])
        stats["evidence_files"] += len(institution.files)
        stats["with_reviews"] += "reviews" in institution.docs
        stats["clean"] += not institution.defects
        yaml_bytes = sum(p.stat().st_size for p in root.glob("*.yaml"))
        yaml_lines = sum(p.read_text(encoding="utf-8").count("\n") for p in root.glob("*.yaml"))
        sizes.append((yaml_bytes, yaml_lines, root.name))
    sizes.sort()
    return {
        "institutions": count,
        "mean_occupations": round(stats["occupations"] / count, 2),
        "mean_people": round(stats["people"] / count, 1),
        "mean_examiners": round(stats["examiners"] / count, 1),
        "mean_policies": round(stats["policies"] / count, 1),
        "mean_evidence_files": round(stats["evidence_files"] / count, 1),
        "mean_yaml_kib": round(sum(s[0] for s in sizes) / count / 1024, 1),
        "mean_yaml_lines": round(sum(s[1] for s in sizes) / count),
        "max_yaml_kib": round(sizes[-1][0] / 1024, 1),
        "with_reviews": stats["with_reviews"],
        "without_deficiencies": stats["clean"],
        "median_institution": sizes[len(sizes) // 2][2],
    }
