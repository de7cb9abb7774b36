"""Phone capture commands, registered by generator/cli.py: `beian xlsform` (each supervision form as an XLSForm
for ODK Collect / KoboToolbox) and `beian import-submissions` (their CSV export back into record files).

Only argparse wiring at import: openpyxl, pyxform and the form files load when a command runs.
"""
from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _err(message: str) -> None:
    from ..escaping import terminal_text

    print(f"beian：{terminal_text(message)}", file=sys.stderr)


def _forms(ids: list[str] | None):
    """The chosen forms, or a Chinese message naming the unknown id and the known ones."""
    from .model import all_forms

    forms = all_forms()
    unknown = [i for i in ids or () if i not in forms]
    if unknown:
        return f"没有表“{unknown[0]}”；可用的表：{'、'.join(forms)}。"
    return [forms[i] for i in dict.fromkeys(ids)] if ids else list(forms.values())


def run_xlsform(args) -> int:
    from ..outputs import OutputError, output_folder
    from ..paths import PROJECT_ROOT
    from ..textfile import os_reason
    from .xlsform import convert, pyxform_available, write_workbook

    forms = _forms(args.form)
    if isinstance(forms, str):
        _err(forms)
        return EXIT_USAGE
    try:
        out = output_folder(args.out, PROJECT_ROOT / "out" / "xlsform", "-o/--out")
        out.mkdir(parents=True, exist_ok=True)
    except OutputError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except OSError as exc:
        _err(f"无法创建输出文件夹 {args.out}：{os_reason(exc)}。")
        return EXIT_USAGE
    checking = pyxform_available()
    failed = False
    for form in forms:
        try:
            path = write_workbook(form, out)
        except OSError as exc:
            _err(f"{form.id}：无法写入 {out / (form.id + '.xlsx')}：{os_reason(exc)}。")
            failed = True
            continue
        print(f"{form.id}：{form.title} → {path}")
        if checking:
            conversion = convert(path)
            for error in conversion.errors:
                _err(f"{form.id}：pyxform 转换出错：{error}")
            for warning in conversion.warnings:
                print(f"  pyxform 提示：{warning}")
            failed |= bool(conversion.errors)
    if checking and not failed:
        print("已用 pyxform 转换为 XForm 核对，没有错误（未运行需要 Java 的 ODK Validate）。")
    elif not checking:
        print("未安装 pyxform，未做转换核对；安装：pip install -e '.[capture]'。")
    return EXIT_FAILED if failed else EXIT_OK


def _register_xlsform(sub) -> None:
    parser = sub.add_parser(
        "xlsform", help="把督导记录表导出为 XLSForm（ODK Collect / KoboToolbox 手机采集用）",
        description="把 rules/forms/ 中的每张督导记录表写成一个 XLSForm 工作簿 <表编号>.xlsx（survey、choices、settings "
                    "三张工作表），上传到 ODK Central 或 KoboToolbox 后即可在手机上用 ODK Collect / KoboCollect 填写。"
                    "装有 pyxform 时逐个转换为 XForm 核对。退出码：0 全部写好；1 有表写入或转换失败；2 命令无法执行。",
        epilog="示例：beian xlsform ；beian xlsform -o out/xlsform --form guangdong-a4")
    parser.add_argument("-o", "--out", metavar="DIR", help="输出文件夹（默认 out/xlsform）")
    parser.add_argument("--form", metavar="ID", action="append", help="只导出这张表（可重复），例如 guangdong-a4")
    parser.set_defaults(run=run_xlsform)


def _print_outcome(outcome, root: Path) -> None:
    from ..escaping import terminal_text

    shown = terminal_text(outcome.path.relative_to(root) if outcome.path else "")
    if outcome.status == "written":
        print(f"第 {outcome.row} 行：已写入 {shown}")
    elif outcome.status == "unchanged":
        print(f"第 {outcome.row} 行：{shown} 已存在，内容与此行相同，未改动。")
    elif outcome.status == "exists":
        _err(f"第 {outcome.row} 行：{shown} 已存在且内容与此行不同，未覆盖；请核对后手工修改，"
             "或删去旧文件再导入。")
    elif outcome.status == "skipped":
        print(f"第 {outcome.row} 行：审核未通过的提交，跳过。")
    for problem in outcome.problems:
        _err(problem)


def run_import(args) -> int:
    from ..paths import PROJECT_ROOT
    from .submissions import SubmissionsError, form_named_in, import_submissions, read_table

    root = (Path(args.project) if args.project else PROJECT_ROOT).resolve()
    if not (root / "institutions").is_dir():
        _err(f"{root} 下没有 institutions/ 文件夹；--dir 应给出项目根目录。")
        return EXIT_USAGE
    csv_path = Path(args.file)
    if not csv_path.is_file():
        _err(f"找不到文件 {args.file}。")
        return EXIT_USAGE
    try:
        table = read_table(csv_path)
        form_id = args.form or form_named_in(table)
        if not form_id:
            _err(f"{table.name} 没有 beian_form 列，看不出是哪张表的提交；请用 --form 指明，例如 --form guangdong-a4。")
            return EXIT_USAGE
        forms = _forms([form_id])
        if isinstance(forms, str):
            _err(forms)
            return EXIT_USAGE
        outcomes = import_submissions(table, root, forms[0])
    except SubmissionsError as exc:
        _err(str(exc))
        return EXIT_FAILED
    for outcome in outcomes:
        _print_outcome(outcome, root)
    counts = {status: sum(o.status == status for o in outcomes)
              for status in ("written", "unchanged", "exists", "skipped", "error")}
    print(f"{table.name}：{len(outcomes)} 行，写入 {counts['written']} 份，已存在 {counts['unchanged'] + counts['exists']} 份，"
          f"跳过 {counts['skipped']} 行，出错 {counts['error']} 行。")
    return EXIT_FAILED if counts["error"] or counts["exists"] else EXIT_OK


def _register_import(sub) -> None:
    parser = sub.add_parser(
        "import-submissions", help="把 ODK Central / KoboToolbox 导出的 CSV 写成督导记录文件",
        description="读取 `beian xlsform` 所出表单的提交（ODK Central 或 KoboToolbox 导出的 CSV，UTF-8），每行写成一份 "
                    "institutions/<机构>/sessions/<评价计划编号>/supervision/<表编号>-<证卡编号>.yaml。从不覆盖已有文件；"
                    "有问题的行按行号和列名说明并跳过，其余照常写入。行号与表格软件中一致（标题行为第 1 行）。"
                    "含完整身份证号或手机号的行不导入。退出码：0 全部导入或已存在；1 有行出错或与已有文件冲突；2 命令无法执行。",
        epilog="示例：beian import-submissions submissions.csv ；beian import-submissions guangdong-a4.csv --form guangdong-a4")
    parser.add_argument("file", metavar="FILE.csv", help="导出的 CSV 文件")
    parser.add_argument("--form", metavar="ID", help="表编号（默认：CSV 中 beian_form 列的值）")
    parser.add_argument("--project", metavar="DIR", help="项目文件夹（含 institutions/；默认：本项目），与 beian dispatch 相同")
    parser.set_defaults(run=run_import)


def register(sub) -> None:
    _register_xlsform(sub)
    _register_import(sub)
