import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from narrate.audio.export import MasterSettings, check_settings, master_mp3
from narrate.audio.pcm import MASTER_RATE, decode, ffmpeg_exe, float_to_int16
from narrate.audio.tags import Tags
from narrate.audio.timeline import Chapter
from narrate.cli import cli
from narrate.errors import AudioError
from narrate.publish.cover import draw_cover
from narrate.publish.episode import Episode

STORY = ("The Quiet Harbour\n\n"
         "The boats came in slowly that evening. Nobody on the quay said a word.\n\n"
         "Later the lamps were lit one by one along the wall, and the water went dark.\n")
OTHER = "The Long Road\n\nThe road ran north for a day and a night.\n"


def ffmpeg_chapters(path: Path) -> list[tuple[float, str]]:
    """Chapters as ffmpeg lists them (file order): (start s, title)."""
    err = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True,
                         text=True).stderr
    found = re.findall(r"Chapter #\d+:\d+: start ([\d.]+), end [\d.]+\s+Metadata:\s+"
                       r"title\s+: ([^\n]*)", err)
    return [(float(s), t.strip()) for s, t in found]


def meter(path: Path) -> tuple[float, float]:
    """Independent reading of the decoded MP3: pyloudnorm LUFS, 4x-oversampled peak dBTP."""
    from scipy.signal import resample_poly

    x = decode(path).samples.astype(np.float64)
    lufs = pyloudnorm.Meter(MASTER_RATE).integrated_loudness(x)
    peak = 20 * np.log10(np.abs(resample_poly(x, 4, 1)).max())
    return lufs, peak


def speechlike_pcm(path: Path, seconds: float = 30.0, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    n = int(seconds * MASTER_RATE)
    env = np.repeat(rng.uniform(0, 1, int(seconds * 4)) ** 2, MASTER_RATE // 4)[:n]
    env[: len(env) // 3] *= 0.2
    x = rng.standard_normal(n) * env * 0.08 + np.sin(np.arange(n) * 0.05) * env * 0.1
    path.write_bytes(float_to_int16(x).tobytes())


@pytest.mark.parametrize("target", [-16.0, -19.0])
def test_master_mp3_hits_target_on_the_decoded_file(tmp_path, target):
    pcm = tmp_path / "a.pcm"
    speechlike_pcm(pcm)
    from narrate.audio.loudness import measure_file

    start = measure_file(pcm, raw_rate=MASTER_RATE).integrated_lufs
    got = master_mp3(pcm, MASTER_RATE, tmp_path / "a.mp3", pcm_lufs=start,
                     tags=Tags(title="T", show="S"), settings=MasterSettings(target_lufs=target))
    lufs, peak = meter(tmp_path / "a.mp3")
    assert abs(lufs - target) <= 0.5 and abs(got.integrated_lufs - target) <= 0.5
    assert peak <= -1.0 and got.true_peak_dbtp <= -1.0
    info = MP3(tmp_path / "a.mp3").info
    assert info.channels == 1 and info.sample_rate == MASTER_RATE and info.bitrate == 96_000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


def test_tags_cover_and_chapters_in_time_order(tmp_path):
    pcm = tmp_path / "a.pcm"
    speechlike_pcm(pcm, seconds=12)
    # Titles of falling length: mutagen's own save would order these CHAP frames by size.
    chapters = (Chapter("A rather long opening chapter title", 0, 4000),
                Chapter("Middle part", 4000, 8000), Chapter("End", 8000, 12000))
    cover = draw_cover("Show", "Ep")
    tags = Tags(title="Ep — one", show="Show", date="2024-05-01T10:00:00+00:00",
                description="About it.", cover_jpeg=cover, chapters=chapters,
                credits=(("narrator", "Joe"),))
    mp3 = tmp_path / "a.mp3"
    master_mp3(pcm, MASTER_RATE, mp3, pcm_lufs=-30.0, tags=tags)
    tag = ID3(mp3)
    assert tag.version == (2, 4, 0)
    assert str(tag["TIT2"]) == "Ep — one" and str(tag["TPE1"]) == "Show"
    assert str(tag["TALB"]) == "Show" and str(tag["TDRC"]) == "2024-05-01"
    assert str(tag["TCON"]) == "Podcast" and tag.getall("COMM")[0].text == ["About it."]
    (apic,) = tag.getall("APIC")
    assert apic.type == 3 and apic.mime == "image/jpeg" and apic.data == cover
    toc = tag.getall("CTOC")[0]
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    assert ffmpeg_chapters(mp3) == [(0.0, chapters[0].title), (4.0, "Middle part"),
                                    (8.0, "End")]


def test_settings_are_checked(tmp_path):
    with pytest.raises(AudioError, match="out of range"):
        check_settings(MasterSettings(target_lufs=-3))
    with pytest.raises(AudioError, match="96"):
        check_settings(MasterSettings(bitrate_kbps=100))
    with pytest.raises(AudioError):
        master_mp3(tmp_path / "missing.pcm", MASTER_RATE, tmp_path / "o.mp3", pcm_lufs=-20,
                   tags=Tags(title="T", show="S"))
    assert not list(tmp_path.iterdir())  # nothing half-written


def _render(tmp_path: Path, *args: str) -> tuple[object, Path]:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", "-q", "--narrator", "tone:low", "-o", str(out),
                                      *args])
    return result, out


def test_cli_render_writes_episode_files(tmp_path):
    story = tmp_path / "harbour.txt"
    story.write_text(STORY, encoding="utf-8")
    result, out = _render(tmp_path, str(story), "--show", "Test Show")
    assert result.exit_code == 0, result.output
    episode = Episode.load(out / "harbour.episode.json")
    mp3 = out / episode.mp3
    assert {episode.vtt, episode.srt, episode.chapters_json, episode.image} == {
        "harbour.vtt", "harbour.srt", "harbour.chapters.json", "harbour.jpg"}
    lufs, peak = meter(mp3)
    assert abs(lufs + 16) <= 0.5 and peak <= -1.0
    assert abs(episode.loudness_lufs + 16) <= 0.5 and episode.true_peak_dbtp <= -1.0
    listed = ffmpeg_chapters(mp3)
    assert [t for _, t in listed] == [c.title for c in episode.chapters]
    assert [s for s, _ in listed] == sorted(s for s, _ in listed)
    assert json.loads((out / episode.chapters_json).read_text())["chapters"][-1]["title"] == (
        "Credits")
    assert ID3(mp3).getall("APIC")[0].type == 3
    check_cues_match_audio(out / episode.vtt, mp3)


def test_cli_one_episode_of_several_stories(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(STORY, encoding="utf-8")
    b.write_text(OTHER, encoding="utf-8")
    result, out = _render(tmp_path, str(a), str(b), "--episode", "Two Tales", "--no-music",
                          "--loudness", "-19")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.mp3")) == ["two-tales.mp3"]
    episode = Episode.load(out / "two-tales.episode.json")
    assert episode.title == "Two Tales"
    # each story is a chapter named by its leading heading
    assert [c.title for c in episode.chapters] == ["The Quiet Harbour", "The Long Road", "Credits"]
    assert abs(meter(out / "two-tales.mp3")[0] + 19) <= 0.5


def test_cli_user_music_and_cover(tmp_path):
    story = tmp_path / "s.txt"
    story.write_text(OTHER, encoding="utf-8")
    music = tmp_path / "jingle.wav"
    subprocess.run([ffmpeg_exe(), "-loglevel", "error", "-f", "lavfi", "-i",
                    "sine=f=330:d=6", str(music)], check=True)
    from PIL import Image

    Image.new("RGB", (1600, 1000), (0, 0, 255)).save(tmp_path / "c.png")
    result, out = _render(tmp_path, str(story), "--intro", str(music), "--outro", str(music),
                          "--cover", str(tmp_path / "c.png"))
    assert result.exit_code == 0, result.output
    with Image.open(out / "s.jpg") as image:
        assert image.size == (1400, 1400)
    assert Episode.load(out / "s.episode.json").duration_s > 12


@pytest.mark.parametrize("args", [["missing.txt"], ["--intro", "nope.wav", "x.txt"],
                                  ["--loudness", "-2", "s.txt"], ["--bitrate", "100", "s.txt"]])
def test_cli_errors_are_one_line(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.txt").write_text(OTHER, encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", "--narrator", "tone:low", *args])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "Error:" in result.output.strip().splitlines()[-1]
    assert not list(tmp_path.glob("output/*.mp3"))


def check_cues_match_audio(vtt: Path, mp3: Path) -> None:
    """Each story cue's speech lies inside it: quiet just outside its edges, voiced inside."""
    x = decode(mp3).samples
    times = re.findall(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\n<v ",
                       vtt.read_text(encoding="utf-8"))

    def ms(h: str, m: str, s: str, f: str) -> int:
        return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(f)

    def rms(a: int, b: int) -> float:
        part = x[int(a * MASTER_RATE / 1000): int(b * MASTER_RATE / 1000)].astype(np.float64)
        return float(20 * np.log10(np.sqrt(np.mean(part**2)) + 1e-9))

    cues = [(ms(*t[:4]), ms(*t[4:])) for t in times]
    story = cues[1:-1]  # the title and credits lie over music
    assert story
    for start, end in story:
        assert rms(start + 30, end - 30) > -30  # speech inside
        assert rms(start - 120, start - 20) < -50  # silence just before
        assert rms(end + 20, end + 120) < -50  # and just after


def voice_loudness(out: Path, episode: Episode) -> dict[str, float]:
    """Speech loudness of each voice over its cues in the final, decoded MP3."""
    x = decode(out / episode.mp3).samples.astype(np.float64)
    voices = {c.character: c.voice for c in episode.cast}
    text = (out / episode.vtt).read_text(encoding="utf-8")
    parts: dict[str, list[np.ndarray]] = {}
    timing = r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})"
    cues = re.findall(timing + r"\n<v ([^>]+)>", text)[1:-1]  # title and credits lie over music
    for *t, speaker in cues:
        a = ((int(t[0]) * 60 + int(t[1])) * 60 + int(t[2])) * 1000 + int(t[3])
        b = ((int(t[4]) * 60 + int(t[5])) * 60 + int(t[6])) * 1000 + int(t[7])
        voice = voices.get(speaker, voices["Narrator"])
        parts.setdefault(voice, []).append(x[a * MASTER_RATE // 1000: b * MASTER_RATE // 1000])
    meter_ = pyloudnorm.Meter(MASTER_RATE)
    return {v: meter_.integrated_loudness(np.concatenate(p)) for v, p in parts.items()}


def test_real_voice_render_short(tmp_path):
    """A fast render with the real narrator voice: loudness, chapters and cue timing."""
    story = tmp_path / "quay.txt"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", "-q", "--no-music", "-o", str(out), str(story)])
    assert result.exit_code == 0, result.output
    episode = Episode.load(out / "quay.episode.json")
    lufs, peak = meter(out / episode.mp3)
    assert abs(lufs + 16) <= 0.5 and peak <= -1.0
    assert ffmpeg_chapters(out / episode.mp3)
    check_speech_inside_cues(out / episode.vtt, out / episode.mp3)


@pytest.mark.slow
def test_real_cast_voices_are_level_matched(tmp_path):
    story = tmp_path / "talk.txt"
    story.write_text(
        "Mara put the kettle on and looked at her brother.\n\n"
        "“You're late again,” Mara said. “The bus was full and the roads were wet.”\n\n"
        "“I know,” Tom said. “I walked the whole way from the station in the rain.”\n\n"
        "She laughed and handed him a towel, and for a while neither of them spoke.\n\n"
        "“Next time, call me,” Mara said. “I would have come to get you in the car.”\n",
        encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", "-q", "-o", str(out), str(story)])
    assert result.exit_code == 0, result.output
    episode = Episode.load(out / "talk.episode.json")
    levels = voice_loudness(out, episode)
    assert len(levels) >= 2, levels
    assert max(levels.values()) - min(levels.values()) <= 1.0, levels
    lufs, peak = meter(out / episode.mp3)
    assert abs(lufs + 16) <= 0.5 and peak <= -1.0


def check_speech_inside_cues(vtt: Path, mp3: Path) -> None:
    """Real speech has quiet consonants, so: little energy just outside each story cue, much
    inside it."""
    x = decode(mp3).samples
    text = vtt.read_text(encoding="utf-8")
    cues = re.findall(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})", text)
    for t in cues[1:-1]:
        a = ((int(t[0]) * 60 + int(t[1])) * 60 + int(t[2])) * 1000 + int(t[3])
        b = ((int(t[4]) * 60 + int(t[5])) * 60 + int(t[6])) * 1000 + int(t[7])

        def rms(lo: int, hi: int) -> float:
            part = x[lo * MASTER_RATE // 1000: hi * MASTER_RATE // 1000].astype(np.float64)
            return float(20 * np.log10(np.sqrt(np.mean(part**2)) + 1e-9))

        assert rms(a, b) > -35
        assert rms(a - 150, a - 10) < -55
        assert rms(b + 10, b + 150) < -55


@pytest.mark.parametrize("signal, peak_known, probed", [("smooth", True, False),
                                                        ("speechlike", True, True),
                                                        ("smooth", False, True)])
def test_limiter_probe_only_when_the_gain_reaches_the_ceiling(tmp_path, monkeypatch, signal,
                                                             peak_known, probed):
    # A mix whose peaks stay far under the ceiling after the gain needs no limiter search; a
    # peaky one (or one of unknown peak) is probed. Either way the decoded file meets the target.
    import narrate.audio.export as export
    from narrate.audio.loudness import measure_file

    pcm = tmp_path / "a.pcm"
    if signal == "smooth":
        t = np.arange(20 * MASTER_RATE) / MASTER_RATE
        pcm.write_bytes(float_to_int16(0.05 * np.sin(2 * np.pi * 330 * t)
                                       * (0.6 + 0.4 * np.sin(2 * np.pi * 0.5 * t))).tobytes())
    else:
        speechlike_pcm(pcm)
    x = np.frombuffer(pcm.read_bytes(), "<i2") / 32768
    peak = float(20 * np.log10(np.abs(x).max())) if peak_known else None
    start = measure_file(pcm, raw_rate=MASTER_RATE).integrated_lufs
    calls = []
    real_probe = export.probe
    monkeypatch.setattr(export, "probe", lambda *a, **k: calls.append(1) or real_probe(*a, **k))
    got = master_mp3(pcm, MASTER_RATE, tmp_path / "a.mp3", pcm_lufs=start,
                     tags=Tags(title="T", show="S"), pcm_peak_dbfs=peak)
    assert bool(calls) is probed
    assert abs(got.integrated_lufs + 16.0) <= 0.5 and got.true_peak_dbtp <= -1.0
