"""pre-commit hook: `python -m generator.pr.hook FILE ...` checks the institutions those files belong to.

pre-commit installs beian into its own environment, away from the repository being committed to, and runs the
hook from that repository's top folder: generator.paths finds it there (beian.yaml or institutions/), and the
rules, schemas and site the repository does not hold come from the package. A change under rules/, schemas/ or
generator/ checks every institution.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

GLOBAL_PREFIXES = ("rules/", "schemas/", "generator/")


def institution_dirs(files: list[str]) -> list[str] | None:
    """Folders to check; None means all of them."""
    dirs: dict[str, None] = {}
    for name in files:
        parts = Path(name).as_posix().split("/")
        if Path(name).as_posix().startswith(GLOBAL_PREFIXES):
            return None
        if len(parts) >= 3 and parts[0] == "institutions" and (Path(parts[0]) / parts[1]).is_dir():
            dirs[f"{parts[0]}/{parts[1]}"] = None
    return list(dirs)


def main(argv: list[str] | None = None) -> int:
    files = sys.argv[1:] if argv is None else argv
    from ..roots import find_project_root

    if not os.environ.get("BEIAN_ROOT") and not find_project_root(Path.cwd()):
        from ..paths import no_project_message

        print(f"beian：{no_project_message()}", file=sys.stderr)
        return 2
    dirs = institution_dirs(files)
    if dirs == []:
        return 0
    from ..cli import main as beian

    return beian(["check", *(dirs or [])])


if __name__ == "__main__":
    sys.exit(main())
