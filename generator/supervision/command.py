"""`beian cards`: the department's printable 质量督导员证卡; registered by generator/cli.py.

Only argparse wiring at import: weasyprint and jinja2 load when the command runs, so `beian check` never pays.
"""
from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(sub) -> None:
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
