"""Every learner lab in a real browser: JupyterLab on 127.0.0.1, driven by headless Chromium.

    make test-browser        # installs Debian's chromium if missing, then runs this file

Why Playwright's Python package pointed at Debian's `chromium`, not JupyterLab's Galata: Galata is
a Node/TypeScript test suite (npm packages and Playwright's own browser download), a second
toolchain for one test; the Python package is already in our environment and drives the system
browser the distribution keeps up to date.

For each lab, a copy of the learner notebook in a temporary folder (the server autosaves; the
committed notebooks are never touched) is opened in JupyterLab, Run All Cells is clicked, and
when every cell has run the notebook is saved and read back. Then:
  * no cell shows an error, in the page or in the saved file;
  * every figure the kernel sent (image/png outputs in the saved file) is an <img> in the page
    that the browser decoded (naturalWidth > 0);
  * every progress bar (tqdm's widget outputs) is rendered as a widget, not as text;
  * every `grader.check` cell shows otter's result in the page;
  * the kernel ends idle;
  * in each interactive view (labsupport.interactive), dragging a slider redraws the picture.
A screenshot per lab (and of each view before and after the drag) goes to LAB_BROWSER_OUT
(default .test-cache/browser/).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
# LAB_BROWSER_LABS: other notebooks to run instead (paths, separated by spaces)
LABS = ([Path(p).resolve() for p in os.environ["LAB_BROWSER_LABS"].split()]
        if os.environ.get("LAB_BROWSER_LABS")
        else sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")))
OUT = Path(os.environ.get("LAB_BROWSER_OUT") or REPO / ".test-cache" / "browser")
LAB_SECONDS = 1800  # the longest lab (07) on a busy two-core machine stays well under this
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on show

pytestmark = pytest.mark.browser


def chromium() -> str | None:
    return next((path for name in ("chromium", "chromium-browser", "google-chrome")
                 if (path := shutil.which(name))), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings_dir(root: Path) -> Path:
    """JupyterLab user settings for the test: every cell in the page (no windowing, so that
    all outputs can be inspected), no news or update checks."""
    folder = root / "settings"
    notebook = folder / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True)
    (notebook / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    apputils = folder / "@jupyterlab" / "apputils-extension"
    apputils.mkdir(parents=True)
    (apputils / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if chromium() is None:
        pytest.fail("no chromium on PATH: run `make test-browser`, which installs it")
    root = tmp_path_factory.mktemp("browser")
    labs = root / "notebooks"
    labs.mkdir()
    for lab in LABS:
        shutil.copy(lab, labs)
    port, token = free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # as a learner has it
    env = dict(env, JUPYTERLAB_SETTINGS_DIR=str(settings_dir(root)),
               JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(root / "runtime"))
    log = (root / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={labs}", "--ServerApp.port_retries=0",
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI runs as root
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                api(base, token, "/api/status")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n"
                                + (root / "server.log").read_text()[-3000:])
                time.sleep(1)
        yield dict(base=base, token=token, labs=labs)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()


def api(base: str, token: str, path: str, method: str = "GET"):
    request = urllib.request.Request(base + path, method=method,
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's own sandbox refuses to start;
        # --disable-dev-shm-usage: a container's small /dev/shm must not crash the page
        instance = playwright.chromium.launch(executable_path=chromium(), headless=True,
                                              args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield instance
        instance.close()


# Runs in the page once every cell has run: what the learner sees.
PAGE_REPORT = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = [...panel.querySelectorAll('.jp-Cell.jp-CodeCell')];
  return {
    prompts: cells.map(c => (c.querySelector('.jp-InputPrompt') || {}).textContent || ''),
    errors: [...panel.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')].filter(
      o => o.querySelector('[class*="ansi-"]')).length,  // a traceback: IPython colours it
    images: [...panel.querySelectorAll('.jp-OutputArea-output img')].map(
      i => i.naturalWidth),
    progress: panel.querySelectorAll(
      '.jp-OutputArea-output .widget-hprogress .progress-bar').length,
    checks: cells.filter(c => /grader\\.check\\(/.test(
      (c.querySelector('.jp-InputArea-editor') || {}).textContent || '')).map(
      c => (c.querySelector('.jp-OutputArea') || {}).textContent || ''),
  };
}"""


def run_all(page, name: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def wait_until_done(page, server, name: str) -> dict:
    """Wait until no cell is running or queued and the kernel has been idle for a few polls
    (Run All stops at an error: the cells below it then never get a number)."""
    deadline, idle_polls = time.monotonic() + LAB_SECONDS, 0
    while time.monotonic() < deadline:
        report = page.evaluate(PAGE_REPORT)
        busy = any("*" in prompt for prompt in report["prompts"])
        kernels = api(server["base"], server["token"], "/api/kernels")
        idle = not busy and all(k["execution_state"] == "idle" for k in kernels)
        idle_polls = idle_polls + 1 if idle else 0
        if idle_polls >= 3:
            return report
        time.sleep(2)
    pytest.fail(f"{name}: still running after {LAB_SECONDS} s")


def wait_for_idle_kernel(server, name: str, seconds: int = 180) -> None:
    """The notebook's kernel has started and is idle (ready for Run All Cells)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sessions = api(server["base"], server["token"], "/api/sessions")
        states = [s["kernel"]["execution_state"] for s in sessions if s["path"].endswith(name)]
        if states == ["idle"]:
            return
        time.sleep(1)
    pytest.fail(f"{name}: its kernel did not start within {seconds} s")


def saved_outputs(path: Path) -> list[dict]:
    nb = nbformat.read(path, as_version=4)
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


VIEW = ".lab-interactive-view"  # labsupport.interactive.View


def move_a_slider_in_each_view(page, stem: str) -> list[str]:
    """In each interactive view the page shows, drag the first slider's handle to the right as
    a learner would and wait for the picture to change. Screenshots of the view before and
    after. Returns one entry per view: "" when its picture changed, else what went wrong."""
    results = []
    OUT.mkdir(parents=True, exist_ok=True)
    views = page.locator(PANEL + " " + VIEW)
    for i in range(views.count()):
        view = views.nth(i)
        view.scroll_into_view_if_needed()
        picture = view.locator("img").first
        if not picture.count() or not picture.evaluate("i => i.naturalWidth > 0"):
            results.append("its picture is not drawn")
            continue
        before = picture.get_attribute("src")
        view.screenshot(path=str(OUT / f"{stem}_view{i}_before.png"))
        handle = view.locator(".widget-slider .noUi-handle").first
        box = handle.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2, steps=5)
        page.mouse.up()
        deadline = time.monotonic() + 60  # the kernel redraws: a model call and a figure
        while picture.get_attribute("src") == before and time.monotonic() < deadline:
            page.wait_for_timeout(500)
        if picture.get_attribute("src") == before:
            results.append("moving its first slider did not change the picture within 60 s")
            continue
        page.wait_for_timeout(500)
        view.screenshot(path=str(OUT / f"{stem}_view{i}_after.png"))
        results.append("")
    return results


@pytest.mark.parametrize("lab", LABS, ids=[lab.stem[:2] for lab in LABS])
def test_lab_runs_and_renders_in_jupyterlab(lab, server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    try:
        # a workspace of its own, reset: only this notebook is open
        page.goto(f"{server['base']}/lab/workspaces/{lab.stem[:2]}/tree/{lab.name}"
                  f"?reset&token={server['token']}")
        page.locator(PANEL + " .jp-Cell").first.wait_for(timeout=120_000)
        wait_for_idle_kernel(server, lab.name)
        started = time.monotonic()
        run_all(page, lab.name)
        report = wait_until_done(page, server, lab.name)
        seconds = time.monotonic() - started
        views = move_a_slider_in_each_view(page, lab.stem)
        page.locator(PANEL + " .jp-Cell").first.click()
        page.keyboard.press("Control+s")
        page.wait_for_timeout(3000)
        figure = page.locator(PANEL + " .jp-OutputArea-output img")
        if figure.count():
            figure.first.scroll_into_view_if_needed()  # the screenshot shows the first figure
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / f"{lab.stem}.png"))
    finally:
        page.close()
        for session in api(server["base"], server["token"], "/api/sessions"):
            api(server["base"], server["token"], f"/api/sessions/{session['id']}", "DELETE")
    outputs = saved_outputs(server["labs"] / lab.name)
    errors = [o for o in outputs if o.output_type == "error"]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    bars = [o for o in outputs if WIDGET_MIME in o.get("data", {})  # tqdm's text fallback:
            and "%|" in o["data"].get("text/plain", "")]
    print(f"{lab.stem}: {seconds:.0f} s in the browser, {len(figures)} figures, "
          f"{len(bars)} progress bars, {len(report['checks'])} grader.check cells, "
          f"{len(views)} interactive view(s)")
    problems = []
    never_ran = [i for i, prompt in enumerate(report["prompts"])
                 if not re.fullmatch(r"\[\d+\]:", prompt.strip())]
    if never_ran:
        problems.append(f"{len(never_ran)} code cells never ran (the first: {never_ran[0]})")
    if errors:
        problems.append(f"the saved notebook has an error: {errors[0].ename}: {errors[0].evalue}")
    if report["errors"]:
        problems.append(f"the page shows {report['errors']} traceback(s)")
    if len(report["images"]) < len(figures):
        problems.append(f"the kernel sent {len(figures)} figures, the page shows "
                        f"{len(report['images'])} images")
    if not all(width > 0 for width in report["images"]):
        problems.append("an image did not decode")
    if report["progress"] < len(bars):
        problems.append(f"{len(bars)} progress bars sent, {report['progress']} drawn as widgets")
    if not all(re.search(r"q\d", text) for text in report["checks"]):
        problems.append(f"a grader.check cell shows no result: {report['checks']}")
    problems += [f"interactive view {i}: {problem}" for i, problem in enumerate(views) if problem]
    if "lab.interactive." in lab.read_text(encoding="utf-8") and not views:
        problems.append("the lab makes an interactive view, the page shows none")
    if lab.parent == REPO / "notebooks" and not report["checks"]:
        problems.append("no grader.check cell ran")
    assert not problems, f"{lab.name}: " + "; ".join(problems)
