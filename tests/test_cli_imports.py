"""`narrate --help` stays fast: heavy modules are imported only by the commands that use them."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY = ["numpy", "scipy", "pydub", "onnxruntime", "piper", "kokoro_onnx", "distributed",
         "narrate.engines.base", "narrate.render"]


def test_help_imports_nothing_heavy():
    code = ("import sys\nfrom narrate.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "import json\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, check=True)
    loaded = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    assert "Turn written stories" in proc.stdout
    assert not loaded & set(HEAVY)
