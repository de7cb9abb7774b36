"""Does a faster YAML parser than PyYAML's C loader pay for beian? (issue 15, item 5)

Times, in one process over the YAML files of a synthetic register (best of --repeat runs, garbage
collection off during a run as in `beian check`), files read and decoded once beforehand:

- pyyaml-csafe      yaml.load(text, Loader=yaml.CSafeLoader): the parse floor, no positions
- beian-load_yaml  generator.yamlload.load_yaml: data + line of every value + problems
- ryml-tree        rapidyaml parse to its own tree only (what a benchmark of rapidyaml alone shows)
- ryml+walker      rapidyaml tree → Python dicts/lists + lines + beian's rules (what beian would pay)
- fyaml+walker     libfyaml generic (create_markers) → the same
- others           ruamel.yaml (round trip / C safe), fast_yaml, yaml_rs: timed raw; no walker where they
                   cannot give positions

The walkers are checked against load_yaml on every file (same data, same lines); mismatches are counted.
Then each candidate gets small hostile inputs (duplicate key, !!python tag, alias bomb, tab, BOM,
control character, bytes that are not UTF-8, YAML 1.1 words) and the outcome is printed.

    pip install --target /tmp/parse-libs rapidyaml==0.15.2 libfyaml==1.0.0b2 ruamel.yaml fastyaml-rs yaml-rs
    PYTHONPATH=/tmp/parse-libs:. python benchmarks/bench_parsers.py [--data DIR] [--limit N] [--repeat 3]
        [--skip ruamel-rt] [--only NAME,...] [--no-probes]

(the candidates are kept out of the project's environment: none of them is a dependency of beian.)

A candidate that is not importable is reported as skipped. Writes benchmarks/out/parsers-n<N>.json.
"""
from __future__ import annotations

import argparse
import bisect
import ctypes
import gc
import json
import math
import os
import platform
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import yaml  # noqa: E402

from generator import yamlload  # noqa: E402
from generator.textfile import decode_bytes  # noqa: E402
from generator.yamlload import MAX_DEPTH, Problem, load_yaml  # noqa: E402

# --- the files ------------------------------------------------------------------------------------


def read_register(data: Path, limit: int | None) -> list[tuple[str, str]]:
    institutions = sorted(p for p in data.iterdir() if p.is_dir())[:limit]
    files = []
    for institution in institutions:
        for path in sorted(institution.rglob("*.yaml")):
            if "evidence" not in path.relative_to(institution).parts:
                files.append((str(path.relative_to(data)), decode_bytes(path.read_bytes())))
    return files


# --- beian's scalar rules, shared by both walkers ------------------------------------------------

_CORE = [(name, re.compile(pattern)) for name, pattern, _ in yamlload._CORE_SCHEMA]
_TYPED_FIRST = frozenset(first for first in yamlload._IMPLICIT if first)  # first characters of typed scalars
_TAB_INDENT = yamlload._TAB_INDENT


def resolve_plain(value: str):
    """A plain scalar by the YAML 1.2 core schema, exactly as yamlload's resolver + constructors."""
    if value and value[0] not in _TYPED_FIRST:
        return value
    for name, pattern in _CORE:
        if pattern.match(value):
            if name == "bool":
                return value.lower() == "true"
            if name == "int":
                return int(value[2:], 8 if value[1] == "o" else 16) if value.startswith(("0o", "0x")) else int(value)
            if name == "float":
                lowered = value.lower()
                if lowered.endswith(".inf"):
                    return -math.inf if lowered[0] == "-" else math.inf
                return math.nan if lowered == ".nan" else float(value)
            return None
    return value


class _Rules:
    """The problems beian's walker reports, with the same rule names (messages shortened)."""

    def __init__(self):
        self.lines: dict = {}
        self.problems: list[Problem] = []
        self.alias_reported = False
        self.suspicious = 0  # values yamlload would hand to yamlhints (rare; counted, not diagnosed)

    def alias(self, line):
        if not self.alias_reported:
            self.problems.append(Problem("yaml-alias", "不支持 YAML 锚点与别名（& 和 *）。", line))
            self.alias_reported = True

    def scalar(self, value, line):
        if isinstance(value, float) and not math.isfinite(value):
            self.problems.append(Problem("number-invalid", "不是一个确定的数字。", line))
        return value

    def key(self, result: dict, key, key_line, key_lines: dict) -> bool:
        if "\u3000" in key or "：" in key:
            self.suspicious += 1
        if key in result:
            self.problems.append(Problem(
                "duplicate-key", f"字段 `{key}` 重复出现（第 {key_lines[key]} 行和第 {key_line} 行）。", key_line))
            return False
        key_lines[key] = key_line
        return True


# libyaml's reader refuses what YAML 1.1/1.2 call non-printable; rapidyaml and libfyaml accept it, so a
# walker over them has to look for it itself (one regex over the text, as for the tab).
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def pre_checks(text: str):
    for pattern, what in ((_TAB_INDENT, "用制表符（Tab）缩进"), (_NOT_PRINTABLE, "含有不允许的不可见控制字符")):
        found = pattern.search(text)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            raise yamlload.YamlSyntaxError(Problem("yaml-syntax", f"第 {line} 行{what}。", line))


# --- rapidyaml ------------------------------------------------------------------------------------


class _PyBuffer(ctypes.Structure):
    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.py_object), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
                ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]


def _address(view) -> int:
    """Address of a read-only memoryview's first byte. rapidyaml's Python API (0.15.2) exposes no node
    locations (the C++ Parser's locations option is not wrapped), so a scalar's line is found from
    where its memoryview points into the parsed buffer; this is the documented buffer protocol."""
    buffer = _PyBuffer()
    _get_buffer(view, ctypes.byref(buffer), 0)
    address = buffer.buf
    _release_buffer(ctypes.byref(buffer))
    return address


def _address_hack(view) -> int:
    """The same, read straight from CPython 3.11's memoryview struct: not shippable, a lower bound."""
    return ctypes.c_void_p.from_address(id(view) + 56).value


class RymlWalker(_Rules):
    def __init__(self, text: str, address=_address):
        super().__init__()
        import ryml

        self.ryml = ryml
        self.buffer = bytearray(text.encode("utf-8"))
        self.base = ctypes.addressof(ctypes.c_char.from_buffer(self.buffer))
        self.size = len(self.buffer)
        self.newlines = [m.start() for m in re.finditer(b"\n", self.buffer)]
        self.address = address
        self.tree = ryml.parse_in_place(self.buffer)  # scalars stay (filtered) inside our buffer

    def line_at(self, view, fallback):
        if view is None:
            return fallback
        offset = self.address(view) - self.base
        if not 0 <= offset <= self.size:  # a scalar rapidyaml had to copy to its arena
            return fallback
        return bisect.bisect_right(self.newlines, offset - 1) + 1 if offset else 1

    def node_line(self, node, fallback):
        tree = self.tree
        while tree.is_container(node):
            child = tree.first_child(node)
            if child == self.ryml.NONE:
                return fallback
            if tree.has_key(child):
                return self.line_at(tree.key(child), fallback)
            node = child
        return self.line_at(tree.val(node), fallback)

    def load(self):
        root = self.tree.root_id()
        if self.tree.is_stream(root):
            raise ValueError("more than one document")
        return self.build(root, (), 0, self.node_line(root, 1))

    def build(self, node, path, depth, line):
        self.lines[path] = line
        tree = self.tree
        if depth > MAX_DEPTH:
            self.problems.append(Problem("yaml-syntax", f"嵌套层级超过 {MAX_DEPTH} 层。", line))
            return None
        if tree.is_val_ref(node):
            self.alias(line)
            return None
        if tree.has_val_tag(node):  # on a scalar, list or mapping alike; the value stays as written
            self.problems.append(Problem("yaml-tag", f"不支持 YAML 标签 {tree.val_tag(node)}。", line))
            if not tree.is_container(node):
                view = tree.val(node)
                return None if view is None else str(view, "utf-8")
        if tree.is_map(node):
            return self.mapping(node, path, depth)
        if tree.is_seq(node):
            result = []
            child = tree.first_child(node)
            index = 0
            while child != self.ryml.NONE:
                if not tree.is_container(child) and tree.is_val_plain(child):
                    value = tree.val(child)
                    if value is not None and (b"\xef\xbc\x9a" in value or b"\xe3\x80\x80" in value):
                        self.suspicious += 1
                result.append(self.build(child, path + (index,), depth + 1, self.node_line(child, line)))
                child = tree.next_sibling(child)
                index += 1
            return result
        return self.scalar_of(node, line)

    def scalar_of(self, node, line):
        tree = self.tree
        view = tree.val(node)
        if view is None:
            return None
        text = str(view, "utf-8")
        if not tree.is_val_plain(node):
            return text
        return self.scalar(resolve_plain(text), line)

    def mapping(self, node, path, depth):
        tree = self.tree
        result: dict = {}
        key_lines: dict = {}
        child = tree.first_child(node)
        while child != self.ryml.NONE:
            key_view = tree.key(child)
            key_line = self.line_at(key_view, self.lines[path])
            key = "" if key_view is None else str(key_view, "utf-8")
            if tree.is_key_ref(child) or key == "<<" and tree.is_key_plain(child):
                self.alias(key_line)
            elif tree.has_key_tag(child):
                self.problems.append(Problem("yaml-tag", f"不支持 YAML 标签 {tree.key_tag(child)}。", key_line))
            elif self.key(result, key, key_line, key_lines):
                result[key] = self.build(child, path + (key,), depth + 1, key_line)
                self.lines[path + (key,)] = key_line
            child = tree.next_sibling(child)
        return result


def ryml_load(text: str, name: str, address=_address):
    pre_checks(text)
    walker = RymlWalker(text, address)
    data = walker.load()
    return yamlload.Document(name, data, walker.lines), walker.problems


# --- libfyaml -------------------------------------------------------------------------------------


class FyamlWalker(_Rules):
    def load(self, text: str):
        import libfyaml

        root = libfyaml.loads(text, create_markers=True)
        return self.build(root, (), 0, None)

    def build(self, node, path, depth, line):
        marker = node.get_marker()
        if marker is None:  # libfyaml resolves aliases itself; an alias's value has no marker of its own
            self.alias(line)
            self.lines[path] = line
            return None
        if line is None:
            line = marker[1] + 1
        self.lines[path] = line
        if depth > MAX_DEPTH:
            self.problems.append(Problem("yaml-syntax", f"嵌套层级超过 {MAX_DEPTH} 层。", line))
            return None
        tag = node.get_tag()
        if tag is not None:
            self.problems.append(Problem("yaml-tag", f"不支持 YAML 标签 {tag}。", line))
            if not node.is_mapping() and not node.is_sequence():
                return str(node)
        if node.is_mapping():
            result: dict = {}
            key_lines: dict = {}
            for key_node, value in node.items():
                key_line = key_node.get_marker()[1] + 1
                key = str(key_node)
                if key == "<<":
                    self.alias(key_line)
                elif self.key(result, key, key_line, key_lines):
                    result[key] = self.build(value, path + (key,), depth + 1, key_line)
                    self.lines[path + (key,)] = key_line
            return result
        if node.is_sequence():
            return [self.build(item, path + (i,), depth + 1, None) for i, item in enumerate(node)]
        return self.scalar(node.to_python(), line)


def fyaml_load(text: str, name: str):
    pre_checks(text)
    walker = FyamlWalker()
    data = walker.load(text)
    return yamlload.Document(name, data, walker.lines), walker.problems


# --- the candidates -------------------------------------------------------------------------------


def candidates():
    """(name, positions, parse one text or skip reason)."""
    found = [("pyyaml-csafe", "no", lambda text: yaml.load(text, Loader=yaml.CSafeLoader)),
             ("beian-load_yaml", "yes", lambda text: load_yaml(text, "f"))]
    try:
        import ryml

        found += [("ryml-tree", "not exposed", lambda text: ryml.parse_in_arena(text.encode("utf-8"))),
                  ("ryml+walker", "yes (walker)", lambda text: ryml_load(text, "f")),
                  ("ryml+walker(hack)", "yes (walker)", lambda text: ryml_load(text, "f", _address_hack))]
    except ImportError as exc:
        found.append(("ryml", "?", f"skipped: {exc}"))
    try:
        import libfyaml

        found += [("fyaml-raw", "markers", lambda text: libfyaml.loads(text).to_python()),
                  ("fyaml+walker", "yes (walker)", lambda text: fyaml_load(text, "f"))]
    except ImportError as exc:
        found.append(("libfyaml", "?", f"skipped: {exc}"))
    try:
        from ruamel.yaml import YAML

        # a fresh YAML() per text: an instance that raised once is left unusable
        found += [("ruamel-safe(C)", "no", lambda text: YAML(typ="safe", pure=False).load(text)),
                  ("ruamel-rt", ".lc (pure Python)", lambda text: YAML(typ="rt").load(text))]
    except ImportError as exc:
        found.append(("ruamel.yaml", "?", f"skipped: {exc}"))
    try:
        import fast_yaml

        found.append(("fast_yaml", "no (lint only)", fast_yaml.safe_load))
    except ImportError as exc:
        found.append(("fast_yaml", "?", f"skipped: {exc}"))
    try:
        import yaml_rs

        found.append(("yaml_rs", "no", lambda text: yaml_rs.loads(text, parse_datetime=False)))
    except ImportError as exc:
        found.append(("yaml_rs", "?", f"skipped: {exc}"))
    return found


def best_of(parse, texts, repeat: int) -> tuple[float, float]:
    """Best wall and best CPU seconds; on a shared machine CPU time is the steadier of the two."""
    best, best_cpu = math.inf, math.inf
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        start, start_cpu = time.perf_counter(), time.process_time()
        for text in texts:
            parse(text)
        best, best_cpu = min(best, time.perf_counter() - start), min(best_cpu, time.process_time() - start_cpu)
        gc.enable()
    return best, best_cpu


def agreement(load, files) -> dict:
    """Files where a walker's data, lines or problem rules differ from load_yaml's."""
    differ = {"data": 0, "lines": 0, "problems": 0, "error": 0}
    example = None
    for name, text in files:
        expected, expected_problems = load_yaml(text, name)
        try:
            got, problems = load(text, name)
        except Exception as exc:  # noqa: BLE001 - counted and shown, the benchmark goes on
            differ["error"] += 1
            example = example or f"{name}: {type(exc).__name__} {str(exc)[:80]}"
            continue
        for part, same in (("data", got.data == expected.data), ("lines", got.lines == expected.lines),
                           ("problems", sorted(p.rule for p in problems) == sorted(p.rule for p in expected_problems))):
            if not same:
                differ[part] += 1
                if example is None and part == "lines":
                    wrong = [(k, v, got.lines.get(k)) for k, v in expected.lines.items() if got.lines.get(k) != v]
                    example = f"{name}: {wrong[:2]}"
                example = example or f"{name}: {part}"
    differ["example"] = example
    return differ


# --- hostile inputs -------------------------------------------------------------------------------

_BOMB = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdef", "bcdefg"))
PROBES = {
    "dup-key": "a: 1\na: 2\n",
    "python-tag": "a: !!python/object/apply:os.system ['echo hi']\n",
    "alias-bomb": _BOMB,  # 9^7 ≈ 4.8 million strings if expanded
    "tab": "a:\n\tb: 1\n",
    "bom": "\ufeffa: 1\n",
    "ctrl-char": "a: x\x07y\n",
    "not-utf8": b"a: \xff\n",
    "yaml1.1": "a: yes\nb: 0777\nc: 2024-05-01\n",
}


def outcome(parse, probe: str, text) -> str:
    started = time.perf_counter()
    try:
        result = parse(text)
    except Exception as exc:  # noqa: BLE001 - the outcome is what is measured
        return f"error: {type(exc).__name__}: {str(exc).splitlines()[0][:50] if str(exc) else ''}"
    seconds = time.perf_counter() - started
    problems = []
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], yamlload.Document):
        problems = sorted({p.rule for p in result[1]})
        result = result[0].data
    elif hasattr(result, "to_python"):
        result = result.to_python()
    text_of = json.dumps(result, ensure_ascii=True, default=repr)
    if probe == "alias-bomb" and len(text_of) > 1000:  # shared in memory or not, JSON output expands it
        text_of = f"accepted in {seconds:.2f} s; {len(text_of) / 1e6:.0f} MB as JSON"
    elif len(text_of) > 40:
        text_of = text_of[:37] + "..."
    return (f"reported {','.join(problems)}; " if problems else "") + text_of


# beian decodes bytes itself (generator/textfile.decode_bytes: BOM dropped, non-UTF-8 refused in Chinese)
_STR_ONLY = {"pyyaml-csafe", "beian-load_yaml", "ryml+walker", "fyaml+walker", "yaml_rs"}


def probe_all(found) -> dict:
    table = {}
    for name, _, parse in found:
        if isinstance(parse, str) or name in ("ryml-tree", "fyaml-raw", "ryml+walker(hack)"):
            continue  # trees are not data; the hack differs only in speed
        table[name] = {probe: "n/a: takes decoded text" if isinstance(text, bytes) and name in _STR_ONLY
                       else outcome(parse, probe, text) for probe, text in PROBES.items()}
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/bench/n1000"))
    parser.add_argument("--limit", type=int, default=None, help="first N institutions only")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip", default="", help="candidates not to time, comma-separated (e.g. ruamel-rt)")
    parser.add_argument("--only", default="", help="time just these candidates, comma-separated (for paired runs)")
    parser.add_argument("--no-probes", action="store_true")
    args = parser.parse_args()
    files = read_register(args.data, args.limit)
    texts = [text for _, text in files]
    institutions = len({name.split(os.sep)[0] for name, _ in files})
    megabytes = sum(len(t.encode()) for t in texts) / 1e6
    print(f"{institutions} institutions, {len(texts)} YAML files, {megabytes:.1f} MB; best of {args.repeat}, "
          f"load {os.getloadavg()[0]:.2f}")
    found = candidates()
    rows = []
    floor = None
    for name, positions, parse in found:
        if args.only and name not in args.only.split(","):
            continue
        if name in args.skip.split(","):
            parse = "skipped: --skip"
        if isinstance(parse, str):
            print(f"{name:18} {parse}")
            rows.append({"name": name, "skipped": parse})
            continue
        seconds, cpu = best_of(parse, texts, args.repeat)
        floor = floor or (seconds, cpu)
        row = {"name": name, "seconds": round(seconds, 3), "x_floor": round(seconds / floor[0], 2),
               "cpu_seconds": round(cpu, 3), "cpu_x_floor": round(cpu / floor[1], 2),
               "ms_per_institution": round(seconds / institutions * 1000, 2), "positions": positions}
        if name in ("ryml+walker", "fyaml+walker") and not args.only:
            row["differs_from_load_yaml"] = agreement(ryml_load if name.startswith("ryml") else fyaml_load, files)
        rows.append(row)
        differ = row.get("differs_from_load_yaml")
        note = "" if differ is None else " | vs load_yaml: " + (", ".join(
            f"{k} differ in {v} files" for k, v in differ.items() if v and k != "example") or f"same on all {len(files)}")
        print(f"{name:18} {seconds:7.2f} s {row['x_floor']:5.2f}x floor {row['ms_per_institution']:6.2f} ms/inst"
              f" | cpu {cpu:6.2f} s {row['cpu_x_floor']:5.2f}x"
              f"  positions: {positions}{note}")
        if differ and differ.get("example"):
            print(f"{'':18} e.g. {differ['example'][:110]}")
    probes = {} if args.no_probes else probe_all(found)
    for name, results in probes.items():
        print(f"\n{name}")
        for probe, result in results.items():
            print(f"  {probe:11} {result[:90]}")
    if args.only:
        return 0  # a paired run's figures belong to whoever pairs them
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    target = out / f"parsers-n{institutions}.json"
    target.write_text(json.dumps({
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": platform.machine(),
        "cpus": os.cpu_count(), "python": platform.python_version(), "load_1min": os.getloadavg()[0],
        "institutions": institutions, "files": len(texts), "megabytes": round(megabytes, 2),
        "repeat": args.repeat, "timings": rows, "probes": probes}, ensure_ascii=False, indent=1), "utf-8")
    print(f"\nwritten {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
