"""User text (lesson files, file names, messages) made safe to show in a label."""

from __future__ import annotations

import re

LONG_WORD = 24  # a word longer than this gets break opportunities
_WORD = re.compile(r"\S{%d,}" % (LONG_WORD + 1))


def breakable(text: str) -> str:
    """Zero-width spaces inside very long words (paths, URLs, a hostile title), so that
    a word-wrapped label wraps them instead of widening its window."""
    def split(match):
        word = match.group(0)
        return "\u200b".join(word[i:i + LONG_WORD] for i in range(0, len(word), LONG_WORD))
    return _WORD.sub(split, text)
