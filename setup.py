"""Build step: the wheel carries rules/, schemas/, site/ and the rule test cases as generator/_defaults/ (generator/paths.py).

The repository keeps them as top-level folders, where people edit and review them; setuptools has no
declarative way to put a folder outside the package tree into it while the packages themselves are found
automatically, so build_py copies them into the build after the packages. Everything else is in pyproject.toml.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# tests/fixtures: the rule test cases the rule pages show as worked examples (generator/rule_examples.py)
DEFAULTS = ("rules", "schemas", "site/mkdocs.yml", "site/overrides", "site/pages", "tests/fixtures")
# reviewers.yaml names the sample registry's (fictional) reviewers: each repository keeps its own (paths.own_rules_file)
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "generated", "out", "reviewers.yaml")


class build_py_with_defaults(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "generator" / "_defaults"
        for name in DEFAULTS:
            source, destination = HERE / name, target / name
            if source.is_dir():
                shutil.copytree(source, destination, ignore=SKIP, dirs_exist_ok=True)
            elif source.is_file():
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, destination)


setup(cmdclass={"build_py": build_py_with_defaults})
