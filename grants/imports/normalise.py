"""Normalising names as people type them: beats (``Beat 62`` → ``NL62``) and line descriptions.

``normalise_description`` gives a matching key, never a value to store: ``Go Getta``,
``Go-Getta`` and ``**GO GETTA**`` all give ``go getta``.
"""

from __future__ import annotations

import re

DEFAULT_BEAT_PREFIX = "NL"

_BOLD_MARKERS = re.compile(r"^[*_]+|[*_]+$")
_BEAT = re.compile(r"^(?:beat\s*)?(?:(?P<prefix>[a-z]{1,3})\s*-?\s*)?(?P<number>\d{1,3})$", re.I)
_AREA_SEPARATORS = re.compile(r"\s*(?:/|,|&|\band\b|\+)\s*", re.I)
_NOT_WORD = re.compile(r"[\W_]+")


def strip_bold(text: str) -> str:
    """Remove Markdown-style bold/italic markers round a value: ``**Total**`` → ``Total``."""
    return _BOLD_MARKERS.sub("", text.strip()).strip()


def clean_text(value: object) -> str:
    """A cell as tidy text: bold markers gone, runs of whitespace (and line breaks) made one space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(strip_bold(str(value)).split())


def normalise_description(text: object) -> str:
    """The key used to match line names: lowercase, punctuation and spacing collapsed, bold markers gone.

    ``Go Getta``, ``Go-Getta`` and ``go  getta.`` all give ``go getta``.
    """
    cleaned = clean_text(text).lower().replace("&", " and ")
    return " ".join(_NOT_WORD.sub(" ", cleaned).split())


def normalise_area(value: object, *, prefix: str = DEFAULT_BEAT_PREFIX) -> str:
    """A police beat in the partnership's form: ``Beat 62``, ``NL62``, ``nl 62`` and ``62`` all give ``NL62``.

    A one-letter short form of the prefix (``N65``) is read as the beat too. Several beats
    (``Beat 62 / 63``) give ``NL62, NL63``. Anything that is not a beat (``Loughborough East``)
    comes back tidied but otherwise as written.
    """
    if isinstance(value, bool):
        return clean_text(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return f"{prefix}{int(value)}"
    text = clean_text(value)
    if not text:
        return ""
    parts = [part for part in _AREA_SEPARATORS.split(text) if part]
    beats: list[str] = []
    for part in parts:
        match = _BEAT.match(part)
        if not match:
            return text
        given = (match["prefix"] or "").upper()
        if given and not (given == prefix.upper() or (len(given) == 1 and prefix.upper().startswith(given))):
            return text
        beats.append(f"{prefix}{int(match['number'])}")
    return ", ".join(beats)
