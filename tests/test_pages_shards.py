"""The Pages workflow in shards, run here step by step as GitHub would: the plan job's shard count, one cache per
shard filled by `beian build --shard K/N` on its own "runner", the caches merged as the assemble job downloads them,
and the assemble build finding every institution made; what is published leaves beian's own bookkeeping out."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, run_beian
from test_pr_workflows import load

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
PLAN = ROOT / "scripts" / "plan-shards"


def plan(folder: Path, **env: str) -> dict:
    result = subprocess.run(["bash", str(PLAN), str(folder)], capture_output=True, text=True, check=True,
                            env={"PATH": os.environ["PATH"], **env})
    return dict(line.split("=", 1) for line in result.stdout.splitlines())


def test_the_plan_gives_one_shard_per_thousand_institutions_at_most_twenty(tmp_path):
    register = tmp_path / "institutions"
    for name in ("a", "b", "c", "d", "e", ".hidden", "_template"):
        (register / name).mkdir(parents=True)
    (register / "README.md").write_text("not an institution", encoding="utf-8")
    assert plan(register) == {"total": "1", "shards": "[1]"}
    assert plan(register, SHARD_SIZE="2") == {"total": "3", "shards": "[1,2,3]"}  # 5 institutions, hidden and _ skipped
    assert plan(register, SHARD_SIZE="1", MAX_SHARDS="4")["total"] == "4"
    assert plan(tmp_path / "absent") == {"total": "1", "shards": "[1]"}
    assert json.loads(plan(register, SHARD_SIZE="2")["shards"]) == [1, 2, 3]  # fromJSON in the matrix reads it


def steps(job: dict) -> dict[str, dict]:
    return {step.get("name", step.get("uses", "")): step for step in job["steps"]}


def test_shards_hand_their_caches_to_the_assemble_job_through_one_folder():
    jobs = load(WORKFLOW)["jobs"]
    shard, build = jobs["shard"], jobs["build"]
    assert shard["needs"] == "plan" and set(build["needs"]) == {"plan", "shard"} and jobs["deploy"]["needs"] == "build"
    assert shard["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.shards) }}"
    assert shard["env"]["SHARD"] == "${{ matrix.shard }}/${{ needs.plan.outputs.total }}"
    runs = " ".join(s.get("run", "") for s in shard["steps"])
    assert 'beian build --shard "$SHARD"' in runs
    cache_folder = "${{ runner.temp }}/beian-cache"
    for job in (shard, build):
        assert 'BEIAN_CACHE_DIR=$RUNNER_TEMP/beian-cache' in " ".join(s.get("run", "") for s in job["steps"])
        # every job prints its QR codes to the same portal address, so the shards' PDFs are what the assemble job would make
        assert job["env"]["BEIAN_PORTAL_URL"] == "${{ needs.plan.outputs.portal }}"
    restored = [s for s in shard["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert len(restored) == 1 and restored[0]["with"]["path"] == cache_folder
    assert restored[0]["with"]["key"].startswith("beian-shard-${{ matrix.shard }}-of-${{ needs.plan.outputs.total }}-")
    uploads = [s for s in shard["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads[0]["with"]["path"] == cache_folder and uploads[0]["with"]["name"] == "beian-cache-shard-${{ matrix.shard }}"
    downloads = [s for s in build["steps"] if s.get("uses", "").startswith("actions/download-artifact@")]
    assert downloads[0]["with"] == {"pattern": "beian-cache-shard-*", "merge-multiple": True, "path": cache_folder}
    site = [s for s in build["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert site[0]["with"]["path"] == "${{ runner.temp }}/portal"
    assert 'beian build --out "$RUNNER_TEMP/portal"' in " ".join(s.get("run", "") for s in build["steps"])


def test_the_workflow_steps_run_here_build_the_portal_from_the_shards_caches(tmp_path):
    """Three shards, each on its own 'runner' (its own cache folder), then the assemble job with the caches merged
    the way download-artifact's merge-multiple does, then the publish step's own script."""
    jobs = load(WORKFLOW)["jobs"]
    total = 3
    said = []
    for k in range(1, total + 1):
        cache = tmp_path / f"runner-{k}" / "beian-cache"
        result = run_beian("build", "--shard", f"{k}/{total}", "--no-downloads", env={"BEIAN_CACHE_DIR": str(cache)})
        assert result.returncode == 0, result.stderr
        said.append(result.stdout)
        assert not (tmp_path / f"runner-{k}" / "portal").exists()
    made = sum(int(line.split("新生成 ")[1].split(" 个")[0]) for text in said for line in text.splitlines()
               if line.startswith("检查与页面数据"))
    samples = [p for p in (ROOT / "institutions").iterdir() if p.is_dir() and not p.name.startswith((".", "_"))]
    assert made == len(samples), said  # each institution made by exactly one shard

    runner = tmp_path / "assemble"
    merged = runner / "beian-cache"
    for k in range(1, total + 1):
        shutil.copytree(tmp_path / f"runner-{k}" / "beian-cache", merged, dirs_exist_ok=True)
    portal, docs = runner / "portal", runner / "docs"
    result = run_beian("build", "--no-downloads", "--out", str(portal), "--docs-dir", str(docs),
                       env={"BEIAN_CACHE_DIR": str(merged)})
    assert result.returncode == 0, result.stderr
    assert f"机构检查与页面数据取自缓存 {len(samples)} 个、新生成 0 个" in result.stdout
    assert (portal / "index.html").is_file() and (portal / ".beian-build.json").is_file()

    publish = steps(jobs["build"])["准备发布的文件"]["run"]
    subprocess.run(["bash", "-euo", "pipefail", "-c", publish], check=True,
                   env={"PATH": os.environ["PATH"], "RUNNER_TEMP": str(runner)})
    published = runner / "publish"
    assert (published / "index.html").read_bytes() == (portal / "index.html").read_bytes()
    assert not list(published.glob(".beian-*")), "the build manifest and marker are not published"
    assert (portal / ".beian-build.json").is_file(), "but stay in the cached site for the next incremental build"
