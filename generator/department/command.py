"""The department's commands, registered by generator/cli.py: `beian cards` (printable 质量督导员证卡) and
`beian dispatch` (propose 外督 for the sessions of a period).

Only argparse wiring at import: weasyprint, jinja2 and the solver load when a command runs, so `beian check`
never pays.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _register_cards(sub) -> None:
    cards = sub.add_parser("cards", help="生成质量督导员证卡 PDF（部门内部，每个名册一份）",
                           description="为名册中在聘且在聘期内的每名外督生成证卡（北京办法附件2 样式：单面宽 80mm、长 110mm，"
                                       "每张证卡正面一页、反面一页，照片和颁证机构 logo 位置留空），每个辖区的名册一份 PDF。"
                                       "证卡含姓名和证卡编号，是部门内部资料：不能输出到公开门户的 site/ 下。",
                           epilog="示例：beian cards ；beian cards --jurisdiction henan --card 豫督外2024001")
    cards.add_argument("--jurisdiction", metavar="ID", help="只生成这个辖区的名册（department/ID/），例如 henan")
    cards.add_argument("--card", metavar="编号", action="append", help="只生成这个证卡编号的证卡（可重复，例如补发一张）")
    cards.add_argument("--out", help="输出文件夹（默认 out/cards）")
    cards.set_defaults(run=run_cards)


def _registers(jurisdiction: str | None) -> list[Path] | str:
    """The register folders to print, or why there are none (a Chinese message)."""
    from ..cli import _register_dirs

    folders = _register_dirs()
    if not folders:
        return "本仓库没有督导员名册（department/<辖区>/supervisors.yaml）。"
    if jurisdiction is None:
        return folders
    chosen = [f for f in folders if f.name == jurisdiction]
    if not chosen:
        return f"没有辖区“{jurisdiction}”的名册；department/ 中有：{'、'.join(f.name for f in folders)}。"
    return chosen


def run_cards(args) -> int:
    from ..bundle.fonts import FontMissing, require_fonts
    from ..engine import evaluation_date
    from ..escaping import terminal_text
    from ..outputs import OutputError, output_folder
    from ..paths import PROJECT_ROOT
    from ..portal.command import public_place
    from ..published import LeakError
    from .card_print import render_cards

    folders = _registers(args.jurisdiction)
    if isinstance(folders, str):
        print(f"beian：{terminal_text(folders)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        out = output_folder(args.out, PROJECT_ROOT / "out" / "cards", "--out")
    except OutputError as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return EXIT_USAGE
    problem = public_place(out, "--out")
    if problem:
        print(f"beian：{problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        require_fonts()
    except FontMissing as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return EXIT_USAGE
    numbers = set(args.card) if args.card else None
    today = evaluation_date()
    printed, failed = 0, False
    for folder in folders:
        try:
            result = render_cards(folder, out, today, numbers)
        except LeakError as exc:
            print(f"beian：{folder.name}：{exc}", file=sys.stderr)
            failed = True
            continue
        except OSError as exc:
            from ..textfile import os_reason

            print(f"beian：{folder.name}：无法写入证卡：{os_reason(exc)}。", file=sys.stderr)
            failed = True
            continue
        for reason in result["skipped"]:
            print(f"  {terminal_text(reason)}")
        if result["path"]:
            printed += result["cards"]
            print(f"{folder.name}：{result['cards']} 张证卡，{result['pages']} 页（每张正反两面）→ {result['path']}")
        else:
            print(f"{folder.name}：没有可制作证卡的督导员。")
    if numbers is not None and not printed:
        print(f"beian：没有生成证卡：{'、'.join(sorted(numbers))} 不是名册中在聘且在聘期内的督导员。", file=sys.stderr)
        return EXIT_FAILED
    if printed:
        print("证卡含姓名和证卡编号，是部门内部资料，不得公开。")
    return EXIT_FAILED if failed else EXIT_OK


# --- beian dispatch ---------------------------------------------------------------------------------


TYPES = ("现场督导", "专项督导")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 YYYY-MM-DD") from None


def _seed(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"种子“{text}”应是非负整数")
    return int(text)


def _run_dispatch(args) -> int:
    from .dispatch_command import run

    return run(args)


def _register_dispatch(sub) -> None:
    """Add `beian dispatch` to the `beian` parser."""
    parser = sub.add_parser(
        "dispatch", help="（部门用）为一段时期的认定计划双随机抽取外督，并核对已有的委派",
        description="按名册（department/<辖区>/）为期间内各认定计划提出外督委派：每次人数、回避、轮换、聘期、年龄、"
                    "一人一天一处都按辖区规定核对，与 beian check 判定委派记录的规则相同。在符合条件的外督中按种子随机抽取"
                    "（种子总会打印，同一种子重放得到同一结果）；随机抽取凑不足时用优化求解（需安装 ortools）。"
                    "退出码：0 每个认定计划都有人选；1 有认定计划无法委派（说明原因）；2 命令无法执行。")
    parser.add_argument("--jurisdiction", metavar="ID", help="辖区编号，即 department/ 下的文件夹名（默认：只有一个时用它；有多个时用河南 henan，没有则用第一个）")
    parser.add_argument("--seed", type=_seed, metavar="N", help="随机种子（默认：评估日期 YYYYMMDD）")
    parser.add_argument("--from", dest="start", type=_day, metavar="DATE", help="期间起始日（默认：今天或 BEIAN_TODAY）")
    parser.add_argument("--to", dest="end", type=_day, metavar="DATE", help="期间截止日（默认：不限）")
    parser.add_argument("--type", choices=TYPES, default=TYPES[0], help="督导类型（专项督导按辖区的小组人数）")
    parser.add_argument("--format", "-f", choices=("text", "yaml", "json"), default="text", help="输出格式")
    parser.add_argument("--write", action="store_true", help="把建议的委派追加到 department/<辖区>/dispatches.yaml 末尾")
    parser.add_argument("--project", metavar="DIR", help="项目文件夹（含 institutions/ 和 department/；默认：本项目）")
    parser.set_defaults(run=_run_dispatch)


def register(sub) -> None:
    _register_cards(sub)
    _register_dispatch(sub)
