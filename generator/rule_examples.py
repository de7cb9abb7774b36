"""A rule's worked examples for its public page: the YAML a filing's staff would write, and what the check says.

Each rule has test cases (tests/fixtures/rules/<rule>.yaml) that edit a complete sample filing and state the
outcome; the test suite runs every one, so an example shown here is what the program does. This module turns
a case into what a reader needs: the part of the file the case is about, as it reads after the edit, and the
outcome in words. The cases' names and the fixture folders stay out of it (they are for maintainers:
`beian explain --developer`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .edit_places import NAME_KEYS, Positions, item_name, item_noun, joined, one_more, place_words, schema_for
from .paths import DEFAULTS_ROOT

FIXTURES = DEFAULTS_ROOT / "tests" / "fixtures"   # beian's own test cases, not the registry's
RULE_CASES = FIXTURES / "rules"
# The sample filing a case edits, by what the rule judges (the test suite sets the same up, tests/test_rule_fixtures.py).
BASE_FOLDERS = {"institution": "base", "session": "base-session", "register": "base-register", "record": "base-record"}
SUBJECT_WORDS = {"institution": "机构文件夹", "session": "认定计划文件夹", "register": "督导员名册文件夹",
                 "record": "督导记录文件夹"}
VARIANT_WORDS = {"incremental": "按增量备案填写（已有备案号，申请增加职业）", "filed": "机构已备案"}
FAILING_STATUSES = {"unmet", "partial", "vetoed"}
STATUS_WORDS = {"met": "符合", "partial": "部分符合", "unmet": "不符合", "pending": "待专家判定",
                "vetoed": "否决", "reviewed": "专家已评"}
DECISION_WORDS = {"eligible": "具备条件", "ineligible": "不具备条件", "pending_review": "待专家判定"}
# The day the test suite judges the cases on (tests/test_rule_fixtures.py): examples about dates need it said.
JUDGED_ON = {"record": "2026-12-20"}
DEFAULT_JUDGED_ON = "2026-11-23"
SHOWN_FAILING = 4          # failing cases shown as YAML; the rest are listed in words
LONG_TEXT = 60             # characters of a long text shown before "……"
LIST_ITEMS = 3             # items of a long list shown
BIG_ITEM = 12              # a list item with more keys shows only its name and the keys a case is about
SMALL_MAPPING = 6          # a mapping with this many keys or fewer is shown whole around the edited one


@dataclass(frozen=True)
class Snippet:
    title: str             # "scheme.yaml", or what the case did to the file in words
    yaml: str = ""         # the file's relevant part after the edit ("" when words say it all)


@dataclass(frozen=True)
class WorkedExample:
    label: str                       # 通过, 不通过 or 待专家判定 (outcome_label)
    steps: tuple[str, ...]           # what was written or changed, in words
    snippets: tuple[Snippet, ...]
    outcome: str                     # what the check says, in words
    edits: tuple[str, ...] = ()      # the edits in words, above the example's YAML
    edits_inline: tuple[str, ...] = ()  # the edits in words with their values, for the compact list
    name: str = field(default="", compare=False)   # the test case's name: for maintainers only


def is_failing(expect: dict) -> bool:
    """A case that shows the rule failing: not met, vetoed, an invalid file or a finding that is not a mere notice."""
    return (expect.get("status") in FAILING_STATUSES or expect.get("valid") is False
            or bool(expect.get("finding")) and expect["finding"].get("severity", "warning") != "notice")


def outcome_words(expect: dict) -> str:
    parts = []
    if "valid" in expect:
        parts.append("文件有效" if expect["valid"] else "文件无效，须先改正")
    if "status" in expect:
        parts.append(STATUS_WORDS.get(expect["status"], "结果见提示"))
    if "awarded" in expect and not (expect.get("status") == "met" and expect["awarded"] == 0):
        parts.append(f"得 {expect['awarded']} 分")
    if "potential" in expect and expect.get("status") == "pending":
        parts.append(f"专家判定后最多可得 {expect['potential']} 分")
    if "decision" in expect:
        parts.append(DECISION_WORDS.get(expect["decision"], "结果见提示"))
    message = (expect.get("finding") or {}).get("message")
    if message:
        kind = "提示" if (expect["finding"].get("severity") == "notice") else "检查指出"
        from .personal import redact

        parts.append(f"{kind}“{redact(message)}”")
    if expect.get("no_finding"):
        parts.append("没有问题提示")
    parts = list(dict.fromkeys(parts))
    return "，".join(parts) + "。" if parts else "通过。"


def outcome_label(expect: dict) -> str:
    """通过, 不通过 or 待专家判定: which heading an example goes under."""
    if is_failing(expect):
        return "不通过"
    if expect.get("status") == "pending" or expect.get("decision") == "pending_review":
        return "待专家判定"
    return "通过"


# --- reading a case against the sample filing -------------------------------------------------------------------

def _step(key: str):
    return int(key) if key.lstrip("-").isdigit() else key


def _steps(dotted: str) -> tuple:
    return tuple(_step(part) for part in str(dotted).split("."))


@lru_cache(maxsize=64)
def _base_text(subject: str, name: str) -> str | None:
    path = FIXTURES / BASE_FOLDERS[subject] / name
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _base_data(subject: str, name: str):
    """A fresh copy of the sample's file NAME (parsed once: the cases of every rule start from the same files)."""
    import copy

    return copy.deepcopy(_parsed_base(subject, name))


@lru_cache(maxsize=64)
def _parsed_base(subject: str, name: str):
    text = _base_text(subject, name)
    return (_load(text) if text else None) or {}


def _load(text: str):
    """Trusted fixture YAML, with libyaml when it is there (a docs build reads every case of every rule)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _parent(data, steps: tuple):
    node = data
    for part in steps[:-1]:
        if isinstance(node, dict) and part not in node:
            node[part] = {}
        node = node[part]
    return node, steps[-1]


def edit_document(data, edits: dict, name: str):
    """DATA (file NAME, parsed) after a case's edits to it: `set` dotted path → value, `remove` dotted paths,
    `append` dotted path → item. The test suite applies cases with the same function (tests/filing_patch.py)."""
    for dotted, value in ((edits.get("set") or {}).get(name) or {}).items():
        parent, last = _parent(data, _steps(dotted))
        parent[last] = value
    for dotted in (edits.get("remove") or {}).get(name) or []:
        parent, last = _parent(data, _steps(dotted))
        del parent[last]
    for dotted, value in ((edits.get("append") or {}).get(name) or {}).items():
        parent, last = _parent(data, _steps(dotted))
        parent.setdefault(last, []).append(value)
    return data


def _edited(subject: str, edits: dict, name: str):
    """File NAME of the sample SUBJECT after the case's edits (its variant's first)."""
    data = _base_data(subject, name)
    for layer in ([_variant(edits["variant"])] if edits.get("variant") else []) + [edits]:
        data = edit_document(data, layer, name)
    return data


@lru_cache(maxsize=8)
def _variant_text(name: str) -> str:
    return (FIXTURES / "variants" / f"{name}.yaml").read_text(encoding="utf-8")


def _variant(name: str) -> dict:
    return _load(_variant_text(name)) or {}


# --- YAML as the staff write it -----------------------------------------------------------------------------------

APPENDED = "+"   # a focus step: the item a case appended (the list's last)
KEPT = "…"       # a focus step: the items a list keeps after a case removed some
KEPT_SHOWN = 6   # items a list keeps shown in brief; more are counted in a comment


def _scalar(value) -> str:
    import yaml

    from .escaping import visible_text
    from .personal import redact

    if value is None:
        return ""
    if isinstance(value, str):
        value = visible_text(redact(value))
        if len(value) > LONG_TEXT:
            value = value[:LONG_TEXT] + "……"
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    return text[:-4].strip() if text.endswith("\n...") or text.endswith(" ...") else text.removesuffix("...").strip()


def _emit(value, indent: str) -> list[str]:
    """VALUE as block YAML lines under INDENT (a key's value starts on the next line when it is a mapping/list)."""
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines += [f"{indent}{key}:"] + _emit(item, indent + "  ")
            else:
                lines.append(f"{indent}{key}: {_scalar(item)}".rstrip())
        return lines
    if isinstance(value, list):
        lines = []
        for item in value[:LIST_ITEMS]:
            inner = _emit(item, indent + "  ") if isinstance(item, (dict, list)) and item else [f"{indent}  {_scalar(item)}"]
            lines += [f"{indent}- {inner[0].lstrip()}"] + inner[1:]
        if len(value) > LIST_ITEMS:
            lines.append(f"{indent}# ……另有 {len(value) - LIST_ITEMS} 项，略")
        return lines
    return [f"{indent}{_scalar(value)}"]


def _compact_item(item, indent: str) -> list[str]:
    """A list item the case leaves as it was, in brief: its name (or its first field) and how much is left out."""
    if not isinstance(item, dict) or not item:
        return _emit([item], indent)
    named = [k for k in item if k in NAME_KEYS and not isinstance(item[k], (dict, list))]
    keys = named[:2] or [next(iter(item))]   # in the file's order: code before name as the staff wrote them
    inner = _emit({k: item[k] for k in keys}, indent + "  ")
    if len(item) > len(keys):
        inner.append(f"{indent}  # ……其余 {len(item) - len(keys)} 个字段略")
    return [f"{indent}- {inner[0].lstrip()}"] + inner[1:]


def _view_list(data: list, heads: dict, indent: str) -> list[str]:
    """The items of DATA the focus leads to; with KEPT (the case removed items) every item left, the others in brief."""
    lines: list[str] = []
    at = {(len(data) - 1 if h == APPENDED else h): rests for h, rests in heads.items() if isinstance(h, int) or h == APPENDED}
    at = {index: rests for index, rests in at.items() if 0 <= index < len(data)}
    kept = KEPT in heads
    shown = briefly = 0
    for index in range(len(data)) if kept else sorted(at):
        item = data[index]
        if index not in at:
            briefly += 1
            if briefly > KEPT_SHOWN:
                continue
            lines += _compact_item(item, indent)
            continue
        if index > shown and not kept:
            lines.append(f"{indent}# ……前 {index - shown} 项略" if shown == 0 else f"{indent}# ……略去 {index - shown} 项")
        rests = at[index]
        inner = _emit(item, indent + "  ") if isinstance(item, (dict, list)) and item else [f"{indent}  {_scalar(item)}"]
        if any(rests) and isinstance(item, dict) and len(item) > BIG_ITEM:
            named = [(k,) for k in NAME_KEYS if k in item]
            inner = _view(item, named + [r for r in rests if r and (r[0],) not in named], indent + "  ") or inner
        lines += [f"{indent}- {inner[0].lstrip()}"] + inner[1:]
        shown = index + 1
    if briefly > KEPT_SHOWN:
        lines.append(f"{indent}# ……其余 {briefly - KEPT_SHOWN} 项略")
    return lines


def _view(data, focus: list[tuple], indent: str = "") -> list[str]:
    """The parts of DATA the FOCUS paths lead to, with the keys on the way; a path the data lacks is said in a comment."""
    lines: list[str] = []
    heads: dict = {}
    for steps in focus:
        heads.setdefault(steps[0], []).append(steps[1:])
    if isinstance(data, list):
        # a list the focus finds nothing in (its items moved) still shows what it holds: never “（空）” over items
        return _view_list(data, heads, indent) or _view_list(data, {KEPT: [()]}, indent)
    if not isinstance(data, dict):
        return [f"{indent}{_scalar(data)}"]
    order = [k for k in data if k in heads] + [k for k in heads if k not in data]
    if indent and len(data) <= SMALL_MAPPING and all(not any(rests) for rests in heads.values()):
        # a small mapping the case edits one field of is shown whole: the field in its place among its neighbours
        order = list(data) + [k for k in heads if k not in data]
        heads = {**{k: [()] for k in data}, **heads}
    for key in order:
        rests = [r for r in heads[key] if r]
        if key not in data:
            lines.append(f"{indent}# （没有写 {key}）")
        elif not rests or not isinstance(data[key], (dict, list)):
            value = data[key]
            if isinstance(value, (dict, list)) and value:
                lines += [f"{indent}{key}:"] + _emit(value, indent + "  ")
            else:
                lines.append(f"{indent}{key}: {_scalar(value)}".rstrip())
        else:
            lines += [f"{indent}{key}:"] + (_view(data[key], rests, indent + "  ") or [f"{indent}  # （空）"])
    return lines


# --- one case -----------------------------------------------------------------------------------------------------

def _focus(cases: list[dict], subject: str, part: str | None, after_edits: bool = True) -> dict[str, list[tuple]]:
    """Per file, the paths any case of the rule edits: every example shows the same part of the file.
    AFTER_EDITS: the paths as they lead in the edited file (a removed list item leaves the list's KEPT items, and
    moves the items after it up); otherwise as they lead in the sample, to show it as it is."""
    focus: dict[str, list[tuple]] = {}
    for case in cases:
        edits = case.get(part) or {} if part else case
        for operation in ("set", "remove", "append"):   # the order edit_document applies them in
            for name, paths in (edits.get(operation) or {}).items():
                shown = focus.setdefault(name, [])
                for dotted in paths:
                    steps = _steps(dotted) + ((APPENDED,) if operation == "append" else ())
                    if operation == "remove" and after_edits and isinstance(steps[-1], int) and steps[-1] >= 0:
                        shown[:] = _after_removal(shown, steps)
                        steps = steps[:-1] + (KEPT,)
                    if steps not in shown:
                        shown.append(steps)
    return focus


def _after_removal(paths: list[tuple], removed: tuple) -> list[tuple]:
    """PATHS once the list item REMOVED is gone: paths into it go, paths into later items move up one."""
    where, gone = removed[:-1], removed[-1]
    moved = []
    for steps in paths:
        index = steps[len(where)] if len(steps) > len(where) and steps[:len(where)] == where else None
        if isinstance(index, int) and index == gone:
            continue
        if isinstance(index, int) and index > gone:
            steps = where + (index - 1,) + steps[len(where) + 1:]
        moved.append(steps)
    return moved


def _raw_text(content) -> str:
    if isinstance(content, dict) and "bytes_hex" in content:
        return ""
    if isinstance(content, dict) and "repeat" in content:
        return ""
    return str(content)


def _shown_name(name: str) -> str:
    """A file a case writes, as the reader knows it: beian.yaml, not ../../../../../beian.yaml."""
    return "/".join(part for part in name.split("/") if part not in ("..", "."))


def _part_words(subject: str, edits: dict, focus: dict[str, list[tuple]], where: str) -> tuple[list[str], list[Snippet]]:
    from .escaping import visible_text
    from .personal import redact

    steps: list[str] = []
    snippets: list[Snippet] = []
    if edits.get("variant"):
        steps.append(VARIANT_WORDS.get(edits["variant"], "按另一种备案类别填写"))
    if edits.get("relocate"):
        steps.append(f"{where}是一个指向别处的链接（快捷方式），而不是真正的文件夹")
    for name in edits.get("delete") or []:
        steps.append(f"{where}中没有 {redact(name)}")
    for name, content in (edits.get("write") or {}).items():
        text = _raw_text(content)
        if isinstance(content, dict) and "bytes_hex" in content:
            steps.append(f"{redact(name)} 的内容不是 UTF-8 编码的文字（例如用 GBK 保存，或是二进制文件）")
        elif isinstance(content, dict) and "repeat" in content:
            size = len(str(content.get("text", ""))) * int(content.get("repeat", 1))
            steps.append(f"{name} 写得极长（约 {max(1, size // 1024)} KB）")
        else:
            shown = text.splitlines()
            cut = shown[:16] + (["# ……（以下略）"] if len(shown) > 16 else [])
            snippets.append(Snippet(redact(f"{_shown_name(name)}（整个文件）"), "\n".join(visible_text(redact(line)) for line in cut)))
    for name, paths in focus.items():
        touched = any(name in (edits.get(op) or {}) for op in ("set", "remove", "append"))
        if name in (edits.get("write") or {}) or name in (edits.get("delete") or []):
            continue
        if not touched and _base_text(subject, name) is None:
            continue
        lines = _view(_edited(subject, edits, name), paths)
        if lines:
            snippets.append(Snippet(name, redact("\n".join(lines))))
    return steps, snippets


def worked_example(case: dict, subject: str, focus: dict, other_focus: dict[str, dict]) -> WorkedExample:
    steps, snippets = _part_words(subject, case, focus, SUBJECT_WORDS[subject])
    for part, part_focus in other_focus.items():
        more_steps, more = _part_words(part, case.get(part) or {}, part_focus, SUBJECT_WORDS[part])
        steps += more_steps
        snippets += [Snippet(f"{SUBJECT_WORDS[part]}中的 {s.title}", s.yaml) for s in more]
    if case.get("jurisdiction"):
        from .jurisdiction import JurisdictionError, load_jurisdiction

        try:
            steps.append(f"名册属于{load_jurisdiction(case['jurisdiction']).name}")
        except (JurisdictionError, OSError):
            steps.append(f"名册放在 department/{case['jurisdiction']}/ 文件夹中")
    if case.get("today"):
        steps.append(f"在 {case['today']} 检查")
    def words(shown_below: bool) -> tuple[str, ...]:
        return tuple(edit_words(case, "", shown_below, subject) + [
            w for part in other_focus for w in edit_words(case.get(part) or {}, SUBJECT_WORDS[part] + "中的 ", shown_below, part)])

    return WorkedExample(outcome_label(case.get("expect") or {}), tuple(steps), tuple(snippets),
                         outcome_words(case.get("expect") or {}), words(True), words(False), case.get("name", ""))


def rule_subject(rule_id: str) -> str:
    """What a rule judges: the kind (rules/kinds.yaml) whose rule set holds it; validity rules judge institutions."""
    from .kinds import kind
    from .sheet import get_sheet

    for subject, kind_id in (("session", "session"), ("register", "register"), ("record", "supervision")):
        try:
            if any(c.id == rule_id for c in get_sheet(kind(kind_id).rule_set).criteria):
                return subject
        except (KeyError, OSError, ValueError):
            continue
    return "institution"


def rule_cases(rule_id: str) -> list[dict]:
    path = RULE_CASES / f"{rule_id}.yaml"
    if not path.is_file():
        return []
    return (_load(path.read_text(encoding="utf-8")) or {}).get("cases") or []


def worked_examples(rule_id: str) -> list[WorkedExample]:
    """Each case of the rule as a worked example. A case shows the part of each file it edits; a case that edits
    nothing (the sample as it is) shows the part the first edited case is about, written correctly."""
    cases = rule_cases(rule_id)
    default = rule_subject(rule_id)
    examples = []
    for case in cases:
        subject = case.get("subject") or default
        focus = _focus([case], subject, None)
        others = {part: _focus([case], part, part) for part in ("institution", "session", "register")
                  if part != subject and case.get(part)}
        example = worked_example(case, subject, focus, others)
        if not focus and not others and not any(case.get(k) for k in ("write", "delete", "variant", "relocate")):
            example = _as_model(example, cases, subject)
        examples.append(example)
    return examples


def _as_model(example: WorkedExample, cases: list[dict], subject: str) -> WorkedExample:
    """The sample as it is, shown where the rule's other cases edit it: the part of the file the first edited case
    is about, or the whole file the first rewriting case replaces."""
    from dataclasses import replace

    from .personal import redact

    model = next((c for c in cases if _focus([c], subject, None)), None)
    if model:
        _, snippets = _part_words(subject, {}, _focus([model], subject, None, after_edits=False), SUBJECT_WORDS[subject])
        return replace(example, snippets=tuple(snippets))
    written = next((name for c in cases for name, content in (c.get("write") or {}).items()
                    if isinstance(content, str) and _base_text(subject, name)), None)
    if written:
        lines = _base_text(subject, written).splitlines()
        while lines and (lines[0].startswith("#") or not lines[0].strip()):
            lines.pop(0)  # the sample's own header comments are about the test sample, not the file's content
        text = "\n".join(redact(line) for line in lines[:16] + (["# ……（以下略）"] if len(lines) > 16 else []))
        return replace(example, snippets=(Snippet(f"{written}（整个文件）", text),))
    return example


def _example_lines(example: WorkedExample, number: int) -> list[str]:
    from .escaping import markdown_text

    label = example.label
    what = "；".join(markdown_text(s) for s in example.steps + example.edits) or ("按要求填写" if label == "通过" else "")
    lines = [f"**例 {number}（{label}）**" + (f"：{what}" if what else ""), ""]
    for snippet in example.snippets:
        lines += [f"{markdown_text(snippet.title)}：", ""]
        lines += _fenced(snippet.yaml, snippet.title) + [""]
    lines += [f"结果：{markdown_text(example.outcome)}", ""]
    return lines


def _fenced(text: str, title: str) -> list[str]:
    """A code block (YAML for a .yaml file, plain text otherwise); its content is shown as written, behind a fence
    longer than any backtick run inside it."""
    import re

    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    language = "yaml" if re.search(r"\.ya?ml\b", title) else "text"
    return [f"{fence}{language}", text, fence]


def examples_markdown(rule_id: str) -> list[str]:
    """The rule page's “示例” section: passing examples, then failing ones as YAML, the rest in words."""
    examples = worked_examples(rule_id)
    if not examples:
        return []
    passing = [e for e in examples if e.label == "通过"]
    failing = [e for e in examples if e.label == "不通过"]
    lines = ["## 示例", "",
             "下面的例子从一份填写完整、各项都符合要求的样例材料出发，每个例子只改动一处，"
             f"并给出按评估日期 {JUDGED_ON.get(rule_subject(rule_id), DEFAULT_JUDGED_ON)} 检查的结果。"
             "代码框中是文件里与本规则有关的部分，按实际填写的样子列出（“#”开头的是说明，不必照抄）。"
             "这些例子每次发布前都由程序逐一核对，与检查的实际结果一致。", ""]
    number = 0
    if passing:
        lines += ["### 通过的写法", ""]
        for example in passing[:2]:
            number += 1
            lines += _example_lines(example, number)
    if failing:
        lines += ["### 不通过的写法", ""]
        for example in failing[:SHOWN_FAILING]:
            number += 1
            lines += _example_lines(example, number)
    rest = passing[2:] + failing[SHOWN_FAILING:] + [e for e in examples if e.label not in ("通过", "不通过")]
    if rest:
        from .escaping import markdown_text

        lines += ["### 其他情况", ""]
        for example in rest:
            what = "；".join(example.steps + example.edits_inline) or "按要求填写"
            lines.append(f"- {example.label}：{markdown_text(what)} → {markdown_text(example.outcome)}")
        lines.append("")
    return lines


def _flow(value) -> str:
    """A mapping or list as one line of YAML (flow style), shortened: for the compact list."""
    import yaml

    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000, sort_keys=False).strip()
    return text if len(text) <= 2 * LONG_TEXT else text[:2 * LONG_TEXT] + "……"


def edit_words(edits: dict, where: str = "", shown_below: bool = False, subject: str = "institution") -> list[str]:
    """A case's set/remove/append edits in words: “scope.yaml 中第 2 个申请认定的职业（中式烹调师）的 standard_held
    写作 false”, list items named as they were in the sample SUBJECT before the case. SHOWN_BELOW: the example's YAML
    follows, so a mapping or list value and a rewritten file are not repeated in the words."""
    from .escaping import visible_text
    from .personal import redact

    words = []
    files: dict[str, tuple] = {}

    def place(name: str, steps: tuple) -> tuple[Any, str]:
        """The file NAME as the edits so far left it, and where STEPS lead in it."""
        if name not in files:
            data = _edited(subject, {"variant": edits["variant"]} if edits.get("variant") else {}, name)
            files[name] = (data, Positions.of(data), schema_for(name, subject))
        data, positions, schema = files[name]
        return data, place_words(data, steps, schema, positions)

    for name, paths in (edits.get("set") or {}).items():
        for dotted, value in paths.items():
            data, there = place(name, _steps(dotted))
            if isinstance(value, (dict, list)) and shown_below and value:
                words.append(joined(f"{where}{name} 中", there, "改为下面的写法"))
            else:
                shown = _scalar(value) if not isinstance(value, (dict, list)) else _flow(value)
                words.append(joined(f"{where}{name} 中", there, f"写作 {visible_text(shown) or '（空）'}"))
            edit_document(data, {"set": {name: {dotted: value}}}, name)
    for name, paths in (edits.get("remove") or {}).items():
        for dotted in paths:
            steps = _steps(dotted)
            # the last list item or numbered key on the way: said by order and name, the keys after it as written
            last_item = max((i for i, s in enumerate(steps) if not str(s).isidentifier()), default=-1)
            if last_item == len(steps) - 1:
                data, there = place(name, steps)
                words.append(joined(f"{where}{name} 中删去", there))
            else:
                data, owner = place(name, steps[:last_item + 1])
                words.append(joined(f"{where}{name} 中", owner, "没有写", ".".join(map(str, steps[last_item + 1:]))))
            edit_document(data, {"remove": {name: [dotted]}}, name)
    for name, paths in (edits.get("append") or {}).items():
        for dotted, value in paths.items():
            data, there = place(name, _steps(dotted))
            noun = item_noun(files[name][2], _steps(dotted))
            named = item_name(value)
            words.append(joined(f"{where}{name} 的", there, f"中多写{one_more(noun)}"
                                + (f"（{named}）" if named else "")))
            edit_document(data, {"append": {name: {dotted: value}}}, name)
    for name, content in ({} if shown_below else edits.get("write") or {}).items():
        lines = [visible_text(redact(line.rstrip())) for line in _raw_text(content).splitlines() if line.strip()]
        if lines:
            text = " ⏎ ".join(lines)
            shown = text if len(text) <= 2 * LONG_TEXT else text[:2 * LONG_TEXT] + "……"
            words.append(f"{where}{_shown_name(name)} 写成“{shown}”（⏎ 表示换行）")
    return [redact(w) for w in words]
