"""narrate: turn written stories into podcast episodes."""

from narrate.errors import NarrateError
from narrate.script import Character, Gender, Script, Segment, SegmentKind

__version__ = "0.1.0"

__all__ = ["Character", "Gender", "NarrateError", "Script", "Segment", "SegmentKind",
           "__version__"]
