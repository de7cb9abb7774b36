"""Full and incremental `beian build` of a large synthetic register (issue 15): what one changed filing costs.

    python benchmarks/bench_scale_build.py --data /work/bench/n1000 -j 1 -j 2
    python benchmarks/bench_scale_build.py -n 1000            # generates the institutions first

For each -j: a full build into a fresh site folder (no manifest), the same build again with nothing changed, then
one institution's profile.yaml edited (its name) and built again. Each build runs in a process of its own, as
`beian build` does (imports included in its time). Each phase prints beian's own time (check and load, page
generation, privacy scan) beside mkdocs' time, and how many pages mkdocs rendered and reused. The data folder is
only read: the institution to change is copied beside the site and given on the command line in place of the
original. --sessions: every institution gets the sample institution's assessment sessions (songyue-jishi: 5
plans with supervision records, linked, not copied), so that the session pages, feeds and the calendar are built at
scale too. No downloads (PDFs and workbooks are the download cache's business). BEIAN_CACHE_DIR is set to a
private folder per -j so runs do not share caches; BEIAN_TODAY defaults to 2026-11-23. Results also go to
benchmarks/out/scale-build-n<N>.json. A measurement, not a test.

    python benchmarks/bench_scale_build.py --data /work/bench/n5000 --sessions
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
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


SESSIONS_SOURCE = HERE.parent / "institutions" / "songyue-jishi" / "sessions"


def with_sessions(data: Path, into: Path) -> Path:
    """A copy of DATA (hard links: nothing is written into the original files) where every institution has the sample
    institution's sessions folder, linked file by file."""
    folders = sorted(p for p in data.iterdir() if p.is_dir())
    for folder in folders:
        shutil.copytree(folder, into / folder.name, copy_function=os.link)
        shutil.copytree(SESSIONS_SOURCE, into / folder.name / "sessions", copy_function=os.link)
    return into


def one_build(spec_file: str) -> None:
    """The child process of a build: build_portal as `beian build` calls it, then its phases as JSON on stdout."""
    started = time.perf_counter()
    from generator.portal import build as portal

    spec = json.loads(Path(spec_file).read_text(encoding="utf-8"))
    stats = portal.build_portal([Path(f) for f in spec["folders"]], docs=Path(spec["docs"]), out=Path(spec["out"]),
                                strict=True, jobs=spec["jobs"], downloads=False, site_url="https://beian.example.cn/")
    print(json.dumps(_phase(spec["name"], stats, time.perf_counter() - started), ensure_ascii=False))


def run(data: Path, jobs: int, work: Path, unchanged: bool = True) -> list[dict]:
    env = dict(os.environ, BEIAN_CACHE_DIR=str(work / "cache"))
    folders = sorted(p for p in data.iterdir() if p.is_dir())
    changed = work / "changed" / folders[len(folders) // 2].name
    shutil.copytree(folders[len(folders) // 2], changed)
    folders[len(folders) // 2] = changed
    spec = work / "spec.json"
    results = []

    def build(name: str) -> None:
        spec.write_text(json.dumps({"name": name, "folders": [str(f) for f in folders], "docs": str(work / "docs"),
                                    "out": str(work / "out"), "jobs": jobs}), encoding="utf-8")
        done = subprocess.run([sys.executable, __file__, "--one-build", str(spec)], env=env, check=True,
                              stdout=subprocess.PIPE, text=True)
        result = {"jobs": jobs, **json.loads(done.stdout.strip().splitlines()[-1])}
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
    parser.add_argument("--sessions", action="store_true", help="give every institution the sample's 5 sessions")
    parser.add_argument("--one-build", help=argparse.SUPPRESS)  # the child process of one build (a spec file)
    args = parser.parse_args()
    if args.one_build:
        one_build(args.one_build)
        return 0
    if not args.data and not args.institutions:
        parser.error("--data DIR or -n N")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-build-") as tmp:
        data = args.data
        if data is None:
            from synthetic import generate

            data = Path(tmp) / "institutions"
            generate(data, count=args.institutions, seed=args.seed)
        if args.sessions:
            data = with_sessions(data, Path(tmp) / "with-sessions")
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
