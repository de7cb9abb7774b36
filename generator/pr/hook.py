"""pre-commit hook: `python -m generator.pr.hook FILE ...` checks what those files change.

pre-commit installs beian into its own environment, away from the repository being committed to, and runs the
hook from that repository's top folder: generator.paths finds it there (beian.yaml or institutions/), and the
rules, schemas and site the repository does not hold come from the package.

- A changed filing (a file under institutions/<slug>/) is checked; the commit fails when a filing,
  session or supervision record the commit touched is invalid or fails, as in CI.
- A change under rules/, schemas/ or generator/ is reported, not judged: the effect on every
  institution's score and conclusion (`beian diff HEAD`, the staged tree against the last commit).
  It fails the commit only when the comparison itself cannot run.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .changes import GLOBAL_PREFIXES  # reads nothing from generator.paths: the root is looked for in main() first


def _posix(name: str) -> str:
    return Path(name).as_posix()


def institution_dirs(files: list[str]) -> list[str]:
    """Institution folders with a changed file, in the order first named."""
    dirs: dict[str, None] = {}
    for name in files:
        parts = _posix(name).split("/")
        if len(parts) >= 3 and parts[0] == "institutions" and (Path(parts[0]) / parts[1]).is_dir():
            dirs[f"{parts[0]}/{parts[1]}"] = None
    return list(dirs)


def global_files(files: list[str]) -> list[str]:
    """Changed files that may move every institution's score."""
    return [_posix(name) for name in files if _posix(name).startswith(GLOBAL_PREFIXES)]


def _check(dirs: list[str], files: list[str]) -> int:
    from .. import formats
    from ..batch import check_records
    from ..cli import exit_code
    from .changes import answers_for

    records = check_records([Path(d) for d in dirs])
    formats.get("text")(records, sys.stdout)
    return exit_code(records, counts=answers_for(records, [_posix(f) for f in files]))


def _effect(changed: list[str]) -> int:
    """Print what the staged rule or code change does to every institution; 2 when that cannot be worked out."""
    from ..cli import EXIT_OK, EXIT_USAGE
    from ..paths import PROJECT_ROOT
    from .changes import GitError, git
    from .diff import diff, render_text

    print(f"beian：评分规则或程序有改动（{'、'.join(changed[:3])}{' 等' if len(changed) > 3 else ''}），"
          "以下是对各机构得分和结论的影响，供评审参考，不阻止提交。")
    try:
        git(PROJECT_ROOT, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        print("beian：仓库还没有提交，没有可比较的版本。")
        return EXIT_OK
    try:
        report = diff(PROJECT_ROOT, "HEAD")
    except GitError as exc:
        print(f"beian：无法与上一次提交比较：{exc}", file=sys.stderr)
        return EXIT_USAGE
    render_text(report, sys.stdout)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    files = sys.argv[1:] if argv is None else argv
    from ..roots import find_project_root

    if not os.environ.get("BEIAN_ROOT") and not find_project_root(Path.cwd()):
        from ..paths import no_project_message

        print(f"beian：{no_project_message()}", file=sys.stderr)
        return 2
    dirs, changed = institution_dirs(files), global_files(files)
    status = _check(dirs, files) if dirs else 0
    if changed:
        effect = _effect(changed)
        status = max(status, effect)
    return status


if __name__ == "__main__":
    sys.exit(main())
