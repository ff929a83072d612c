"""The static HTML report of ``her-arc solve``: what a reader of DIR/index.html sees, on real ARC tasks."""

from __future__ import annotations

import os
from html.parser import HTMLParser

import numpy as np
import pytest

from her_arc.solve.report import PALETTE, write_report
from her_arc.tasks import load_task

SOLUTION = "def task(img):\n    return np.kron(img != 0, img)\n"


class Page(HTMLParser):
    """Collects the table's links, the sections (their text and grids) and whether any script or external resource is
    referenced."""

    def __init__(self, text: str):
        super().__init__()
        self.links: list[str] = []
        self.sections: dict[str, dict] = {}
        self.external: list[str] = []
        self._section: dict | None = None
        self._figure: dict | None = None
        self._caption = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" or (tag in ("link", "img") and (a.get("href") or a.get("src"))):
            self.external.append(tag)
        if tag == "a" and a.get("href", "").startswith("#t-") and self._section is None:
            self.links.append(a["href"][1:])
        if tag == "section":
            self._section = self.sections[a["id"]] = {"text": [], "figures": []}
        elif tag == "figure" and self._section is not None:
            self._figure = {"cls": a.get("class") or "", "cells": [], "caption": [], "columns": None}
            self._section["figures"].append(self._figure)
        elif tag == "div" and "g" in (a.get("class") or "").split() and self._figure is not None:
            self._figure["columns"] = int(a["style"].split("repeat(")[1].split(",")[0])
        elif tag == "figcaption":
            self._caption = True
        elif tag == "i" and self._figure is not None:
            self._figure["cells"].append(a["class"])

    def handle_endtag(self, tag):
        if tag == "section":
            self._section = None
        elif tag == "figure":
            self._figure = None
        elif tag == "figcaption":
            self._caption = False

    def handle_data(self, data):
        if self._section is not None:
            self._section["text"].append(data)
        if self._figure is not None and self._caption:
            self._figure["caption"].append(data)


def row(name, status="solved", **kw):
    base = dict(
        name=name, source=name.replace("__", "/"), status=status, score=None, pairs_right=0, n_pairs=0,
        attempts=None, program=None, best_program=None, epochs=None, samples=None, seconds=None, error=None,
    )  # fmt: skip
    return {**base, **kw}


def figures(page, name, caption_start):
    return [f for f in page.sections[f"t-{name}"]["figures"] if "".join(f["caption"]).startswith(caption_start)]


def text(page, name):
    return "".join(page.sections[f"t-{name}"]["text"])


@pytest.fixture(scope="module")
def tasks():
    return {
        "arc1-train__007bbfb7": load_task("arc1-train/007bbfb7"),
        "arc1-train__00d62c1b": load_task("arc1-train/00d62c1b"),
    }


@pytest.fixture(scope="module")
def rows(tasks):
    solved = tasks["arc1-train__007bbfb7"]
    right = np.kron(solved.test[0] != 0, solved.test[0]).tolist()
    wrong = np.zeros_like(solved.test_outputs[0]).tolist()
    return [
        row("arc1-train__007bbfb7", "solved", score=1.0, pairs_right=5, n_pairs=5, attempts=[[wrong, right]],
            program=SOLUTION, best_program=SOLUTION, epochs=1, samples=64, seconds=12.5),
        row("arc1-train__00d62c1b", "error", error="worker died: <script>alert(1)</script> & more",
            n_pairs=5, seconds=3.0),
        row("arc1-eval__00576224", "pending"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def written(tmp_path_factory, rows, tasks):
    out = tmp_path_factory.mktemp("solve")
    path = write_report(out, rows, tasks, title="demo <run>")
    return out, path, Page(path.read_text(encoding="utf-8"))


def test_writes_index_html_in_the_out_dir_with_no_scripts_or_external_resources(written):
    out, path, page = written
    assert path == out / "index.html"
    assert page.external == []
    head = path.read_text(encoding="utf-8")[:4000]
    assert "<title>demo &lt;run&gt;</title>" in head
    assert "http://" not in path.read_text() and "https://" not in path.read_text()


def test_every_row_is_in_the_table_and_has_a_section(written, rows):
    _, _, page = written
    anchors = [f"t-{r['name']}" for r in rows]
    assert page.links == anchors
    assert set(anchors) <= set(page.sections)


def test_header_counts(written):
    _, path, _ = written
    head = path.read_text(encoding="utf-8").split("<table")[0]
    for label, value in [("tasks", 3), ("finished", 2), ("solved train", 1), ("errors", 1)]:
        assert f"{label}: <b>{value}</b>" in head
    assert "<b>100.0%</b>" in head  # the mean over the one scored task
    assert 'http-equiv="refresh"' in head  # a task is still pending: the page reloads itself


def test_a_solved_row_shows_its_program(written):
    _, _, page = written
    assert "return np.kron(img != 0, img)" in text(page, "arc1-train__007bbfb7")


def test_an_error_row_shows_its_escaped_error_text(written):
    _, path, page = written
    assert "worker died: <script>alert(1)</script> & more" in text(page, "arc1-train__00d62c1b")
    raw = path.read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in raw


def test_attempts_are_marked_against_the_known_test_output(written, tasks):
    _, _, page = written
    first, second = figures(page, "arc1-train__007bbfb7", "attempt")
    assert first["cls"] == "wrong" and "wrong" in "".join(first["caption"])
    assert second["cls"] == "right" and "right" in "".join(second["caption"])
    (expected,) = figures(page, "arc1-train__007bbfb7", "expected")
    assert expected["cells"] == [f"c{v}" for v in tasks["arc1-train__007bbfb7"].test_outputs[0].ravel()]


def test_a_pending_row_without_a_task_still_appears(written):
    _, _, page = written
    body = text(page, "arc1-eval__00576224")
    assert "pending" in body and "task not loaded" in body
    assert page.sections["t-arc1-eval__00576224"]["figures"] == []


def test_a_grid_renders_one_cell_per_value_with_its_colour_class(written, tasks):
    _, _, page = written
    task = tasks["arc1-train__00d62c1b"]
    ins, outs = figures(page, "arc1-train__00d62c1b", "in "), figures(page, "arc1-train__00d62c1b", "out ")
    assert len(ins) == len(outs) == len(task.train)
    for fig, grid in zip(ins + outs, task.inputs + task.outputs, strict=True):
        assert len(fig["cells"]) == grid.size
        assert fig["cells"] == [f"c{v}" for v in grid.ravel()]
        assert fig["columns"] == grid.shape[1]
    assert len({f"c{v}" for g in task.inputs for v in g.ravel()}) >= 2  # more than one colour is checked


def test_the_colour_classes_use_the_arc_palette(written):
    _, path, _ = written
    raw = path.read_text(encoding="utf-8")
    for i, colour in enumerate(PALETTE):
        assert f".c{i}{{background:{colour}}}" in raw


def test_rewriting_replaces_the_file_atomically_and_leaves_no_temp_files(tmp_path, rows, tasks):
    first = write_report(tmp_path, rows[:1], tasks)
    inode = os.stat(first).st_ino
    done = [{**r, "status": "unsolved"} if r["status"] == "pending" else r for r in rows]
    second = write_report(tmp_path, done, tasks)
    assert second == first and os.listdir(tmp_path) == ["index.html"]
    assert os.stat(second).st_ino != inode  # a new file renamed over the old one, not rewritten in place
    page = Page(second.read_text(encoding="utf-8"))
    assert len(page.links) == 3
    assert 'http-equiv="refresh"' not in second.read_text(encoding="utf-8")  # all finished: no reloading


def test_malformed_attempts_do_not_break_the_page(tmp_path, tasks):
    bad = row("arc1-train__007bbfb7", "unsolved", attempts=[[[[1, 2], [3]], [[99]]]], n_pairs=5)
    page = Page(write_report(tmp_path, [bad], tasks).read_text(encoding="utf-8"))
    attempts = figures(page, "arc1-train__007bbfb7", "attempt")
    assert [f["cls"] for f in attempts] == ["wrong", "wrong"] and all(not f["cells"] for f in attempts)
