"""`beian forms`, registered by generator/cli.py: list the published supervision forms, print them blank (one
A4 PDF per form) or print filled records as the completed form (department-only: they name supervisors).

Only argparse wiring at import: jinja2 and weasyprint load when the command runs.
"""
from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(sub) -> None:
    parser = sub.add_parser(
        "forms", help="打印督导记录表：空白表（每张表一份 A4 PDF），或按督导记录打印填好的表（部门内部）",
        description="按 rules/forms/ 中公布的督导记录表生成 A4 PDF：默认每张表一份空白表（文件名为表编号），"
                    "--form 只生成指定的表，--list 列出所有表。--record 给出督导记录文件、认定计划文件夹或机构文件夹"
                    "（其下 supervision/ 中的每份记录），按记录打印填好的表：勾选的选项打 ☑，未作答的条目标“未作答”。"
                    "填好的表含督导员姓名，是部门内部资料，默认输出到 out/internal/forms/<机构>/<计划>/。"
                    "退出码：0 全部生成；1 有记录无法打印（逐一说明）；2 命令无法执行。",
        epilog="示例：beian forms ；beian forms --form nanchang-onsite -o out/forms ；beian forms --list ；"
               "beian forms --record institutions/songyue-jishi/sessions/SY2026-06")
    parser.add_argument("-o", "--out", metavar="DIR", help="输出文件夹（默认：空白表 out/forms，填好的表 out/internal/forms）")
    parser.add_argument("--form", metavar="ID", nargs="+", action="extend", help="只生成这些表（表编号，可给多个）")
    parser.add_argument("--list", action="store_true", help="列出所有督导记录表")
    parser.add_argument("--record", metavar="PATH", nargs="+", action="extend",
                        help="按督导记录打印填好的表：记录文件、认定计划文件夹或机构文件夹（可给多个）")
    parser.set_defaults(run=run)
    record = sub.add_parser(
        "new-record", help="为一次认定生成一份空白督导记录（按记录表逐项列出可选项，不预先勾选）",
        description="在 institutions/<机构>/sessions/<评价计划编号>/supervision/ 下生成 <表编号>-<证卡编号>.yaml："
                    "每一项的答案留空、注释中列出表上的选项，表头栏目写“（请填写…）”，签字日期留空——不填写就通不过检查。"
                    "已有的文件不覆盖。退出码：0 已生成；2 无法生成（说明原因）。",
        epilog="示例：beian new-record songyue-jishi SY2026-12 --form guangdong-a4 --card 豫督外2024001")
    record.add_argument("slug", help="机构代号（institutions/ 下的文件夹名）")
    record.add_argument("plan_number", metavar="PLAN", help="评价计划编号（sessions/ 下的文件夹名）")
    record.add_argument("--form", required=True, metavar="ID", help="记录表编号（beian forms --list）")
    record.add_argument("--card", required=True, help="填表督导员的证卡编号（反馈表：被反馈的外督的证卡编号）")
    record.add_argument("--role", choices=("外督", "内督"), help="督导员类别（默认：表规定的第一种）")
    record.add_argument("--project", metavar="DIR", help="项目文件夹（含 institutions/；默认：本项目）")
    record.set_defaults(run=run_new_record)


def run_new_record(args) -> int:
    from ..paths import PROJECT_ROOT
    from .template import create_record

    return create_record(args.slug, args.plan_number, args.form, args.card, args.role,
                         Path(args.project) if args.project else PROJECT_ROOT)


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    from ..escaping import terminal_text

    print(f"beian：{terminal_text(message)}", file=sys.stderr)
    return code


def _list() -> int:
    from .model import JUDGING_LABELS, all_forms

    for form in all_forms().values():
        extent = f"{len(form.items)} 项" if form.items else form.feedback_label
        total = f"，{form.total_words}" if form.scored else ""
        print(f"{form.id}\t{form.short_title}（{JUDGING_LABELS[form.judging]}，{extent}{total}）")
    return EXIT_OK


def _chosen_forms(ids: list[str] | None):
    from .model import all_forms

    forms = all_forms()
    if not ids:
        return list(forms.values())
    unknown = [i for i in ids if i not in forms]
    if unknown:
        return f"没有记录表“{'”“'.join(unknown)}”；可用的表：{'、'.join(forms)}（用 `beian forms --list` 查看）。"
    return [forms[i] for i in dict.fromkeys(ids)]


def _out_folder(given: str | None, default: Path, department_only: bool) -> Path | str:
    from ..outputs import OutputError, output_folder
    from ..portal.command import public_place

    try:
        out = output_folder(given, default, "-o/--out")
    except OutputError as exc:
        return str(exc)
    return (public_place(out, "-o/--out") if department_only else None) or out


def _fonts() -> str | None:
    from ..bundle.fonts import FontMissing, require_fonts, require_symbol_font

    try:
        require_fonts()
        require_symbol_font()
    except FontMissing as exc:
        return str(exc)
    return None


def _print_blank(args) -> int:
    from ..paths import PROJECT_ROOT
    from ..published import LeakError
    from ..textfile import os_reason
    from .printing import render_blank

    forms = _chosen_forms(args.form)
    if isinstance(forms, str):
        return _fail(forms)
    out = _out_folder(args.out, PROJECT_ROOT / "out" / "forms", department_only=False)
    if isinstance(out, str):
        return _fail(out)
    problem = _fonts()
    if problem:
        return _fail(problem)
    failed = False
    for form in forms:
        try:
            result = render_blank(form, out)
        except (OSError, LeakError) as exc:
            failed = True
            _fail(f"{form.id}：无法写出空白表：{os_reason(exc) if isinstance(exc, OSError) else exc}", EXIT_FAILED)
            continue
        print(f"{form.id}：{form.short_title}，{result['pages']} 页 → {result['path']}")
    return EXIT_FAILED if failed else EXIT_OK


def _record_paths(given: list[str]) -> tuple[list[Path], list[str]]:
    """Every record file the paths name, and a Chinese problem for each path that names none."""
    from .filled import record_files

    files, problems = [], []
    for raw in given:
        path = Path(raw)
        if not path.exists():
            problems.append(f"路径不存在：{raw}")
            continue
        found = record_files(path)
        if not found:
            problems.append(f"{raw} 中没有督导记录（sessions/<计划>/supervision/*.yaml）。")
        files.extend(found)
    return list(dict.fromkeys(files)), problems


def _print_filled(args) -> int:
    from ..filing import display_path
    from ..paths import PROJECT_ROOT
    from ..published import LeakError
    from ..textfile import os_reason
    from .filled import RecordError, read_record
    from .printing import render_filled

    if args.form:
        return _fail("--form 只用于空白表；打印填好的表时，表由每份记录的 form 字段决定。")
    files, problems = _record_paths(args.record)
    for problem in problems:
        _fail(problem, EXIT_FAILED)
    if not files:
        return EXIT_FAILED if problems else EXIT_USAGE
    out = _out_folder(args.out, PROJECT_ROOT / "out" / "internal" / "forms", department_only=True)
    if isinstance(out, str):
        return _fail(out)
    problem = _fonts()
    if problem:
        return _fail(problem)
    failed, printed = bool(problems), 0
    for path in files:
        shown = display_path(path, PROJECT_ROOT)
        try:
            filled = read_record(path, PROJECT_ROOT, shown)
            result = render_filled(filled, out)
        except RecordError as exc:
            failed = True
            for problem in exc.problems:
                _fail(f"无法打印：{problem}", EXIT_FAILED)
            continue
        except (OSError, LeakError) as exc:
            failed = True
            _fail(f"{shown}：无法写出：{os_reason(exc) if isinstance(exc, OSError) else exc}", EXIT_FAILED)
            continue
        printed += 1
        print(f"{shown}：{filled.form.short_title}，{filled.result.summary} → {result['path']}")
    if printed:
        print("填好的督导记录表含督导员姓名，是部门内部资料，不得公开。")
    return EXIT_FAILED if failed else EXIT_OK


def run(args) -> int:
    if args.list:
        return _list()
    if args.record:
        return _print_filled(args)
    return _print_blank(args)
