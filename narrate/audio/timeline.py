"""Where things are in a mixed episode: chapters, in milliseconds from its start."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int
