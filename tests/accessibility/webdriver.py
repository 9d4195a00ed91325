"""A small client of the W3C WebDriver protocol, for Debian's ``chromedriver`` driving headless Chromium.

WebDriver is JSON over HTTP, so the standard library is enough: no browser download, no extra package.
Chromium's DevTools commands go through chromedriver's ``goog/cdp/execute`` extension (the cache, the
scripts of a page). Every failure of the driver raises ``WebDriverError`` with the command and the
driver's message.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any


class WebDriverError(RuntimeError):
    """A WebDriver command failed; the message names the command and what the driver answered."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (the operating system's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, *, seconds: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until something listens on 127.0.0.1:``port``; raise ``RuntimeError`` after ``seconds`` or if
    ``process`` ends first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(
                f"The process {process.args!r} ended with {process.returncode} before listening."
            )
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"Nothing listened on 127.0.0.1:{port} after {seconds:.0f} s.")


def find_program(*names: str) -> str:
    """The path of the first of ``names`` on the PATH; ``FileNotFoundError`` naming them all otherwise."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError(
        f"None of {', '.join(names)} is installed (apt-get install chromium chromium-driver)."
    )


class Browser:
    """One headless Chromium session through chromedriver, ended by ``close`` (or a ``with`` block).

    ``scripts=False`` starts the browser with the pages' JavaScript turned off (Chromium's content
    setting); the driver's own scripts still run, so the rendered page can be read.
    """

    def __init__(self, *, scripts: bool = True, width: int = 1280, height: int = 900) -> None:
        self._profile = tempfile.mkdtemp(prefix="sswis-chromium-")
        port = free_port()
        self._driver = subprocess.Popen(
            [find_program("chromedriver"), f"--port={port}", "--log-level=OFF"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._base = f"http://127.0.0.1:{port}"
        self.session = ""
        try:
            wait_for_port(port, seconds=20, process=self._driver)
            options: dict[str, Any] = {
                "binary": find_program("chromium", "chromium-browser"),
                "args": [
                    "--headless=new",
                    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
                    "--disable-dev-shm-usage",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-extensions",
                    "--disable-background-networking",
                    f"--window-size={width},{height}",
                    f"--user-data-dir={self._profile}",
                ],
            }
            if not scripts:
                options["prefs"] = {"profile.managed_default_content_settings.javascript": 2}
            answer = self._call(
                "POST",
                "/session",
                {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}},
            )
            self.session = answer["sessionId"]
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body if body is not None else {}).encode() if method == "POST" else None
        request = urllib.request.Request(
            self._base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=180) as response:
                payload = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            try:
                value = json.loads(error.read()).get("value", {})
                message = f"{value.get('error')}: {value.get('message', '')}".splitlines()[0]
            except (ValueError, AttributeError):
                message = str(error)
            raise WebDriverError(f"{method} {path}: {message}") from None
        if isinstance(payload, dict) and "sessionId" in payload and "value" not in payload:
            return payload
        value = payload.get("value") if isinstance(payload, dict) else payload
        return value

    def _session_call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self._call(method, f"/session/{self.session}{path}", body)

    def close(self) -> None:
        """End the browser session and the driver; safe to call twice."""
        if self.session:
            # The driver may already be gone; it is ended below anyway.
            with contextlib.suppress(WebDriverError, OSError):
                self._call("DELETE", f"/session/{self.session}")
            self.session = ""
        if self._driver.poll() is None:
            self._driver.terminate()
            try:
                self._driver.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._driver.kill()
        shutil.rmtree(self._profile, ignore_errors=True)

    def get(self, url: str) -> None:
        """Open ``url`` and wait for it to load."""
        self._session_call("POST", "/url", {"url": url})

    @property
    def current_url(self) -> str:
        url: str = self._session_call("GET", "/url")
        return url

    def execute(self, script: str, *args: Any) -> Any:
        """Run ``script`` (a function body; ``arguments`` holds ``args``) in the page and return its value."""
        return self._session_call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def execute_async(self, script: str, *args: Any, timeout_ms: int = 120_000) -> Any:
        """Run ``script``, which calls its last argument with the result, and return that result."""
        self._session_call("POST", "/timeouts", {"script": timeout_ms})
        return self._session_call("POST", "/execute/async", {"script": script, "args": list(args)})

    def devtools(self, command: str, parameters: dict[str, Any] | None = None) -> Any:
        """Run a Chrome DevTools protocol command (``Network.setCacheDisabled``...) and return its result."""
        return self._session_call("POST", "/goog/cdp/execute", {"cmd": command, "params": parameters or {}})

    def fill(self, selector: str, text: str) -> None:
        """Type ``text`` into the element ``selector`` (a CSS selector), as a person would."""
        element = self._session_call("POST", "/element", {"using": "css selector", "value": selector})
        element_id = next(iter(element.values()))
        self._session_call("POST", f"/element/{element_id}/clear")
        self._session_call("POST", f"/element/{element_id}/value", {"text": text})

    def click(self, selector: str) -> None:
        """Click the element ``selector`` (a CSS selector)."""
        element = self._session_call("POST", "/element", {"using": "css selector", "value": selector})
        element_id = next(iter(element.values()))
        self._session_call("POST", f"/element/{element_id}/click")

    def cookies(self) -> dict[str, str]:
        """The cookies of the current page's site, by name."""
        return {cookie["name"]: cookie["value"] for cookie in self._session_call("GET", "/cookie")}

    def delete_cookies(self) -> None:
        self._session_call("DELETE", "/cookie")

    def add_cookie(self, name: str, value: str) -> None:
        """Set a cookie on the current page's site (open a page of the site first)."""
        self._session_call("POST", "/cookie", {"cookie": {"name": name, "value": value, "path": "/"}})


def chromium_version() -> str:
    """What ``chromium --version`` says, for the report."""
    completed = subprocess.run(
        [find_program("chromium", "chromium-browser"), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() or completed.stderr.strip()
