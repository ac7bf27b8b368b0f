"""What a render makes the same way every time, kept in the segment cache between renders.

Re-rendering an edited story re-masters the whole episode; the show's generated themes and its
drawn cover come out the same as last time (they depend on the show, the title and a length
only), so they are read back instead of made again (~0.2 s of the ~3 s an edited story's
re-render spends mastering). Each entry's key names every input and a digest of the source of
the code that makes it, so changing that code is a miss, never a stale hit. Each segment's
levelling is kept the same way (see ``VoiceLeveller`` in narrate.audio.master).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from types import ModuleType

import numpy as np

from narrate.audio.cache import SegmentCache, memo_key
from narrate.audio.pcm import MASTER_RATE, Audio


@functools.cache
def code_digest(*modules: ModuleType) -> str:
    """A digest of the source files of ``modules``: a memo made by other code never hits."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


def theme(cache: SegmentCache | None, show: str, *, seconds: float,
          rate: int = MASTER_RATE) -> Audio:
    """``generate_theme(show, seconds=seconds)``, from the cache when it was made before."""
    from narrate.audio import music

    if cache is None:
        return music.generate_theme(show, seconds=seconds, rate=rate)
    key = memo_key("theme", show=show, seconds=repr(float(seconds)), rate=rate,
                   code=code_digest(music))
    found = cache.get_arrays(key)
    if found is not None and len(found) == 2:
        return Audio(found[1].astype(np.float32, copy=False), int(found[0][0]))
    made = music.generate_theme(show, seconds=seconds, rate=rate)
    cache.put_arrays(key, [np.array([made.sample_rate], dtype=np.int32),
                           np.asarray(made.samples, dtype=np.float32)])
    return made


def cover(cache: SegmentCache | None, show: str, title: str) -> bytes:
    """``draw_cover(show, title)`` (a JPEG), from the cache when it was drawn before."""
    import PIL

    from narrate.publish import cover as covers

    if cache is None:
        return covers.draw_cover(show, title)
    key = memo_key("cover", show=show, title=title, size=covers.COVER_PX,
                   code=code_digest(covers), pillow=PIL.__version__, font=_font_file(covers))
    found = cache.get_arrays(key)
    if found is not None and len(found) == 1:
        return found[0].tobytes()
    made = covers.draw_cover(show, title)
    cache.put_arrays(key, [np.frombuffer(made, dtype=np.uint8)])
    return made


def _font_file(covers: ModuleType) -> str:
    """The font file the cover is drawn with (fonts differ between machines), as ``_font``
    picks it."""
    for folder in covers._FONT_DIRS:
        for name in covers._FONT_FILES:
            path = Path(folder) / name
            if path.is_file():
                return str(path)
    return "default"
