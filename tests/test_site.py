"""`labinstructor.site`: one offline page per lab, with its figures, and an index in lab order.

Built here from two small labs in a temporary notebooks/ folder; `make test` also builds the
real site from the labs it executed (`python -m labinstructor.site ... --check`).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from labinstructor import site

FIGURE = "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()"


def write_lab(folder: Path, name: str, title: str, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\nThe scale is $\\sqrt{{d_k}}$.")]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in cells]
    path = folder / name
    nbformat.write(nb, path)
    return path


@pytest.fixture
def two_labs(tmp_path) -> Path:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_lab(notebooks, "01_second.ipynb", "Lab 01 — Second", ["print('no figure here')"])
    write_lab(notebooks, "00_first.ipynb", "Lab 00 — First", [FIGURE, FIGURE])
    (notebooks / "scratch.ipynb").write_text("{}")  # not a lab: no NN_ prefix
    return notebooks


def test_build_without_executed_labs_says_how_to_get_them(two_labs, tmp_path):
    with pytest.raises(site.SiteError, match="run `make test` first.*--execute-missing"):
        site.build(tmp_path / "executed", tmp_path / "site", notebooks_dir=two_labs)


@pytest.mark.slow
def test_one_offline_page_per_lab_with_its_figures(two_labs, tmp_path):
    executed, out = tmp_path / "executed", tmp_path / "site"
    problems = site.build(executed, out, execute_missing=True, notebooks_dir=two_labs)
    assert problems == []
    assert sorted(p.name for p in out.glob("*.html")) == [
        "00_first.html", "01_second.html", "index.html"]
    first = (out / "00_first.html").read_text()
    assert first.count('src="data:image/png') == 2  # both figures, embedded
    assert "no figure here" in (out / "01_second.html").read_text()
    assert site.MATHJAX_URL in first and (out / "mathjax" / "MathJax.js").is_file()
    for page in out.glob("*.html"):
        assert not site._NETWORK_REFERENCE.search(page.read_text()), page.name
    index = (out / "index.html").read_text()
    assert index.index("Lab 00 — First") < index.index("Lab 01 — Second")
    assert "(2 figures)" in index and "(0 figures)" in index

    # --check fails a page that lost a figure, and one that loads a script from the network
    page = first.replace('src="data:image/png', 'src="lost', 1)
    assert site.check_page(page, 2, "00_first.html") == [
        "00_first.html: 1 embedded images, the executed notebook has 2"]
    assert site.check_page(first.replace("</head>", '<script src="https://cdn.example/x.js">'
                                         "</script></head>"), 2, "00_first.html")
    for fetched in ('<link rel="stylesheet" href="https://cdn.example/x.css">',
                    "<script>import('https://cdn.example/x.mjs')</script>"):
        assert site.check_page(first.replace("</head>", fetched + "</head>"), 2, "00_first.html")
    # a hyperlink fetches nothing until clicked (lab 06 cites its source with one)
    linked = first.replace("</body>", '<a href="https://github.com/google-research/FLAN">x</a>'
                                      "</body>")
    assert site.check_page(linked, 2, "00_first.html") == []
    # and a lab that draws but whose executed copy holds no figure (run with MPLBACKEND=Agg)
    assert "has none" in site.check_page(first, 0, "00_first.html", should_draw=True)[0]


def test_an_interactive_view_shows_its_static_figure():
    """A labsupport.interactive view is sent as a widget plus a PNG; the page shows the PNG."""
    import torch

    from labsupport import interactive

    class Names:
        def convert_ids_to_tokens(self, ids):
            return [f"t{i}" for i in ids]

    view = interactive.sampling_explorer(torch.tensor([1.0, 0.5, 0.0]), Names(), top_n=3)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("view")
    cell.outputs = [nbformat.v4.new_output("display_data", data=view._repr_mimebundle_())]
    nb.cells = [cell]
    assert site.image_outputs(nb) == 1
    page = site.render(nb)
    assert page.count('src="data:image/png') == 1
    assert site.check_page(page, 1, "view.html") == []
