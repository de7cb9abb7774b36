"""How every output format words a record: verdicts, headings, summaries, the to-do lines.

These read the plain records that `beian check` produces (report.filing_record, report.session_record)
and nothing else, so the formats can render a record, fresh or from the record cache
(generator/record_cache.py), without importing the engine, the checks or the rule sets.
"""
from __future__ import annotations

SHOWN_LOCATIONS = 3
ACTIONS = ("invalid", "veto", "condition", "gain")  # things to do, numbered; the other kinds are information


def fails(subject: dict) -> bool:
    """A filing, session, supervision record or register that fails the check: its files could not be judged
    (invalid) or it is judged not to qualify (否决、不可能及格、不符合要求)."""
    return not subject["valid"] or subject["decision"] == "ineligible"


def existing_words(record: dict) -> str:
    """The record's earlier score as every format says it, e.g. “原有备案（初次备案）评估得分 91 分（2024-05-22）”."""
    if record.get("existing_score") is None:
        return "原有备案（初次备案）评估得分未填写"
    date = f"（{record['existing_date']}）" if record.get("existing_date") else ""
    return f"原有备案（初次备案）评估得分 {record['existing_score']:g} 分{date}"


def conditions_summary(record: dict) -> str:
    """“审核条件 4 项：符合 3 项，待判定 1 项”."""
    conditions = record.get("conditions") or []
    counts = [("符合", sum(1 for c in conditions if c["met"])),
              ("不符合", sum(1 for c in conditions if c["status"] == "unmet")),
              ("待判定", sum(1 for c in conditions if c["status"] == "pending"))]
    return f"审核条件 {len(conditions)} 项：" + "，".join(f"{label} {n} 项" for label, n in counts if n)


def split_records(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """(institution records, department register records): formats list and count them apart."""
    institutions = [r for r in records if r.get("kind") != "register"]
    return institutions, [r for r in records if r.get("kind") == "register"]


def register_heading(record: dict) -> str:
    """“department/henan 河南省质量督导员名册（12 名外督，在聘 11 名；委派 5 次）”."""
    return (f"{record['path']}  {record['name']}（{record['supervisors']} 名外督，聘期内 {record['in_term']} 名；"
            f"委派 {record['visits']} 次；部门内部资料）")


def registers_summary(registers: list[dict]) -> str | None:
    """“督导员名册 4 个：3 个符合要求，1 个不符合要求”; None when there are none."""
    return tally_of(registers).registers_summary()


def session_verdict(record: dict) -> str:
    """A session's verdict in the rule set's own words without its title: 符合要求 / 不符合要求 / 待判定,
    or 文件无效 when its files could not be judged."""
    if not record["valid"]:
        return "文件无效"
    label, title = record["decision_label"], record.get("decision_title")
    prefix = f"{title}：" if title else ""
    return label[len(prefix):] if prefix and label.startswith(prefix) else label


def session_heading(record: dict) -> str:
    """“SY2026-11 2026年11月…（2026-11-21 至 2026-11-22）”: how every format names a session."""
    days = record.get("days") or []
    when = f"（{days[0]}）" if len(days) == 1 else (f"（{days[0]} 至 {days[-1]}）" if days else "")
    return " ".join(part for part in (record["plan_number"], record.get("title")) if part) + when


def subjects(records: list[dict]):
    """(record, label) for every filing and, right after it, each of its sessions and each session's supervision
    records; the label names the record in a one-line report (“河南嵩岳技师学院 认定计划 SY2026-11”)."""
    for record in records:
        name = record["name"] or record["institution"]
        yield record, name
        for session in record.get("sessions") or []:
            yield session, f"{name} 认定计划 {session['plan_number']}"
            for supervision in session.get("records") or []:
                yield supervision, f"{name} 认定计划 {session['plan_number']} 督导记录 {supervision['name']}"


def supervision_heading(record: dict) -> str:
    """“guangdong-a4-豫督外2024001（广东 附件4 日常督导情况记录表，2026-06-14）”: how every format names a record."""
    about = "，".join(part for part in (record.get("form_title"), record.get("date")) if part)
    return f"{record['name']}（{about}）" if about else record["name"]


def supervision_result(record: dict) -> str:
    """The form's result in one phrase: its score or tally, vetoes, what is unanswered (answers.FormResult.summary)."""
    result = record.get("form_result")
    return result["summary"] if result else "记录表未知，无法判定结果"


def _verdict_key(subject: dict) -> tuple[str, str]:
    return subject["decision"] if subject["valid"] else "invalid", session_verdict(subject)


def tally_items(record: dict) -> tuple:
    """What the run's summary lines need of one record, small enough to send from a worker process:
    (kind, valid, decision, its sessions' (verdict key, words), their supervision records' (verdict key, words))."""
    sessions = record.get("sessions") or ()
    return (record.get("kind"), record["valid"], record.get("decision"), [_verdict_key(s) for s in sessions],
            [_verdict_key(r) for s in sessions for r in s.get("records") or ()])


class Tally:
    """The run's counts, kept as records stream past (the records themselves are not held)."""

    def __init__(self):
        self.institutions = 0
        self.valid = 0
        self.decisions: dict[str, int] = {}
        self.registers: list[tuple[bool, str]] = []
        self.sessions: dict[str, list] = {}
        self.supervision: dict[str, list] = {}

    def add(self, items: tuple) -> None:
        kind, valid, decision, sessions, records = items
        if kind == "register":
            self.registers.append((valid, decision))
            return
        self.institutions += 1
        if valid:
            self.valid += 1
            self.decisions[decision] = self.decisions.get(decision, 0) + 1
        for counts, found in ((self.sessions, sessions), (self.supervision, records)):
            for key, words in found:
                counts.setdefault(key, [0, words])[0] += 1

    def session_count(self) -> int:
        return sum(n for n, _ in self.sessions.values())

    def sessions_summary(self) -> str | None:
        return _verdict_tally(self.sessions, "认定计划", "个")

    def supervision_summary(self) -> str | None:
        return _verdict_tally(self.supervision, "督导记录", "份")

    def registers_summary(self) -> str | None:
        if not self.registers:
            return None
        counts = [("符合要求", sum(1 for v, d in self.registers if v and d == "eligible")),
                  ("待判定", sum(1 for v, d in self.registers if v and d == "pending_review")),
                  ("不符合要求", sum(1 for v, d in self.registers if v and d == "ineligible")),
                  ("文件无效", sum(1 for v, _ in self.registers if not v))]
        return f"督导员名册 {len(self.registers)} 个：" + "，".join(f"{n} 个{label}" for label, n in counts if n)


def tally_of(records) -> Tally:
    tally = Tally()
    for record in records:
        tally.add(tally_items(record))
    return tally


def _verdict_tally(counts: dict[str, list], what: str, unit: str) -> str | None:
    """“认定计划 5 个：4 个符合要求，1 个不符合要求”: subjects counted by verdict in their rule set's words
    (COUNTS: verdict key → [how many, the first one's words])."""
    if not counts:
        return None
    total = sum(n for n, _ in counts.values())
    ordered = [counts[key] for key in ("eligible", "pending_review", "ineligible", "invalid") if key in counts]
    return f"{what} {total} {unit}：" + "，".join(f"{n} {unit}{words}" for n, words in ordered)


def supervision_summary(records: list[dict]) -> str | None:
    """“督导记录 7 份：5 份记录有效，2 份记录有问题” over all records; None when there are none."""
    return tally_of(r for r in records if r.get("kind") != "register").supervision_summary()


def sessions_summary(records: list[dict]) -> str | None:
    """“认定计划 5 个：4 个符合要求，1 个不符合要求” over all records; None when there are no sessions."""
    return tally_of(r for r in records if r.get("kind") != "register").sessions_summary()


def todo_lines(items: list[dict], escape) -> tuple[list[str], list[str]]:
    """(the actions as “text：file:line、…”, the other items' texts), each escaped for its format."""
    actions, others = [], []
    for item in items:
        if item["kind"] not in ACTIONS:
            others.append(escape(item["text"]))
            continue
        places = item["locations"]
        where = "、".join(escape(place) for place in places[:SHOWN_LOCATIONS])
        where += f" 等 {len(places)} 处" if len(places) > SHOWN_LOCATIONS else ""
        actions.append(escape(item["text"]) + (f"：{where}" if where else ""))
    return actions, others


def judged(records):
    """Every filing (and department register), each of its sessions and each session's supervision records."""
    for record in records:
        sessions = record.get("sessions") or ()
        yield from (record, *sessions, *(r for s in sessions for r in s.get("records") or ()))
