"""`beian new-session SLUG`: a commented starter 认定计划 (plan.yaml + roster.yaml) for one institution.

The template starts from what the institution already filed: the occupations its scope approves
(the first one active, the others commented out, ready to uncomment), its 认定中心 staff, 内督 and
the examiners related to each occupation (personnel.yaml), its practical sites (sites.yaml). What
only the session can say (theory room numbers, 监考 names, the title) is a “（请填写…）” placeholder,
which the text-placeholder rule reports until it is replaced, so an unedited template never passes.

It never overwrites: an existing sessions/<plan-number>/ folder is refused, as `beian new` refuses
an existing institution folder.
"""
from __future__ import annotations

import calendar
import datetime as dt
import os
import re
import sys
from pathlib import Path

import yaml

from .paths import SCHEMAS_DIR

METHODS = ("考试考核", "直接认定", "过程化考核", "竞赛取证")
PLAN_NUMBER = re.compile(r"^[A-Za-z0-9-]{4,40}\Z")  # schemas/plan.schema.json plan_number
SCHOOL_LEVEL = {"技工院校": "技工院校", "高等职业学校": "高职", "本科院校": "本科", "中等职业学校": "中职"}
VENUE = "本部考点"


def _fail(message: str) -> int:
    print(f"beian：{message}", file=sys.stderr)
    return 2


def _known(parent: Path) -> list[str]:
    try:
        return sorted(p.name for p in parent.iterdir()
                      if p.is_dir() and not p.name.startswith((".", "_")) and (p / "profile.yaml").is_file())
    except OSError:
        return []


def _institution(slug: str, parent: Path) -> Path | None:
    """The institution folder directly under PARENT named SLUG; None when SLUG is a path or not there."""
    if not slug or slug in (".", "..") or slug.startswith(".") or any(c in slug for c in "/\\\0:"):
        return None
    folder = parent / slug
    try:
        if folder.resolve().parent != parent.resolve() or not folder.is_dir():
            return None
    except OSError:
        return None
    return folder


def _load(folder: Path, name: str) -> dict:
    """The file's data as `beian check` and the editor read it (YAML 1.2: `employee: yes` is text, not true)."""
    from .yamlload import read_data

    try:
        data = read_data((folder / name).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _month_after(day: dt.date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def _prefix(slug: str, sessions: Path) -> str:
    """The letters the institution's plan numbers start with: those of its latest session folder
    (SY for SY2026-12), else the initials of the slug's parts (songyue-jishi → SJ)."""
    try:
        existing = sorted(p.name for p in sessions.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    except OSError:
        existing = []
    for name in reversed(existing):
        found = re.match(r"[A-Za-z]+(?=\d)", name)
        if found:
            return found.group(0).upper()
    return "".join(part[0] for part in slug.split("-") if part and part[0].isalpha()).upper() or "JD"


def default_plan_number(slug: str, sessions: Path, today: dt.date) -> str:
    """<prefix><year>-<month> of the month after TODAY (a plan goes in at least 10 working days
    before the exam, so next month is the earliest usual one); -2, -3 … when that folder exists."""
    year, month = _month_after(today)
    base = f"{_prefix(slug, sessions)}{year}-{month:02d}"
    number, n = base, 1
    while (sessions / number).exists():
        n += 1
        number = f"{base}-{n}"
    return number


def _exam_month(plan_number: str, today: dt.date) -> tuple[int, int]:
    """The year and month a plan number names (SY2027-01, T202703), else the month after TODAY."""
    found = re.search(r"(20\d\d)-?(0[1-9]|1[0-2])(?!\d)", plan_number)
    return (int(found.group(1)), int(found.group(2))) if found else _month_after(today)


def _plain(value: str) -> str:
    """VALUE as a YAML scalar usable inside a flow sequence: plain when it reads back as itself."""
    text = str(value)
    try:
        safe = yaml.safe_load(text) == text
    except yaml.YAMLError:
        safe = False
    if safe and not re.search(r"[\[\]{},#:&*!|>'\"%@`]", text) and text == text.strip():
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _seq(values: list[str]) -> str:
    return "[" + ", ".join(_plain(v) for v in values) + "]"


def _names(people) -> list[str]:
    return [str(p["name"]) for p in people or [] if isinstance(p, dict) and isinstance(p.get("name"), str)
            and p["name"].strip() and "请填写" not in p["name"]]


def _padded(names: list[str], count: int, what: str) -> list[str]:
    """COUNT names: NAMES first, then numbered placeholders (distinct: the schema wants unique items)."""
    chosen = names[:count]
    return chosen + [f"（请填写{what}{i}姓名）" for i in range(len(chosen) + 1, count + 1)]


def _approved(scope: dict, profile: dict) -> list[dict]:
    """One entry per approved occupation (or 工种): code, name, work_type, levels. An occupation a 增量备案
    is still adding (change: 新增) is not approved yet (as session_scope.approved_levels)."""
    incremental = (profile.get("application") or {}).get("category") == "增量备案"
    found = []
    for entry in scope.get("occupations") or []:
        if not isinstance(entry, dict) or not entry.get("code") or (incremental and entry.get("change") == "新增"):
            continue
        base = {"code": str(entry["code"]), "name": str(entry.get("name") or entry["code"])}
        job_types = [j for j in entry.get("job_types") or [] if isinstance(j, dict) and j.get("name")]
        for job in job_types or [None]:
            levels = (job or entry).get("levels") or []
            levels = sorted({v for v in levels if isinstance(v, int) and 1 <= v <= 5}, reverse=True)
            if levels:
                found.append(dict(base, work_type=str(job["name"]) if job else None, levels=levels))
    return found


def _level(levels: list[int], school: str | None, method: str) -> int:
    """The level a graduating student of this school may usually take by this method (seed 004 第三部分
    二（四）: 中职 考试考核 → 五级, 过程化考核 → 四级; 技工院校 高级工班, 高职, 本科 → 三级), when the scope
    approves it; else the lowest approved level."""
    if school == "中职":
        wanted = 4 if method == "过程化考核" else 5
    else:
        wanted = 3
    return wanted if wanted in levels else max(levels)


class _Plan:
    """Collects the lines of plan.yaml and roster.yaml for one institution."""

    def __init__(self, folder: Path, plan_number: str, method: str, today: dt.date):
        self.plan_number, self.method = plan_number, method
        self.profile = _load(folder, "profile.yaml")
        self.personnel = _load(folder, "personnel.yaml")
        self.sites = _load(folder, "sites.yaml")
        self.occupations = _approved(_load(folder, "scope.yaml"), self.profile)
        self.school = SCHOOL_LEVEL.get((self.profile.get("institution") or {}).get("type"))
        year, month = _exam_month(plan_number, today)
        last = calendar.monthrange(year, month)[1]
        self.theory_day = dt.date(year, month, min(15, last))
        self.skill_day = dt.date(year, month, min(16, last))
        self.month = f"{year}年{month}月"
        self.theory_room = "（请填写理论考场编号）"

    @property
    def examined(self) -> bool:
        return self.method != "直接认定"

    def _practical(self, code: str) -> tuple[str, int | None]:
        for site in self.sites.get("practical_sites") or []:
            if isinstance(site, dict) and str(site.get("occupation")) == code and site.get("location"):
                stations = site.get("stations")
                return str(site["location"]), stations if isinstance(stations, int) and stations > 0 else None
        return f"（请填写{code}技能考场名称）", None

    def _examiners(self, code: str) -> list[str]:
        related = [p for p in self.personnel.get("examiners") or []
                   if isinstance(p, dict) and code in [str(c) for c in p.get("occupations") or []]]
        return _names(related)

    def _staff(self) -> tuple[str, list[str]]:
        staff = [p for p in self.personnel.get("staff") or [] if isinstance(p, dict)]
        names = _names(staff)
        heads = _names([p for p in staff if "主任" in str(p.get("position") or "")])
        leader = (heads or names or ["（请填写考场负责人姓名）"])[0]
        return leader, _padded([n for n in names if n != leader], 2, "考务人员")

    def plan_text(self, schemas: str) -> str:
        first, others = self.occupations[:1], self.occupations[1:]  # create_session refuses an empty scope
        names = first[0]["name"]
        lines = [
            f"# yaml-language-server: $schema={schemas}/plan.schema.json",
            f"# 认定实施计划（{self.method}）：由 beian new-session 生成，已按本机构的认定范围和人员名单预填；"
            "把“（请填写…）”换成实际内容，核对日期、人数和人员后运行 beian check。",
            "# 认定开展前至少 10 个工作日报送鉴定指导中心（手册第五部分“认定计划”三）；报送后填写 submitted。",
            "",
            f"plan_number: {self.plan_number}            # 评价计划编号，与文件夹名相同",
            f"title: （请填写）{self.month}职业技能等级认定（{names}）   # 去掉“（请填写）”，按实际职业改写",
            f"method: {self.method}                 # 考试考核 / 直接认定 / 过程化考核 / 竞赛取证",
            '# submitted: "YYYY-MM-DD"           # 报送鉴定指导中心的日期，报送后填写',
            "",
        ]
        if self.examined:
            lines += self._venue_lines(first, others)
        else:
            lines += ["# 直接认定不组织考试，可不填考点和考试模块（schemas/plan.schema.json）。", ""]
        lines += ["occupations:                      # 每个职业（工种）的每个等级一项；等级 1=一级/高级技师 … 5=五级/初级工"]
        lines += self._occupation_lines(first[0], "")
        if others:
            lines += ["", "  # 本机构认定范围内的其他职业：本次也认定的，取消注释（删去行首的“# ”），并在 roster.yaml 中加考生"]
            for occupation in others:
                lines += self._occupation_lines(occupation, "# ")
        lines += ["", "# 回避申报：考评、监考、督导人员的亲属或任教班级学生参加本次认定时填写",
                  "# avoidance:",
                  '#   - {person: （请填写姓名）, candidates: ["001"], reason: 任教班级学生}   # reason：亲属 / 任教班级学生']
        return "\n".join(lines) + "\n"

    def _venue_lines(self, first: list[dict], others: list[dict]) -> list[str]:
        leader, affairs = self._staff()
        supervisors = _padded(_names(self.personnel.get("supervisors")), 3, "内部督导员")
        address = str((self.profile.get("institution") or {}).get("address") or "（请填写考点地址）")
        theory = [str(r["location"]) for r in self.sites.get("theory_rooms") or [] if isinstance(r, dict) and r.get("location")]
        lines = [
            "venues:                            # 每个考点：考场负责人 1 名、内部督导员 3 名、考务人员 2 名",
            f"  - name: {_plain(VENUE)}",
            f"    address: {_plain(address)}",
            f"    leader: {_plain(leader)}",
            f"    supervisors: {_seq(supervisors)}   # personnel.yaml 的内部督导员，不得同时担任本次考评人员",
            f"    affairs: {_seq(affairs)}",
            "    rooms:                         # 理论考场写座位数和监考（标准考场 30 座、2 名监考）；技能考场写工位数",
        ]
        if theory:
            lines.append(f"      # sites.yaml 中的理论考场：{'、'.join(theory)}")
        lines.append(f"      - {{id: {_plain(self.theory_room)}, kind: 理论, mode: 机考, seats: 30, "
                     f"invigilators: {_seq(_padded([], 2, '监考员'))}}}")
        for i, occupation in enumerate(first + others):
            room, stations = self._practical(occupation["code"])
            if any(self._practical(o["code"])[0] == room for o in (first + others)[:i]):
                continue  # one room line per site, however many occupations use it
            prefix = "" if i < len(first) else "# "
            lines.append(f"      {prefix}- {{id: {_plain(room)}, kind: 技能, stations: {stations or 30}}}"
                         + ("" if stations else "   # 工位数按实际填写"))
        return lines + [""]

    def _occupation_lines(self, occupation: dict, prefix: str) -> list[str]:
        level, code = _level(occupation["levels"], self.school, self.method), occupation["code"]
        allowed = "、".join(str(v) for v in occupation["levels"])
        lines = [f"  {prefix}- code: {code}",
                 f"  {prefix}  name: {_plain(occupation['name'])}"]
        if occupation["work_type"]:
            lines.append(f"  {prefix}  work_type: {_plain(occupation['work_type'])}")
        lines += [f"  {prefix}  level: {level}                       # 备案等级：{allowed}",
                  f"  {prefix}  candidates: 1                  # 资格审核通过的人数，与 roster.yaml 中本职业本等级的行数一致"]
        if not self.examined:
            return lines
        related = self._examiners(code)
        room, _ = self._practical(code)
        theory_day, skill_day = self.theory_day.isoformat(), self.skill_day.isoformat()
        lines += [
            f"  {prefix}  modules:                       # 每个模块至少 1 名考评员，每个职业至少 3 名相关考评员",
            f'  {prefix}    - {{name: 理论知识, kind: 理论, date: "{theory_day}", start: "09:00", end: "10:30",',
            f"  {prefix}       venue: {_plain(VENUE)}, rooms: {_seq([self.theory_room])}, "
            f"examiners: {_seq(_padded(related, 1, '考评员'))}}}",
            f'  {prefix}    - {{name: 操作技能, kind: 技能, date: "{skill_day}", start: "08:30", end: "11:30",',
            f"  {prefix}       venue: {_plain(VENUE)}, rooms: {_seq([room])}, "
            f"examiners: {_seq(_padded(related, 3, '考评员'))}}}",
        ]
        return lines

    def roster_text(self, schemas: str) -> str:
        school = self.school
        lines = [
            f"# yaml-language-server: $schema={schemas}/roster.schema.json",
            f"# {self.plan_number} 的匿名考生名册：每名考生一行，只写考号和资格审核所需的情况，"
            "不写姓名、身份证号、手机号。下面是示例行，请换成实际考生。",
            "# group：学生 / 教职工。学生填 school_level（中职 / 技工院校 / 高职 / 本科）、graduating（毕业学年 true），"
            "技工院校填 class_type（中级工班 / 高级工班 / 预备技师班），优秀毕业生加 excellent: true；",
            "# 直接认定填 x_certificate（1+X 证书等级：初级 / 中级 / 高级）；教职工填 title_level（职称级别）和 title_years（取得年数）。",
            "",
            "candidates:",
        ]
        occupation = self.occupations[0]
        row = {"number": '"001"', "occupation": occupation["code"]}
        if occupation["work_type"]:
            row["work_type"] = _plain(occupation["work_type"])
        row.update(level=str(_level(occupation["levels"], school, self.method)), group="学生")
        if school:
            row["school_level"] = school
        if school == "技工院校" and row["level"] in ("3", "4"):  # 高级工班 → 三级, 中级工班 → 四级 (手册第三部分 二（四）（3）)
            row["class_type"] = "高级工班" if row["level"] == "3" else "中级工班"
        row["graduating"] = "true"
        if self.method == "直接认定" and row["level"] in ("3", "4"):  # 1+X 中级 → 高级工, 初级 → 中级工 (同上（2）)
            row["x_certificate"] = "中级" if row["level"] == "3" else "初级"
        fields = ", ".join(f"{key}: {value}" for key, value in row.items())
        lines.append(f"  - {{{fields}}}")
        return "\n".join(lines) + "\n"


def create_session(slug: str, parent: Path, plan_number: str | None = None, method: str = "考试考核",
                   today: dt.date | None = None) -> int:
    """Write institutions/SLUG/sessions/<plan_number>/{plan,roster}.yaml under PARENT (the institutions folder)."""
    folder = _institution(slug, parent)
    if folder is None:
        known = _known(parent)
        listed = "、".join(known) if known else "（没有）"
        if any(c in slug for c in "/\\") or slug.startswith("."):
            return _fail(f"机构代号“{slug}”不能是路径（不能含 /、\\ 或 ..）：只写 institutions/ 下的机构文件夹名。已有机构：{listed}")
        return _fail(f"找不到机构“{slug}”（{parent}/ 下没有这个机构文件夹）。已有机构：{listed}")
    if method not in METHODS:
        return _fail(f"认定方式“{method}”不对：只能是 {'、'.join(METHODS)}。")
    if today is None:
        from .engine import evaluation_date

        today = evaluation_date()
    sessions = folder / "sessions"
    if plan_number is None:
        plan_number = default_plan_number(slug, sessions, today)
    elif not PLAN_NUMBER.match(plan_number):
        return _fail(f"评价计划编号“{plan_number}”不合规：只能用 4 至 40 个字母、数字或“-”，例如 SY2027-01。")
    target = sessions / plan_number
    if target.exists():
        return _fail(f"{target} 已存在，为免覆盖已填写的内容，没有写入任何文件。换一个 --plan-number 再试。")
    plan = _Plan(folder, plan_number, method, today)
    if not plan.occupations:  # session-scope: only approved occupations may be assessed
        return _fail(f"{folder}/scope.yaml 中没有已备案的认定职业（或都还在增量备案中），无法安排认定计划；"
                     "没有写入任何文件。备案范围确定后再运行。")
    try:
        target.mkdir(parents=True)
    except FileExistsError:
        return _fail(f"{target} 已存在，为免覆盖已填写的内容，没有写入任何文件。")
    except OSError as exc:
        from .textfile import os_reason

        return _fail(f"无法创建 {target}：{os_reason(exc)}。")
    schemas = Path(os.path.relpath(SCHEMAS_DIR, target)).as_posix()
    for name, text in (("plan.yaml", plan.plan_text(schemas)), ("roster.yaml", plan.roster_text(schemas))):
        with open(target / name, "x", encoding="utf-8") as handle:
            handle.write(text)
    print(f"已在 {target} 生成：plan.yaml、roster.yaml（评价计划编号 {plan_number}，{method}）")
    print(f"下一步：把“（请填写…）”换成实际内容，核对日期、人数和人员，然后运行 beian check {folder}")
    return 0
