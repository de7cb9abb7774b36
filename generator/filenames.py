"""The files of a filing folder: key → (file name, always required, Chinese description).

Only profile.yaml is needed whatever the filing is (it names the 备案类别); which other files a
category needs is data: the materials list of rules/filing-categories.yaml (generator/categories.py).
A module of its own so that the loader (filing.py) and the category data (categories.py) can both
name the files without importing each other.
"""
from __future__ import annotations

FILES: dict[str, tuple[str, bool, str]] = {
    "profile": ("profile.yaml", True, "机构基本信息、申请类别与备案状态"),
    "scope": ("scope.yaml", False, "认定范围：职业（工种）、等级、评价标准、题库与教材"),
    "scheme": ("scheme.yaml", False, "认定工作方案要点"),
    "policies": ("policies.yaml", False, "规章制度清单"),
    "personnel": ("personnel.yaml", False, "工作人员、专家、考评员、内部督导员"),
    "sites": ("sites.yaml", False, "场地、设施设备与安全"),
    "certificate": ("certificate.yaml", False, "证书样式与样本编号"),
    "reviews": ("reviews.yaml", False, "专家组评审意见（评审人填写）"),
}
