"""axe-core (the accessibility engine of browsers' developer tools) run on built portal pages in headless Chromium.

The built site is served on 127.0.0.1; every HTML page it serves gets axe-core and a few lines that
run it once the page's own scripts have set the page up, and post the violations back. A hidden
image that loads only after that report holds Chromium's load event, so `--dump-dom` returns when
axe is done (the way tests/browser.py waits for a search, whose server this extends). axe-core comes from npm
(scripts/setup installs it into .venv/node/); the tests skip when it or Chromium is missing.
"""
from __future__ import annotations

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import browser


def axe_script() -> Path | None:
    """axe.min.js: $BEIAN_AXE_JS, else the copy scripts/setup installs next to the Python environment."""
    candidates = [os.environ.get("BEIAN_AXE_JS", ""),
                  str(Path(sys.prefix) / "node" / "node_modules" / "axe-core" / "axe.min.js"),
                  str(Path(__file__).resolve().parents[1] / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js")]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


RUNNER = """<img src="/__hold" alt="" style="display:none"><script src="/__axe.js"></script><script>
(function () {
  function report(body) { fetch("/__axe_result", {method: "POST", body: JSON.stringify(body)}); }
  function run() {
    axe.run(document, {resultTypes: ["violations"]}).then(function (result) {
      report({url: location.pathname, passes: result.passes.length, violations: result.violations.map(function (v) {
        return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) {
          return {target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary}; })}; })});
    }).catch(function (error) { report({url: location.pathname, error: String(error)}); });
  }
  /* after material's bundle and the portal's tables.js have set the page up */
  document.addEventListener("DOMContentLoaded", function () { setTimeout(run, 600); });
})();
</script>"""


class AxeSite(browser.Site):
    """The folder `out` served on a free local port, each page with axe attached, until close().
    browser.Site answers the hidden image and takes the posted report. PREFIX: the path the site is
    published under (its site_url's): the 404 page links its styles and scripts from there."""

    def __init__(self, out: Path, axe: Path, prefix: str = "/"):
        self.axe, self.prefix = axe, prefix
        super().__init__(out)

    def _handler(self):
        site = self

        class Handler(super()._handler()):
            def _send(self, body: bytes, kind: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                path = urllib.parse.unquote(self.path.split("?", 1)[0])
                if site.prefix != "/" and path.startswith(site.prefix):
                    self.path = "/" + self.path[len(site.prefix):]
                    path = "/" + path[len(site.prefix):]
                file = site.out / path.lstrip("/")
                if file.is_dir():
                    file = file / "index.html"
                if path == "/__axe.js":
                    self._send(site.axe.read_bytes(), "text/javascript")
                elif file.suffix == ".html" and file.is_file():
                    page = file.read_text(encoding="utf-8").replace("</body>", RUNNER + "</body>")
                    self._send(page.encode("utf-8"), "text/html; charset=utf-8")
                else:
                    super().do_GET()

        return Handler

    def check(self, path: str, profile: Path, size: str = "1400,900") -> dict:
        """{"url", "violations": [{id, impact, help, nodes: [{target, html, summary}]}]} of one page at SIZE."""
        self.reported.clear()
        self.result = None
        profile.mkdir(parents=True, exist_ok=True)
        subprocess.run([browser.CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                        f"--window-size={size}", "--dump-dom", self.base + path],
                       capture_output=True, timeout=120)
        return self.result or {"url": path, "error": "axe did not report"}

