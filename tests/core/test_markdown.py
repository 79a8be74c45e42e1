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


def test_footnotes_are_linked_both_ways_with_ids_of_the_given_prefix_only() -> None:
    text = 'A claim.[^1] <sup id="section-2-fn-1">forged</sup> <li id="x">y</li>\n\n[^1]: The source, 2026.'

    first = str(markdown_to_html(text, footnote_ids="section-1"))
    second = str(markdown_to_html(text, footnote_ids="section-2"))

    assert '<sup id="section-1-fnref-1"><a href="#section-1-fn-1"' in first
    assert '<li id="section-1-fn-1">' in first and "The source, 2026." in first
    assert 'href="#section-1-fnref-1"' in first  # back to the text
    assert 'id="x"' not in first and 'id="section-2-fn-1"' not in first  # a writer's own ids go
    assert 'id="section-2-fnref-1"' in second  # two texts on one page: no id shared
    assert "id=" not in str(markdown_to_html(text))  # no prefix, no footnotes and no ids at all
