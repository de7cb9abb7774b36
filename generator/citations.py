"""Source documents by title: rule data cites "seed 004 第五部分 …"; a public page says which document that is.

The rules cite the transcriptions in the project's source library by file name ("seed 004_997fbc880f0539da.txt",
"seed 003、004", "seed 000–003"), which means nothing to a reader of the portal. cited() rewrites every such
reference to the document's title from rules/reference/documents.yaml, keeping the article that follows.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .paths import rules_file

DOCUMENTS_FILE = rules_file("reference", "documents.yaml")  # the repository's own, else the packaged one

_NUMBER = r"(\d{3})(?:_[0-9a-f]+\.txt)?"
_SEPARATOR = r"\s*(?:[、,，/和与]|–|—|-)\s*"
# "seed 004", "seeds 000/002", "seed 000_c18b….txt, 001_8c28….txt", "seed 000–003"; the space after a reference
# is taken with it when Chinese follows ("seed 004 第五部分" → "…手册》第五部分").
_REFERENCE = re.compile(rf"\b[Ss]eeds?\s+{_NUMBER}(?:{_SEPARATOR}{_NUMBER})*( (?=[\u4e00-\u9fff]))?")
_FILE = re.compile(r"\b(\d{3})_[0-9a-f]{16}\.txt")
# The program's own files are for maintainers: a reference to one is dropped, with the brackets or “见” around it.
_CODE = re.compile(r"[（(]\s*(?:见\s*)?`?generator/[\w/]+\.py`?\s*[）)]|[，,；]?\s*见\s*`?generator/[\w/]+\.py`?|`?generator/[\w/]+\.py`?")
# The project's data files, by what they hold.
_DATA = [(re.compile(r"`?rules/jurisdictions/[\w-]+\.ya?ml`?"), "辖区事实"),
         (re.compile(r"`?rules/sheets/[\w-]+\.ya?ml`?"), "评分表"),
         (re.compile(r"`?rules/forms/[\w-]+\.ya?ml`?"), "督导记录表"),
         (re.compile(r"`?rules/reference/[\w.-]+`?"), "参考数据表")]


@lru_cache(maxsize=1)
def documents() -> dict[str, dict]:
    from .textfile import read_text
    from .yamlload import load_yaml

    if not DOCUMENTS_FILE.is_file():
        return {}  # a reference is then cited as “来源文件”, never by the library's file name
    document, _ = load_yaml(read_text(DOCUMENTS_FILE), DOCUMENTS_FILE.name)
    return {str(number): entry for number, entry in (document.data or {}).items()}


def document_title(number: str) -> str:
    """The full title of source document NUMBER ("004"), or a neutral phrase for one the table lacks."""
    entry = documents().get(number)
    return entry["title"] if entry else "来源文件"


def _short(number: str) -> str:
    entry = documents().get(number)
    return entry["short"] if entry else "来源文件"


def _numbers(reference: str) -> list[str]:
    """The document numbers a reference names, a range ("000–003") spelled out."""
    numbers: list[str] = []
    in_range = False
    for found in re.finditer(rf"{_NUMBER}|[–—-]", reference.split(None, 1)[1]):
        if not found.group(1):
            in_range = True
        elif in_range and numbers:
            numbers += [f"{n:03d}" for n in range(int(numbers[-1]) + 1, int(found.group(1)) + 1)]
            in_range = False
        else:
            numbers.append(found.group(1))
    return numbers


def cited(text: str) -> str:
    """TEXT with every source-library reference replaced by the documents' titles, and the project's file paths
    by what the files hold (a path to the program itself is dropped)."""
    text = _REFERENCE.sub(lambda m: "、".join(dict.fromkeys(_short(n) for n in _numbers(m.group(0).rstrip()))), text)
    text = _FILE.sub(lambda m: _short(m.group(1)), text)
    text = _CODE.sub("", text)
    for pattern, words in _DATA:
        text = pattern.sub(words, text)
    return text
