"""beian.yaml says which jurisdiction a registry serves: a broken one is a Chinese message with its line, never a
traceback; without it the project's fallback (Henan) applies."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, run_beian
from generator.registry import FALLBACK, RegistryError, home_jurisdiction, registry_settings, settings_problems


def project_with(tmp_path: Path, text: str | None) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(ROOT / "rules", root / "rules")
    if text is not None:
        (root / "beian.yaml").write_text(text, encoding="utf-8")
    return root


def test_the_sample_registry_serves_henan():
    assert home_jurisdiction() == "henan"
    result = run_beian("rules", "--validate")
    assert result.returncode == 0 and "本登记册服务的辖区 henan（beian.yaml）" in result.stdout


def test_without_settings_the_fallback_applies(tmp_path):
    assert registry_settings.__wrapped__(project_with(tmp_path, None)).jurisdiction == FALLBACK


def test_another_jurisdiction_is_taken(tmp_path):
    assert registry_settings.__wrapped__(project_with(tmp_path, "jurisdiction: beijing\n")).jurisdiction == "beijing"


def test_unknown_jurisdiction_and_unknown_setting_are_named_with_their_line(tmp_path):
    root = project_with(tmp_path, "# 设置\njurisdiction: shanghai\n")
    assert settings_problems(root) == ["beian.yaml 第 2 行：辖区“shanghai”不存在；rules/jurisdictions/ 中有：beijing、guangdong、henan、jiangxi"]
    root = project_with(tmp_path / "b", "jurisdiction: henan\nprovince: 41\n")
    problems = settings_problems(root)
    assert len(problems) == 1 and "第 2 行：不认识的设置 province" in problems[0]


def test_broken_yaml_is_a_message(tmp_path):
    root = project_with(tmp_path, "jurisdiction: [henan\n")
    try:
        registry_settings.__wrapped__(root)
    except RegistryError as error:
        assert str(error).startswith("beian.yaml：")
    else:
        raise AssertionError("a broken beian.yaml was accepted")
