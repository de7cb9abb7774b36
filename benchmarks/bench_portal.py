"""Portal build time and search-index size for N synthetic institutions.

    python benchmarks/bench_portal.py -n 100 -n 1000        # default: 100 and 1000
    python benchmarks/bench_portal.py -n 5000 --profile     # also where mkdocs spends its time

Generates the institutions with synthetic.generate (schema-valid, realistic size), then runs the
same code as `beian build` (strict) in this process and prints: check + load, page generation,
mkdocs (Markdown, theme, search entries), page count, search index and HTML size. If Debian's
chromium is installed, it then serves the site on 127.0.0.1 and asks a few searches through the
home page's search box, reporting the milliseconds from navigation start to the first result
(tests/browser.py). Results go to benchmarks/out/portal-n<N>.json. A measurement, not a test: the
exit code is 0 unless the build fails.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
os.environ.setdefault("BEIAN_TODAY", "2026-11-23")

import browser  # noqa: E402
from synthetic import generate  # noqa: E402

from generator.portal import build as portal  # noqa: E402


def _profile_summary(profile: cProfile.Profile) -> dict:
    stats = pstats.Stats(profile)
    wanted = {"on_page_context": "search plugin (search entries)", "convert": "Markdown → HTML",
              "render": "Jinja templates", "_build_page": "per page total", "on_post_build": "search index write"}
    found = {}
    for (file, _, name), (_, _, _, cumulative, _) in stats.stats.items():
        for key, label in wanted.items():
            if name == key and ("search" in file or key not in ("on_page_context", "on_post_build")):
                found[label] = max(found.get(label, 0.0), round(cumulative, 2))
    return found


def run(count: int, seed: int, profile: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-portal-{count}-") as tmp:
        tmp_path = Path(tmp)
        start = time.perf_counter()
        generate(tmp_path / "institutions", count, seed)
        generated = time.perf_counter() - start
        directories = sorted(p for p in (tmp_path / "institutions").iterdir() if p.is_dir())
        profiler = cProfile.Profile() if profile else None
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        stats = portal.build_portal(directories, docs=tmp_path / "docs", out=tmp_path / "out", strict=True)
        if profiler:
            profiler.disable()
        total = time.perf_counter() - start
        out = tmp_path / "out"
        result = {
            "institutions": count, "generate_synthetic_s": round(generated, 1), "build_total_s": round(total, 1),
            **{f"{k}_s": round(v, 1) for k, v in stats["timings"].items()},
            "occupation_pages": stats["occupations"], "html_pages": sum(1 for _ in out.rglob("*.html")),
            "search_index_mb": round(stats["search_index_bytes"] / 1e6, 2),
            "search_index_kb_per_institution": round(stats["search_index_bytes"] / 1e3 / count, 1),
            "html_mb": round(stats["html_bytes"] / 1e6, 1),
        }
        if profiler:
            result["profile_cumulative_s"] = _profile_summary(profiler)
        if browser.CHROMIUM:
            result["search_first_answer_ms"] = search_times(out, tmp_path / "chromium")
        return result


SEARCHES = ("车工", "保育师", "技师学院", "生成式人工智能系统应用员")


def search_times(out: Path, profile: Path) -> dict:
    """Each query asked twice (a fresh Chromium each time); the slower of the two is reported."""
    site = browser.Site(out)
    try:
        times = {}
        for query in SEARCHES:
            runs = [browser.search(site, query, profile) for _ in range(2)]
            times[query] = max(run["ms"] or 0 for run in runs) if all(run["items"] for run in runs) else None
        return times
    finally:
        site.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--institutions", type=int, action="append", help="number of institutions (repeatable)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--profile", action="store_true", help="profile the build (slower) and show where time goes")
    args = parser.parse_args()
    (HERE / "out").mkdir(exist_ok=True)
    for count in args.institutions or [100, 1000]:
        result = run(count, args.seed, args.profile)
        print(json.dumps(result, ensure_ascii=False))
        (HERE / "out" / f"portal-n{count}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
