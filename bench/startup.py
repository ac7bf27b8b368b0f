"""Start-up cost of `narrate script`, step by step, against the floor of its architecture.

PYTHONPATH=$PWD python bench/startup.py STORY.txt [N] [--characters CAST.json]
(not part of the package; run from the repository root, after `python -m compileall -q narrate`)

Each case runs N times (default 21), the cases interleaved so that other work on the machine
hits all of them alike. Printed per case: median and min wall time, and min CPU time of the
child (user + system), which a busy machine disturbs least. The "floor" rows are what a click
command line with frozen dataclasses, JSON, pathlib and logging costs before any narrate code.
"""
from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

args = sys.argv[1:]
characters: list[str] = []
if "--characters" in args:
    i = args.index("--characters")
    characters = ["--characters", args[i + 1]]
    del args[i:i + 2]
story = args[0]
n = int(args[1]) if len(args) > 1 else 21
py = sys.executable
cases = {
    "python -c pass": [py, "-c", "pass"],
    "import click": [py, "-c", "import click"],
    "floor: click, dataclasses, json, pathlib, logging":
        [py, "-c", "import click, dataclasses, json, pathlib, logging"],
    "import narrate": [py, "-c", "import narrate"],
    "import narrate.cli": [py, "-c", "import narrate.cli"],
    "import narrate.cli, narrate.text": [py, "-c", "import narrate.cli, narrate.text"],
    "import narrate.cli, .text, .casting": [py, "-c", "import narrate.cli, narrate.text, "
                                            "narrate.voices.casting"],
    "narrate script --format json": [py, "-m", "narrate", "script", story, "--format", "json",
                                     *characters],
}
wall: dict[str, list[float]] = {name: [] for name in cases}
cpu: dict[str, list[float]] = {name: [] for name in cases}
for _ in range(n):
    for name, argv in cases.items():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        wall[name].append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
words = len(Path(story).read_text(encoding="utf-8").split())
print(f"{n} runs each; story: {words} words")
print("  wall med   wall min    cpu min")
for name in cases:
    print(f"{statistics.median(wall[name]) * 1000:7.1f} ms {min(wall[name]) * 1000:7.1f} ms "
          f"{min(cpu[name]) * 1000:7.1f} ms  {name}")
best = statistics.median(wall["narrate script --format json"]) * 1000
print(f"narrate script: {best / words * 1000:.1f} ms per 1,000 words (median wall)")
