"""Who speaks each quote: named sieves run in order over a shared context.

Modules, in the order `sieves` runs them (see `sieves` for the order itself):

* `context`      - the shared state: text, paragraphs, quotes, registry, answers so far
* `grammar`      - subjects and speech verbs of a tag ("said the old man", "he whispered")
* `patterns`     - word lists, patterns and distances the sieves share
* `narrator`     - a first-person narrator's name ("my name is Pip", "I think, Watson")
* `tags`         - `speech_verb`: explicit speech tags, before or after the quote
* `pronouns`     - he/she in a tag: the subject, the nearest of that gender, a speaker
* `descriptions` - "the old man", "his wife", "a voice": described speakers and epithets
* `cast`         - with a cast: shared first names by who is in the scene, "Miss X",
                   lower-case names, "the doctor" for "Doctor X"
* `kin`          - family: "her mother", "said the father", “Mommy, …”, "uncle" calls
* `continued`    - a quote going on from the one beside it
* `nearby`       - a name in the sentence beside an untagged quote; the last resort
* `beats`        - action beats: "Tom frowned." before an untagged quote
* `turns`        - conversations: turn-taking, vocative and kin anchors
* `named_later`  - a described speaker named later in the scene; self-introductions
* `confidence`   - how sure each answer is (0-1)
"""

from narrate.text.attribution.context import Attribution
from narrate.text.attribution.kin import kin_names
from narrate.text.attribution.named_later import self_introductions
from narrate.text.attribution.sieves import attribute_quotes, has_speech_verb

__all__ = ["Attribution", "attribute_quotes", "has_speech_verb", "kin_names",
           "self_introductions"]
