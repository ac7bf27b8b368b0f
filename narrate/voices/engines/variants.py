"""Voice variants: a base voice with a pitch shift, a tempo and a timbre, named in the voice id.

``kokoro:jm_kumo@pitch=-2,tempo=0.94,timbre=warm`` is ``kokoro:jm_kumo`` two semitones lower,
6 % slower and warmer. Casting derives variants when characters outnumber voices; users can
write them by hand too. Tempo goes to the engine's own speed control (the most natural way to
change pace); pitch and timbre are applied to the audio, and the result keeps the base voice's
speech level so the mixer's level matching has little to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from narrate.errors import VoiceError

if TYPE_CHECKING:  # numpy is imported only when audio is processed: casting stays cheap
    import numpy as np

    from narrate.audio.pcm import Audio

VARIANT_VERSION = "1"
"""Bump when the processing below changes how a variant sounds (part of the cache key)."""
MAX_PITCH = 6.0  # semitones either way; more than this stops sounding like a person
TEMPO_RANGE = (0.7, 1.4)

TIMBRES: dict[str, str] = {
    # ffmpeg shelving filters: gentle, so the voice stays natural
    "warm": "bass=g=3:f=220,treble=g=-3:f=3500",
    "bright": "bass=g=-2:f=200,treble=g=3:f=3000",
    "dark": "treble=g=-5:f=2500",
    "thin": "highpass=f=220,bass=g=-3:f=300",
}


@dataclass(frozen=True)
class Variant:
    pitch: float = 0.0
    """Semitones up (+) or down (-)."""
    tempo: float = 1.0
    """Speaking-rate factor (1.1 = 10 % faster)."""
    timbre: str | None = None
    """One of ``TIMBRES`` or None."""

    def __post_init__(self) -> None:
        if not -MAX_PITCH <= self.pitch <= MAX_PITCH:
            raise VoiceError(f"variant pitch {self.pitch} out of range "
                             f"[-{MAX_PITCH:g}, {MAX_PITCH:g}] semitones")
        if not TEMPO_RANGE[0] <= self.tempo <= TEMPO_RANGE[1]:
            raise VoiceError(f"variant tempo {self.tempo} out of range {TEMPO_RANGE}")
        if self.timbre is not None and self.timbre not in TIMBRES:
            raise VoiceError(f"unknown timbre {self.timbre!r}; use one of {', '.join(TIMBRES)}")

    @property
    def is_identity(self) -> bool:
        return self.pitch == 0 and self.tempo == 1 and self.timbre is None

    def suffix(self) -> str:
        """Canonical text after ``@`` (empty for no change)."""
        parts = []
        if self.pitch:
            parts.append(f"pitch={self.pitch:g}")
        if self.tempo != 1:
            parts.append(f"tempo={self.tempo:g}")
        if self.timbre:
            parts.append(f"timbre={self.timbre}")
        return ",".join(parts)

    def apply_to(self, base_id: str) -> str:
        return f"{base_id}@{self.suffix()}" if not self.is_identity else base_id

    def describe(self) -> str:
        bits = []
        if self.pitch:
            bits.append(f"{abs(self.pitch):g} semitones {'higher' if self.pitch > 0 else 'lower'}")
        if self.tempo != 1:
            pace = "faster" if self.tempo > 1 else "slower"
            bits.append(f"{abs(self.tempo - 1) * 100:.0f}% {pace}")
        if self.timbre:
            bits.append(self.timbre)
        return ", ".join(bits)


def split_variant(voice_id: str) -> tuple[str, Variant]:
    """``base@pitch=..`` -> (base id, Variant); a plain id gives the identity variant."""
    base, sep, spec = voice_id.partition("@")
    if not sep:
        return voice_id, Variant()
    values: dict[str, str] = {}
    for part in spec.split(","):
        key, eq, value = part.partition("=")
        key = key.strip().lower()
        if not eq or key not in ("pitch", "tempo", "timbre") or key in values:
            raise VoiceError(f"bad voice variant {voice_id!r}: expected "
                             "BASE@pitch=SEMITONES,tempo=FACTOR,timbre=NAME")
        values[key] = value.strip()
    try:
        return base, Variant(pitch=float(values.get("pitch", 0)),
                             tempo=float(values.get("tempo", 1)),
                             timbre=values.get("timbre") or None)
    except ValueError as e:
        raise VoiceError(f"bad voice variant {voice_id!r}: {e}") from e


def _rms(samples: np.ndarray) -> float:
    import numpy as np

    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0


def apply_variant(audio: Audio, variant: Variant) -> Audio:
    """Pitch shift (duration kept) and timbre; tempo is the engine's job. The output has the
    input's RMS level."""
    import numpy as np

    from narrate.audio.pcm import Audio, float_to_int16, int16_to_float, run_ffmpeg

    filters = []
    if variant.pitch:
        factor = 2.0 ** (variant.pitch / 12.0)
        rate = audio.sample_rate
        # resampling shifts pitch (and formants a little, which reads as a different speaker);
        # atempo then restores the duration
        filters += [f"asetrate={rate * factor:.3f}", f"aresample={rate}",
                    f"atempo={1.0 / factor:.6f}"]
    if variant.timbre:
        filters.append(TIMBRES[variant.timbre])
    if not filters or not len(audio.samples):
        return audio
    pcm = run_ffmpeg(["-f", "s16le", "-ar", str(audio.sample_rate), "-ac", "1", "-i", "pipe:0",
                      "-af", ",".join(filters), "-f", "s16le", "-ar", str(audio.sample_rate),
                      "-ac", "1", "-"], input_bytes=float_to_int16(audio.samples).tobytes())
    out = int16_to_float(pcm)
    before, after = _rms(audio.samples), _rms(out)
    if before > 0 and after > 0:
        out = out * (before / after)
        peak = float(np.max(np.abs(out)))
        if peak > 0.99:
            out = out * (0.99 / peak)
    return Audio(out.astype(np.float32), audio.sample_rate)
