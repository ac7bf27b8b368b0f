"""Timed transcripts and chapters from the mixer's exact cue times: WebVTT, SRT, chapters JSON.

WebVTT names each speaker with a ``<v Speaker>`` span; SRT has no speaker markup, so lines a
character speaks start with ``Name:``. The chapters file follows the Podcasting 2.0 JSON
chapters format (version 1.2.0).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from narrate.audio.master import Cue
from narrate.audio.timeline import Chapter
from narrate.script import NARRATOR

CHAPTERS_VERSION = "1.2.0"


def _clock(ms: int, sep: str) -> str:
    ms = max(0, int(ms))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def _one_line(text: str) -> str:
    # A blank line ends a cue and "-->" starts timing; neither may appear inside cue text.
    return " ".join(text.split()).replace("-->", "->")


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT with one cue per spoken piece and the speaker in a voice span."""
    lines = ["WEBVTT", ""]
    for n, cue in enumerate(cues, 1):
        speaker = _vtt_escape(_one_line(cue.speaker or NARRATOR))
        lines += [str(n), f"{_clock(cue.start_ms, '.')} --> {_clock(cue.end_ms, '.')}",
                  f"<v {speaker}>{_vtt_escape(_one_line(cue.text))}", ""]
    return "\n".join(lines)


def to_srt(cues: Sequence[Cue]) -> str:
    """SubRip: numbered cues; a character's lines are prefixed with their name."""
    lines = []
    for n, cue in enumerate(cues, 1):
        text = _one_line(cue.text)
        if cue.speaker and cue.speaker != NARRATOR:
            text = f"{_one_line(cue.speaker)}: {text}"
        lines += [str(n), f"{_clock(cue.start_ms, ',')} --> {_clock(cue.end_ms, ',')}", text, ""]
    return "\n".join(lines)


def to_chapters_json(chapters: Sequence[Chapter], *, title: str | None = None) -> str:
    """Podcasting 2.0 chapters (times in seconds)."""
    data: dict[str, object] = {"version": CHAPTERS_VERSION}
    if title:
        data["title"] = title
    data["chapters"] = [{"startTime": round(c.start_ms / 1000, 3),
                         "endTime": round(c.end_ms / 1000, 3), "title": c.title}
                        for c in sorted(chapters, key=lambda c: c.start_ms)]
    return json.dumps(data, ensure_ascii=False, indent=1)
