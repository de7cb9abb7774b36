"""`beian dispatch`: propose 外督 for the sessions of a period; registered by generator/cli.py. Heavy code
(the draw, the optional solver) is imported only when run."""
from __future__ import annotations

import argparse
import datetime as dt

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


def _run(args) -> int:
    from .dispatch_command import run

    return run(args)


def register(sub) -> None:
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
    parser.set_defaults(run=_run)
