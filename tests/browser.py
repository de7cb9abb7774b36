"""A built portal served on 127.0.0.1 and looked at with Debian's headless Chromium.

Shared by tests/test_portal_site.py and benchmarks/bench_portal.py. A search is asked the way a
person asks it, through the home page's `?q=` address, which material's search box reads on load;
a small probe script appended to that page reports the result links and the milliseconds since
navigation started, i.e. how long a visitor waits for the first answer.
"""
from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# The hidden image holds the page's load event (and so --dump-dom) until the probe has reported.
PROBE = """<img src="/__hold" alt="" style="display:none"><script>
(function () {
  function report() {
    var items = Array.prototype.map.call(document.querySelectorAll(".md-search-result__item a"),
      function (a) { return a.getAttribute("href") + " " + a.textContent.replace(/\\s+/g, " ").slice(0, 60); });
    var meta = document.querySelector(".md-search-result__meta");
    var none = meta && meta.textContent.indexOf("没有") !== -1;  /* 没有找到符合条件的结果 */
    var waited = performance.now();
    if (items.length || none || waited > 30000) {
      fetch("/__result", {method: "POST", body: JSON.stringify({ms: Math.round(waited), items: items,
        meta: meta ? meta.textContent.trim() : ""})});
    } else { setTimeout(report, 25); }
  }
  if (location.search.indexOf("q=") !== -1) setTimeout(report, 25);
})();
</script>"""


class Site:
    """The folder `out` served on a free local port until close()."""

    def __init__(self, out: Path):
        self.out = out
        self.result: dict | None = None
        self.reported = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(self._handler(), directory=str(out)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self):
        site = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path.startswith("/__hold"):
                    site.reported.wait(40)
                    self.send_response(204)
                    self.end_headers()
                elif "q=" in self.path:
                    page = (site.out / "index.html").read_text(encoding="utf-8")
                    body = page.replace("</body>", PROBE + "</body>").encode("utf-8")
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    super().do_GET()

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                site.result = json.loads(self.rfile.read(length) or b"{}")
                site.reported.set()
                self.send_response(204)
                self.end_headers()

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def chromium(url: str, profile: Path, screenshot: Path | None = None, timeout: int = 90) -> str:
    """The page's DOM after load, as headless Chromium sees it (and a screenshot, if asked)."""
    profile.mkdir(parents=True, exist_ok=True)
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--window-size=1280,1600"]
    if screenshot:
        subprocess.run(command + [f"--screenshot={screenshot}", url], capture_output=True, timeout=timeout)
    return subprocess.run(command + ["--dump-dom", url], capture_output=True, text=True, timeout=timeout).stdout


def search(site: Site, query: str, profile: Path) -> dict:
    """{"ms": wait until the first result showed, "items": ["href text", …], "meta": the line above
    the results (e.g. 没有找到符合条件的结果)} for one query."""
    site.reported.clear()
    site.result = None
    chromium(f"{site.base}/?q=" + urllib.parse.quote(query), profile)
    return site.result or {"ms": None, "items": [], "meta": ""}
