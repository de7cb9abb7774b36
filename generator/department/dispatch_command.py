"""`beian dispatch` run: find the register and the sessions of the period, draw (dispatch.py), print the
proposal beside any dispatch already made for those sessions, and with --write append it to dispatches.yaml."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

from ..supervision.dispatch import GREEDY, Draw
from ..supervision.dispatch_rules import DispatchRules, Service
from ..supervision.model import Register, SessionRoles

METHOD = "双随机"


class DispatchError(Exception):
    """The command cannot run (message in Chinese); exit code 2."""


def _register_folder(project: Path, wanted: str | None) -> Path:
    department = project / "department"
    folders = sorted(p for p in department.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))) \
        if department.is_dir() else []
    if wanted:
        if department / wanted not in folders:
            known = "、".join(p.name for p in folders) or "（无）"
            raise DispatchError(f"没有辖区 {wanted} 的名册 department/{wanted}/（已有：{known}）")
        return department / wanted
    if not folders:
        raise DispatchError(f"{project} 下没有名册文件夹 department/<辖区>/，无从委派")
    from ..registry import RegistryError, home_jurisdiction

    # Several registers: the one of the jurisdiction the registry serves (beian.yaml), else the first.
    try:
        home = home_jurisdiction(project)
    except RegistryError as error:
        raise DispatchError(str(error)) from None
    return department / home if department / home in folders else folders[0]


def period_sessions(index: dict[str, SessionRoles], project: Path, jurisdiction_id: str, start: dt.date,
                    end: dt.date | None) -> list[SessionRoles]:
    """The sessions whose first exam day falls in [START, END] and whose institution is of the jurisdiction."""
    from ..jurisdiction import jurisdiction_id_for

    found = []
    for session in index.values():
        if not session.days or session.days[0] < start or (end and session.days[0] > end):
            continue
        if jurisdiction_id_for(session.sheet, project) == jurisdiction_id:
            found.append(session)
    return sorted(found, key=lambda s: (s.days[0], s.key))


def history_of(register: Register, index: dict[str, SessionRoles], proposed: set[str]) -> list[Service]:
    """The recorded visits to sessions not being proposed: what the rotation and one-place rules count."""
    from ..supervision.dispatch_judge import services_of

    return [s for s in services_of(register, index) if s.session not in proposed]


def _label(register: Register, card: str) -> str:
    supervisor = register.supervisor(card)
    return supervisor.label if supervisor else card


def _span(days) -> str:
    return str(days[0]) if len(days) == 1 else f"{days[0]} 至 {days[-1]}"


def render_text(result: Draw, register: Register, rules: DispatchRules, folder: str, replay: str, existing) -> str:
    lines = [f"外督委派建议：{rules.jurisdiction or register.jurisdiction}（{folder}）",
             f"随机种子 {result.seed}（重放：{replay}）",
             f"人数：{rules.size_basis(result.visit_type)}",
             f"认定计划 {len(result.needs)} 个；方式：{result.method}"]
    if result.greedy_short and result.method != GREEDY:
        lines.append(f"随机抽取（贪心）未能覆盖：{'、'.join(result.greedy_short)}；已改用{result.method}，对整个期间重新委派。")
    elif result.greedy_short:
        lines.append(f"随机抽取（贪心）未能覆盖：{'、'.join(result.greedy_short)}。")
    if not result.needs:
        lines.append("期间内没有需要委派的认定计划。")
    for need in result.needs:
        session = need.session
        lines += ["", f"{need.key}  {session.institution_name}  {_span(need.days)}  需 {need.needed} 人，可委派 {len(need.eligible)} 人"]
        if need.key in result.uncovered:
            lines.append(f"  无法委派：{result.uncovered[need.key]}")
        else:
            lines.append("  建议委派：" + "、".join(_label(register, c) for c in result.chosen.get(need.key, ())))
        for visit, problems in existing.get(need.key, ()):
            answered = "、".join(_label(register, a.card)[:-1] + f"，{a.response}）" if not a.serves and register.supervisor(a.card)
                                else _label(register, a.card) for a in visit.assignments)
            lines.append(f"  已有委派（dispatches.yaml 第 {visit.index + 1} 项，{visit.made}，{visit.method}）：{answered}")
            lines += [f"    不符合：{p.message}" for p in problems if p.kind == "deficiency"]
            lines += [f"    待判定：{p.message}" for p in problems if p.kind == "review"]
    return "\n".join(lines) + "\n"


def visits_yaml(result: Draw, register: Register, visit_type: str, today: dt.date, indent: str = "  ",
                skip: frozenset = frozenset()) -> str:
    """The proposed visits as items of dispatches.yaml's `visits` list (one comment line names the draw), less
    the sessions in SKIP."""
    lines = [f"{indent}# beian dispatch --seed {result.seed}（{today}，{result.method}）"]
    for need in result.needs:
        if need.key in result.uncovered or need.key in skip:
            continue
        lines += [f"{indent}- session: {need.key}", f"{indent}  type: {visit_type}", f'{indent}  made: "{today}"',
                  f"{indent}  method: {METHOD}", f"{indent}  seed: {result.seed}", f"{indent}  supervisors:"]
        for card in result.chosen[need.key]:
            supervisor = register.supervisor(card)
            lines.append(f"{indent}    - {{card: {card}}}" + (f"   # {supervisor.name}" if supervisor else ""))
    return "\n".join(lines) + "\n"


def render_json(result: Draw, register: Register, rules: DispatchRules, existing) -> str:
    return json.dumps({
        "jurisdiction": register.jurisdiction, "seed": result.seed, "method": result.method,
        "size_basis": rules.size_basis(result.visit_type), "greedy_short": result.greedy_short,
        "sessions": [{
            "session": n.key, "days": [str(d) for d in n.days], "needed": n.needed, "eligible": len(n.eligible),
            "excluded": dict(n.excluded),
            "supervisors": [{"card": c, "name": register.supervisor(c).name} for c in result.chosen.get(n.key, ())]
            if n.key not in result.uncovered else [],
            "uncovered": result.uncovered.get(n.key),
            "existing": [{"visit": v.index + 1, "problems": [{"rule": p.rule, "kind": p.kind, "message": p.message}
                                                             for p in problems]}
                         for v, problems in existing.get(n.key, ())]}
            for n in result.needs]}, ensure_ascii=False, indent=2) + "\n"


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:(.*)$")


def append_visits(path: Path, block_of_indent) -> None:
    """Append the visits text (BLOCK_OF_INDENT(indent) → text) at the end of dispatches.yaml, keeping every byte
    that is there; refuse when the file does not end with a block `visits:` list. Written atomically."""
    from ..textfile import read_text

    text = read_text(path)
    keys = [(n, m) for n, line in enumerate(text.splitlines(), 1) for m in [_TOP_KEY.match(line)] if m]
    if not keys or keys[-1][1].group(1) != "visits":
        last = f"最后一个顶层键是第 {keys[-1][0]} 行的 {keys[-1][1].group(1)}" if keys else "没有顶层键"
        raise DispatchError(f"{path}：{last}，不是 visits，无法在末尾追加委派；请把 visits 移到文件最后")
    line_no, match = keys[-1]
    rest = match.group(2).split("#", 1)[0].strip()
    if rest:
        raise DispatchError(f"{path}:{line_no}：visits 写成了行内形式（{rest}），无法追加；请改为逐项缩进的列表")
    items = re.search(r"^( *)- ", text.split("\n", line_no)[-1] if text.count("\n") >= line_no else "", re.M)
    indent = items.group(1) if items else "  "
    new = (text if text.endswith("\n") or not text else text + "\n") + block_of_indent(indent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(new, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def run(args) -> int:
    from ..clock import evaluation_date
    from ..filing import load_register
    from ..jurisdiction import JurisdictionError, load_jurisdiction
    from ..paths import PROJECT_ROOT
    from ..supervision.dispatch import draw
    from ..supervision.dispatch_judge import judge
    from ..supervision.dispatch_rules import rules_for
    from ..supervision.load import register_of, sessions_index

    project = Path(args.project).resolve() if args.project else PROJECT_ROOT.resolve()
    today = evaluation_date()
    try:
        folder = _register_folder(project, args.jurisdiction)
        jurisdiction = load_jurisdiction(folder.name)
    except (DispatchError, JurisdictionError) as exc:
        print(f"beian dispatch：{exc}", file=sys.stderr)
        return 2
    filing = load_register(folder, project)
    errors = [f for f in filing.load_findings if f.severity == "error"]
    if errors:
        for finding in errors:
            print(f"{finding.file}:{finding.line or 1}: {finding.message}", file=sys.stderr)
        print(f"beian dispatch：名册 department/{folder.name}/ 有错误，先改正（beian check department/{folder.name}）。",
              file=sys.stderr)
        return 2
    register, index = register_of(filing), sessions_index(project)
    rules = rules_for(jurisdiction, today)
    start = args.start or today
    seed = args.seed if args.seed is not None else int(today.strftime("%Y%m%d"))
    sessions = period_sessions(index, project, folder.name, start, args.end)
    proposed = {s.key for s in sessions}
    result = draw(register, sessions, history_of(register, index, proposed), rules, seed, args.type)
    problems = judge(register, index, rules, today)
    existing = {key: [(v, [p for p in problems if p.visit == v.index]) for v in register.visits if v.session == key]
                for key in proposed}
    replay = " ".join(["beian dispatch", f"--jurisdiction {folder.name}", f"--seed {seed}", f"--from {start}"]
                      + ([f"--to {args.end}"] if args.end else []) + ([f"--type {args.type}"] if args.type != "现场督导" else []))
    display = f"department/{folder.name}/"
    if args.format == "json":
        sys.stdout.write(render_json(result, register, rules, existing))
    elif args.format == "yaml":
        sys.stdout.write("visits:\n" + visits_yaml(result, register, args.type, today))
    else:
        sys.stdout.write(render_text(result, register, rules, display, replay, existing))
    # A session already dispatched keeps its visit: appending a second would leave two dispatches for one session.
    dispatched = frozenset(key for key, visits in existing.items() if visits)
    writable = [key for key in result.chosen if key not in result.uncovered and key not in dispatched]
    if args.write and dispatched & set(result.chosen):
        print("beian dispatch：已有委派的认定计划不追加建议（先在 dispatches.yaml 中删去原委派再运行 --write）："
              + "、".join(sorted(dispatched & set(result.chosen))), file=sys.stderr)
    if args.write and writable:
        try:
            append_visits(folder / "dispatches.yaml",
                          lambda indent: visits_yaml(result, register, args.type, today, indent, dispatched))
        except (DispatchError, OSError) as exc:
            print(f"beian dispatch：{exc}", file=sys.stderr)
            return 2
        print(f"已追加 {len(writable)} 次委派到 {display}dispatches.yaml：" + "、".join(writable), file=sys.stderr)
    elif args.write:
        print("beian dispatch：没有可追加的委派。", file=sys.stderr)
    return 0 if result.complete else 1
