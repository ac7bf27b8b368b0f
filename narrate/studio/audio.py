"""What the studio plays: one line as the episode will say it, a voice's sample, the episode.

A line is spoken through the segment cache with the cache key a render uses, so a line heard in
the studio is not synthesised again by the render (and a line the render already spoke plays at
once); only the line asked for is synthesised, never the episode.
"""

from __future__ import annotations

import io
import logging
import threading
import time
import wave
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from narrate.audio.cache import SegmentCache
from narrate.audio.pcm import float_to_int16
from narrate.errors import NarrateError, ScriptError
from narrate.pipeline.options import RenderOptions
from narrate.script import Script, Segment

__all__ = ["RenderJob", "Voicer", "wav_bytes"]

_LOGGER = logging.getLogger(__name__)

SAMPLE_TEXT = ("Hello! This is how I sound. The last train leaves at midnight, and I mean to be "
               "on it.")
MAX_SAMPLE_CHARS = 300
WARM_TEXT = "Ready when you are: this voice is loaded, and the story can begin."
"""A sentence of ordinary length: onnxruntime's first runs also size its buffers, so one word
would leave the first real line paying for that."""


def wav_bytes(samples: Any, rate: int) -> bytes:
    """Mono float samples as a 16-bit WAV file (what every browser plays without a decoder
    library, and what can be written the moment synthesis ends)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(float_to_int16(samples).tobytes())
    return buffer.getvalue()


class Voicer:
    """Speaks lines and samples in this process (engines stay loaded between clicks)."""

    def __init__(self, options: RenderOptions, *, stem: str) -> None:
        self.options = options
        self.stem = stem
        self.cache = SegmentCache(options.cache_dir)
        # one synthesis at a time: the engines' sessions are shared, and two long lines at once
        # would only make both late on a small machine
        self._speaking = threading.Lock()

    def warm(self, script: Script) -> None:
        """Load the engines the script's voices use (one short phrase each, not cached), so the
        first click plays in seconds rather than after the engine's load; a click meanwhile
        waits for the lock instead of loading the engine a second time."""
        from narrate.voices.voicing import speak

        by_engine: dict[str, str] = {}
        for seg in script.segments:
            if seg.spoken and seg.voice:
                by_engine.setdefault(seg.voice.partition(":")[0], seg.voice)
        for voice in by_engine.values():
            try:
                with self._speaking:
                    speak(voice, WARM_TEXT)
            except NarrateError as e:  # the click will say why, with the line it was for
                _LOGGER.info("could not warm up %s: %s", voice, e)

    def sounding(self, script: Script, index: int) -> Segment:
        """Segment ``index`` as `narrate render --script` would speak it: the file's
        pronunciations, the voices it pins, the show's cast for the rest and its lexicon."""
        from narrate.pipeline.plan import with_script_voices
        from narrate.pipeline.titles import titled
        from narrate.text.script_file import apply_pronunciations
        from narrate.voices.casting import apply_cast, cast_for_show
        from narrate.voices.config import use_voices_dir
        from narrate.voices.lexicon import apply_lexicon, lexicon_for_show

        if not 0 <= index < len(script.segments):
            raise ScriptError(f"no segment {index} (the script has {len(script.segments)})")
        if not script.title:
            script = titled(script, self.stem)
        options = with_script_voices(script, self.options)
        use_voices_dir(options.voices_dir)
        cast = cast_for_show(script, show=options.show, folder=options.voices_dir,
                             narrator=options.narrator, overrides=options.voice_overrides,
                             save=False).for_script(script)
        one = script.with_segments([script.segments[index]])  # keeps characters and meta
        pronounce = script.meta.get("pronounce") or {}
        if pronounce:
            one = apply_pronunciations(one, pronounce)
        one = apply_lexicon(apply_cast(one, cast),
                            lexicon_for_show(options.show, options.voices_dir))
        return one.segments[0]

    def line(self, script: Script, index: int) -> tuple[bytes, dict[str, Any]]:
        """WAV of segment ``index`` and how it was made (voice, text, cached or synthesised)."""
        seg = self.sounding(script, index)
        if not seg.spoken or not seg.voice:
            raise ScriptError(f"segment {index} is not read aloud ({seg.kind.value})")
        return self.speak(seg.voice, seg.speak)

    def sample(self, voice: str, text: str | None = None) -> tuple[bytes, dict[str, Any]]:
        """WAV of ``voice`` saying ``text`` (default: a short sample)."""
        from narrate.voices.voicing import resolve_voice

        resolve_voice(voice)
        words = " ".join((text or SAMPLE_TEXT).split())[:MAX_SAMPLE_CHARS] or SAMPLE_TEXT
        return self.speak(voice, words)

    def speak(self, voice: str, text: str) -> tuple[bytes, dict[str, Any]]:
        """WAV of ``voice`` saying ``text``, from the cache when a render (or an earlier click)
        spoke it, else synthesised now and cached. The samples are the ones the render mixes
        (trimmed, at the master rate)."""
        # the render's own chunks and keys: a studio click and a render share cache entries
        from narrate.audio.render import speak_through_cache

        started = time.perf_counter()
        with self._speaking:
            audio, cached = speak_through_cache(voice, text, self.cache)
        info = {"voice": voice, "speak": text, "cached": cached,
                "seconds": round(audio.duration_ms / 1000, 3),
                "synthesis_ms": round((time.perf_counter() - started) * 1000)}
        return wav_bytes(audio.samples, audio.sample_rate), info


@dataclass
class RenderStatus:
    state: str = "idle"
    """idle, running, done or error."""
    phase: str = ""
    done: int = 0
    total: int = 0
    cached: int = 0
    """Of ``done``, lines the segment cache already had (heard or rendered before)."""
    message: str = ""
    started: float = 0.0
    elapsed_s: float = 0.0
    episode: dict[str, Any] | None = None


class RenderJob:
    """One render of the project's script file at a time, in a background thread."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self._lock = threading.Lock()
        self._status = RenderStatus()
        self._thread: threading.Thread | None = None

    def status(self) -> dict[str, Any]:
        with self._lock:
            status = replace(self._status)
        if status.state == "running":
            status.elapsed_s = round(time.monotonic() - status.started, 1)
        return status.__dict__

    def start(self, script_path: Path, out_dir: Path) -> bool:
        """Start rendering; False when a render is already running."""
        with self._lock:
            if self._status.state == "running":
                return False
            self._status = RenderStatus(state="running", phase="preparing",
                                        started=time.monotonic())
            self._thread = threading.Thread(target=self._run, args=(script_path, out_dir),
                                            name="narrate-studio-render", daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _progress(self, p: Any) -> None:
        with self._lock:
            self._status.phase = "synthesising"
            self._status.done, self._status.total = p.done, p.total
            self._status.cached = p.cached
            if p.done >= p.total:
                self._status.phase = "mastering"

    def _run(self, script_path: Path, out_dir: Path) -> None:
        from narrate.pipeline import render_script_files

        try:
            episodes = render_script_files([script_path], out_dir, options=self.options,
                                           progress=self._progress)
            episode = episodes[0]
            mp3 = out_dir / episode.mp3
            version = mp3.stat().st_mtime_ns
            result = {"title": episode.title, "mp3": f"/media/{episode.mp3}?v={version}",
                      "vtt": f"/media/{episode.vtt}?v={version}" if episode.vtt else None,
                      "duration_s": episode.duration_s, "file": str(mp3),
                      "chapters": [{"title": c.title, "start_s": c.start_ms / 1000}
                                   for c in episode.chapters],
                      "loudness_lufs": episode.loudness_lufs}
            with self._lock:
                self._status.state, self._status.phase, self._status.episode = \
                    "done", "done", result
        except NarrateError as e:
            with self._lock:
                self._status.state, self._status.message = "error", str(e)
        except Exception as e:  # a bug must reach the page, not die with the thread
            _LOGGER.exception("studio render failed")
            with self._lock:
                self._status.state = "error"
                self._status.message = f"unexpected {type(e).__name__}: {e}"
        finally:
            with self._lock:
                self._status.elapsed_s = round(time.monotonic() - self._status.started, 1)
