"""Min wall time (ms) of short commands over N runs: python -c pass, import click, narrate script.

PYTHONPATH=$PWD python bench/startup.py STORY.txt [N]   (not part of the package)
"""
from __future__ import annotations

import subprocess
import sys
import time

story = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 15
py = sys.executable
cases = {
    "python -c pass": [py, "-c", "pass"],
    "import click": [py, "-c", "import click"],
    "import narrate": [py, "-c", "import narrate"],
    "import narrate.cli": [py, "-c", "import narrate.cli"],
    "import narrate.text": [py, "-c", "import narrate.text"],
    "narrate script --format json": [py, "-m", "narrate", "script", story, "--format", "json"],
}
for name, argv in cases.items():
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - t)
    print(f"{best * 1000:7.1f} ms  {name}")
