"""The words of names: titles, nouns for people, relations, words that are never names, the
pattern of a name in running text, and the small helpers on them (a title split off, the gender
of a noun, the descriptions in a span). `narrate.text.names` builds the registry on them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from narrate.script import Gender
from narrate.text.given_names import gender_of_given_name

MALE_TITLES = {"mr", "sir", "lord", "uncle", "king", "prince", "master", "monsieur", "count",
               "duke", "baron", "father", "brother", "mister", "herr", "señor", "signor", "don"}
FEMALE_TITLES = {"mrs", "ms", "miss", "lady", "aunt", "queen", "princess", "madame", "madam",
                 "mme", "mlle", "mademoiselle", "countess", "duchess", "mother", "sister",
                 "missus", "dame", "frau", "señora", "signora"}
OTHER_TITLES = {"dr", "doctor", "captain", "capt", "colonel", "major", "general", "professor",
                "prof", "rev", "reverend", "judge", "parson", "old", "little", "young", "saint",
                "st", "lieutenant", "sergeant", "officer", "mx"}
TITLES = MALE_TITLES | FEMALE_TITLES | OTHER_TITLES

MALE_NOUNS = {"man", "boy", "son", "husband", "father", "dad", "daddy", "papa", "brother",
              "uncle", "gentleman", "king", "prince", "lord", "sir", "grandfather", "grandpa",
              "nephew", "fellow", "lad", "monk", "priest", "parson", "waiter", "landlord",
              "old man", "boyfriend", "groom", "duke", "count", "baron", "squire", "host",
              "mister", "guy", "chap", "master", "sailor", "soldier", "captain"}
FEMALE_NOUNS = {"woman", "girl", "daughter", "wife", "mother", "mom", "mommy", "mama", "mum",
                "sister", "aunt", "lady", "queen", "princess", "grandmother", "grandma", "niece",
                "maid", "bride", "girlfriend", "widow", "duchess", "countess", "landlady",
                "hostess", "nun", "mistress", "madam", "actress", "waitress", "nurse",
                "housekeeper", "governess"}
NEUTRAL_NOUNS = {"child", "kid", "stranger", "voice", "doctor", "judge", "driver", "clerk",
                 "servant", "officer", "guard", "farmer", "boatman", "visitor", "coachman",
                 "porter", "student", "teacher", "lawyer", "cook", "baby", "baker", "one",
                 "other", "friend", "partner", "host", "crowd", "youth", "newcomer",
                 "speaker", "fisherman", "keeper", "gardener", "beggar", "merchant", "traveller",
                 "traveler", "hunter", "shepherd", "creature", "animal", "horse", "dog", "cat"}
# the animals of fables and children's stories, who speak as people do ("said the fox",
# "the crow went on"); those with a sex in the word are with the men's and women's nouns
NEUTRAL_NOUNS |= {"fox", "crow", "wolf", "bear", "rabbit", "hare", "tortoise", "turtle",
                  "mouse", "rat", "lion", "tiger", "owl", "frog", "toad", "pig", "piglet",
                  "goat", "sheep", "lamb", "donkey", "mule", "monkey", "ape", "snake",
                  "serpent", "eagle", "hawk", "raven", "magpie", "sparrow", "robin",
                  "squirrel", "badger", "mole", "beaver", "deer", "fawn", "elephant", "camel",
                  "puppy", "kitten", "pony", "goose", "duck", "swan", "parrot", "beetle",
                  "spider", "ant", "grasshopper", "bee", "caterpillar", "dragon", "unicorn",
                  "hedgehog", "otter", "weasel", "stoat", "ferret", "cricket", "bird"}
MALE_NOUNS |= {"rooster", "cock", "bull", "stallion", "ram", "gander", "drake", "stag"}
# more kinds of person older novels and news stories describe people by ("said the hag",
# "the publican", "pursued this vivacious infant"); not "stripling": with a cast, "The
# lath-like stripling frowned." took the lines of the man he answered (LitBank, Tess)
MALE_NOUNS |= {"gaffer", "codger", "laddie", "manservant", "knight", "seaman",
               "mariner", "policeman", "cabman", "herdsman", "ferryman", "workman", "ploughman",
               "plowman", "pappy", "cowboy", "lackey", "fiancé"}
FEMALE_NOUNS |= {"hag", "crone", "barmaid", "maidservant", "gentlewoman", "lassie", "granny",
                 "gran", "mammy", "fiancee", "fiancée"}
NEUTRAL_NOUNS |= {"guest", "caller", "lover", "sweetheart", "rustic", "yokel",
                  "peasant", "villager", "labourer", "laborer", "carter", "drover", "vagrant",
                  "hawker", "publican", "hermit", "pilgrim", "trooper", "infant", "toddler",
                  "teenager", "foreigner", "warrior", "deacon", "cabby", "cashier", "banker",
                  "grocer", "butcher", "tailor", "cobbler", "blacksmith", "carpenter", "miner",
                  "rancher", "trapper", "woodcutter", "dentist", "attorney", "juror", "thief",
                  "robber", "burglar", "bandit", "outlaw", "pirate"}
FEMALE_NOUNS |= {"hen", "cow", "mare", "ewe", "vixen", "lioness", "tigress", "doe", "nanny-goat"}
# more people a story may know only by a description ("said a hard-featured dame",
# "The conductor squinted"): occupations, ranks and kinds of person
MALE_NOUNS |= {"male", "clergyman", "horseman", "footman", "butler", "valet", "vicar", "curate",
               "rector", "bishop", "abbot", "friar", "monk", "sheriff", "gent", "schoolboy",
               "lord", "bachelor", "widower", "grandson", "stepfather", "step-son", "stepson"}
FEMALE_NOUNS |= {"female", "dame", "matron", "lass", "wench", "damsel", "maiden", "gal",
                 "spinster", "schoolgirl", "granddaughter", "stepmother", "step-daughter",
                 "stepdaughter", "milkmaid", "seamstress", "laundress", "washerwoman"}
NEUTRAL_NOUNS |= {"conductor", "surgeon", "physician", "sergeant", "corporal", "private",
                  "lieutenant", "colonel", "constable", "inspector", "detective", "sentry",
                  "sentinel", "watchman", "innkeeper", "shopkeeper", "saloon-keeper",
                  "barkeeper", "bartender", "postman", "messenger", "boatswain", "pilot",
                  "skipper", "guide", "scout", "rider", "preacher", "minister", "auctioneer",
                  "peddler", "pedlar", "tramp", "convict", "prisoner", "jailer", "gaoler",
                  "warder", "urchin", "youngster", "pedestrian", "passenger", "customer",
                  "stranger", "official", "clerk", "secretary", "attendant", "usher",
                  "foreman", "steward", "stewardess", "professor", "schoolmaster",
                  "schoolmistress", "magistrate", "chaplain", "priestess", "parishioner",
                  "neighbour", "neighbor", "companion", "comrade", "captive", "intruder"}


def _kin_compounds(bases: set[str]) -> set[str]:
    """"sister-in-law", "step-mother", "half-brother", "great-aunt", "grand-nephew": a
    relative named by a compound has the gender of its base word."""
    return {form for b in bases for form in (
        f"{b}-in-law", f"step-{b}", f"half-{b}", f"great-{b}", f"grand-{b}", f"great-grand{b}")}


_MALE_KIN = {"son", "father", "brother", "uncle", "nephew", "grandfather", "husband"}
_FEMALE_KIN = {"daughter", "mother", "sister", "aunt", "niece", "grandmother", "wife"}
MALE_NOUNS |= _kin_compounds(_MALE_KIN)
FEMALE_NOUNS |= _kin_compounds(_FEMALE_KIN)
PERSON_NOUNS = MALE_NOUNS | FEMALE_NOUNS | NEUTRAL_NOUNS
RELATIONS = {"wife", "husband", "mother", "father", "son", "daughter", "brother", "sister",
             "aunt", "uncle", "lady", "mistress", "master", "grandmother", "grandfather",
             "cousin", "niece", "nephew", "mom", "dad", "mama", "papa"}
CHILD_WORDS = {"little", "tiny", "small", "child", "kid", "baby", "boy", "girl", "toddler",
               "young"}

_TITLE_WORD = {"dr": "doctor", "capt": "captain", "prof": "professor", "rev": "reverend",
               "mr": "mister", "col": "colonel", "gen": "general"}

_NOT_NAMES = {
    "The", "A", "An", "He", "She", "It", "They", "We", "You", "I", "His", "Her", "Its", "Their",
    "Our", "My", "Your", "But", "And", "Or", "So", "As", "In", "On", "At", "To", "Of", "For",
    "With", "From", "By", "Then", "When", "What", "Where", "Who", "Why", "How", "This", "That",
    "These", "Those", "There", "Here", "If", "Yes", "No", "Not", "Oh", "Ah", "Well", "Now",
    "Sure", "Even", "Every", "All", "Some", "One", "Two", "After", "Before", "While", "Because",
    "Still", "Just", "Only", "Later", "Finally", "Once", "Instead", "Nothing", "Everything",
    "Something", "Someone", "Everyone", "Nobody", "Yet", "Though", "Although", "Do",
    "Does", "Did", "Is", "Are", "Was", "Were", "Be", "Have", "Has", "Had", "Will", "Would",
    "Can", "Could", "Shall", "Should", "May", "Might", "Must", "Let", "Don't", "Dont", "O",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "June", "July", "August", "September", "October",
    "November", "December", "God", "Lord", "Heaven", "Chapter", "Mrs", "Mr", "Miss", "Ms",
    "Dr", "Sir", "Madam", "Madame", "Me", "Him", "Us", "Them", "Never", "Ever", "Perhaps",
    "Again", "Good", "Dear", "Very", "Too", "Thank", "Thanks", "Please", "Hello", "Goodbye",
    "Hey", "Hi", "Okay", "OK", "Amid", "Inside", "Outside", "Over", "Under", "Into", "Through",
    "Across", "During", "Each", "Both", "Many", "Much", "Most", "Such", "Mommy", "Mom",
    "Daddy", "Dad", "Mama", "Papa", "Honey", "Darling", "Sweetheart", "Mother", "Father",
    "Come", "Go", "See", "Look", "Listen", "Wait", "Stop", "Tell", "Say", "Said", "Ask",
    # prepositions and sentence adverbs that open a sentence before a name ("Upon Warwick's
    # entrance", "Meanwhile, the soldier", "Altogether there was")
    "Upon", "Among", "Against", "Along", "Beside", "Besides", "Beyond", "Behind", "Below",
    "Above", "Beneath", "Toward", "Towards", "Without", "Within", "Near", "Since", "Until",
    "Till", "Unless", "Whether", "Throughout", "Except", "Meanwhile", "Altogether",
    "However", "Moreover", "Nevertheless", "Therefore", "Thus", "Hence", "Indeed", "Already",
    "Also", "Almost", "Nor", "Like", "Unlike", "Whereupon", "Whenever", "Wherever", "Whatever",
    "Otherwise", "Poor",
    # time words that open a sentence before its subject ("Late that night he went down and
    # spoke at last:" made "Late" the speaker)
    "Late", "Early", "Soon", "Afterwards", "Afterward", "Tonight", "Today", "Yesterday",
    "Tomorrow", "Suddenly", "Next", "Last"}

_OFFICE_WORDS = (
    "President Vice Senator Representative Congressman Congresswoman Governor Mayor Secretary "
    "Chair Chairman Chairwoman Chairperson Fed Chief Justice Attorney Minister Prime "
    "Chancellor Director Commissioner Speaker Leader Majority Minority Sheriff Deputy "
    "Assistant Executive Ambassador Treasurer Spokesman Spokeswoman Spokesperson Coach "
    "Superintendent Councilman Councilwoman Council Member State House Senate Press Defense "
    "Treasury Federal Reserve National Security Board Surgeon General Rep. Reps. Sen. Sens. "
    "Gov. Atty. Amb. Pres. Sec. Supt. Insp. Det. Detective Sergeant Inspector Constable "
    "Officer Agent Trooper Corporal Private Lieutenant Commander Admiral Marshal "
    "Supervisor Councillor Alderman Alderwoman Assemblyman Assemblywoman Assemblymember "
    "Trustee County City")
OFFICES = frozenset(_OFFICE_WORDS.split())
"""Words of an office or a rank that news writing puts before a name ("said Sen. Ben Sasse",
"Fed Chair Janet L. Yellen said"): not part of the person's name."""
ABBREVIATED_OFFICES = frozenset(("Rep.", "Reps.", "Sen.", "Sens.", "Gov.", "Atty.", "Amb.",
                                 "Pres.", "Sec.", "Supt.", "Insp.", "Det."))
"""Offices that are never a name even before a single name ("Gov. Cuomo")."""


def without_office(words: list[str]) -> list[str]:
    """A name's words without the office before it: "Vice President Joe Biden" -> "Joe
    Biden", "Sen. Ben Sasse" -> "Ben Sasse", "Gov. Cuomo" -> "Cuomo". A spelled-out office
    goes only before a full name (two words or more): "General Tilney" or "Chief Tom" may be
    how a story names someone."""
    k = 0
    while k < len(words) - 1 and words[k] in OFFICES:
        k += 1
    if k and (len(words) - k >= 2 or all(w in ABBREVIATED_OFFICES for w in words[:k])):
        return words[k:]
    return words


_COMPOUND_WORD = re.compile(r"^[A-Z][a-z]+-[a-z]{4,}")
"""A capitalised word joined by a hyphen to a lower-case word of four letters or more."""

_TOKEN = r"[A-Z][a-zà-ÿ]+(?:[A-Z][a-zà-ÿ]+)?(?:['’-][A-Za-zà-ÿ]+)*"
_TITLE_RE = (r"(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lady|Lord|Aunt|Uncle|Captain|Capt|Colonel|Major|"
             r"Professor|Prof|Madame|Mme|Mlle|Monsieur|King|Queen|Prince|Princess|Count|"
             r"Countess|Parson|Rev|Reverend|Judge|Doctor|Master|Mistress|Little|Old|Young|"
             r"Saint|St|Father|Mother|Sister|Brother|Dame|Lieutenant|Sergeant)")
_GAP = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)"
"""Between the words of a name: spaces, or one line break (hard-wrapped text)."""
NAME_RE = re.compile(rf"\b(?:{_TITLE_RE}\.?\s+)?{_TOKEN}(?:{_GAP}(?:(?:de|van|von|du|da|del|le|la|"
                     rf"di|St\.?){_GAP})?{_TOKEN})*")
_POSSESSIVE = re.compile(r"['’]s?$")

_DESC_RAW = re.compile(r"\b(the|a|an|his|her|their|my|our|your|this|that|one|another)\s+"
                       r"((?:[a-z][a-z-]*\s+){0,2}[a-z][a-z-]*)\b", re.IGNORECASE)


def find_descriptions(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """"the old man", "her son": a determiner, up to two words, a person noun."""
    found = []
    for m in _DESC_RAW.finditer(text, start, end):
        words = m.group(2).split()
        phrase_start = m.start()
        for k, w in enumerate(words):
            if w.lower() in PERSON_NOUNS and w.lower() not in ("one", "other", "crowd", "voice"):
                phrase_end = m.start(2) + len(" ".join(words[:k + 1]))
                if text.startswith(("'s", "’s"), phrase_end):
                    break
                found.append((phrase_start, phrase_end, text[phrase_start:phrase_end]))
                break
            if not w.islower():
                break
            if w in _DESCRIPTION_DETERMINERS and k + 1 < len(words):
                # "to see that her visitor still wore": the description is "her visitor"
                phrase_start = m.start(2) + len(" ".join(words[:k])) + (1 if k else 0)
    return found


_DESCRIPTION_DETERMINERS = frozenset(("the", "a", "an", "his", "her", "their", "my", "our",
                                      "your", "this", "that", "one", "another"))


def _name_gender(*forms: str | Iterable[str]) -> Gender:
    """Gender of the given names among `forms` (titles dropped) when they agree."""
    found = set()
    for f in forms:
        for form in ([f] if isinstance(f, str) else f):
            g = gender_of_given_name(split_title(form)[1])
            if g is not Gender.UNKNOWN:
                found.add(g)
    return found.pop() if len(found) == 1 else Gender.UNKNOWN


def gender_of_noun(noun: str) -> Gender:
    noun = noun.lower()
    if noun in MALE_NOUNS:
        return Gender.MALE
    if noun in FEMALE_NOUNS:
        return Gender.FEMALE
    return Gender.UNKNOWN


def description_head(desc: str) -> str:
    return desc.split()[-1].lower() if desc.split() else ""


def split_title(name: str) -> tuple[str, str]:
    """("Mr.", "Bennet") from "Mr. Bennet"; ("", name) without a title."""
    parts = name.split(None, 1)
    if len(parts) == 2 and parts[0].rstrip(".").lower() in TITLES:
        return parts[0], parts[1]
    return "", name


_PLACE_PREPOSITIONS = frozenset(("in", "at", "from", "into", "near", "toward", "towards",
                                 "through", "across", "within", "around", "outside", "inside",
                                 "reach", "reached", "left", "visit", "visited", "leave"))
"""Words before a place name ("in Chicago", "reached Hartfield")."""

_IMAGE_OF = re.compile(r"\b(?:portrait|picture|likeness|statue|bust|grave|tomb|memory|"
                       r"ghost|photograph|miniature)s?\s+of\s+(?:the\s+)?\Z")
"""A person named as the subject of a picture, a tomb or a memory is not there to speak."""

_OF_NAMED = re.compile(r"\b[a-z]+\s+([A-Z][a-z]+)\s+of\s+\Z")
"""A capitalised word and "of" before a name, in running text (a lower-case word before it):
"the King of X", "the Order of X", "Rudolf the Third of X": the name is a country, a town or
a body, not a person ("Son of X" aside). A Title Case title ("The Adventures of Tom Sawyer",
"Amory, Son of Beatrice") does not count."""
_KIN_OF = RELATIONS | {"son", "daughter", "child", "children", "heir", "friend", "widow",
                       "servant", "bride", "lover", "portrait", "picture", "life", "death",
                       "adventures", "memoirs", "story", "history", "return", "confessions",
                       "trial", "tragedy", "diary", "journal", "letters", "wife", "husband",
                       "house", "family", "line", "race", "name", "blood", "clan", "tribe"}

_OBJECT_PREPOSITIONS = frozenset(("in", "at", "from", "to", "of", "into", "over", "near",
                                  "toward", "towards", "through", "across", "on", "upon"))

_PLACE_NOUNS = frozenset((
    "junction", "station", "street", "road", "lane", "avenue", "boulevard", "square", "terrace",
    "crescent", "gardens", "park", "bridge", "river", "lake", "bay", "harbour", "harbor",
    "creek", "valley", "mountains", "island", "islands", "castle", "abbey", "cathedral",
    "church", "chapel", "hotel", "inn", "tavern", "manor", "cottage", "farm", "village",
    "county", "city", "airport", "hospital", "school", "college", "university", "museum",
    "library", "market", "highway", "forest", "canyon", "cemetery", "prison", "palace",
    "theatre", "theater"))
"""Last words that make a name a place ("Wexley Junction"); common surnames (Hall, Green,
Wood, Hill, Brook) are left out."""

ORG_NOUNS = frozenset((
    "hardware", "bank", "company", "co", "inc", "corp", "corporation", "store", "stores",
    "shop", "bakery", "motors", "group", "partners", "associates", "industries", "foods",
    "labs", "systems", "media", "insurance", "pharmacy", "supply", "services", "holdings",
    "capital", "foundation", "institute", "enterprises", "ltd", "llc", "plc", "dairy",
    "garage", "mills", "works"))
"""Last words that make a name a business or an institution ("Whitaker Hardware", "Kessler
Motors"), not a person, whatever person's name opens it."""

_QUALIFIED = frozenset((PERSON_NOUNS | _PLACE_NOUNS | {"station", "railway", "house", "town"})
                       - {"one", "other", "cook", "guide", "judge", "nurse", "host", "pilot",
                          "scout", "usher", "master", "private", "keeper", "guard", "friend",
                          "partner", "father", "mother", "brother", "sister", "son", "daughter",
                          "wife", "husband", "uncle", "aunt", "sir", "madam", "mister", "lord",
                          "lady", "mistress", "church", "school", "college"})
"""Nouns a capitalised word qualifies when it names a people or a place ("Swede boy")."""

_ACTS = frozenset(("was", "had", "is", "has", "said", "says", "did", "does", "went", "came",
                   "saw", "took", "made", "knew", "thought", "felt", "told", "gave", "got",
                   "stood", "sat", "ran", "began", "spoke", "would", "could", "will", "can"))
"""Words after a name that make it someone who acts ("Lebrun was", "Robert could")."""

_NEXT_WORD = re.compile(r"\s+([a-z][a-z-]*)\b")

_PEOPLES = frozenset((
    "american", "english", "englishman", "englishwoman", "british", "briton", "britisher",
    "scotch", "scots", "scottish", "scotsman", "irish", "irishman", "irishwoman", "welsh",
    "welshman", "french", "frenchman", "frenchwoman", "german", "dutch", "dutchman", "swede",
    "swedish", "dane", "danish", "norwegian", "finn", "russian", "pole", "polish", "italian",
    "spanish", "spaniard", "portuguese", "greek", "turk", "turkish", "austrian", "hungarian",
    "bohemian", "swiss", "belgian", "prussian", "european", "african", "asian", "indian",
    "chinese", "chinaman", "japanese", "mexican", "canadian", "australian", "yankee",
    "westerner", "easterner", "southerner", "northerner", "virginian", "texan", "roman",
    "parisian", "londoner", "cockney", "arab", "persian", "egyptian", "homeric"))
"""Nationalities and regional peoples (singular; plurals end in -s, -men)."""

_MONEY_OR_MEASURE = re.compile(
    r"(?:pence|penny|pennies|shillings?|guineas?|dollars?|cents?|francs?|florins?|"
    r"latitude|longitude|miles?|acres?|ounces?|pounds?)$", re.IGNORECASE)


def _people_word(form: str) -> bool:
    """A one-word form naming a people ("Englishman", "Westerners")."""
    if " " in form:
        return False
    low = form.lower()
    single = low[:-3] + "man" if low.endswith("men") else low[:-1] if low.endswith("s") else low
    return low in _PEOPLES or single in _PEOPLES


def _money_word(form: str) -> bool:
    """A one-word form naming a sum of money or a measure ("Threepence", "Longitude")."""
    return " " not in form and bool(_MONEY_OR_MEASURE.search(form)) and \
        gender_of_given_name(form) is Gender.UNKNOWN


_RELATIVE_PRONOUN = re.compile(r"\s*,?\s*(?:who|whom|whose|that)\b([^.!?;“”\"]{0,160})")
_GENDERED = re.compile(r"\b(he|him|his|she|her|hers)\b", re.IGNORECASE)


def _relative_clause_gender(text: str, end: int) -> Gender:
    """"a conductor who looked as if he had not slept": the pronoun in the relative clause
    right after an introduction tells a neutral noun's gender."""
    clause = _RELATIVE_PRONOUN.match(text, end)
    found = _GENDERED.search(clause.group(1)) if clause else None
    if not found:
        return Gender.UNKNOWN
    return Gender.MALE if found.group(1).lower() in ("he", "him", "his") else Gender.FEMALE


INTRO_CHARS = 3000
"""How far before a description's first use its introduction ("a white man") is looked for."""


_POSTMODIFIER = re.compile(r"[ \t]*\r?\n?[ \t]*(?:of|in|with|at|from|on)\s+"
                          r"(?:(?:the|a|an|his|her|their)\s+)?[a-z][\w’'-]*"
                          r"(?=[,.;:!?—]|\s+(?:and|who|whom|whose|which|that|was|had)\b)")
"""The prepositional phrase that ends an introduction ("in the crowd", "of fifty"): it
ends at a stop or a new clause, else it was cut short ("in the usual peasant dress")."""


def _intro_re(head: str) -> re.Pattern[str]:
    """"a white man", "an old, shabby man": an indefinite article, up to three lower-case
    words (adjectives) and the head noun."""
    return re.compile(rf"\b(?:[Aa]n?|[Oo]ne)\s+(?:[a-z][\w’'-]*,?\s+){{0,3}}?{re.escape(head)}\b")


_ARTICLE_BEFORE = re.compile(r"(?:\b[Tt]he|\ban?|\bAn?)\s+(?:[A-Z][a-z]+\s+(?:or|and)\s+)?\Z")
"""An article right before a capitalised word (or before "Dane or" in "the Dane or
Norwegian"): the word names a thing, a group or a nationality, not a person."""

_SENT_BREAK = re.compile(r"(?:[.!?…][”\"’']?\s+|\n)")
_NEXT_SENTENCE_PRONOUN = re.compile(r"[^.!?\n]*[.!?][\"”’]?\s+(He|She)\b")
"""The rest of the sentence, then "He" or "She" opening the next one (in the next paragraph
too)."""
_SHE_WORDS = re.compile(r"\b(?:she|hers|herself|her(?!\s*[.,;:!?]|\s+(?:to|and|that|in|with|"
                        r"for|as|at|by|from|of|on|up|out|down|away|back|again|so)\b))\b",
                        re.IGNORECASE)
"""Pronouns that give a name the female gender. Not an object "her" ("Tom asked her.",
"gave it to her and left"), which is someone else, like "him" ("Alexandra asked him")."""


_NON_NAME_SUFFIX = re.compile(r"(?:ed|ing|ly|ness|ment|tion|ful|less|how|ever|wards?|out|"
                              r"some|ter)$")
_NOT_AFTER_NAME = frozenset(["a", "an", "the", "he", "she", "it", "they", "we", "his", "its",
                             "their", "this", "these", "those"])
"""Words that cannot follow a name opening a sentence ("Somehow he ...", "Without a word")."""


def _opening_adverb(words: list[str]) -> bool:
    """"Presently Tom came": an -ly adverb before a name is not part of it ("Emily" is)."""
    w = words[0]
    return len(words) > 1 and w.endswith("ly") and gender_of_given_name(w) is Gender.UNKNOWN


def _not_a_name_word(text: str, start: int, end: int) -> bool:
    """A lone capitalised word opening a sentence that reads as a common word: "Balanced
    between them." (a suffix) or "Voice shaking, ..." (followed by a participle)."""
    if _NON_NAME_SUFFIX.search(text[start:end]):
        return True
    nxt = re.match(r"\s+([a-z]+)", text[end:end + 30])
    if nxt and nxt.group(1) in ("and", "or"):
        # "Secular and religious education": two adjectives; a name's partner is a name
        # or a person ("Tom and his sister", "Ada and Bram")
        other = re.match(r"\s+(?:and|or)\s+([a-z]+)", text[end:end + 40])
        return bool(other and other.group(1) not in _NOT_AFTER_NAME and
                    other.group(1) not in PERSON_NOUNS and
                    other.group(1) not in ("her", "my", "your", "our", "i", "me", "him"))
    return bool(nxt and (nxt.group(1).endswith("ing") or nxt.group(1) in _NOT_AFTER_NAME))


def _at_sentence_start(text: str, pos: int) -> bool:
    j = pos - 1
    while j >= 0 and text[j] in " \t“\"‘'*_(—":
        j -= 1
    return j < 0 or text[j] in ".!?…\n:”\"" or text[j] == "\r"


def _sentence_index_start(text: str, pos: int) -> int:
    window = text[max(0, pos - 300):pos]
    last = -1
    for m in _SENT_BREAK.finditer(window):
        last = m.end()
    return max(0, pos - 300) + (last if last >= 0 else 0)
