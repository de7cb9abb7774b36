"""The only way a bundle's renderer reaches files: a fetcher that allows the institution's own folder
and the project's bundle assets, refuses everything else (network, other files, symlinks leading
out), and gives up after a time limit. A filing cannot make the renderer read /etc/passwd or call a URL.
"""
from __future__ import annotations

import mimetypes
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
MAX_BYTES = 20 * 1024 * 1024


TIME_LIMIT = "秒时限"  # in the message of a refusal for time, the one refusal that may not happen again


def timed_out(message: str) -> bool:
    """Whether a refusal was for time (a loaded machine), not for what the filing asks: a PDF that lacks a
    resource only because of it must not be kept (pdf_cache.py)."""
    return TIME_LIMIT in message


class FetchRefused(Exception):
    """A resource the renderer may not load; the message is Chinese and names the URL."""


def make_fetcher(allowed_roots, timeout: float = 20.0, max_bytes: int = MAX_BYTES):
    """A weasyprint URLFetcher limited to files under allowed_roots, all within `timeout` seconds from now."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [Path(r).resolve() for r in allowed_roots]

    class SafeFetcher(URLFetcher):
        def __init__(self):
            super().__init__(timeout=timeout, allowed_protocols=("file",), allow_redirects=False)
            self.deadline = time.monotonic() + timeout
            self.refused: list[str] = []
            self.fetched: list[str] = []

        def check(self, url: str) -> Path:
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                raise FetchRefused(f"不允许访问网络或其他协议：{url}")
            path = Path(unquote(parts.path))
            try:
                real = path.resolve(strict=True)
            except (OSError, RuntimeError):
                raise FetchRefused(f"文件不存在：{url}") from None
            if not any(real == root or real.is_relative_to(root) for root in roots):
                raise FetchRefused(f"不允许读取机构文件夹和项目资源以外的文件：{path}")
            if not real.is_file():
                raise FetchRefused(f"不是普通文件：{path}")
            if real.stat().st_size > max_bytes:
                raise FetchRefused(f"文件超过 {max_bytes // (1024 * 1024)} MB：{path}")
            return real

        def fetch(self, url, headers=None):
            try:
                if time.monotonic() > self.deadline:
                    raise FetchRefused(f"超过 {timeout:g} {TIME_LIMIT}，不再读取：{url}")
                real = self.check(url)
                with open(real, "rb") as handle:
                    body = handle.read(max_bytes + 1)
                if time.monotonic() > self.deadline:
                    raise FetchRefused(f"超过 {timeout:g} {TIME_LIMIT}，不再读取：{url}")
            except FetchRefused as exc:
                self.refused.append(str(exc))
                raise
            self.fetched.append(str(real))
            mime = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
            return URLFetcherResponse(real.as_uri(), body, {"Content-Type": mime})

    return SafeFetcher()
