"""Which shard of a split build an institution belongs to (`beian build --shard K/N`).

An institution's shard is a function of its folder name alone, through SHA-256: the same on every machine,
every Python run and every operating system (Python's hash() of a string changes with each process), so the
jobs of a GitHub Actions matrix agree on who does what without talking to each other.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

SHARD_RE = re.compile(r"^\s*(\d{1,6})\s*/\s*(\d{1,6})\s*\Z")
USAGE = "--shard 的格式是 K/N（第 K 份，共 N 份，1 ≤ K ≤ N），例如 --shard 2/8"


class ShardError(ValueError):
    """A --shard that is not K/N with 1 ≤ K ≤ N; the message is Chinese."""


def shard_of(name: str, count: int) -> int:
    """The shard (1 … COUNT) of the institution folder NAME."""
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()
    return int(digest[:16], 16) % count + 1


def parse_shard(text: str) -> tuple[int, int]:
    """"K/N" → (K, N); ShardError otherwise."""
    found = SHARD_RE.match(str(text))
    if not found:
        raise ShardError(f"“{text}”不是有效的分片：{USAGE}。")
    shard, count = int(found.group(1)), int(found.group(2))
    if count < 1 or not 1 <= shard <= count:
        raise ShardError(f"分片 {shard}/{count} 不存在：{USAGE}。")
    return shard, count


def select(directories: list[Path], shard: int, count: int) -> list[Path]:
    """The institutions of DIRECTORIES in shard SHARD of COUNT, in their given order."""
    return [d for d in directories if shard_of(Path(os.path.abspath(d)).name, count) == shard]
