"""Mastering: the show (music, spoken title, stories, credits) assembled into one PCM file on disk.

Segments arrive as a stream and leave as a stream: each is levelled, faded and placed after the
pause its boundary calls for, then joined with its neighbours into a chunk of raw PCM that is
appended to a temp file. Memory stays flat however long the episode is; the cues of every
segment (their exact places in the file, a sentence or a few each) are recorded on the way.

pydub does the clip work (fades, silences, the music bed's ducking and the overlay of speech on
it), always at one frame rate, width and channel count. Long audio is never built with ``a + b``
in a loop (quadratic); raw data is joined once per chunk.
"""

from __future__ import annotations

import hashlib
import logging
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

import narrate.audio.loudness as loudness_module
from narrate.audio.cache import SegmentCache, memo_key
from narrate.audio.loudness import LoudnessMeter, clip_blocks
from narrate.audio.memo import code_digest
from narrate.audio.pcm import (
    MASTER_RATE,
    SAMPLE_WIDTH,
    Audio,
    float_to_int16,
    int16_to_float,
    pydub_segment_class,
)
from narrate.audio.render import RenderedSegment, trim_silence
from narrate.audio.timeline import Chapter
from narrate.script import NARRATOR, SegmentKind, heading_title

_LOGGER = logging.getLogger(__name__)
AudioSegment = pydub_segment_class()

# Pauses by boundary, in ms. A segment is a sentence-sized piece of a paragraph (narration or a
# quote); the engine makes the pauses inside it.
SENTENCE_GAP_MS = 300  # between segments of one paragraph
PARAGRAPH_GAP_MS = 700
SPEAKER_CHANGE_EXTRA_MS = 150  # a new voice needs a breath more
SECTION_GAP_MS = 1500  # before and after a heading
STORY_GAP_MS = 1500  # each side of the sting between stories
MUSIC_GAP_MS = 700  # between the intro block and the first words, and before the outro

FADE_MS = 10  # on every speech clip edge, so nothing clicks
MUSIC_EDGE_MS = 40  # on user-supplied music edges
INTRO_LEAD_MS = 3500  # music alone before the title
OUTRO_LEAD_MS = 1500  # music alone before the credits
BED_TAIL_MS = 3000  # music alone after the words, ending in its fade
DUCK_RAMP_MS = 400
MAX_EXTRA_MUSIC_MS = 8000  # a user's music may run this much past the words, then fades
MUSIC_FADE_OUT_MS = 1500

SPEECH_LUFS = -20.0  # every voice is levelled to this before the programme gain (headroom)
MUSIC_LUFS = -22.0  # music alone sits a little under the voices
DUCK_DB = 15.0  # how far the bed drops under speech
MAX_VOICE_GAIN_DB = 24.0
MAX_PLR_DB = 12.0  # speech peaks at most this far above SPEECH_LUFS; limited per voice
LEVEL_TRIALS = 8  # gains tried per clip, at most (a trial is cheap unless the limiter bites)
LEVEL_TOLERANCE_LU = 0.1

CHUNK_MS = 30_000  # raw PCM joined and written this much at a time


@dataclass(frozen=True)
class Cue:
    """Where one spoken piece sits in the episode: the transcript's unit. A segment's speech is
    one cue, or several that tile it exactly when its engine chunks are known (a sentence or a
    few each)."""

    start_ms: int
    """Where the words start in the episode, in ms."""
    end_ms: int
    """Where they end, in ms; the next cue of the same segment starts here."""
    speaker: str
    text: str
    """The original text (whole sentences of the segment)."""
    voice: str = ""
    index: int | None = None
    """Position of the segment in its Script (shared by all the segment's cues); None for the
    spoken title and credits."""
    story: int = 0


@dataclass(frozen=True)
class Announcement:
    """Words the narrator says over the music: the episode title, the credits."""

    text: str
    audio: Audio
    voice: str


@dataclass(frozen=True)
class StoryInput:
    """One story of an episode: its title and its synthesis stream (consumed once)."""

    title: str
    rendered: Iterable[RenderedSegment]


@dataclass(frozen=True)
class ShowParts:
    """Everything around the stories. Any part may be absent."""

    intro_music: Audio | None = None
    outro_music: Audio | None = None
    title: Announcement | None = None
    credits: Announcement | None = None
    sting: Audio | None = None
    """Played between stories when several make one episode."""


@dataclass(frozen=True)
class Mix:
    """The assembled episode before mastering gain: a headerless PCM file and its timing."""

    pcm: Path
    """Mono signed 16-bit little-endian PCM at ``rate``."""
    rate: int
    duration_ms: int
    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]
    loudness_lufs: float
    """Integrated loudness of the whole file, measured while it was written."""
    peak_dbfs: float
    """Highest sample of the file (dBFS): tells export how much headroom the gain leaves."""
    voice_lufs: dict[str, float]
    """Each voice's loudness as the engine made it, before levelling."""


def import_in_background() -> None:
    """Start importing what mastering needs (scipy.signal: ~0.7 s, most of it docstring work in
    scipy >= 1.15; scipy.ndimage) on a daemon thread, so it overlaps the render's planning and
    synthesis instead of adding to the wait after them: an edited story's re-render is a few
    seconds, and this was a fifth of it. Idempotent; a failure surfaces at the real import."""
    global _IMPORTING
    if _IMPORTING is not None:
        return

    def work() -> None:
        import contextlib

        with contextlib.suppress(Exception):
            import scipy.ndimage
            import scipy.signal  # noqa: F401

    import threading

    _IMPORTING = threading.Thread(target=work, name="narrate-imports", daemon=True)
    _IMPORTING.start()


_IMPORTING: Any = None


def to_segment(samples: np.ndarray) -> Any:
    """Float mono at MASTER_RATE -> a pydub clip at the master frame rate."""
    return AudioSegment(data=float_to_int16(samples).tobytes(), sample_width=SAMPLE_WIDTH,
                        frame_rate=MASTER_RATE, channels=1)


def silent(ms: float) -> Any:
    # pydub's silent() defaults to 11025 Hz; always state the master rate.
    return AudioSegment.silent(duration=ms, frame_rate=MASTER_RATE)


def peak_limit(samples: np.ndarray, ceiling: float, *, window_ms: float = 12.0) -> np.ndarray:
    """Hold sample peaks under ``ceiling`` with a smooth look-ahead gain.

    The gain needed at each sample is spread over a window each side (minimum filter) and then
    smoothed by a moving average of the same width, so it is already down when a peak arrives
    and never rises above what any sample in reach needs. Only the stretches around peaks are
    computed: elsewhere the gain is exactly 1."""
    peak = np.abs(samples)
    over = np.flatnonzero(peak > ceiling)
    if not len(over):
        return samples
    width = max(3, int(window_ms * MASTER_RATE / 1000) | 1)
    margin = 2 * width + 2  # beyond this from every peak the filters see only gain 1
    breaks = np.flatnonzero(np.diff(over) > 2 * margin)
    starts = np.maximum(0, np.r_[over[0], over[breaks + 1]] - margin)
    ends = np.minimum(len(samples), np.r_[over[breaks], over[-1]] + margin + 1)
    # The stretches are filtered as one array: each keeps its unity-gain margins, so no filter
    # reaches from one stretch's peaks into the next.
    edges = np.zeros(len(samples) + 1, dtype=np.int32)
    np.add.at(edges, starts, 1)
    np.add.at(edges, ends, -1)
    near = np.flatnonzero(np.cumsum(edges[:-1]) > 0)
    out = samples.astype(np.float32, copy=True)
    out[near] *= _limiter_gain(peak[near], ceiling, width)
    return out


def _limiter_gain(peak: np.ndarray, ceiling: float, width: int) -> np.ndarray:
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    need = np.minimum(1.0, ceiling / np.maximum(peak, 1e-9))
    gain = uniform_filter1d(minimum_filter1d(need, 2 * width + 1), width)
    return np.minimum(gain, minimum_filter1d(need, width))  # the average never overshoots a peak


class VoiceLeveller:
    """Brings every voice to the same speech loudness, with its peaks held down.

    Each voice's gain is set so that everything the voice has said so far, levelled, meters at
    the target (so an early misjudgement is made up by the next segments). Every voice's peaks
    are then limited to the same ceiling, ``MAX_PLR_DB`` above the target, so the final limiter
    (which acts on the whole mix) has little left to do and cannot squash a peaky voice more
    than a smooth one. Limiting lowers loudness, so the gain is found by a few trials against
    the voice's meter: a clip is K-weighted once and a trial gain just scales its gating blocks;
    only a gain that makes the limiter bite costs a limiter pass and a new weighting. Levels
    match without seeing the whole episode first.

    With a ``memo`` cache each clip's outcome (its weighting, its gain, what it added to the
    voice's meters) is kept under a key made of the clip's samples and everything the voice said
    before it in this episode: re-mastering an edited episode levels the clips before the edit
    by a lookup and one multiply (and a limiter pass where it bites), and comes out the same to
    the sample, since the same inputs in the same order give the same state."""

    def __init__(self, target_lufs: float = SPEECH_LUFS, *,
                 memo: SegmentCache | None = None) -> None:
        self.target_lufs = target_lufs
        self.ceiling = float(10 ** ((target_lufs + MAX_PLR_DB) / 20))
        self._raw: dict[str, LoudnessMeter] = {}
        self._out: dict[str, LoudnessMeter] = {}
        self._loss: dict[str, float] = {}
        self._memo = memo
        self._history: dict[str, str] = {}
        self.hits = 0

    def level(self, voice: str, samples: np.ndarray) -> np.ndarray:
        key = self._advance(voice, samples) if self._memo is not None else ""
        found = self._memo.get_arrays(key) if key and self._memo is not None else None
        if found is not None and len(found) == 3 and len(found[2]) == 2:
            self.hits += 1
            return self._replay(voice, samples, *found)
        blocks = clip_blocks(samples, MASTER_RATE)
        raw = self._raw.setdefault(voice, LoudnessMeter(MASTER_RATE))
        raw.add_blocks(blocks)
        loudness = raw.integrated()
        if not math.isfinite(loudness) or not len(samples):
            return samples
        meter = self._out.setdefault(voice, LoudnessMeter(MASTER_RATE))
        peak = float(np.max(np.abs(samples)))
        gain = self.target_lufs - loudness + self._loss.get(voice, 0.0)
        slope = 1.0  # LU out per dB of gain; below 1 where the limiter bites
        last: tuple[float, float] | None = None
        for _ in range(LEVEL_TRIALS):
            gain = max(-MAX_VOICE_GAIN_DB, min(MAX_VOICE_GAIN_DB, gain))
            used = gain
            out, levelled = self._apply(samples, peak, gain, blocks)
            reached = meter.integrated_with(levelled)
            if not math.isfinite(reached) or abs(self.target_lufs - reached) < LEVEL_TOLERANCE_LU:
                break
            if last is not None and abs(gain - last[0]) > 1e-3:  # secant step
                slope = min(1.0, max(0.2, (reached - last[1]) / (gain - last[0])))
            last = (gain, reached)
            gain += (self.target_lufs - reached) / slope
        meter.add_blocks(levelled)
        # Start the voice's next clip from what limiting has cost it so far.
        self._loss[voice] = gain - (self.target_lufs - loudness)
        if key and self._memo is not None:
            self._memo.put_arrays(key, [blocks, levelled,
                                        np.array([used, self._loss[voice]], dtype=np.float64)])
        return out.astype(np.float32, copy=False)

    def _apply(self, samples: np.ndarray, peak: float, gain: float,
               blocks: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """The clip at ``gain`` dB, limited where that makes it pass the ceiling, and its
        levelled gating blocks (from ``blocks``, the clip's own, when the limiter is idle; not
        worked out without them)."""
        scale = float(10 ** (gain / 20))
        out = samples * np.float32(scale)
        if peak * scale > self.ceiling:
            out = peak_limit(out, self.ceiling)
            return out, clip_blocks(out, MASTER_RATE) if blocks is not None else np.zeros(0)
        return out, blocks * (scale * scale) if blocks is not None else np.zeros(0)

    def _replay(self, voice: str, samples: np.ndarray, blocks: np.ndarray, levelled: np.ndarray,
                numbers: np.ndarray) -> np.ndarray:
        """A memo hit: the meters and the voice's loss as the levelling left them, and the
        clip at the gain it chose."""
        self._raw.setdefault(voice, LoudnessMeter(MASTER_RATE)).add_blocks(blocks)
        self._out.setdefault(voice, LoudnessMeter(MASTER_RATE)).add_blocks(levelled)
        used, self._loss[voice] = float(numbers[0]), float(numbers[1])
        out, _ = self._apply(samples, float(np.max(np.abs(samples))), used, None)
        return out.astype(np.float32, copy=False)

    def _advance(self, voice: str, samples: np.ndarray) -> str:
        """The memo key of levelling ``samples`` now: a chain over the voice's clips so far
        (their samples, in order), the settings and the levelling code."""
        previous = self._history.get(voice) or memo_key(
            "level-start", voice=voice, target=repr(self.target_lufs),
            code=code_digest(sys.modules[__name__], loudness_module))
        audio = hashlib.blake2b(np.ascontiguousarray(samples, dtype=np.float32).tobytes(),
                                digest_size=16).hexdigest()
        self._history[voice] = key = memo_key("level", previous=previous, audio=audio)
        return key

    def loudness(self) -> dict[str, float]:
        """Each voice's loudness as it arrived, before levelling."""
        return {voice: round(m.integrated(), 2) for voice, m in self._raw.items()}


class PcmWriter:
    """Appends clips to a PCM file a chunk at a time and meters what it writes."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._chunks: list[bytes] = []
        self._buffered = 0
        self._chunk_bytes = int(CHUNK_MS * MASTER_RATE / 1000) * SAMPLE_WIDTH
        self.frames = 0
        self.meter = LoudnessMeter(MASTER_RATE)
        self.peak = 0.0

    @property
    def position_ms(self) -> int:
        return round(self.frames * 1000 / MASTER_RATE)

    def add(self, clip: Any) -> tuple[int, int]:
        """Append a pydub clip; return its (start, end) in ms."""
        if (clip.frame_rate, clip.channels, clip.sample_width) != (MASTER_RATE, 1, SAMPLE_WIDTH):
            raise ValueError("clip not at the master format")  # a bug, not a user error
        start = self.position_ms
        data = clip.raw_data
        self._chunks.append(data)
        self._buffered += len(data)
        self.frames += len(data) // SAMPLE_WIDTH
        if self._buffered >= self._chunk_bytes:
            self.flush()
        return start, self.position_ms

    def pause(self, ms: int) -> None:
        if ms > 0:
            self.add(silent(ms))

    def flush(self) -> None:
        if not self._chunks:
            return
        data = b"".join(self._chunks)
        self._out.write(data)
        samples = int16_to_float(data)
        self.meter.feed(samples)
        if len(samples):
            self.peak = max(self.peak, float(np.max(np.abs(samples))))
        self._chunks.clear()
        self._buffered = 0


def gap_before(previous: RenderedSegment | None, current: RenderedSegment) -> int:
    """Pause length (ms) by the kind of boundary between two spoken segments of one story."""
    if previous is None or previous.index == current.index:
        return 0  # (pieces of one long segment, see narrate.audio.longtext, run on)
    p, c = previous.segment, current.segment
    if c.section != p.section or SegmentKind.HEADING in (c.kind, p.kind):
        return SECTION_GAP_MS
    gap = PARAGRAPH_GAP_MS if c.paragraph != p.paragraph else SENTENCE_GAP_MS
    if (c.voice or "") != (p.voice or ""):
        gap += SPEAKER_CHANGE_EXTRA_MS
    return gap


def level_music(music: Audio, lufs: float = MUSIC_LUFS) -> np.ndarray:
    samples = music.resampled(MASTER_RATE).samples
    meter = LoudnessMeter(MASTER_RATE)
    meter.feed(samples)
    loudness = meter.integrated()
    if not math.isfinite(loudness):
        return samples
    return (samples * np.float32(10 ** ((lufs - loudness) / 20))).astype(np.float32)


def duck(bed: Any, start_ms: int, end_ms: int, *, db: float = DUCK_DB,
         ramp_ms: int = DUCK_RAMP_MS) -> Any:
    """The bed dropped by ``db`` between start and end, with gain ramps on both sides."""
    start_ms = max(0, min(start_ms, len(bed)))
    end_ms = max(start_ms, min(end_ms, len(bed)))
    mid = (start_ms + end_ms) // 2
    first = bed[:mid].fade(to_gain=-db, start=max(0, start_ms - ramp_ms), end=max(1, start_ms))
    second = bed[mid:].fade(from_gain=-db, to_gain=0, start=end_ms - mid,
                            end=min(len(bed) - mid, end_ms - mid + ramp_ms))
    return first._spawn(first.raw_data + second.raw_data)


def music_block(music: Audio | None, words: Audio | None, *, lead_ms: int,
                generated: bool) -> tuple[Any, int]:
    """Words spoken over a ducked music bed. Returns the clip and where the words start (ms).

    Either part may be missing: words alone, or music alone."""
    speech = to_segment(words.samples) if words is not None else None
    if music is None:
        if speech is None:
            return silent(0), 0
        return speech.fade_in(FADE_MS).fade_out(FADE_MS), 0
    bed = to_segment(level_music(music))
    if not generated:
        bed = bed.fade_in(MUSIC_EDGE_MS)
    if speech is None:
        return bed.fade_out(MUSIC_FADE_OUT_MS if generated else MUSIC_EDGE_MS), 0
    lead = min(lead_ms, max(0, len(bed) - len(speech) - BED_TAIL_MS)) if not generated else lead_ms
    needed = lead + len(speech) + BED_TAIL_MS
    if len(bed) < needed:
        bed = bed._spawn(bed.raw_data + silent(needed - len(bed)).raw_data)
    elif len(bed) > needed + MAX_EXTRA_MUSIC_MS:
        bed = bed[:needed].fade_out(MUSIC_FADE_OUT_MS)
    bed = duck(bed, lead, lead + len(speech))
    bed = bed.overlay(speech.fade_in(FADE_MS).fade_out(FADE_MS), position=lead)
    return bed.fade_out(MUSIC_EDGE_MS), lead


def assemble(stories: Sequence[StoryInput], pcm: str | Path, *, parts: ShowParts | None = None,
             generated_music: bool = True, speech_lufs: float = SPEECH_LUFS,
             memo: SegmentCache | None = None) -> Mix:
    """Write the whole show to ``pcm`` (mono s16le at MASTER_RATE) and return its timing.

    One story: a chapter per section heading. Several: a chapter per story. ``memo`` keeps each
    clip's levelling for the next render of the episode (see `VoiceLeveller`)."""
    parts = parts or ShowParts()
    pcm = Path(pcm)
    leveller = VoiceLeveller(speech_lufs, memo=memo)
    cues: list[Cue] = []
    marks: list[tuple[int, str]] = []  # chapter (start ms, title)
    with pcm.open("wb") as out:
        writer = PcmWriter(out)
        title = parts.title
        words = _levelled(leveller, title) if title else None
        block, offset = music_block(parts.intro_music, words, lead_ms=INTRO_LEAD_MS,
                                    generated=generated_music)
        start, _end = writer.add(block)
        if title and words is not None:
            cues.append(Cue(start + offset, start + offset + round(words.duration_ms),
                            NARRATOR, title.text, title.voice))
        writer.pause(MUSIC_GAP_MS if len(block) else 0)
        for number, story in enumerate(stories):
            if number:
                writer.pause(STORY_GAP_MS)
                if parts.sting is not None:
                    writer.add(music_block(parts.sting, None, lead_ms=0,
                                           generated=generated_music)[0])
                    writer.pause(STORY_GAP_MS)
            story_start = 0 if number == 0 else writer.position_ms
            marks.append((story_start, story.title))
            _write_story(writer, leveller, story, number, cues,
                         marks if len(stories) == 1 else None)
        writer.pause(MUSIC_GAP_MS)
        credits = parts.credits
        words = _levelled(leveller, credits) if credits else None
        if words is not None or parts.outro_music is not None:
            block, offset = music_block(parts.outro_music, words, lead_ms=OUTRO_LEAD_MS,
                                        generated=generated_music)
            start, _ = writer.add(block)
            marks.append((start, "Credits"))
            if credits and words is not None:
                cues.append(Cue(start + offset, start + offset + round(words.duration_ms),
                                NARRATOR, credits.text, credits.voice))
        writer.flush()
        if memo is not None:
            _LOGGER.info("levelling: %d clips as in the last render", leveller.hits)
        duration = writer.position_ms
        program = writer.meter.integrated()
        peak = 20 * math.log10(writer.peak) if writer.peak > 0 else -math.inf
    return Mix(pcm=pcm, rate=MASTER_RATE, duration_ms=duration, cues=tuple(cues),
               chapters=_chapters(marks, duration), loudness_lufs=program, peak_dbfs=peak,
               voice_lufs=leveller.loudness())


def _levelled(leveller: VoiceLeveller, words: Announcement) -> Audio:
    samples = trim_silence(words.audio.resampled(MASTER_RATE).samples, MASTER_RATE)
    return Audio(leveller.level(words.voice, samples), MASTER_RATE)


def _write_story(writer: PcmWriter, leveller: VoiceLeveller, story: StoryInput, number: int,
                 cues: list[Cue], marks: list[tuple[int, str]] | None) -> None:
    previous: RenderedSegment | None = None
    previous_heading = False
    for item in story.rendered:
        seg = item.segment
        gap = gap_before(previous, item)
        heading = seg.kind is SegmentKind.HEADING
        if marks is not None and heading and not previous_heading:
            if previous is None:  # the story opens with its heading: it names the first chapter
                marks[-1] = (marks[-1][0], heading_title(seg.text))
            else:
                marks.append((writer.position_ms + gap // 2, heading_title(seg.text)))
        writer.pause(gap)
        voice = seg.voice or ""
        samples = leveller.level(voice, item.audio.resampled(MASTER_RATE).samples)
        first = writer.frames
        start, end = writer.add(to_segment(samples).fade_in(FADE_MS).fade_out(FADE_MS))
        speaker = seg.speaker if seg.kind is SegmentKind.DIALOGUE and seg.speaker else NARRATOR
        for cue_start, cue_end, text in _caption_times(item, len(samples), first, start, end):
            cues.append(Cue(cue_start, cue_end, speaker, text, voice, item.index, number))
        previous, previous_heading = item, heading


def _caption_times(item: RenderedSegment, frames: int, first: int, start_ms: int,
                   end_ms: int) -> list[tuple[int, int, str]]:
    """(start ms, end ms, text) of each caption of a segment whose ``frames`` samples were
    written from frame ``first`` of the file (``start_ms`` to ``end_ms``): cues that tile the
    segment exactly. Levelling and fades keep the length, so a caption's end moves only by the
    resampling to the master rate (none when the audio is already at it)."""
    whole = " ".join(item.segment.text.split())
    if len(item.captions) < 2 or not len(item.audio.samples):
        return [(start_ms, end_ms, whole)]
    scale = frames / len(item.audio.samples)
    times: list[tuple[int, int, str]] = []
    begin, pending = start_ms, ""
    for n, caption in enumerate(item.captions, 1):
        stop = end_ms if n == len(item.captions) else min(
            end_ms, round((first + caption.end * scale) * 1000 / MASTER_RATE))
        text = f"{pending} {caption.text}".strip()
        if stop <= begin:  # under a millisecond: say it with the next caption
            pending = text
            continue
        times.append((begin, stop, text))
        begin, pending = stop, ""
    if pending:  # the last captions fell on the segment's end
        if not times:
            return [(start_ms, end_ms, whole)]
        last_start, last_stop, last_text = times[-1]
        times[-1] = (last_start, last_stop, f"{last_text} {pending}")
    return times


def _chapters(marks: list[tuple[int, str]], duration_ms: int) -> tuple[Chapter, ...]:
    marks = sorted(marks, key=lambda m: m[0])
    chapters = []
    for i, (start, title) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else duration_ms
        if end > start:
            chapters.append(Chapter(title=title or f"Chapter {i + 1}", start_ms=start,
                                    end_ms=end))
    return tuple(chapters)
