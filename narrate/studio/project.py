"""A studio project: one editable script file, the story it came from, and the output folder.

The script file is the single source of truth, shared with the command line: the studio makes it
the way ``narrate script STORY -o FILE`` does when it is missing, reads it again whenever it
changed on disk, and saves edits into it (whole file, atomically), so ``narrate render --script``
renders what the studio shows.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from narrate.errors import InputError, ScriptError
from narrate.script import NARRATOR, Script, Segment, SegmentKind, heading_title
from narrate.studio.edits import apply_edits, cast_voices, speaker_names
from narrate.text.script_file import parse_text, save_script

__all__ = ["DOUBTFUL_BELOW", "Project", "is_script_file", "load_editable", "script_path_for"]

def _doubtful_below() -> float:
    """Attribution's own review threshold (what `narrate script` marks with "?"), else 0.5."""
    try:
        from narrate.text.attribution.confidence import DOUBTFUL  # type: ignore[import-not-found]
    except ImportError:
        return 0.5
    return float(DOUBTFUL)


DOUBTFUL_BELOW = _doubtful_below()
"""An attribution whose confidence is under this is flagged as doubtful on the page."""
PART_SEGMENTS = 200
"""A chapter with more segments than this is shown in parts of this many (a book without
headings is one long section)."""

_PRONOUNCE = re.compile(r"^#\s*pronounce:\s*(.+?)\s*=\s*(.+?)\s*$")
"""A pronunciation line of the text form (as `narrate.text.script_file` reads it)."""
SCRIPT_SUFFIX = ".script.txt"


def is_script_file(path: Path) -> bool:
    """Whether ``path`` is an editable script (JSON, or the text form) rather than a story."""
    if path.suffix.lower() == ".json" or path.name.lower().endswith(SCRIPT_SUFFIX):
        return True
    try:
        with path.open(encoding="utf-8") as f:
            head = f.read(64)
    except (OSError, UnicodeDecodeError):
        return False
    return head.startswith("# narrate script")


def script_path_for(story: Path) -> Path:
    """Where the studio keeps the editable script of ``story``: beside it, named after it (so
    ``narrate render --script`` gives the episode the story's slug)."""
    return story.with_name(story.name.split(".")[0] + SCRIPT_SUFFIX)


def load_editable(path: Path) -> Script:
    """The script file as written: its pronunciations in ``meta["pronounce"]``, not applied to
    the text to speak (`narrate.text.script_file.load_script` applies them, for a render)."""
    from narrate.text.script_file import is_json_script, read_script_text

    raw = read_script_text(path)
    if is_json_script(path, raw):
        return Script.from_json(raw)
    pronounce: dict[str, str] = {}
    lines = []
    for line in raw.splitlines():
        m = _PRONOUNCE.match(line.strip())
        if m:
            pronounce[m.group(1)] = m.group(2)
            line = "#"  # kept as a comment: error messages still count lines right
        lines.append(line)
    script = parse_text("\n".join(lines), base=path.parent)
    if pronounce:
        script = replace(script, meta={**script.meta, "pronounce": pronounce})
    return script


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


@dataclass(frozen=True)
class Part:
    """A stretch of the script the page loads at once: a chapter, or a part of a long one."""

    number: int
    title: str
    first: int
    """Index of its first segment in the Script."""
    end: int
    """One past its last segment."""
    spoken: int


class Project:
    """The script file a studio edits, safe to use from several request threads."""

    def __init__(self, script_path: Path, *, out_dir: Path, story: Path | None = None) -> None:
        self.script_path = script_path
        self.out_dir = out_dir
        self.story = story
        self._lock = threading.RLock()
        self._stamp: tuple[int, int] | None = None
        self._script: Script | None = None
        self._guesses: dict[tuple[int, int], tuple[str | None, float]] | None = None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path, *, out_dir: Path, show: str, voices_dir: Path | None = None,
             narrator: str | None = None) -> Project:
        """A project for a story (its script file is made beside it when missing) or for a
        script file."""
        path = Path(path)
        if not path.is_file():
            raise InputError(f"no such file: {path}")
        if is_script_file(path):
            project = cls(path, out_dir=out_dir)
        else:
            script_path = script_path_for(path)
            if not script_path.exists():
                write_script_for(path, script_path, show=show, voices_dir=voices_dir,
                                 narrator=narrator)
            project = cls(script_path, out_dir=out_dir, story=path)
        project.script()  # a bad file fails now, with its line, not on the first request
        return project

    # ------------------------------------------------------------------ reading

    def script(self) -> Script:
        """The script as the file says now (read again when it changed on disk)."""
        with self._lock:
            try:
                stamp = _stamp(self.script_path)
            except FileNotFoundError as e:
                raise ScriptError(f"the script file {self.script_path} is gone") from e
            if self._script is None or stamp != self._stamp:
                self._script = load_editable(self.script_path)
                self._stamp = stamp
            return self._script

    @property
    def version(self) -> str:
        """Changes whenever the file does: the page compares it to know it is stale."""
        with self._lock:
            self.script()
            return hashlib.sha256(repr(self._stamp).encode()).hexdigest()[:16]

    def _story_guesses(self) -> dict[tuple[int, int], tuple[str | None, float]]:
        """Attribution confidence by (start, end) from a fresh script of the story, for script
        files that do not keep it: a line whose speaker was since changed is no longer a guess."""
        if self._guesses is not None:
            return self._guesses
        guesses: dict[tuple[int, int], tuple[str | None, float]] = {}
        script = self.script()
        source = self._source_path(script)
        if source is not None:
            from narrate.text import build_script, read_story

            try:
                fresh = build_script(read_story(source))
            except (InputError, ScriptError):
                fresh = None
            for seg in fresh.segments if fresh else ():
                if seg.kind is SegmentKind.DIALOGUE and seg.confidence is not None:
                    guesses[(seg.start, seg.end)] = (seg.speaker, seg.confidence)
        self._guesses = guesses
        return guesses

    def _source_path(self, script: Script) -> Path | None:
        if self.story is not None:
            return self.story
        if not script.source:
            return None
        path = Path(script.source)
        if not path.is_absolute() and not path.exists():
            path = self.script_path.parent / path
        return path if path.is_file() else None

    def confidence(self, seg: Segment) -> float | None:
        """How sure attribution was of a dialogue line's speaker (None: not known)."""
        if seg.kind is not SegmentKind.DIALOGUE:
            return None
        if seg.confidence is not None:
            return seg.confidence
        guess = self._story_guesses().get((seg.start, seg.end))
        if guess is None or guess[0] != seg.speaker:
            return None
        return guess[1]

    def parts(self) -> list[Part]:
        """The script in the pieces the page loads lazily: one per chapter (section), a long
        chapter cut into parts of `PART_SEGMENTS`, each titled by its heading."""
        script = self.script()
        segments = script.segments
        parts: list[Part] = []
        start = 0
        chapter = script.title or "Opening"
        continued = False
        for n in range(1, len(segments) + 1):
            boundary = n == len(segments) or segments[n].section != segments[start].section
            if boundary or n - start >= PART_SEGMENTS:
                own = _part_title(segments[start:n])
                if own:
                    chapter = own
                title = own or (f"{chapter} (continued)" if continued else chapter)
                spoken = sum(1 for s in segments[start:n] if s.spoken)
                parts.append(Part(len(parts), title, start, n, spoken))
                continued = not boundary
                start = n
        return parts

    # ------------------------------------------------------------------ views

    def segment_view(self, index: int, seg: Segment) -> dict[str, Any]:
        confidence = self.confidence(seg)
        return {"index": index, "start": seg.start, "end": seg.end, "kind": seg.kind.value,
                "speaker": seg.speaker or NARRATOR,
                "voice": seg.voice, "text": " ".join(seg.text.split()),
                "speak": " ".join(seg.speak.split()), "spoken": seg.spoken,
                "section": seg.section, "reason": seg.reason, "confidence": confidence,
                "doubtful": confidence is not None and confidence < DOUBTFUL_BELOW}

    def segments(self, first: int, end: int, *, doubtful_only: bool = False,
                 script: Script | None = None) -> list[dict[str, Any]]:
        """Views of the spoken and skipped segments in ``[first, end)`` (spaces are silent) of
        ``script`` (default: the file's)."""
        script = script or self.script()
        out = []
        for i in range(max(0, first), min(end, len(script.segments))):
            seg = script.segments[i]
            if seg.kind is SegmentKind.SPACE:
                continue
            view = self.segment_view(i, seg)
            if doubtful_only and not view["doubtful"]:
                continue
            out.append(view)
        return out

    def state(self, script: Script | None = None) -> dict[str, Any]:
        """What the page needs besides the segments: title, files, characters, parts (of
        ``script``, an edited one; default: the file's)."""
        with self._lock:
            script = script or self.script()
            counts: dict[str, int] = {}
            names: dict[str, str] = {}  # as written -> the character's name (an alias's lines
            for seg in script.segments:  # are its character's)
                if seg.kind is SegmentKind.DIALOGUE and seg.speaker:
                    if seg.speaker not in names:
                        c = script.character(seg.speaker)
                        names[seg.speaker] = c.name if c else seg.speaker
                    who = names[seg.speaker]
                    counts[who] = counts.get(who, 0) + 1
            voices = cast_voices(script)
            characters = [{"name": name, "lines": counts.get(name, 0),
                           "voice": voices.get(name),
                           "gender": c.gender.value if (c := script.character(name)) else
                           "unknown"}
                          for name in speaker_names(script) if name != NARRATOR]
            scores = [x for s in script.segments if (x := self.confidence(s)) is not None]
            doubtful = sum(1 for x in scores if x < DOUBTFUL_BELOW)
            scored = bool(scores)
            return {
                "title": script.title or self.script_path.name,
                "script_file": str(self.script_path),
                "story": str(self.story) if self.story else script.source,
                "output": str(self.out_dir),
                "version": self.version,
                "narrator": {"name": NARRATOR, "voice": voices.get(NARRATOR)},
                "characters": characters,
                "pronounce": dict(script.meta.get("pronounce") or {}),
                "parts": [p.__dict__ for p in self.parts()],
                "segments": len(script.segments),
                "spoken": len(script.spoken),
                "doubtful": doubtful,
                "scored": scored,
                "doubtful_below": DOUBTFUL_BELOW,
            }

    # ------------------------------------------------------------------ writing

    def edited(self, operations: Sequence[Any]) -> Script:
        """The script with ``operations`` applied, in memory only."""
        return apply_edits(self.script(), operations)

    def save(self, operations: Sequence[Any]) -> Script:
        """Apply ``operations`` to the file as it is now and write it (atomically)."""
        with self._lock:
            script = self.edited(operations)
            save_script(script, self.script_path)
            # read back through the file: the page shows exactly what a render will read
            self._script = None
            return self.script()


def _part_title(segments: Sequence[Segment]) -> str:
    for seg in segments:
        if seg.kind is SegmentKind.HEADING and seg.text.strip():
            return heading_title(seg.text)[:80]
    return ""


def write_script_for(story: Path, script_path: Path, *, show: str,
                     voices_dir: Path | None = None, narrator: str | None = None) -> Path:
    """Write the editable script of ``story`` as ``narrate script STORY -o FILE`` does (cast
    with the show's saved cast, which is read, not changed)."""
    from narrate.text import build_script, read_source
    from narrate.voices.casting import DEFAULT_NARRATOR, apply_cast, cast_for_show
    from narrate.voices.config import use_voices_dir

    source = read_source(story)
    script = build_script(source.text, title=source.title or story.stem,
                          source=story.name if story.parent == script_path.parent else
                          str(story.resolve()), meta=source.meta)
    use_voices_dir(voices_dir)
    cast = cast_for_show(script, show=show, folder=voices_dir,
                         narrator=narrator or DEFAULT_NARRATOR, save=False)
    script = apply_cast(script, cast)
    if script_path.suffix.lower() != ".json":
        # the text form has no lines for silent spaces: without them, the file's @ids are the
        # indexes the studio (and the page's data-segment) uses from the first read on
        script = script.with_segments(s for s in script.segments
                                      if s.kind is not SegmentKind.SPACE)
    return save_script(script, script_path)
