"""`beian cache`: what the caches hold, and removing what nobody has used for some days (generator/cache_files.py)."""
from __future__ import annotations

DEFAULT_DAYS = 14


def register(sub) -> None:
    cache = sub.add_parser(
        "cache", help="查看或清理缓存（检查记录、页面、PDF 等）",
        description="缓存在仓库之外（环境变量 BEIAN_CACHE_DIR，默认 ~/.cache/beian），只会越积越多：每个评估日期一套检查记录，"
                    "每次改动一批新页面和 PDF。每次用到的缓存文件都会记下使用时间，prune 删除若干天没用过的文件"
                    "（天天用到的 PDF 一直保留）；clear 删除全部缓存文件。缓存文件夹里不是 beian 写的文件从不删除。"
                    "删掉的缓存只会让下次检查或构建慢一些，不会改变结论。",
        epilog="示例：beian cache ；beian cache prune --days 7 ；beian cache clear")
    cache.add_argument("action", nargs="?", choices=["info", "prune", "clear"], default="info",
                       help="info 列出各类缓存的文件数与大小（默认）；prune 删除多日未用的；clear 全部删除")
    cache.add_argument("--days", type=float, default=DEFAULT_DAYS,
                       help=f"prune：删除多少天没用过的缓存文件（默认 {DEFAULT_DAYS}）")
    cache.set_defaults(run=run)


def _size(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _lines(found) -> list[str]:
    from .cache_files import AREA_WORDS

    return [f"  {AREA_WORDS.get(area, area)}：{entry.files:,} 个，{_size(entry.size)}"
            for area, entry in sorted(found.areas.items(), key=lambda item: list(AREA_WORDS).index(item[0]))]


def run(args) -> int:
    from .cache import cache_dir
    from .cache_files import clear, prune, survey
    from .cli import EXIT_USAGE, UsageError

    root = cache_dir()
    if args.days < 0:
        raise UsageError(f"--days 不能是负数：{args.days:g}")
    if not root.is_dir():
        print(f"缓存位置：{root}（还没有缓存）")
        return 0
    if args.action == "info":
        found = survey(root)
        print(f"缓存位置：{root}")
        print("\n".join(_lines(found)) or "  （没有缓存文件）")
        print(f"合计 {found.files:,} 个文件，{_size(found.size)}。")
        return 0
    if args.action == "clear":
        removed = clear(root)
        print(f"已清空缓存 {root}：删除 {removed.files:,} 个文件，{_size(removed.size)}。")
        return 0
    if args.action == "prune":
        removed, kept = prune(root, args.days)
        print(f"缓存 {root}：删除 {args.days:g} 天内没用过的 {removed.files:,} 个文件（{_size(removed.size)}），"
              f"保留 {kept.files:,} 个（{_size(kept.size)}）。")
        print("\n".join(_lines(removed)))
        return 0
    return EXIT_USAGE
