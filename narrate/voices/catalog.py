"""What is known about Kokoro's 28 native English voice styles: a grade, a plain description and
a measured pitch, so casting can give the best voices to the characters heard most, and a deep
or a light voice to a character the text describes so.

Grades are Hexgrad's published ones for Kokoro v1.0 (A best ... F worst). Pitch is the median F0
of one sentence spoken by the style (``bench/voice_pitch.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

_GRADE_SCORE = {"A": 10, "A-": 9, "B+": 8, "B": 7, "B-": 6, "C+": 5, "C": 4, "C-": 3,
                "D+": 2, "D": 1, "D-": 0, "F+": -1, "F": -2}


@dataclass(frozen=True)
class StyleInfo:
    grade: str
    description: str
    pitch_hz: float
    """Median F0 of a sentence (bench/voice_pitch.py)."""

    @property
    def score(self) -> int:
        return _GRADE_SCORE.get(self.grade, 0)

    def describe(self) -> str:
        return f"{self.description} (grade {self.grade}, ~{self.pitch_hz:.0f} Hz)"


def _s(grade: str, description: str, pitch_hz: float) -> StyleInfo:
    return StyleInfo(grade, description, pitch_hz)


ENGLISH_STYLES: dict[str, StyleInfo] = {
    # American female
    "af_heart": _s("A", "warm, clear storyteller", 196),
    "af_bella": _s("A-", "rich, expressive", 195),
    "af_nicole": _s("B-", "soft, close, almost whispered", 149),
    "af_aoede": _s("C+", "smooth, even", 182),
    "af_kore": _s("C+", "bright, confident", 153),
    "af_sarah": _s("C+", "friendly, plain", 186),
    "af_alloy": _s("C", "neutral, steady", 145),
    "af_nova": _s("C", "crisp, modern", 159),
    "af_sky": _s("C-", "light, airy", 152),
    "af_jessica": _s("D", "quick, casual", 200),
    "af_river": _s("D", "soft, low-key", 171),
    # American male
    "am_michael": _s("C+", "calm, measured", 114),
    "am_fenrir": _s("C+", "strong, forceful", 143),
    "am_puck": _s("C+", "lively, playful", 111),
    "am_echo": _s("D", "even, plain", 107),
    "am_eric": _s("D", "firm, direct", 155),
    "am_liam": _s("D", "young, easy-going", 127),
    "am_onyx": _s("D", "very low, grave", 85),
    "am_santa": _s("D-", "old, jolly", 166),
    "am_adam": _s("F+", "flat, plain", 117),
    # British female
    "bf_emma": _s("B-", "clear, natural", 178),
    "bf_isabella": _s("C", "poised, warm", 198),
    "bf_alice": _s("D", "brisk, bright", 202),
    "bf_lily": _s("D", "light, young", 190),
    # British male
    "bm_george": _s("C", "mature, resonant", 139),
    "bm_fable": _s("C", "lively storyteller", 116),
    "bm_lewis": _s("D+", "low, husky", 95),
    "bm_daniel": _s("D", "quiet, even", 124),
}
