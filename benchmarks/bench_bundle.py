"""Time printable bundles: seconds per bundle (sample institutions, and N synthetic ones in parallel).

    python benchmarks/bench_bundle.py            # the sample institutions, one process
    python benchmarks/bench_bundle.py -n 100     # plus 100 synthetic institutions on all cores

Output goes to benchmarks/out/ (ignored by git). Not a test: nothing here asserts on time.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
OUT = Path(__file__).resolve().parent / "out" / "bundles"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=0, help="also render N synthetic institutions with `beian bundle`")
    parser.add_argument("-j", "--jobs", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("BEIAN_TODAY", "2026-11-23")

    started = time.perf_counter()
    import weasyprint  # noqa: F401

    from generator.bundle.fonts import fast_subsetting
    from generator.bundle.bundle_pdf import render_bundle
    print(f"imports {time.perf_counter() - started:.2f} s; libharfbuzz-subset: {'yes' if fast_subsetting() else 'NO (slow)'}; "
          f"{os.cpu_count()} cores")
    seconds = []
    for school in sorted((ROOT / "institutions").iterdir()):
        result = render_bundle(school, OUT)
        seconds.append(result["seconds"])
        print(f"{result['slug']:20s} {result['pages']:3d} pages {result['seconds']:6.2f} s "
              f"({result['seconds'] / result['pages']:.2f} s/page)")
    print(f"median {statistics.median(seconds):.2f} s per bundle (in-process, after the first)")

    if args.n:
        from synthetic import generate  # the check benchmark's generator of realistic filings

        folder = Path(__file__).resolve().parent / "out" / "synthetic-bundle"
        shutil.rmtree(folder, ignore_errors=True)  # a previous run's filings
        generate(folder, args.n, 4)
        cmd = [sys.executable, "-m", "generator", "bundle", str(folder), "--out", str(OUT / "synthetic")]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        t = time.perf_counter()
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - t
        print(f"{args.n} synthetic bundles: {elapsed:.1f} s total, {elapsed / args.n:.2f} s per bundle wall-clock")
    return 0


if __name__ == "__main__":
    sys.exit(main())
