"""`beian init`: make the current folder a registry repository, or fill in what an existing one lacks.

It writes beian.yaml (the registry's settings) and copies the schemas beian ships into schemas/, so that the
`# yaml-language-server: $schema=../../schemas/…` first line of every filing file resolves in the editor. The
copy is the repository's own from then on: `beian check` reads it too (generator/paths.py lets a repository's
file override the packaged one), so the editor and the check agree. Nothing that exists is overwritten; a copied
schema that differs from this version's is named, for the user to refresh by deleting it and running init again.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

SETTINGS_TEMPLATE = """\
# 本仓库（机构备案登记册）的设置，由 beian init 生成。
# jurisdiction：本登记册服务的辖区（beian 自带的辖区：{jurisdictions}）。机构按它的辖区事实检查。
jurisdiction: {jurisdiction}
# supervision_forms：本登记册接受的督导记录表（beian 自带的表：{forms}）。
# 不写时用本辖区自己公布的表；河南没有公布督导记录表，要检查督导记录时在这里选用，例如：
# supervision_forms: [guangdong-a4, guangdong-a5]
"""


def run(args) -> int:
    from .paths import PROJECT_ROOT, ROOT_FOUND, packaged_schemas, rules_files
    from .registry import FALLBACK
    from .roots import SETTINGS_FILE
    from .textfile import os_reason

    root = PROJECT_ROOT if ROOT_FOUND else Path.cwd()
    written, kept, differing = [], [], []
    try:
        settings = root / SETTINGS_FILE
        if settings.exists():
            kept.append(SETTINGS_FILE)
        else:
            text = SETTINGS_TEMPLATE.format(
                jurisdiction=FALLBACK, jurisdictions="、".join(p.stem for p in rules_files("jurisdictions")),
                forms="、".join(p.stem for p in rules_files("forms")))
            with open(settings, "x", encoding="utf-8") as handle:
                handle.write(text)
            written.append(SETTINGS_FILE)
        (root / "institutions").mkdir(exist_ok=True)
        (root / "schemas").mkdir(exist_ok=True)
        for source in packaged_schemas():
            target = root / "schemas" / source.name
            if not target.exists():
                shutil.copyfile(source, target)
                written.append(f"schemas/{source.name}")
            elif target.read_bytes() != source.read_bytes():
                differing.append(source.name)
    except OSError as exc:
        print(f"beian：无法在 {root} 写入：{os_reason(exc)}。已写入：{'、'.join(written) or '（无）'}", file=sys.stderr)
        return 2
    print(f"备案仓库 {root}")
    copied = sum(1 for name in written if name.startswith("schemas/"))
    shown = [name for name in written if not name.startswith("schemas/")] + ([f"schemas/ 下 {copied} 个文件"] if copied else [])
    print(f"已写入：{'、'.join(shown) if shown else '（无，都已存在）'}")
    if kept:
        print(f"已存在、未改动：{'、'.join(kept)}")
    if differing:
        print(f"schemas/ 中与本版本 beian 自带的不同（检查时用仓库里的这一份）：{'、'.join(differing)}；"
              "若不是有意修改，删除这些文件后再运行 beian init 换成新的。")
    print("下一步：beian new 机构代号 新建机构；评分表、参考数据等规则用 beian 自带的，"
          "要改某个文件时把它放到本仓库 rules/ 下同样的位置（只覆盖这个文件）。")
    return 0


def register(sub) -> None:
    """Add `beian init` to the `beian` parser."""
    init = sub.add_parser(
        "init", help="把当前文件夹设为备案仓库：写 beian.yaml，复制 schemas/ 供编辑器检查（不覆盖已有文件）",
        description="在当前备案仓库（没有时在当前文件夹）写入 beian.yaml 和 institutions/，并把 beian 自带的 schemas "
                    "复制到 schemas/，让 YAML 文件首行的 $schema 在编辑器中可用。已有的文件一律不覆盖。")
    init.set_defaults(run=run)
