"""A static, offline HTML site of the executed labs: one page per lab and an index in lab order.

    python -m labinstructor.site --executed .test-cache/executed --out site [--execute-missing]

The pages are rendered from learner notebooks that were already executed: `make test` saves
each lab as it ran (tests/test_masters_graded.py, tiny profile) into the executed folder, so the
site costs no third run of the labs. `--execute-missing` runs, in a fresh kernel, any lab that
has no executed copy there (for a site built without a test run).

Offline at build and view time: images are embedded in the pages, MathJax is copied from the
`jupyter_server_mathjax` package into the site, and nothing else is loaded (no require.js, no
CDN; widget views such as progress bars show their text form). `--check` then verifies that
every lab has a page holding all of its figures and that no page refers to the network.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat

from labinstructor import exercises
from labsupport.paths import REPO_ROOT

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"  # configs shipped
# Something the page would fetch from elsewhere when opened: a src= attribute (scripts, images,
# frames; also widgetRendererSrc = '...' in scripts), a <link href=...> (styles), a JavaScript
# module import. A plain hyperlink (<a href=...>) fetches nothing until clicked: it is allowed.
_NETWORK_REFERENCE = re.compile(
    r"""(?:src\s*=\s*["']?|<link\b[^>]*\bhref\s*=\s*["']?|import\(\s*["'])(?:https?:)?//""",
    re.IGNORECASE)
_EMBEDDED_IMAGE = re.compile(r"<img[^>]+src=\"data:image/", re.IGNORECASE)


class SiteError(Exception):
    """A page could not be built or fails the check; the message says what to do."""


def labs(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The learner labs, in lab order."""
    return sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb"))


def title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The text of the notebook's first level-1 heading."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def image_outputs(nb: nbformat.NotebookNode) -> int:
    """How many figures the executed notebook shows (image outputs)."""
    return sum(1 for cell in nb.cells if cell.cell_type == "code"
               for output in cell.get("outputs", [])
               if any(key.startswith("image/") for key in output.get("data", {})))


def execute(path: Path, out: Path) -> None:
    """Run a learner notebook top to bottom in a fresh kernel; save it with its outputs."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=1200, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with exercises.environment(MPLBACKEND=exercises.INLINE_BACKEND):  # figures as outputs
        client.execute()
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)


def without_widgets(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy that shows widget outputs (progress bars) by their text form: their live view
    needs a script from a CDN, which an offline page cannot load."""
    nb = exercises.json_copy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data and "text/plain" in data:
                del data["application/vnd.jupyter.widget-view+json"]
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    """One page: JupyterLab's look, images embedded, MathJax from the site, no other script."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", embed_images=True, mathjax_url=MATHJAX_URL,
                            require_js_url="", jquery_url="", mermaid_js_url="",
                            mermaid_layout_elk_js_url="")
    page, _ = exporter.from_notebook_node(without_widgets(nb))
    # An empty require_js_url still leaves `<script src="">`: drop it.
    return re.sub(r'<script src=""></script>\s*', "", page)


def index_page(entries: list[tuple[str, str, int]]) -> str:
    rows = "\n".join(f'<li><a href="{html.escape(href)}">{html.escape(name)}</a> '
                     f"<small>({figures} figure{'' if figures == 1 else 's'})</small></li>"
                     for name, href, figures in entries)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Generative AI labs</title></head>\n<body style=\"font-family: sans-serif; "
            "max-width: 50em; margin: 2em auto\">\n<h1>Generative AI labs, executed</h1>\n"
            "<p>Each lab as it ran top to bottom in the <code>tiny</code> profile, offline, on a "
            "CPU. Exercises are left blank, as a learner receives them.</p>\n"
            f"<ol start=\"0\">\n{rows}\n</ol>\n</body></html>\n")


def draws(nb: nbformat.NotebookNode) -> bool:
    """Whether the lab's code shows a figure (so its executed copy must hold one)."""
    return any(cell.cell_type == "code" and "plt.show()" in cell.source for cell in nb.cells)


def check_page(page: str, figures: int, name: str, should_draw: bool = False) -> list[str]:
    problems = []
    if should_draw and not figures:
        problems.append(f"{name}: the lab shows figures but its executed copy has none (was it "
                        "run with MPLBACKEND=Agg? Jupyter's inline backend keeps them)")
    shown = len(_EMBEDDED_IMAGE.findall(page))
    if shown < figures:
        problems.append(f"{name}: {shown} embedded images, the executed notebook has {figures}")
    found = _NETWORK_REFERENCE.search(page)
    if found:
        problems.append(f"{name}: refers to the network ({found.group(0)}...): the site must be "
                        "offline")
    return problems


def build(executed_dir: Path, out_dir: Path, execute_missing: bool = False,
          notebooks_dir: Path = NOTEBOOKS_DIR) -> list[str]:
    """Write the site; return the problems `--check` reports (empty when all is well)."""
    import jupyter_server_mathjax

    sources = labs(notebooks_dir)
    if not sources:
        raise SiteError(f"no labs (NN_name.ipynb) in {notebooks_dir}")
    missing = [p for p in sources if not (executed_dir / p.name).exists()]
    if missing and not execute_missing:
        raise SiteError(
            f"no executed copy of {', '.join(p.name for p in missing)} in {executed_dir}: run "
            "`make test` first (it saves every lab as it ran), or pass --execute-missing")
    for path in missing:
        print(f"executing {path.name} (no executed copy)", flush=True)
        execute(path, executed_dir / path.name)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", out_dir / "mathjax")
    entries, problems = [], []
    for path in sources:
        nb = nbformat.read(executed_dir / path.name, as_version=4)
        page = render(nb)
        href = path.stem + ".html"
        (out_dir / href).write_text(page, encoding="utf-8")
        figures = image_outputs(nb)
        problems += check_page(page, figures, href, should_draw=draws(nb))
        entries.append((title(nb, path.stem), href, figures))
    (out_dir / "index.html").write_text(index_page(entries), encoding="utf-8")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executed", type=Path, required=True,
                        help="folder of executed learner notebooks (make test writes them)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the site to")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS_DIR)
    parser.add_argument("--execute-missing", action="store_true",
                        help="run the labs that have no executed copy")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless every page holds its figures and is offline")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        problems = build(args.executed, args.out, args.execute_missing, args.notebooks)
    except SiteError as error:
        print(f"ERROR {error}", file=sys.stderr)
        return 1
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"site: {len(labs(args.notebooks))} labs in {args.out}/index.html, "
          f"{size / 1e6:.1f} MB, built in {time.monotonic() - started:.0f} s")
    for problem in problems:
        print(f"PROBLEM {problem}", file=sys.stderr)
    return 1 if (args.check and problems) else 0


if __name__ == "__main__":
    sys.exit(main())
