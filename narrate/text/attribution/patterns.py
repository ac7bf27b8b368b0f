"""Word lists, patterns and distances the attribution sieves share (kept in one place so
that a rule's vocabulary can be read and tuned without reading the rule)."""

from __future__ import annotations

import re

from narrate.text.name_words import PERSON_NOUNS
from narrate.text.names import Entity


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


SPEECH_VERBS = _words(
    "said says say saying asked asks ask replied replies answered answers cried cries exclaimed "
    "exclaims shouted shouts whispered whispers muttered mutters murmured murmurs called calls "
    "continued continues added adds began begins returned returns remarked remarks observed "
    "observes repeated responded screamed yelled laughed sighed teased demanded inquired "
    "enquired declared insisted admitted explained urged pleaded begged protested interrupted "
    "stated states "
    "interposed suggested growled snapped retorted rejoined rejoins concluded sobbed gasped "
    "gasps roared breathed whimpered stammered faltered ventured resumed persisted pursued "
    "echoed told assured grumbled groaned hissed panted wailed mused agreed objected warned "
    "commanded ordered announced thundered bellowed drawled chuckled smiled grinned nodded "
    "shrieked squeaked moaned sneered joked cooed mumbled blurted barked corrected confessed "
    "conceded offered prompted reminded whined wondered exploded admonished implored entreated "
    "bawled spoke speaks shrugged hollered piped lied cautioned noted gushed boasted quipped "
    "sang soothed proposed reasoned inquires went put broke cut struck chimed "
    # literary tags of the 19th century novels ("ejaculated Anson", "queried a loud voice")
    "ejaculated queried lamented instructed challenged asserted scoffed snorted chided "
    "jeered taunted vociferated hazarded affirmed averred commented demurred expostulated "
    "grunted snarled interjected quavered volunteered wheedled intoned"
)


PHRASAL = {"went": "on", "put": "in", "broke": "in", "cut": "in", "struck": "in",
            "chimed": "in"}


ADVERBS = _words(
    "then again also now only still simply just at last once more later finally presently "
    "suddenly quickly softly aloud back out up quietly gently slowly"
)


LOWER_ADVERB_OK = _words(
    "presently suddenly finally slowly quickly softly quietly gently eventually instantly "
    "immediately directly accordingly consequently meanwhile naturally evidently apparently "
    "obviously certainly surely really only lastly firstly secondly frankly honestly"
)


OPENERS = _words("then now so and but here there still yet at last again")
"""Capitalised words that open a sentence before its subject ("Then Tom said")."""


SCENE_BREAK = re.compile(r"\W*$|\W*(?:[IVXLC]+|\d+)\W*$")
"""A paragraph of only marks ("* * *") or a section number ("II", "3.")."""


AUX = frozenset(["had", "has", "have", "would", "will", "could", "should", "did", "was", "then"])


PRONOUNS = frozenset(("he", "she", "i", "they", "we"))


MODALS = frozenset(("would", "will", "could", "might", "shall", "should", "did", "must"))


BARE_SUBJECTS = frozenset(("another", "one", "somebody", "someone"))
"""Pronoun-like subjects of a tag that stand for a person of a group ("said another")."""


DETERMINERS = _words(
    "the a an his her their my our your this that one another"
)


ABBREVIATED_TITLES = ("Mr|Mrs|Ms|Dr|St|Mme|Mlle|Messrs|Capt|Col|Gen|Rev|Prof|Lt|Sgt|Rep|Reps|Sen|"
                      "Sens|Gov|Adm|Maj|Cmdr|Supt|Insp|Det|Atty|Amb|Pres|Sec|Hon|Jr|Sr")
TOKEN = re.compile(rf"(?:{ABBREVIATED_TITLES})\.|[A-HJ-Z]\.(?=\s+[A-Z])|"
                   r"[A-Za-z][\w’'-]*|[^\w\s]")
"""Words and marks of a tag; a title's or an initial's stop stays with it ("Sen.", "L." in
"Janet L. Yellen"; not "I.": "said I." ends a sentence)."""


SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bMs)(?<!\bSt)(?<!\bRep)(?<!\bSen)"
                          r"(?<!\bGov)(?<!\bGen)(?<!\bSens)(?<!\bReps)(?<!\b[A-HJ-Z])[.!?…]"
                          r"[”\"’']?(?=\s)|\n[ \t]*\n")


KIN = re.compile(r"^\W*(?:Mommy|Mom|Mum|Mummy|Mama|Mamma|Momma|Ma|Mother|Daddy|Dad|Papa|Pa|"
                  r"Father|Grandma|Grandpa|Granny)\b[,!.?]")


CHILD_DESC = re.compile(r"\b(?:her|his|their)\s+(?:(?:little|young|baby|small|tiny|eldest|"
                         r"youngest|oldest|own)\s+)?(son|daughter|boy|girl|child|kid)\b")


CAP = r"[A-Z][\w’'-]*"


AGENT_NOUN = re.compile(r"[a-z-]{3,}(?:[^e]er|or|keeper|man|woman|ist|ian)$")
"""A noun naming what someone does ("waggoner", "turnpike-keeper"): a person when a speech
verb's subject ("said the waggoner.")."""


CONTINUING_TAG = re.compile(
    r"\W*(?:\w+\s+){0,2}?(?:added|adds|continued|continues|went on|goes on|resumed|"
    r"repeated|persisted|pursued|concluded)\b", re.IGNORECASE)
"""A tag saying the speaker goes on ("he added"): the same speaker as the turn before."""


DEFINITE = frozenset(("the", "his", "her", "their", "this"))


EPITHET_NOUNS = frozenset(("man", "woman", "lady", "gentleman", "girl", "boy", "fellow",
                            "lad", "lass", "dame", "matron", "maiden", "youth"))
"""Generic person nouns a story uses as an epithet for someone it has named."""


FAMILY_TITLE = {"mother": "Mrs", "wife": "Mrs", "father": "Mr", "husband": "Mr"}
"""The title a parent or spouse goes by in a family known by its surname."""


CLAUSE_END = re.compile(r"[,!?.…]\s+")


I_WORD = re.compile(r"\bI\b")


NAME_STATEMENT = re.compile(rf"\b([Hh]is|[Hh]er) (?:real |true |Christian |first )?name "
                             rf"(?:was|is) ({CAP}(?: {CAP})*)")


RELATION_NAMED = re.compile(rf"\b([Mm]y|[Oo]ur) ([a-z]+),? ({CAP})\b")
"""The narrator's relation followed by the name ("my brother Robert", "our cousin, Ellen"):
"said my brother" is Robert. Not "his brother X": "his" changes owner from scene to scene."""


WHOSE_NAME = re.compile(rf"\b(?:[Tt]he|[Aa]n?)\s+((?:[a-z]+\s+){{0,2}}[a-z]+),\s+whose "
                         rf"(?:real |true |first )?name (?:was|is) ({CAP}(?: {CAP})*)")


KIN_PHRASE = re.compile(r"\b(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir|[Tt]he)\s+([a-z]+)\b")


SELF_NAMED = re.compile(rf"\b(?:[Mm]y name (?:is|was)|call(?:ed|s)? me|called myself)\s+"
                         rf"({CAP}(?: {CAP})*)")


VOCATIVE_ANY = re.compile(rf"(?:^\W*|[,;—]\s*|\b[Mm]y dear\s+|\b[Dd]ear\s+)"
                           rf"((?:(?:Mr|Mrs|Ms|Dr|St)\.\s*)?{CAP}(?: {CAP})*)(?=\s*[,.!?;—])")


PLAIN_SPEECH_VERBS = _words(
    "say saying ask asking reply replying answer answering remark remarking inquire "
    "inquiring exclaim exclaiming whisper whispering observe observing sigh sighing murmur "
    "murmuring mutter muttering cry crying shout shouting add adding explain explaining "
    "repeat repeating insist insisting declare declaring protest protesting retort retorting"
)
"""Speech verbs after "remember", "managed to", "heard myself", "would" in a tag."""


EPITHET_WORDS = frozenset(("old", "young", "little", "poor", "big", "dear"))


LOWER_NEXT = re.compile(r"\s+[a-z]")


SENTENCE_BEFORE = re.compile(r"(?:[.!?][”’\"']?\s+|\n\s*\n\s*)$")
"""A stop and a space, or a blank line, right before a position (a hard-wrapped line break
alone does not start a sentence)."""


REPLY_TAG = re.compile(r"\W*(?:(?:he|she)\s+(?:\w+ly\s+)?(?:replied|answered|rejoined|retorted|"
                        r"returned)|(?:replied|answered|rejoined|retorted|returned)\s+(?:he|she))"
                        r"\b")
"""A pronoun tag whose verb says the line answers someone ("he replied", "answered she")."""


OWNED_APPOSITIVE = re.compile(r",\s+(his|her)\s+[a-z][a-z\s-]{0,30}?,", re.I)
"""An appositive that names the name's owner: "Millie, her lymphatic maid," ."""


ASKS_NAME = re.compile(r"\b(?:your name|what name|who are you|who(?:'s| is) (?:it|there|that))"
                       r"\b|\bwhom?\s*\?", re.I)
"""A question whose answer is a name, not a call: the answerer's own ("Tell us your name!")
or someone's ("Who?" / "Father Flynn.")."""


SUBORDINATORS = _words("as when while after before once")
"""Words opening a clause before its subject ("As the doctor crossed the room he paused")."""


CHAIN_SENTENCES = 4
"""Sentences led by the same he/she looked back over for the described person they follow."""


OPENING_PHRASE = re.compile(r"[A-Z][a-z]+(?:\s+[a-z]+){0,4},\s+")
"""A short lower-case phrase opening a sentence before its subject ("Laughing again, he")."""


BARE_NAME = re.compile(rf"^((?:(?:Mr|Mrs|Ms|Dr)\.\s*)?{CAP}(?: {CAP})+)\.$")
"""A quote that is only a full name and a stop: "Jonathan Harker." (not a call: "Tom!")."""


OPENING_CALL = re.compile(rf"^\W*((?:(?:Mr|Mrs|Ms|Dr)\.\s*)?{CAP}(?: {CAP})*),\s")
"""A quote opening with a name and a comma: "Jane, come here." """


KIN_CALLS = {"uncle": "uncle", "aunt": "aunt", "auntie": "aunt", "papa": "father",
              "pa": "father", "father": "father", "mamma": "mother", "mama": "mother",
              "ma": "mother", "mother": "mother", "grandpa": "grandfather",
              "grandfather": "grandfather", "grandma": "grandmother", "granny": "grandmother",
              "grandmother": "grandmother"}
"""Relations a speaker calls a relative by ("Surely, uncle, ..."), as the relation noun."""


KIN_CALL = re.compile(r"(?:^\W*|[,;—]\s*|\b[Dd]ear\s+)((?i:" + "|".join(KIN_CALLS) +
                       r"))(?=\s*[,.!?;—]|\s*$)")


TURNING_TO = re.compile(rf"[,;—]\s*and\s+((?:(?:Mr|Mrs|Ms|Dr|St)\.\s*)?{CAP}(?: {CAP})*)"
                         rf"(?=\s*[,!?])")
"""“That's my brave boy!—and Fergus, what have you been doing?”: the speaker turns to someone
new, who answers next (but did not say the line before)."""


NAME_GIVEN = re.compile(rf"\W*{CAP}(?: {CAP})*(?:[.,!]\s*{CAP}(?: {CAP})*)*,\s*"
                         r"(?:sir|ma['’]am|madam|miss|mum|mister)\W*$")
"""“Pip, sir.” / “Pip. Pip, sir.”: the whole quote is a name told to someone called "sir"."""


VOCATIVE = re.compile(rf"^\W*({CAP}(?: {CAP})*)[,!?]|,\s*({CAP}(?: {CAP})*)\s*[.!?,]*\W*$")


def described_name(name: str) -> bool:
    """A cast name that is a description ("a girl", "convict"), not a proper name."""
    first = name.split()[0] if name.split() else ""
    return first.islower() or first.lower() in DETERMINERS


def contrasting(a: str, b: str) -> bool:
    """"the young man" and "the old man": one noun told apart by different words."""
    wa, wb = a.lower().split()[1:], b.lower().split()[1:]
    for x, y in ((wa, wb), (wb, wa)):
        # "the oldest of the colts" is one of the colts, not "the old horse"
        if "of" in x[:-1] and y and "of" not in y and y[-1] not in (x[-1], x[-1].rstrip("s")):
            return True
    return bool(wa and wb and wa[-1] == wb[-1] and len(wa) > 1 and len(wb) > 1 and wa != wb)


NOT_A_KIND = frozenset(("voice", "one", "other", "another"))


def introduced_apart(a: Entity, b: Entity) -> bool:
    """"a middle-aged man ... an elderly parson ... said the man with the basket ... said the
    parson": two kinds of person, each introduced by the narration on its own ("a ...
    man", "an ... parson"), are two people ("a terrible voice" and "a man" may be one)."""
    heads = [x.display.split()[-1] for x in (a, b)]
    if heads[0] == heads[1] or any(h in NOT_A_KIND or h not in PERSON_NOUNS for h in heads):
        return False
    return all(any(f.split()[0] in ("a", "an") and f.split()[-1] == h for f in x.forms)
               for x, h in zip((a, b), heads, strict=True))


CONTEXT_CHARS = 600
"""Characters of narration looked at on each side of a quote."""


RECENT_SPEAKER_CHARS = 3000
"""How far back a pronoun in a speech tag may find its speaker among earlier quotes."""


TURN_NARRATION_WORDS = 20
"""A paragraph opening with a quote and holding at most this many words of narration is a
plain turn of a conversation (the next paragraph's turn is most likely the other party's)."""


NARRATIVE_WORDS = 45
"""A paragraph opening with narration that tells more than this many words (and twice what it
quotes) only quotes in passing: it is not a turn of the conversation around it."""


OTHER_EXCHANGE_WORDS = 150
"""Narration of more than this many words between two quotes puts them in different exchanges."""


CONVERSATION_TURNS = 8
"""Quotes looked back over for the people of the current conversation."""


ASIDE_WORDS = 12
"""A paragraph of narration up to this many words keeps a conversation going."""


NAMED_LATER_CHARS = 1000
"""A name that arrives after a described speaker has spoken is theirs only this close to
their last line (a name much later in the scene is someone who has just come in)."""


SOFT_REASONS = frozenset(("turn_taking", "previous", "next_paragraph", "unknown", "cast_guess"))
"""Guesses the conversation pass may overrule (a tag or a name nearby it may not)."""


GUESSED = SOFT_REASONS | {"action_beat"}
"""Reasons that guess from the narration around a quote rather than read a tag or a name."""


NARRATED_NAME = 2
"""Mentions in the narration above which a name is not a first-person narrator's."""


UNKNOWN = "someone"
"""Entity key of a speaker no rule could find."""


PERSON_INTRO = re.compile(r"\b(?:a|an|the)\s+(?:[a-z]+\s+){0,2}?([a-z]+)\b")
"""A person brought in by an article and up to two adjectives ("as a man started up")."""


VOICE_OF = re.compile(r"\bof\s+((?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][\w’'-]+"
                       r"(?:\s+[A-Z][\w’'-]+)*)")


INTRODUCES = re.compile(
    r"\b(?:I am|I['’]m|[Mm]y name(?:['’]s| is)|[Tt]hey call me|[Pp]eople call me)\s+"
    r"((?:(?:Mr|Mrs|Ms|Dr)\.\s*)?[A-Z][a-z]+(?:[ \t]*\r?\n?[ \t]*[A-Z][a-z]+)*)(?![\w'’-])")


KIN_DESCRIPTION = re.compile(r"(?:his|her|their|my|our|your|the) (\w+)")




INTRODUCING_VERBS = _words(
    "addressed addressing saying remarking exclaiming replying answering asking adding crying "
    "whispering murmuring muttering shouting observing continuing calling declaring "
    "introduced introducing greeted greeting interrupted interrupting"
)
"""Verbs that introduce a quote only right before it ("he addressed her with:", "and
remarking:"): not speech verbs elsewhere ("he addressed the letter")."""


POSSESSED = re.compile(r"^(.*\S)['’]s\s+([a-z][\w-]*)$")
"""A person known by whose they are: "Tom's mother", "my brother's wife" (owner, noun)."""
