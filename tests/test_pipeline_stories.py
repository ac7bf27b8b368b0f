"""render_stories: folders, many stories through one pool, up-to-date episodes, leftovers."""

import os
import threading
import time

import numpy as np
import pytest
from click.testing import CliRunner

from narrate.audio import render
from narrate.audio.cache import SegmentCache, segment_key
from narrate.cli import cli
from narrate.errors import ConfigError, InputError
from narrate.pipeline import RenderOptions, render_stories, story_paths


def write_stories(folder, n=3):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"tale_{i}.txt").write_text(
            "\n\n".join(f"Tale {i}, paragraph {p}: the lamp burned low over the desk."
                        for p in range(3 + i)) + "\n")
    (folder / "notes.json").write_text("{}")  # not a story kind: left out of the folder
    return sorted(folder.glob("*.txt"))


@pytest.fixture
def counted(monkeypatch):
    spoken = []
    real = render.speak

    def speak(voice, text, **kw):
        if "paragraph" in text:  # story segments, not the spoken title and credits
            spoken.append(text)
        return real(voice, text, **kw)

    monkeypatch.setattr(render, "speak", speak)
    return spoken


def options(tmp_path, **kw):
    return RenderOptions(narrator="tone:low", music=False, executor="serial",
                         cache_dir=tmp_path / "cache", **kw)


def test_story_paths_expand_folders_sorted(tmp_path):
    files = write_stories(tmp_path / "s")
    assert story_paths([tmp_path / "s", files[0]]) == files
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no stories in folder .*: narrate reads \.txt"):
        story_paths([tmp_path / "empty"])


def test_folder_renders_each_story_and_skips_up_to_date_ones(tmp_path, counted):
    files = write_stories(tmp_path / "s")
    out = tmp_path / "out"
    episodes = render_stories([tmp_path / "s"], out, options=options(tmp_path))
    assert [e.mp3 for e in episodes] == ["tale-0.mp3", "tale-1.mp3", "tale-2.mp3"]
    assert len(counted) == 3 + 4 + 5
    stamp = (out / "tale-0.mp3").stat().st_mtime_ns

    counted.clear()
    # "paragraph 1" and "paragraph one" are spoken alike; a changed word is a real edit
    files[1].write_text(files[1].read_text().replace("paragraph 1: the lamp",
                                                     "paragraph 1: the candle"))
    (out / ".tale-1.x1y2.mp3").write_bytes(b"half an mp3 from a killed run")
    again = render_stories([tmp_path / "s"], out, options=options(tmp_path))
    assert counted == ["Tale one, paragraph one: the candle burned low over the desk."]
    assert [e.guid for e in again] == [e.guid for e in episodes]
    assert (out / "tale-0.mp3").stat().st_mtime_ns == stamp  # unchanged story: not mastered
    assert sorted(p.name for p in out.glob("*.mp3")) == ["tale-0.mp3", "tale-1.mp3",
                                                          "tale-2.mp3"]

    render_stories([files[0]], out, options=options(tmp_path, force=True))
    assert (out / "tale-0.mp3").stat().st_mtime_ns != stamp
    assert len(counted) == 1  # forced: mastered again, still from the cache


def test_touched_mp3_is_rendered_again(tmp_path):
    files = write_stories(tmp_path / "s", n=1)
    out = tmp_path / "out"
    render_stories(files, out, options=options(tmp_path))
    mp3 = out / "tale-0.mp3"
    os.utime(mp3, ns=(1, 1))
    render_stories(files, out, options=options(tmp_path))
    assert mp3.stat().st_mtime_ns != 1


def test_cli_renders_a_folder_with_a_pool(tmp_path):
    write_stories(tmp_path / "s", n=2)
    result = CliRunner().invoke(cli, ["render", str(tmp_path / "s"), "-o", str(tmp_path / "o"),
                                      "--narrator", "tone:mid", "--no-music", "-j", "2",
                                      "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    # 3 + 4 paragraphs, and each episode's spoken title and credits
    assert "synthesising 11/11 segments" in result.output
    assert "ETA 0:00" in result.output
    assert sorted(p.name for p in (tmp_path / "o").glob("*.mp3")) == ["tale-0.mp3", "tale-1.mp3"]


def test_cli_rejects_bad_jobs_and_address_without_dask(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["render", "x.txt", "-j", "0"])
    assert result.exit_code == 2 and "-j" in result.output
    result = runner.invoke(cli, ["render", "x.txt", "--address", "tcp://h:8786"])
    assert result.exit_code == 2 and "--address is for --executor dask" in result.output
    story = write_stories(tmp_path / "s", n=1)[0]
    result = runner.invoke(cli, ["render", str(story), "--executor", "dask", "--no-music",
                                 "--narrator", "tone:low", "--cache-dir", str(tmp_path / "c")],
                           env={"DASK_SCHEDULER_ADDRESS": ""})
    assert result.exit_code == 1 and "--address" in result.output


def test_spoken_title_and_credits_are_synthesised_with_the_segments(tmp_path, monkeypatch):
    # They go through the workers with the story's segments, so the mastering thread finds them
    # in the cache instead of loading the narrator's engine beside the workers.
    write_stories(tmp_path / "s", n=2)
    where = []
    real = render.speak

    def speak(voice, text, **kw):
        where.append((threading.current_thread().name, text))
        return real(voice, text, **kw)

    monkeypatch.setattr(render, "speak", speak)
    render_stories([tmp_path / "s"], tmp_path / "out", options=options(tmp_path))
    spoken = [text for _, text in where]
    assert any("presents" in t for t in spoken) and any("was read by" in t for t in spoken)
    assert not [t for name, t in where if name.startswith("narrate-master")]


def _older_entry(cache_dir):
    """An entry of some book rendered a month ago, nothing to do with this render."""
    store = SegmentCache(cache_dir)
    key = segment_key("A line of an older book.", "tone:mid")
    store.put(key, np.zeros(16_000, "<i2"), 16_000)
    month_ago = time.time() - 30 * 86_400
    os.utime(store._path(key), (month_ago, month_ago))
    return store, key


def test_a_render_prunes_the_cache_to_its_cap_but_keeps_its_own_speech(tmp_path, counted):
    store, older = _older_entry(tmp_path / "cache")
    files = write_stories(tmp_path / "s", n=1)
    render_stories(files, tmp_path / "out", options=options(tmp_path, cache_max=1))
    assert older not in store
    # 3 paragraphs, the spoken title and the credits: all kept though over the cap
    assert store.info().entries == 5 and store.info().bytes > 1
    counted.clear()
    render_stories(files, tmp_path / "out", options=options(tmp_path, cache_max=1, force=True))
    assert counted == []  # nothing had to be spoken again


def test_an_episode_of_several_stories_prunes_too(tmp_path, counted):
    store, older = _older_entry(tmp_path / "cache")
    files = write_stories(tmp_path / "s", n=2)
    render_stories(files, tmp_path / "out",
                   options=options(tmp_path, cache_max=1, episode_title="Two Tales"))
    assert older not in store and store.info().entries == 3 + 4 + 2


def test_no_cap_or_room_to_spare_prunes_nothing(tmp_path, monkeypatch):
    store, older = _older_entry(tmp_path / "cache")
    files = write_stories(tmp_path / "s", n=1)
    render_stories(files, tmp_path / "out", options=options(tmp_path, cache_max=0))
    assert older in store
    render_stories(files, tmp_path / "out", options=options(tmp_path, force=True))
    assert older in store  # the default cap, 10 GB
    monkeypatch.setenv("NARRATE_CACHE_MAX", "1")
    render_stories(files, tmp_path / "out", options=options(tmp_path, force=True))
    assert older not in store


def test_a_bad_cap_fails_before_any_speech(tmp_path, monkeypatch, counted):
    files = write_stories(tmp_path / "s", n=1)
    monkeypatch.setenv("NARRATE_CACHE_MAX", "plenty")
    with pytest.raises(ConfigError, match="bad NARRATE_CACHE_MAX 'plenty'"):
        render_stories(files, tmp_path / "out", options=options(tmp_path))
    assert counted == [] and not (tmp_path / "out").exists()


def test_cli_render_cache_max(tmp_path):
    store, older = _older_entry(tmp_path / "c")
    story = write_stories(tmp_path / "s", n=1)[0]
    args = ["render", str(story), "-o", str(tmp_path / "o"), "--narrator", "tone:low",
            "--no-music", "--executor", "serial", "--cache-dir", str(tmp_path / "c")]
    result = CliRunner().invoke(cli, [*args, "--cache-max", "1.5GB"])
    assert result.exit_code == 0, result.output
    assert older in store
    result = CliRunner().invoke(cli, [*args, "--cache-max", "a lot"])
    assert result.exit_code == 1 and "Error: bad --cache-max 'a lot'" in result.output
    assert "off" in result.output
    result = CliRunner().invoke(cli, [*args, "--cache-max", "1", "--force", "-v"])
    assert result.exit_code == 0, result.output
    assert older not in store and store.info().entries == 5
    assert "pruned the segment cache" in result.output and "removed 1 segments" in result.output
