"""Full and incremental `beian build` of a large synthetic register (issue 15): what one changed filing costs.

    python benchmarks/bench_scale_build.py --data /work/bench/n1000 -j 1 -j 2
    python benchmarks/bench_scale_build.py -n 1000            # generates the institutions first

For each -j: a full build into a fresh site folder (no manifest), the same build again with nothing changed, then
one institution's profile.yaml edited (its name) and built again. Each phase prints beian's own time (check and
load, page generation, privacy scan) beside mkdocs' time, and how many pages mkdocs rendered and reused. The data
folder is only read: the institution to change is copied beside the site and given on the command line in place of
the original. No downloads (PDFs and workbooks are the download cache's business). BEIAN_CACHE_DIR is set to a
private folder per -j so runs do not share caches; BEIAN_TODAY defaults to 2026-11-23. Results also go to
benchmarks/out/scale-build-n<N>.json. A measurement, not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("BEIAN_TODAY", "2026-11-23")


def _phase(name: str, stats: dict, total: float) -> dict:
    t = stats["timings"]
    own = total - t["mkdocs"]
    return {"phase": name, "total_s": round(total, 1), "beian_own_s": round(own, 1),
            "check_and_load_s": round(t["check_and_load"], 1), "write_pages_s": round(t["write_pages"], 1),
            "mkdocs_s": round(t["mkdocs"], 1), "privacy_scan_s": round(t["privacy_scan"], 1),
            "pages_rendered": stats["pages_rendered"], "pages_reused": stats["pages_reused"],
            "institution_pages_rendered": stats["institution_pages_rendered"],
            "files_scanned_now": stats["read_files"], "files_in_site": stats["scanned_files"],
            "warnings": stats["build_warnings"][:3]}


def run(data: Path, jobs: int, work: Path, unchanged: bool = True) -> list[dict]:
    from generator.portal import build as portal

    os.environ["BEIAN_CACHE_DIR"] = str(work / "cache")
    folders = sorted(p for p in data.iterdir() if p.is_dir())
    changed = work / "changed" / folders[len(folders) // 2].name
    shutil.copytree(folders[len(folders) // 2], changed)
    folders[len(folders) // 2] = changed
    results = []

    def build(name: str) -> None:
        start = time.perf_counter()
        stats = portal.build_portal(folders, docs=work / "docs", out=work / "out", strict=True, jobs=jobs,
                                    downloads=False, site_url="https://beian.example.cn/")
        result = {"jobs": jobs, **_phase(name, stats, time.perf_counter() - start)}
        print(json.dumps(result, ensure_ascii=False), flush=True)
        results.append(result)

    build("full")
    if unchanged:
        build("nothing changed")
    profile = changed / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("  name: "))
    profile.write_text(text.replace(old, old + "（更名）", 1), encoding="utf-8")
    build("one institution changed")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="a folder of institution folders (read only)")
    parser.add_argument("-n", "--institutions", type=int, help="generate this many synthetic institutions instead")
    parser.add_argument("-j", "--jobs", type=int, action="append", help="worker processes (repeatable; default 0: all cores)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--no-unchanged", action="store_true", help="skip the build with nothing changed")
    args = parser.parse_args()
    if not args.data and not args.institutions:
        parser.error("--data DIR or -n N")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-build-") as tmp:
        data = args.data
        if data is None:
            from synthetic import generate

            data = Path(tmp) / "institutions"
            generate(data, count=args.institutions, seed=args.seed)
        count = sum(1 for p in data.iterdir() if p.is_dir())
        for jobs in args.jobs or [0]:
            work = Path(tmp) / f"j{jobs}"
            work.mkdir()
            results += run(data, jobs, work, not args.no_unchanged)
            shutil.rmtree(work, ignore_errors=True)
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / f"scale-build-n{count}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
