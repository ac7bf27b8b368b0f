"""Start-up stays light: heavy modules are imported only by the commands that use them.

`narrate script` runs once per file in batch jobs (the attribution scorer starts one process per
story), so what it imports is checked here rather than timed: a timed test would fail on a busy
machine. docs/performance.md has the measured figures."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY = ["numpy", "scipy", "pydub", "onnxruntime", "piper", "kokoro_onnx", "distributed",
         "narrate.voices.engines.base", "narrate.audio.render"]
SCRIPT_HEAVY = ["numpy", "scipy", "pydub", "onnxruntime", "piper", "kokoro_onnx", "espeakng",
                "distributed", "httpx", "gtts", "mutagen", "PIL", "narrate.audio.pcm",
                "narrate.audio.render", "narrate.pipeline", "narrate.audio.master",
                "narrate.audio.cache", "narrate.voices.lexicon",
                "narrate.text.script_file", "narrate.publish.episode",
                # the engine registry scans installed packages only for an engine it lacks
                "importlib.metadata",
                # the readers of EPUB, HTML and Markdown stories load their parsers when called
                "zipfile", "html", "html.parser", "xml.etree.ElementTree", "narrate.text.epub",
                "narrate.text.htmltext"]
"""Nothing `narrate script --format json` needs: audio, engines' runtimes, rendering, plugins."""


def _modules_after(code: str, cwd: Path, *args: str) -> tuple[set[str], str]:
    env = {k: v for k, v in os.environ.items() if k != "NARRATE_VOICES_DIR"}
    env["PYTHONPATH"] = str(REPO)
    code += "\nimport json\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=cwd, env=env, check=True)
    return set(json.loads(proc.stderr.strip().splitlines()[-1])), proc.stdout


def test_help_imports_nothing_heavy():
    code = ("import sys\nfrom narrate.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "import json\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, check=True)
    loaded = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    assert "Turn written stories" in proc.stdout
    assert not loaded & set(HEAVY)


def test_cli_module_leaves_the_script_stages_to_the_command():
    loaded, _ = _modules_after("import sys\nimport narrate.cli", REPO)
    assert "narrate.cli" in loaded
    unwanted = loaded & {"narrate.text", "narrate.voices.casting", "narrate.voices.config",
                         "tomllib", *SCRIPT_HEAVY}
    assert not unwanted, sorted(unwanted)


def test_script_json_imports_only_text_and_casting(tmp_path, short_story):
    """Casting names voices from the engines' metadata: no engine runtime, audio or plugin scan;
    and with no voice file to read, no TOML parser either."""
    code = ("import sys\nfrom narrate.cli import cli\n"
            "try:\n    cli(['script', sys.argv[1], '--format', 'json'])\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n")
    loaded, out = _modules_after(code, tmp_path, str(short_story))
    script = json.loads(out)
    assert {s["speaker"] for s in script["segments"] if s["kind"] == "dialogue"} == {"Anna", "Ben"}
    assert all(s.get("voice") for s in script["segments"] if s["kind"] == "dialogue")
    assert {"narrate.text", "narrate.voices.casting"} <= loaded
    unwanted = loaded & {*SCRIPT_HEAVY, "tomllib"}
    assert not unwanted, sorted(unwanted)
