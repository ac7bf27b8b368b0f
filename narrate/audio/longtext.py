"""Long segments cut into shorter ones before synthesis, so no segment's audio is huge.

A segment is mastered whole (levelled, faded, written), and mastering holds several copies of
its audio: a 3,000-word paragraph without punctuation (one segment, 20 minutes of speech) took
the render to 3.0 GB, and 15,000 words ran out of memory. Engines only ever see short chunks
(`split_for_engine`); this bounds what the rest of the pipeline holds at once.

A segment of more than ``MAX_SEGMENT_WORDS`` spoken words becomes consecutive segments of the
same kind, speaker, voice and paragraph: whole sentences packed together where they fit, a run
without sentence ends cut at word boundaries into near-equal pieces. The original text is cut
at the matching word (at a sentence end when one is near), so the pieces tile the original
span exactly and the transcript keeps every word. Segments up to the limit are untouched, and
so are their cache keys.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from itertools import pairwise

from narrate.script import Segment

MAX_SEGMENT_WORDS = 150
"""About a minute of speech: mastering such a segment adds ~150 MB at most."""
SNAP_WORDS = 8
"""How far (in words) a cut in the original text moves to land on a sentence end."""
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")


def split_long_segment(segment: Segment, max_words: int = MAX_SEGMENT_WORDS) -> list[Segment]:
    """``segment`` as consecutive segments of at most ``max_words`` spoken words each (itself
    alone when it is that short)."""
    spoken_words = segment.speak.split()
    if len(spoken_words) <= max_words:
        return [segment]
    pieces = _speak_pieces(segment.speak, max_words)
    starts = [m.start() for m in re.finditer(r"\S+", segment.text)]
    if len(pieces) < 2 or len(starts) < len(pieces):
        return [segment]
    sentence_starts = {i for i, pos in enumerate(starts)
                       if i and _SENTENCE_END.search(segment.text, starts[i - 1], pos + 1)}
    cuts: list[int] = []  # word index in the original text where each later piece starts
    done = 0
    for piece in pieces[:-1]:
        done += len(piece.split())
        target = round(done * len(starts) / len(spoken_words))
        near = [i for i in sentence_starts if abs(i - target) <= SNAP_WORDS]
        cut = min(near, key=lambda i: abs(i - target)) if near else target
        lowest = (cuts[-1] if cuts else 0) + 1
        cuts.append(min(max(cut, lowest), len(starts) - (len(pieces) - len(cuts)) + 1))
    bounds = [0, *(starts[i] for i in cuts), len(segment.text)]
    return [replace(segment, start=segment.start + a, end=segment.start + b,
                    text=segment.text[a:b], speak=speak)
            for (a, b), speak in zip(pairwise(bounds), pieces, strict=True)]


def _speak_pieces(speak: str, max_words: int) -> list[str]:
    """Whole sentences packed into pieces of at most ``max_words`` words; a longer sentence is
    cut at words into near-equal pieces of its own."""
    pieces: list[str] = []
    current: list[str] = []
    for sentence in _SENTENCE_END.split(" ".join(speak.split())):
        words = sentence.split()
        if not words:
            continue
        if len(words) > max_words:
            if current:
                pieces.append(" ".join(current))
                current = []
            parts = math.ceil(len(words) / max_words)
            size = math.ceil(len(words) / parts)
            pieces += [" ".join(words[i:i + size]) for i in range(0, len(words), size)]
        elif len(current) + len(words) > max_words:
            pieces.append(" ".join(current))
            current = words
        else:
            current += words
    if current:
        pieces.append(" ".join(current))
    return pieces


RUN_CHUNK_CHARS = 120
"""Engine chunk limit inside a run with no sentence or clause end. Such a chunk is one
utterance to the engine, and its working memory grows with it: a Piper worker peaked at 397 MB
on 200-character runs and 348 MB on 120-character ones, which keeps two workers and the parent
under 900 MB on a 3,000-word paragraph without punctuation."""


def cut_run(text: str, limit: int) -> list[str]:
    """A run of words too long for one engine call, cut at word boundaries into chunks of at
    most ``min(limit, RUN_CHUNK_CHARS)`` characters (a single longer word is cut where it must)."""
    limit = min(limit, RUN_CHUNK_CHARS)
    chunks: list[str] = []
    text = text.strip()
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit + 1)
        cut = cut if cut > 0 else limit
        chunks.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        chunks.append(text)
    return chunks


def has_long_run(text: str, limit: int) -> bool:
    """Whether `split_for_engine` cuts some of ``text`` with `cut_run`: a clause of a sentence
    longer than ``limit`` is itself longer than ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return False
    return any(len(clause) > limit
               for sentence in re.split(r"(?<=[.!?…])\s+", text) if len(sentence) > limit
               for clause in re.split(r"(?<=[,;:—])\s+", sentence))
