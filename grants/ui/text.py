"""The one escaping helper for user text the app shows: :func:`md`.

Streamlit renders GitHub-flavoured Markdown (and its own ``:red[...]``, ``:material/...:`` and
``$...$`` directives) in ``st.markdown``, captions, alerts, headers, toasts, tooltips and the labels
of buttons, expanders, tabs, metrics, radios and inputs. A budget line called
``![x](http://127.0.0.1/x.png)`` would fetch an image there, ``[link](x)`` would be a live link, and a
bare ``www.example.org`` or ``someone@example.org`` would be turned into a link even with every
Markdown character escaped (GFM finds those "autolink literals" in the text after escapes are
undone). So every piece of text that came from a user or the ledger passes through :func:`md`:

* every ASCII punctuation character Markdown or Streamlit gives a meaning to is backslash-escaped;
* an invisible WORD JOINER (U+2060) is put where an autolink would start: between ``www`` and ``.``,
  before ``@``, between ``http``/``https``/``ftp``/``mailto`` and ``:`` and after a ``:`` followed by a letter
  (so no ``:emoji:`` shortcode forms), which GFM's autolink patterns cannot match across;
* line breaks become spaces (a newline could start a heading, list or table).

The text reads exactly as typed; only the invisible joiners are added.
"""

from __future__ import annotations

import re

JOINER = "\u2060"
_SPECIALS = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~$:.=&^\"'])")
_COLON_WORD = re.compile(r"\\:(?=\w)")
_AUTOLINK_STARTS = re.compile(r"(?i)(www)(?=\\?\.)|(https?|ftp|mailto|xmpp)(?=\\?:)|(?=\\?@)")


def md(text: object) -> str:
    """Text from the ledger or a user, made safe to show in any Streamlit element that renders Markdown."""
    flat = " ".join(str(text).splitlines())
    escaped = _SPECIALS.sub(r"\\\1", flat)
    escaped = _COLON_WORD.sub(lambda m: m.group(0) + JOINER, escaped)
    return _AUTOLINK_STARTS.sub(lambda m: m.group(0) + JOINER, escaped)
