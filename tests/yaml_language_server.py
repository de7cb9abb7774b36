"""Red Hat's yaml-language-server (the engine of VS Code's YAML extension) driven over stdio LSP.

Used by tests/test_editor_agreement.py to see a filing exactly as the editor shows it: the
diagnostics it publishes and the hover it gives. scripts/setup installs the server with npm into
the virtualenv (`.venv/node`); YAML_LANGUAGE_SERVER may name another copy of its `bin` script.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

_INSTALLED = Path(sys.prefix) / "node" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"


def server_command() -> list[str] | None:
    """How to start the server, or None when node or the npm package is missing."""
    node = shutil.which("node")
    script = os.environ.get("YAML_LANGUAGE_SERVER") or (str(_INSTALLED) if _INSTALLED.exists() else None)
    if node is None or script is None or not Path(script).exists():
        return None
    return [node, script, "--stdio"]


class YamlLanguageServer:
    """One server process; open() a file and read what the editor would underline or show on hover."""

    def __init__(self, command: list[str], root: Path, locale: str = "zh-cn"):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.opened = 0
        self.responses: dict[int, dict] = {}
        self.diagnostics: dict[str, list[dict]] = {}
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(), "locale": locale,
            "capabilities": {"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                                              "publishDiagnostics": {}},
                             "workspace": {"configuration": False}},
        })
        self.notify("initialized", {})
        # What VS Code's extension sends by default: validate, hover, no schema store lookups.
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": {
            "validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False},
            "yamlVersion": "1.2"}}})

    # --- wire format -------------------------------------------------------------------------
    def _send(self, message: dict) -> None:
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(stream.read(length or 0))
            with self.changed:
                if "id" in message and "method" in message:  # a request from the server: answer it plainly
                    self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                elif "id" in message:
                    self.responses[message["id"]] = message
                elif message.get("method") == "textDocument/publishDiagnostics":
                    self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
                self.changed.notify_all()

    def _wait(self, ready, timeout: float = 60):
        with self.changed:
            if not self.changed.wait_for(ready, timeout):
                raise TimeoutError("yaml-language-server did not answer")
            return ready()

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        number = self.next_id
        self._send({"jsonrpc": "2.0", "id": number, "method": method, "params": params})
        response = self._wait(lambda: self.responses.get(number))
        return response.get("result")

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    # --- what an editor does -----------------------------------------------------------------
    def _address(self, path: Path) -> str:
        """A new address beside PATH for each opening, so that no late answer about an earlier text is taken for
        this one; in the same folder, so the modeline's relative schema path still resolves."""
        self.opened += 1
        return path.resolve().with_name(f"{path.stem}.editor-{self.opened}{path.suffix}").as_uri()

    def diagnose(self, path: Path, text: str | None = None) -> list[dict]:
        """The diagnostics the editor shows for PATH (its text on disk unless TEXT is given)."""
        uri = self._address(path)
        with self.changed:
            self.diagnostics.pop(uri, None)
        text = path.read_text(encoding="utf-8") if text is None else text
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                              "text": text}})
        (found,) = self._wait(lambda: (self.diagnostics[uri],) if uri in self.diagnostics else None)
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        return found

    def hover(self, path: Path, line: int, column: int, text: str | None = None) -> str:
        """The hover text at LINE and COLUMN (both from 1) of PATH."""
        uri = self._address(path)
        text = path.read_text(encoding="utf-8") if text is None else text
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                              "text": text}})
        result = self.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": {"line": line - 1, "character": column - 1}})
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        contents = (result or {}).get("contents") or ""
        return contents.get("value", "") if isinstance(contents, dict) else str(contents)

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(10)
        except (TimeoutError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
