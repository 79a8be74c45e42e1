"""User text: Markdown → HTML → nh3, with nothing outside the allow-list left."""

from __future__ import annotations

from core.markdown import markdown_to_html


def test_markdown_renders_the_usual_things() -> None:
    html = markdown_to_html("# Title\n\nSome *emphasis* and a [link](https://example.org).\n\n- one\n- two")
    assert "<h3>Title</h3>" in html
    assert "<em>emphasis</em>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">link</a>' in html
    assert "<li>one</li>" in html


def test_scripts_styles_images_and_handlers_are_removed() -> None:
    html = markdown_to_html(
        '<script>alert(1)</script><style>p{}</style><img src="file:///etc/passwd" alt="x">'
        '<a href="javascript:alert(1)" onclick="x()">bad</a>'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        '<a rel="attachment" href="file:///etc/passwd">attach</a>'
    )
    for forbidden in (
        "<script",
        "alert(1)",
        "<style",
        "<img",
        "javascript:",
        "onclick",
        "<link",
        "file://",
        "attachment",
    ):
        assert forbidden not in html


def test_headings_start_at_the_level_asked() -> None:
    assert "<h2>A</h2>" in markdown_to_html("# A", top_heading=2)
    # No level is ever skipped: the writer's highest heading becomes the top, the next one used the next.
    assert "<h3>B</h3>" in markdown_to_html("###### B", top_heading=3)
    html = markdown_to_html("## A\n\n#### C\n\n## D", top_heading=3)
    assert "<h3>A</h3>" in html and "<h4>C</h4>" in html and "<h3>D</h3>" in html


def test_tables_survive() -> None:
    html = markdown_to_html("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table>" in html and "<td>1</td>" in html
