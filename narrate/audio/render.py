"""Synthesis stage: each spoken segment of a cast Script becomes audio at the master rate.

Segments are looked up in the segment cache first; only misses are synthesised, by an executor
(this process, a local pool or Dask) that returns them in order while the rest of the script
waits as text. The caller (the mixer) gets one segment at a time, so memory does not grow with
the length of the book.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from narrate.audio.cache import SegmentCache, segment_key
from narrate.audio.executors import Executor, SerialExecutor
from narrate.audio.longtext import RUN_CHUNK_CHARS, cut_run, has_long_run, split_long_segment
from narrate.audio.pcm import MASTER_RATE, Audio, float_to_int16, int16_to_float, resample
from narrate.errors import EngineError
from narrate.script import Script, Segment
from narrate.voices.voicing import speak, voice_fingerprint

_LOGGER = logging.getLogger(__name__)

MAX_CHUNK_CHARS = 400
"""Engines degrade on very long inputs; longer text is split at sentence ends."""
ENGINE_CHUNK_CHARS = {"kokoro": 200, "piper": 200}
"""Tighter limits by engine. An engine's working memory grows with its input and onnxruntime
keeps the peak in its arena for the life of the worker: measured RSS of one worker after
400-char Kokoro chunks 830 MB, 200-char 530 MB, 120-char 390 MB; Piper alone peaked at 520 MB
with 400-char chunks and 385 MB with 200 (from 165 MB loaded); speed unchanged either way. Every
worker loads both engines, and with a worker per core two workers reached 2.05 GB on a novel's
longest paragraphs before Piper's limit came down to 200."""
TRIM_THRESHOLD = 0.01
"""Linear amplitude under which leading/trailing engine silence is trimmed."""
TRIM_PAD_MS = 20


@dataclass(frozen=True)
class Caption:
    """A stretch of a segment's audio and the original words spoken in it."""

    end: int
    """Where the stretch ends, in samples of the segment's audio; it starts where the caption
    before it ends (the first at 0)."""
    text: str
    """Whole sentences of ``Segment.text`` (whitespace collapsed)."""


@dataclass(frozen=True)
class RenderedSegment:
    """A spoken segment and its audio, in script order."""

    index: int
    """Position of the segment in ``Script.segments``."""
    segment: Segment
    audio: Audio
    """Mono float32 at ``MASTER_RATE``."""
    captions: tuple[Caption, ...] = ()
    """The audio cut at engine chunk ends into sentences of the original text, in order, the
    last ending at the end of ``audio``. Empty when the cut is unknown (an entry cached before
    chunk ends were kept, or the spoken text has a different number of sentences): the
    transcript then shows the segment as one cue."""


@dataclass(frozen=True)
class Progress:
    """How far synthesis has got; passed to the progress callback after every segment."""

    done: int
    """Segments ready (synthesised or read from the cache)."""
    total: int
    audio_s: float
    """Seconds of speech ready (when prefetching: synthesised so far)."""
    cached: int
    """Of ``done``, segments that came from the cache."""
    chars_done: int
    """Characters synthesised so far (cache hits excluded): what the ETA is based on."""
    chars_todo: int
    """Characters that need synthesis in all."""
    elapsed_s: float

    @property
    def eta_s(self) -> float | None:
        """Seconds left, from the synthesis rate so far; None until there is a rate."""
        if self.chars_done >= self.chars_todo:
            return 0.0
        if not self.chars_done or self.elapsed_s <= 0:
            return None
        return self.elapsed_s * (self.chars_todo - self.chars_done) / self.chars_done


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class SynthesisJob:
    """One segment's worth of work for an executor: small and picklable."""

    voice: str
    text: str
    speed: float = 1.0


Synthesis = tuple[np.ndarray, int, tuple[int, ...]]
"""One segment's speech: int16 samples, their rate (Hz) and where each engine chunk ends (sample
offsets, increasing, the last ``len(samples)``; empty when not known)."""

_SENTENCE_END = re.compile(r"[.!?…]+[”’\"')\]]*\s+")
"""End punctuation, any closing quotes or brackets, then the space before the next sentence."""
_TITLES = frozenset({"Mr", "Mrs", "Ms", "Dr", "St", "Prof", "Capt", "Lt", "Col", "Gen", "Rev",
                     "Mt"})
"""Abbreviations that come before a name, so their full stop never ends a sentence."""


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of whitespace-collapsed ``text`` ends (offsets one past its last
    character, the last ``len(text)``).

    A sentence ends at . ! ? or … (with any closing quotes) when the next word does not start in
    lower case, so "p.m. the platform" and "“Ready?” asked Ben" stay one sentence, as do "Mr. Hale",
    "J. Smith" and "No. 5". The same rule splits a segment's original and spoken text, so their
    sentences can be paired."""
    ends = []
    for m in _SENTENCE_END.finditer(text):
        after = text[m.end()] if m.end() < len(text) else ""
        if not after or after.islower():
            continue
        if m.group().startswith(". "):
            word = re.sub(r"^\W+", "", text[:m.start()].rpartition(" ")[2])
            if word in _TITLES or (len(word) == 1 and word.isupper()) or \
                    (word == "No" and after.isdigit()):
                continue
        ends.append(m.start() + len(m.group().rstrip()))
    return [*ends, len(text)] if text else []


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` by :func:`sentence_ends`, whitespace collapsed."""
    text = " ".join(text.split())
    starts = [0, *sentence_ends(text)]
    return [text[a:b].strip() for a, b in pairwise(starts)]


def caption_chunks(text: str, speak: str, chunks: Sequence[str]) -> list[tuple[int, str]]:
    """Which original words each engine chunk says: ``(chunks spoken so far, original text)``
    per caption, in order, the last covering every chunk.

    The original and the spoken text are split into sentences alike; when the counts agree, the
    n-th spoken sentence says the n-th original one. A caption ends at a chunk that ends a
    sentence (a chunk that stops inside a long sentence joins the next). When normalisation
    changed the number of sentences, or the chunks are not pieces of ``speak``, the whole
    segment is one caption."""
    whole = [(len(chunks), " ".join(text.split()))]
    spoken = " ".join(speak.split())
    originals = split_sentences(text)
    ends = sentence_ends(spoken)
    if len(chunks) < 2 or len(originals) != len(ends):
        return whole
    captions: list[tuple[int, str]] = []
    pos = sentence = 0
    for n, chunk in enumerate(chunks, 1):
        found = spoken.find(chunk, pos)
        if found < 0:
            return whole
        pos = found + len(chunk)
        if pos in ends:
            last = ends.index(pos) + 1
            captions.append((n, " ".join(originals[sentence:last])))
            sentence = last
    if pos != len(spoken) or sentence != len(originals):
        return whole
    return captions


def split_for_engine(text: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """Split long text into chunks <= limit: whole sentences packed together, and a sentence
    longer than the limit cut at clauses, then words, into chunks of its own.

    A long sentence never shares a chunk with its neighbours, so the sentences around it still
    end chunks, where the transcript can start a cue at an exact time. Cached speech keeps where
    each chunk ended, matched to these chunks by position: a change to where chunks are cut
    must change the cache key (``_key``'s ``chunk`` setting), or an entry's cue times would be
    given to other sentences."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return [text] if text else []
    chunks: list[str] = []
    short: list[str] = []
    for sentence in re.split(r"(?<=[.!?…])\s+", text):
        if len(sentence) <= limit:
            short.append(sentence)
            continue
        chunks += _pack(short, limit)
        short = []
        chunks += _pack(re.split(r"(?<=[,;:—])\s+", sentence), limit)
    return chunks + _pack(short, limit)


def _pack(pieces: Sequence[str], limit: int) -> list[str]:
    """Pieces joined in order into as few chunks <= limit as they fit; a piece that is still too
    long is cut at words."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if len(piece) > limit:  # no sentence or clause end in it: shorter chunks of its own
            if current:
                chunks.append(current)
                current = ""
            chunks += cut_run(piece, limit)
            continue
        if current and len(current) + 1 + len(piece) > limit:
            chunks.append(current)
            current = piece
        else:
            current = f"{current} {piece}".strip()
    if current:
        chunks.append(current)
    return [c for c in chunks if c]


def chunk_limit(voice_id: str) -> int:
    """Longest text (characters) one engine call of this voice gets."""
    return ENGINE_CHUNK_CHARS.get(voice_id.partition(":")[0], MAX_CHUNK_CHARS)


def engine_chunks(voice_id: str, text: str) -> list[str]:
    """``text`` as the engine calls that speak it with ``voice_id``."""
    return split_for_engine(text, chunk_limit(voice_id))


def trim_silence(samples: np.ndarray, rate: int) -> np.ndarray:
    """Drop engine silence at both ends, keeping ``TRIM_PAD_MS`` so consonants are not clipped;
    all-silent audio is kept as it is (its length is the pause the engine meant)."""
    loud = np.flatnonzero(np.abs(samples) > TRIM_THRESHOLD)
    if not len(loud):
        return samples
    pad = int(TRIM_PAD_MS * rate / 1000)
    return samples[max(0, loud[0] - pad): loud[-1] + pad + 1]


def synthesize_job(job: SynthesisJob) -> Synthesis:
    """Speak one segment (chunk by chunk, each trimmed): int16 samples at the engine's rate and
    the end of every chunk in them (the exact times of the segment's sentences).

    Runs in executor workers; int16 at the native rate keeps what crosses processes and what the
    cache stores small.
    """
    parts: list[np.ndarray] = []
    rate = 0
    for chunk in engine_chunks(job.voice, job.text):
        audio = speak(job.voice, chunk, speed=job.speed)
        if rate and audio.sample_rate != rate:
            audio = audio.resampled(rate)
        rate = rate or audio.sample_rate
        parts.append(trim_silence(audio.samples, audio.sample_rate))
    if not parts:
        raise EngineError(f"nothing to speak in {job.text[:40]!r}")
    marks = tuple(int(end) for end in np.cumsum([len(p) for p in parts]))
    return float_to_int16(np.concatenate(parts)), rate, marks


def to_master(samples: np.ndarray, rate: int) -> Audio:
    return Audio(resample(int16_to_float(samples), rate, MASTER_RATE), MASTER_RATE)


def captions_for(segment: Segment, job: SynthesisJob, marks: Sequence[int], engine_len: int,
                 master_len: int) -> tuple[Caption, ...]:
    """The captions of a segment spoken as ``job``, from its chunk ends (``marks``, samples of
    the engine's ``engine_len``) moved onto its audio at the master rate (``master_len``)."""
    chunks = engine_chunks(job.voice, job.text)
    if len(marks) != len(chunks) or len(chunks) < 2 or not engine_len or \
            marks[-1] != engine_len:
        return ()  # no marks (an older cache entry), or not this text's chunks
    groups = caption_chunks(segment.text, job.text, chunks)
    if len(groups) < 2:
        return ()
    # Resampling keeps time, not sample counts exactly: scale so the last caption ends on the
    # last sample.
    return tuple(Caption(round(marks[n - 1] * master_len / engine_len), text)
                 for n, text in groups)


def synthesize_segment(segment: Segment, *, speed: float = 1.0) -> Audio:
    """Speak one segment with its voice; the result is trimmed and at ``MASTER_RATE``."""
    samples, rate, _marks = synthesize_job(_job(segment, speed))
    return to_master(samples, rate)


def _job(segment: Segment, speed: float) -> SynthesisJob:
    if not segment.voice:
        raise EngineError(f"segment at {segment.start} has no voice; cast the script first")
    return SynthesisJob(segment.voice, segment.speak, speed)


@dataclass(frozen=True)
class _Piece:
    """One engine call of a segment: a chunk of its spoken text and that chunk's cache key.

    The cache holds chunks, not whole segments, so an edit that adds a sentence to a long
    paragraph speaks again only the chunks whose text changed (the last one, usually), not the
    paragraph. A segment of one chunk has the key its whole-segment entry had before."""

    key: str
    job: SynthesisJob


@dataclass(frozen=True)
class _Item:
    index: int
    segment: Segment | None
    """None for free text (an announcement)."""
    job: SynthesisJob
    """The whole segment."""
    pieces: tuple[_Piece, ...]


def _pieces(job: SynthesisJob, fingerprint: str) -> tuple[_Piece, ...]:
    pieces = []
    for chunk in engine_chunks(job.voice, job.text):
        piece = SynthesisJob(job.voice, chunk, job.speed)
        pieces.append(_Piece(_key(piece, fingerprint), piece))
    if not pieces:
        raise EngineError(f"nothing to speak in {job.text[:40]!r}")
    return tuple(pieces)


class _Fingerprints(dict[str, str]):
    """Voice id -> fingerprint, each worked out once per plan (it may read voice files)."""

    def __missing__(self, voice: str) -> str:
        self[voice] = voice_fingerprint(voice)
        return self[voice]


def _plan(scripts: Iterable[Script], speed: float,
          fingerprints: _Fingerprints | None = None) -> list[_Item]:
    """Each spoken segment with the chunks it is spoken in and their cache keys."""
    fingerprints = _Fingerprints() if fingerprints is None else fingerprints
    items = []
    for script in scripts:
        for index, whole in enumerate(script.segments):
            if not whole.spoken:
                continue
            for segment in split_long_segment(whole):  # a long run: several, same index
                job = _job(segment, speed)
                items.append(_Item(index, segment, job, _pieces(job, fingerprints[job.voice])))
    return items


def _key(job: SynthesisJob, fingerprint: str) -> str:
    # a text with a run cut by `cut_run` is chunked unlike before: its own key (others keep theirs)
    runs = {"run": RUN_CHUNK_CHARS} if has_long_run(job.text, chunk_limit(job.voice)) else {}
    return segment_key(job.text, fingerprint, speed=job.speed,
                       trim=[TRIM_THRESHOLD, TRIM_PAD_MS], chunk=chunk_limit(job.voice), **runs)


def _joined(entries: Sequence[Synthesis]) -> Synthesis:
    """A segment's speech from its chunks' (in order): samples end to end, the chunk ends
    counted from the segment's start. All chunks of a voice share its rate."""
    rate = entries[0][1]
    parts = [samples if r == rate else
             float_to_int16(resample(int16_to_float(samples), r, rate))
             for samples, r, _ in entries]
    if len(parts) == 1:
        return parts[0], rate, (len(parts[0]),)
    marks = tuple(int(end) for end in np.cumsum([len(p) for p in parts]))
    return np.concatenate(parts), rate, marks


def _stored(piece: _Piece, cache: SegmentCache | None) -> tuple[Synthesis, bool]:
    """A chunk's speech from the cache, or spoken now (and stored) when it is not there; and
    whether it came from the cache."""
    entry = cache.get(piece.key) if cache is not None else None
    if entry is not None:
        return entry, True
    entry = synthesize_job(piece.job)
    if cache is not None:
        cache.put(piece.key, *entry)
    return entry, False


def speak_cached(voice_id: str, text: str, cache: SegmentCache | None, *,
                 speed: float = 1.0) -> Audio:
    """Speak free text (the spoken title, the credits) through the same cache as segments, so
    a resumed or repeated render does not synthesise it again. Trimmed, at ``MASTER_RATE``."""
    return speak_through_cache(voice_id, text, cache, speed=speed)[0]


def speak_through_cache(voice_id: str, text: str, cache: SegmentCache | None, *,
                        speed: float = 1.0) -> tuple[Audio, bool]:
    """`speak_cached`, and whether every chunk came from the cache (nothing was synthesised).
    A render and a line heard in the studio share these entries, chunk by chunk."""
    pieces = _pieces(SynthesisJob(voice_id, text, speed), voice_fingerprint(voice_id))
    stored = [_stored(piece, cache) for piece in pieces]
    samples, rate, _marks = _joined([entry for entry, _ in stored])
    return to_master(samples, rate), all(hit for _, hit in stored)


def _run(items: Sequence[_Item], cache: SegmentCache | None, executor: Executor | None,
         progress: ProgressCallback | None) -> Iterator[tuple[_Item, Synthesis]]:
    """Each item's int16 audio, rate and chunk ends in order: chunks missing from the cache
    from the executor (then stored), the others from the cache. A chunk said twice is spoken
    once."""
    executor = executor or SerialExecutor()
    seen: set[str] = set()
    misses: set[int] = set()  # id() of the pieces that are spoken, not read
    work = []
    for item in items:
        for piece in item.pieces:
            if piece.key in seen:
                continue
            seen.add(piece.key)
            if cache is None or not cache.claim(piece.key):
                misses.add(id(piece))
                work.append(piece.job)
    chars_todo = sum(len(job.text) for job in work)
    results = executor.imap(synthesize_job, work)
    started = time.monotonic()
    done = cached = chars_done = 0
    audio_s = 0.0
    try:
        for item in items:
            entries = []
            spoken = False
            for piece in item.pieces:
                if id(piece) in misses:
                    entry = next(results)
                    if cache is not None:
                        cache.put(piece.key, *entry)
                    chars_done += len(piece.job.text)
                    spoken = True
                else:  # a hit, or removed under us (cache clear in another shell): spoken now
                    entry = _stored(piece, cache)[0]
                entries.append(entry)
            joined = _joined(entries)
            cached += not spoken
            done += 1
            audio_s += len(joined[0]) / joined[1]
            if progress:
                progress(Progress(done, len(items), audio_s, cached, chars_done, chars_todo,
                                  time.monotonic() - started))
            yield item, joined
    finally:
        close = getattr(results, "close", None)
        if close:
            close()


def synthesize_script(script: Script, *, progress: ProgressCallback | None = None,
                      cache: SegmentCache | None = None, executor: Executor | None = None,
                      speed: float = 1.0) -> Iterator[RenderedSegment]:
    """Yield each spoken segment's audio in script order.

    With a ``cache`` only the chunks it lacks are synthesised (and then stored); ``executor``
    decides where (default: this process). Only a few segments are held at a time.
    """
    items = _plan([script], speed)
    for item, (samples, rate, marks) in _run(items, cache, executor, progress):
        assert item.segment is not None  # plans of scripts hold segments only
        audio = to_master(samples, rate)
        yield RenderedSegment(item.index, item.segment, audio,
                              captions_for(item.segment, item.job, marks, len(samples),
                                           len(audio.samples)))


def synthesize_keyed(pair: tuple[str, SynthesisJob]) -> tuple[str, np.ndarray, int,
                                                              tuple[int, ...]]:
    """``synthesize_job`` that carries its cache key along, for work done out of order."""
    key, job = pair
    return (key, *synthesize_job(job))


ENGINE_COST = {"kokoro": 8.0}
"""Rough synthesis time per character relative to Piper (measured: Piper ~13x real time on one
thread, Kokoro ~2.7x; Kokoro speaks a little slower)."""


def _cost(job: SynthesisJob) -> float:
    return len(job.text) * ENGINE_COST.get(job.voice.partition(":")[0], 1.0)


def prefetch(scripts: Sequence[Script], cache: SegmentCache, *,
             executor: Executor | None = None, progress: ProgressCallback | None = None,
             speed: float = 1.0,
             extra: Sequence[Sequence[SynthesisJob]] | None = None) -> Iterator[int]:
    """Synthesise every chunk of ``scripts`` that ``cache`` lacks, as one stream of work so
    all workers stay busy across story boundaries, yielding each script's position as soon as
    all of its segments are in the cache (so it can be mastered while the rest is spoken).

    ``extra[n]`` is more free text for script ``n`` (its spoken title and credits), cached as
    :func:`speak_cached` looks it up. Work is submitted script by script and taken back as it
    completes, so one slow chunk never holds the others back. Progress counts segments: one is
    done when its last missing chunk is in.
    """
    executor = executor or SerialExecutor()
    fingerprints = _Fingerprints()
    plans = [_plan([script], speed, fingerprints) for script in scripts]
    for plan, jobs_for_script in zip(plans, extra or (), strict=False):
        plan += [_Item(-1, None, job, _pieces(job, fingerprints[job.voice]))
                 for job in jobs_for_script]
    waiting: dict[str, list[int]] = {}  # missing key -> scripts that need it
    needed_by: dict[str, list[int]] = {}  # missing key -> segments (numbered across plans)
    segment_left: list[int] = []  # missing chunks per segment
    segment_audio: list[float] = []  # seconds of speech in it so far
    jobs: list[tuple[str, SynthesisJob]] = []
    remaining = [0] * len(scripts)
    total = cached = 0
    for n, plan in enumerate(plans):
        story_jobs = []
        for item in plan:
            seg = total
            total += 1
            segment_left.append(0)
            segment_audio.append(0.0)
            for piece in item.pieces:
                if piece.key in waiting:
                    if n not in waiting[piece.key]:
                        waiting[piece.key].append(n)
                        remaining[n] += 1
                elif cache.claim(piece.key):
                    continue
                else:
                    waiting[piece.key] = [n]
                    remaining[n] += 1
                    story_jobs.append((piece.key, piece.job))
                if seg not in needed_by.setdefault(piece.key, []):
                    needed_by[piece.key].append(seg)
                    segment_left[seg] += 1
            cached += not segment_left[seg]
        # Dearest first within a story: the story's last jobs are then short ones, so no worker
        # sits idle long while another finishes a long Kokoro chunk (the story's mastering
        # waits for its last one).
        jobs += sorted(story_jobs, key=lambda pair: -_cost(pair[1]))
    for n, left in enumerate(remaining):
        if not left:
            yield n
    lengths = {key: len(job.text) for key, job in jobs}
    chars_todo = sum(lengths.values())
    chars_done = 0
    done = cached
    audio_s = 0.0
    started = time.monotonic()
    for key, samples, rate, marks in executor.imap_unordered(synthesize_keyed, jobs):
        cache.put(key, samples, rate, marks)
        chars_done += lengths[key]
        for seg in needed_by.pop(key):
            segment_audio[seg] += len(samples) / rate
            segment_left[seg] -= 1
            if not segment_left[seg]:
                done += 1
                audio_s += segment_audio[seg]
        if progress:
            progress(Progress(done, total, audio_s, cached, chars_done, chars_todo,
                              time.monotonic() - started))
        for n in waiting.pop(key):
            remaining[n] -= 1
            if not remaining[n]:
                yield n
