"""Slack text in and out: decode what Slack sends, escape exactly once what we send, split what is long.

Slack sends a message's text as mrkdwn: `&`, `<` and `>` arrive as `&amp;`, `&lt;` and `&gt;`, and
mentions, channels and links arrive as `<...>` tokens (https://docs.slack.dev/messaging/formatting-message-text).
`decode` turns that into the plain text a person reads, which is what the engine, the stores and the
officers' cards work with. Everything we show goes out through `escape` once, at the edge.
"""

from __future__ import annotations

import re

ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
ENTITY = re.compile(r"&(?:amp|lt|gt);")
TOKEN = re.compile(r"<([^<>\n]*)>")
BROADCASTS = {"here", "channel", "everyone"}

# Boundaries tried in order when text must be split: paragraph, line, sentence, word.
PARAGRAPH = re.compile(r"(?<=\n\n)")
LINE = re.compile(r"(?<=\n)")
SENTENCE = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
WORD = re.compile(r"(?:<[^<>\n]*>|[^\s<]|<)+\s*|\s+")


def decode(text: str | None) -> str:
    """Slack mrkdwn as a person reads it: "T&amp;Cs" -> "T&Cs", "<mailto:a@b.org|a@b.org>" -> "a@b.org",
    "<https://x.org|my contract>" -> "my contract (https://x.org)", "<#C1|hr>" -> "#hr",
    "<@U1|sam>" -> "@sam", "<@U1>" -> "@U1", "<!here>" -> "@here"."""
    return _unescape(TOKEN.sub(lambda match: _readable(match.group(1)), text or ""))


def _unescape(text: str) -> str:
    return ENTITY.sub(lambda match: ENTITIES[match.group(0)], text)


def _readable(token: str) -> str:
    target, _, label = token.partition("|")
    if target.startswith("@"):
        return "@" + (label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        return _special(target[1:], label)
    address = target.removeprefix("mailto:")
    if not label or label in (target, address):
        return address
    return f"{label} ({address})"


def _special(command: str, label: str) -> str:
    """<!here>, <!subteam^S1|@officers>, <!date^1392734382^{date}|Feb 18th>: what the reader sees."""
    if command in BROADCASTS:
        return "@" + command
    return label or "@" + command.split("^")[0]


def escape(text: str) -> str:
    """Plain text as mrkdwn: Slack reads &, < and > as control characters. Call it once, on plain text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """For labels whose limit is the design (a button says "Ask an officer"), never for what people wrote."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters that together hold all of `text`.

    Cut at the last paragraph break that fits, else a line break, else a sentence end, else a space;
    only a single word longer than `limit` is cut inside, and never through an `&amp;` entity or a
    `<...>` link token. The whitespace at a cut ends the piece before it, so joining the pieces gives
    the text back, stripped (only whitespace that fits in neither piece is dropped); empty text
    gives no pieces."""
    if limit < 1:
        raise ValueError("limit must be positive")
    return [piece for piece in _split(text.strip(), limit, 0) if piece.strip()]


_LEVELS = (PARAGRAPH, LINE, SENTENCE, WORD)


def _split(text: str, limit: int, level: int) -> list[str]:
    if len(text) <= limit:
        return [text]
    if level == len(_LEVELS):
        return _hard_split(text, limit)
    pieces: list[str] = []
    for part in _parts(text, _LEVELS[level]):
        if len(part) > limit:
            pieces += _split(part, limit, level + 1)
        elif pieces and len(pieces[-1]) + len(part) <= limit:
            pieces[-1] += part
        else:
            pieces.append(part)
    return pieces


def _parts(text: str, boundary: re.Pattern[str]) -> list[str]:
    """Text cut after each boundary, separators kept on the left part so joining gives the text back."""
    if boundary is WORD:
        return [match.group(0) for match in WORD.finditer(text)]
    cuts = [match.end() for match in boundary.finditer(text)]
    starts = [0, *cuts]
    return [text[a:b] for a, b in zip(starts, [*cuts, len(text)], strict=True) if text[a:b]]


def _hard_split(word: str, limit: int) -> list[str]:
    pieces = []
    while len(word) > limit:
        cut = _safe_cut(word, limit)
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]


def _safe_cut(word: str, limit: int) -> int:
    """The cut at `limit`, moved back to before an entity or a <...> token it would break, if one fits."""
    for match in re.finditer(r"&(?:amp|lt|gt);|<[^<>\n]*>", word):
        if match.start() < limit < match.end() and match.start() > 0:
            return match.start()
    return limit
