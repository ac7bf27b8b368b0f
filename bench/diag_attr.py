"""In-process attribution diagnostics against /work/shared/eval data (not part of the package).

python bench/diag_attr.py DATA.jsonl [--no-cast] [--show N] [--id SUBSTR]
Prints the scorer's attribution per record and, with --show, missed quotes with context.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter

sys.path.insert(0, ".")
spec = importlib.util.spec_from_file_location("scorer", "/work/shared/eval/score_attribution.py")
scorer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(scorer)

from narrate.script import Character, Gender  # noqa: E402
from narrate.text import build_script  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--no-cast", action="store_true")
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--id", default="")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--rule", default="", help="show only misses by this rule")
    ap.add_argument("--calibrate", action="store_true",
                    help="accuracy of the quotes in each band of segment confidence")
    a = ap.parse_args()
    tot = Counter()
    reasons_ok, reasons_bad = Counter(), Counter()
    bands_ok, bands_all = Counter(), Counter()
    shown = 0
    with open(a.data, encoding="utf-8") as f:
        lines = f.readlines()
    for line in lines:
        rec = json.loads(line)
        if a.id not in rec["id"]:
            continue
        cast = () if a.no_cast else tuple(
            Character(c["name"], tuple(c["aliases"]), Gender.parse(c["gender"]))
            for c in rec["characters"])
        out = json.loads(build_script(rec["text"], characters=cast).to_json())
        r = scorer.score_record(rec, out)
        for k in ("gold", "found", "attr_total", "attr_ok", "pred", "pred_hit"):
            tot[k] += r[k]
        if not a.quiet:
            print(f"{r['attr_ok']:4d}/{r['attr_total']:4d} found {r['found']:4d} "
                  f"pred {r['pred']:4d} hit {r['pred_hit']:4d}  {rec['id'][:50]}")
        dia = [s for s in out["segments"] if s["kind"] == "dialogue"]
        gindex = scorer.gold_index(rec["characters"])
        pidx = scorer.build_pred_index(out["characters"])
        text = rec["text"]
        for q in rec["quotes"]:
            if not scorer.is_speech(q):
                continue
            best, bov = None, 0
            for s in dia:
                ov = scorer.overlap(q["start"], q["end"], s["start"], s["end"])
                if ov > bov:
                    best, bov = s, ov
            if best is None or bov < 0.5 * max(1, q["end"] - q["start"]):
                reasons_bad["<notfound>"] += 1
                continue
            ok = scorer.speaker_matches(best["speaker"], q["speaker"], gindex, pidx)
            (reasons_ok if ok else reasons_bad)[best.get("reason")] += 1
            band = min(9, int((best.get("confidence") or 0.0) * 10)) / 10
            bands_all[band] += 1
            bands_ok[band] += ok
            if not ok and shown < a.show and a.rule in ("", best.get("reason")):
                shown += 1
                ctx = (text[max(0, q["start"] - 300):q["start"]] + "[[" + text[q["start"]:q["end"]]
                       + "]]" + text[q["end"]:q["end"] + 150]).replace("\n", "⏎")
                print(f"--- {rec['id'][:40]} gold={q['speaker']!r} pred={best['speaker']!r} "
                      f"rule={best.get('reason')}\n{ctx}\n")
    print("rule ok/bad:", {k: (reasons_ok[k], reasons_bad[k])
                           for k in set(reasons_ok) | set(reasons_bad)})
    if a.calibrate:
        for band in sorted(bands_all):
            print(f"confidence {band:.1f}-{band + 0.1:.1f}: {bands_all[band]:5d} quotes, "
                  f"{bands_ok[band] / bands_all[band]:.2f} right")
        doubtful = sum(n for b, n in bands_all.items() if b < 0.6)
        wrong = sum(bands_all[b] - bands_ok[b] for b in bands_all)
        caught = sum(bands_all[b] - bands_ok[b] for b in bands_all if b < 0.6)
        print(f"doubtful (< 0.6): {doubtful} quotes holding {caught} of {wrong} errors")
    print(f"attribution={tot['attr_ok'] / max(1, tot['attr_total']):.3f} "
          f"recall={tot['found'] / max(1, tot['gold']):.3f} "
          f"precision={tot['pred_hit'] / max(1, tot['pred']):.3f}")


main()
