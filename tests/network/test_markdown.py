import pytest

from network.markdown import render_markdown


def test_plain_text_becomes_paragraphs_with_line_breaks():
    html = render_markdown("Erste Zeile\nzweite Zeile\n\nNeuer Absatz")
    assert html == "<p>Erste Zeile<br>\nzweite Zeile</p>\n<p>Neuer Absatz</p>"


def test_bold_italic_and_code():
    html = render_markdown("**fett**, *kursiv* und `code`")
    assert html == "<p><strong>fett</strong>, <em>kursiv</em> und <code>code</code></p>"


def test_code_spans_are_not_formatted_inside():
    assert render_markdown("`**nicht fett**`") == "<p><code>**nicht fett**</code></p>"


def test_bullet_lists():
    html = render_markdown("Punkte:\n- eins\n- **zwei**\nDanach")
    assert html == "<p>Punkte:</p>\n<ul><li>eins</li><li><strong>zwei</strong></li></ul>\n<p>Danach</p>"


def test_http_and_https_links_get_nofollow_noopener():
    html = render_markdown("[Portal](https://example.org/a?b=1&c=2) und [alt](http://example.org)")
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener">Portal</a>' in html
    assert '<a href="http://example.org" rel="nofollow noopener">alt</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "[klick](javascript:alert(1))",
        "[klick](data:text/html;base64,PHNjcmlwdD4=)",
        "[klick](/relativ/)",
        "[klick](ftp://example.org/)",
    ],
)
def test_other_link_targets_stay_literal_text(text):
    html = render_markdown(text)
    assert "<a" not in html
    assert html == f"<p>{text}</p>"


def test_script_tags_render_escaped():
    html = render_markdown("<script>alert('x')</script>")
    assert html == "<p>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</p>"


def test_raw_html_renders_escaped_everywhere():
    html = render_markdown('<b onclick="x">fett</b>\n- <img src=x onerror=alert(1)>\n`<i>`')
    assert "<b" not in html and "<img" not in html and "<i>" not in html
    assert "&lt;b onclick=&quot;x&quot;&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_quote_in_a_link_cannot_leave_the_attribute():
    html = render_markdown('[x](https://example.org/"onmouseover="alert)')
    assert 'href="https://example.org/&quot;onmouseover=&quot;alert"' in html
    assert ' onmouseover="' not in html


def test_emphasis_inside_a_link_target_does_not_break_the_markup():
    html = render_markdown("[Liste](https://example.org/*a*/)")
    assert html == '<p><a href="https://example.org/*a*/" rel="nofollow noopener">Liste</a></p>'


def test_unsupported_markdown_stays_literal():
    html = render_markdown("# Überschrift\n> Zitat\n1. eins\n![Bild](https://example.org/x.png)")
    assert "<h1" not in html and "<blockquote" not in html and "<ol" not in html and "<img" not in html
    assert "# Überschrift" in html
    assert "&gt; Zitat" in html


def test_lone_asterisks_stay_text():
    assert render_markdown("2 * 3 * 4") == "<p>2 * 3 * 4</p>"


def test_empty_text_renders_nothing():
    assert render_markdown("  \n\n ") == ""


def test_nul_characters_cannot_forge_placeholders():
    assert render_markdown("a\x000\x00b `c`") == "<p>a0b <code>c</code></p>"
