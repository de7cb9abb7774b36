"""`beian build --shard K/N`: fill the caches for one shard's institutions and write nothing into the site.

Each job of a matrix takes the institutions whose stable shard (shards.py) is K, and makes what a build
makes of each institution alone: its check record and portal entry (model.collect, cached by
stage_cache.py) and, unless --no-downloads, its public PDF and workbook (bundle/public.py, cached too) in
a temporary folder that is thrown away. A later plain `beian build` with the same cache (actions/cache)
then finds every institution made and only writes the pages, the lists and the counts.
"""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ShardResult:
    shard: int
    count: int
    institutions: int
    entries: dict = field(default_factory=dict)       # {"cached": n, "made": n}
    downloads: dict = field(default_factory=dict)     # {"cached": n, "made": n, "failed": n}
    leaks: list = field(default_factory=list)         # LeakError messages: the build would fail on these
    seconds: float = 0.0

    def words(self) -> str:
        """What the shard did, in Chinese."""
        lines = [f"分片 {self.shard}/{self.count}：{self.institutions} 个机构（按机构文件夹名的 SHA-256 分配，每个机构恰在一份中）"]
        lines.append(f"检查与页面数据：取自缓存 {self.entries.get('cached', 0)} 个，新生成 {self.entries.get('made', 0)} 个")
        if self.downloads:
            failed = f"，失败 {self.downloads['failed']} 个" if self.downloads.get("failed") else ""
            lines.append(f"备案材料 PDF 与认定范围清单：取自缓存 {self.downloads.get('cached', 0)} 个，"
                         f"新生成 {self.downloads.get('made', 0)} 个{failed}")
        lines.append(f"用时 {self.seconds:.1f} 秒；结果已存入缓存，未写入网站。之后用同一缓存运行 beian build 即可组装整个门户。")
        return "\n".join(lines)


def fill_shard(directories: list[Path], shard: int, count: int, jobs: int = 0, downloads: bool = True,
               internal: bool = False, progress=None) -> ShardResult:
    """Make and cache everything per institution for shard SHARD of COUNT of DIRECTORIES."""
    from ..shards import select
    from .build import institution_files
    from .model import collect

    started = time.perf_counter()
    chosen = select(directories, shard, count)
    result = ShardResult(shard, count, len(chosen))
    if downloads:
        from ..bundle.fonts import require_fonts

        require_fonts()  # FontMissing before anything is made
    entries = collect(chosen, jobs, extras=institution_files, internal=internal, counts=result.entries)
    if downloads and entries:
        from ..bundle.public import write_downloads

        with tempfile.TemporaryDirectory(prefix="beian-shard-") as scratch:
            made = write_downloads([(e["folder"], e["page"]) for e in entries], Path(scratch), jobs, progress)
        done = [r for r in made.values() if "error" not in r]
        result.downloads = {"cached": sum(1 for r in done if r.get("cached")),
                            "made": sum(1 for r in done if not r.get("cached")), "failed": len(made) - len(done)}
        result.leaks = [r["error"] for r in made.values() if r.get("leak")]
    result.seconds = time.perf_counter() - started
    return result
