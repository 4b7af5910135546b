"""The one escaping helper: user text shows as typed, never as Markdown, HTML, a link or an image."""

from __future__ import annotations

import pytest

from grants.ui.text import JOINER, md


@pytest.mark.parametrize(
    "text",
    [
        "![x](http://127.0.0.1:9/x.png)",
        "[link](http://127.0.0.1:9/)",
        "<b>bold</b>",
        ":red[alarm] :material/lock: $x$",
        "*Urgent* _now_ # heading",
        "1. first",
    ],
)
def test_every_markdown_character_is_escaped(text: str) -> None:
    shown = md(text).replace(JOINER, "")
    unescaped = [c for i, c in enumerate(shown) if c in "![]()<>*_#:$." and (i == 0 or shown[i - 1] != "\\")]
    assert unescaped == []
    assert shown.replace("\\", "") == text


@pytest.mark.parametrize(
    ("text", "broken"),
    [
        ("www.example.org", "www" + JOINER),
        ("WWW.example.org", "WWW" + JOINER),
        ("mail e2e@example.org", "e2e" + JOINER + "@"),
        ("http://x.org", "http" + JOINER),
        ("https://x.org", "https" + JOINER),
    ],
)
def test_autolink_literals_are_broken_by_an_invisible_joiner(text: str, broken: str) -> None:
    assert broken in md(text)


def test_line_breaks_cannot_start_a_heading_or_a_list() -> None:
    assert "\n" not in md("Title\n===\n- item")
