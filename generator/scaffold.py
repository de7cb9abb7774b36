"""`beian new SLUG`: a commented starter filing that passes the schema.

It never overwrites: an existing folder is refused, and with --force only the
missing files are added.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from .paths import editor_schemas_dir, editor_schemas_hint

TEMPLATES = Path(__file__).parent / "templates"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]\Z")


def create(slug: str, parent: Path, force: bool = False) -> int:
    if not SLUG.match(slug):
        print(f"beian：机构代号“{slug}”不合规：只能用小写字母、数字和连字符，3-50 个字符，例如 zhengzhou-jishi。", file=sys.stderr)
        return 2
    target = parent / slug
    if target.exists() and not force:
        print(f"beian：{target} 已存在，为免覆盖已填写的内容，没有写入任何文件。", file=sys.stderr)
        return 2
    (target / "evidence").mkdir(parents=True, exist_ok=True)
    schemas = Path(os.path.relpath(editor_schemas_dir(), target)).as_posix()
    written, kept = [], []
    for template in sorted(TEMPLATES.glob("*.yaml")):
        destination = target / template.name
        if destination.exists():
            kept.append(template.name)
            continue
        text = template.read_text(encoding="utf-8").replace("__SCHEMAS__", schemas)
        with open(destination, "x", encoding="utf-8") as handle:
            handle.write(text)
        written.append(template.name)
    readme = target / "evidence" / "README.md"
    if not readme.exists():
        readme.write_text("# 证明材料\n\n把扫描件放在这里，在 YAML 中写 evidence/文件名 引用。\n", encoding="utf-8")
    print(f"已在 {target} 生成：{'、'.join(written) or '（无）'}")
    if kept:
        print(f"已存在、未改动：{'、'.join(kept)}")
    print(f"下一步：逐个文件填写，然后运行 beian check {target}")
    if editor_schemas_hint():
        print(editor_schemas_hint())
    return 0
