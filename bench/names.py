"""Word pools and name builders for the generated catalog: realistic spellings, all seeded.

Names mix legal-style names ("Șerban Ghenea"), stage names with stylised capitals and numbers
("Mike WiLL Made-It", "21 Savage", "A$AP Rocky"), groups and combined pages ("X & Y").
Titles draw common words with a Zipf-like weight, so some words and titles ("Intro") repeat a lot,
as they do in real catalogs, and a long tail of rare made-up words keeps most names distinct.
"""

from __future__ import annotations

import itertools
import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "James John Robert Michael William David Richard Joseph Thomas Charles Chris Daniel Matthew "
    "Anthony Mark Donald Steven Paul Andrew Joshua Kevin Brian George Timothy Ronald Edward "
    "Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon "
    "Benjamin Samuel Frank Gregory Alexander Raymond Patrick Jack Dennis Jerry Tyler Aaron Jose "
    "Adam Henry Nathan Douglas Zachary Peter Kyle Walter Ethan Jeremy Harold Keith Christian "
    "Roger Noah Gerald Carl Terry Sean Austin Arthur Lawrence Jesse Dylan Bryan Joe Jordan "
    "Billy Bruce Albert Willie Gabriel Logan Alan Juan Wayne Roy Ralph Randy Eugene Vincent "
    "Russell Elijah Louis Bobby Philip Johnny Mary Patricia Jennifer Linda Elizabeth Barbara "
    "Susan Jessica Sarah Karen Nancy Lisa Betty Margaret Sandra Ashley Kimberly Emily Donna "
    "Michelle Dorothy Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia "
    "Kathleen Amy Shirley Angela Helen Anna Brenda Pamela Nicole Emma Samantha Katherine "
    "Christine Debra Rachel Catherine Carolyn Janet Ruth Maria Heather Diane Virginia Julie "
    "Joyce Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith Megan Cheryl Andrea Hannah "
    "Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice Jean Alice Madison Doris "
    "Abigail Julia Judy Grace Denise Amber Marilyn Beverly Danielle Theresa Sophia Marie Diana "
    "Brittany Natalie Isabella Charlotte Rose Alexis Kayla Tariq Jamal Darnell Malik Andre "
    "Marcus Terrell DeShawn Kendrick Aubrey Shawn Calvin Dwayne Jermaine Cedric Kanye Nayvadius "
    "Radric Shéyaa Onika Belcalis Solána Robyn Abel Tahj Khalif Jahseh Armando José Zoë Björn "
    "Søren Łukasz Renée Chloé Ángel Joël Ștefan François Ñaki Jürgen Álvaro Inés Mikaël Noémie "
    "Anaïs Dagný Þór Kristján Ólafur Gökhan Çağrı Oğuz Nikolaï Željko Dušan Mateus João "
    "Sebastián Andrés Tomás Rubén Ramón Agustín Joaquín Matías Benjamín Émile Hélène"
)

LAST = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White "
    "Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres "
    "Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts "
    "Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales "
    "Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos "
    "Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes "
    "Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry "
    "Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons "
    "Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West "
    "Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro "
    "Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry "
    "Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez "
    "Silva Shaw Snyder Mason Dixon Muñoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd "
    "Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols "
    "Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce "
    "Vazquez Hansen Peters Santos Hart Bradley Knight Ghenea Müller Núñez García Øvergaard "
    "Dvořák Kovačević Gómez Peña Ibáñez Łukasik Szabó Nováková Jóhannsson Þórsson Şahin Yılmaz "
    "Öztürk Çelik Dubois Lefèvre Gaëtan Château Brontë Beyoncé Åberg Lindström Ångström "
    "Söderberg Håkansson Nørgaard Kjær Sjöberg Mäkinen Räikkönen Fenty Graham Carter Knowles "
    "Maraj Williams Wiggins Jeffery Davis Woods Hudson Tesfaye Onfroy Wood"
)

STAGE = _words(
    "Metro Boomin Savage Future Wheezy Blanco Ghost Murda Beatz Tay Keith Zaytoven Southside "
    "Mustard Pi'erre Bourne Nard Hit-Boy Boi-1da Kenny Beats Cubeatz Ronny Frank Dukes Cardo "
    "Vinylz Allen Ritter Nineteen85 Sevn Thomas Oz Wondagurl Murda Cash Money Blaze Phantom "
    "Nova Vega Echo Drip Ice Smoke Flame Storm Thunder Shadow Night Moon Sun Star Sky Cloud "
    "Rain Snow Frost Gold Silver Diamond Ruby Onyx Jade Pearl Crystal Stone Rock Steel Iron "
    "Chrome Neon Laser Sonic Pixel Glitch Static Vibe Wave Pulse Beat Bass Kick Snare Hook "
    "Verse Bar Flow Rhyme Cipher Kid Cudi Uzi Vert Yachty Baby Durk Tecca Skies Mosey Nas X "
    "Peep Pump Xan Tjay Reese Keed Gotti Rod Wave Nav Gunna Offset Quavo Takeoff Migos Pluto "
    "Hendrix Mozart Picasso Dali Basquiat Warhol Einstein Tesla Newton Darwin Plato Zeus Apollo "
    "Hermes Ares Odin Thor Loki Ra Anubis Osiris Dolla Chainz Cent Pesos Bands Racks Stacks "
    "Guap Bread Cheddar Paper Money Cash Coins Change Jeezy Wayne Weezy Tunechi Boosie Webbie "
    "Juvenile Mannie Fresh Birdman Slim Thug Bun Pimp Scarface Ghostface Raekwon Method "
    "Inspectah Masta Killa Cappadonna Streetlife Sunz Blxckie"
)

PREFIXES = (
    "Lil",
    "Young",
    "DJ",
    "MC",
    "Big",
    "Yung",
    "King",
    "Lil'",
    "Baby",
    "Don",
    "Kid",
    "Sir",
    "Lady",
    "Queen",
    "Tha",
    "Da",
)
SUFFIXES = (
    "Beats",
    "On The Track",
    "Made-It",
    "Tha Producer",
    "Music",
    "Sound",
    "Productions",
    "Jr.",
    "III",
    "Da Kid",
    "Tha God",
    "The Great",
    "Mane",
    "Gang",
)
NUMBERS = ("21", "2", "50", "6", "9", "69", "22", "100", "808", "1017", "3000", "24", "2x", "4")
GROUP_WORDS = (
    "Band",
    "Boys",
    "Brothers",
    "Collective",
    "Crew",
    "Gang",
    "Orchestra",
    "Quartet",
    "Sisters",
    "Mafia",
    "Clique",
    "Squad",
    "Ensemble",
    "Project",
    "Family",
    "Kings",
)

WORDS = _words(
    "love you me my the i a to in it of your we on all be for no up with just so is what like "
    "baby heart night time girl life good know go get down way back out now one more feel make "
    "never want day world over away take right tonight come need still home again say think "
    "tell let real money gold dream fire light dark rain sun moon star sky high low bad new old "
    "young crazy wild free lost alone together forever only last first dance party city road "
    "street summer winter blue red black white green hold run fall rise stay leave call cry "
    "smile kiss god angel devil heaven hell ghost soul body mind eyes hands face lips blood "
    "tears ocean river fly wings broken better bitter sweet sugar honey cold hot burn shine "
    "glow fade slow fast rich poor king queen boy man woman mama papa brother sister friend "
    "enemy lover stranger secret truth lies game war peace gun rose diamond champagne midnight "
    "sunrise sunset paradise california london paris tokyo brooklyn atlanta houston memphis "
    "chicago detroit miami"
)

COMMON_TITLES = (
    "Intro",
    "Outro",
    "Interlude",
    "Skit",
    "Home",
    "Love",
    "Forever",
    "Hold On",
    "Stay",
    "Runaway",
    "Alone",
    "Freestyle",
    "Dreams",
    "Paradise",
    "Gold",
)
INSTRUMENTS = (
    "Guitar",
    "Bass",
    "Drums",
    "Keyboards",
    "Piano",
    "Synthesizer",
    "Strings",
    "Saxophone",
    "Trumpet",
    "Talkbox",
    "Percussion",
    "Violin",
    "Organ",
)
LABEL_WORDS = ("Records", "Music", "Entertainment", "Recordings", "Sound", "Group", "Media")

_ONSETS = (
    "b",
    "br",
    "c",
    "ch",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "h",
    "j",
    "k",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sh",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
    "",
)
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou", "ea", "y")
_CODAS = ("", "n", "r", "l", "s", "k", "m", "x", "nd", "rt", "ck", "st")
_ENDINGS = ("son", "ez", "ski", "ini", "ov", "er", "ton", "berg", "ley", "ard", "o", "a", "", "i")
_ACCENTS = str.maketrans(
    {"a": "á", "e": "é", "i": "í", "o": "ö", "u": "ü", "n": "ñ", "c": "č", "s": "ș"}
)


def _zipf_cum(n: int, s: float = 1.0, q: float = 2.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (k + q) ** s for k in range(n)))


class Namer:
    """Builds names and titles from one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.made_up = list(dict.fromkeys(self._made_up(True) for _ in range(8000)))
        self.rare = list(dict.fromkeys(self._made_up(False).lower() for _ in range(40000)))
        self._first_cum = _zipf_cum(len(FIRST), 0.6, 10)
        self._word_cum = _zipf_cum(len(WORDS), 0.9, 3)
        self._common_cum = _zipf_cum(len(COMMON_TITLES), 1.0, 1)

    def _made_up(self, capital: bool) -> str:
        r = self.rng
        word = "".join(
            r.choice(_ONSETS) + r.choice(_VOWELS) + r.choice(_CODAS)
            for _ in range(r.choice((1, 1, 2, 2, 2, 3)))
        )
        word += r.choice(_ENDINGS)
        return word.capitalize() if capital else word

    def _rare(self) -> str:
        return self.rng.choice(self.rare).capitalize()

    def _last(self) -> str:
        return self.rng.choice(LAST if self.rng.random() < 0.35 else self.made_up)

    def _first(self) -> str:
        return self.rng.choices(FIRST, cum_weights=self._first_cum)[0]

    def _style(self, name: str) -> str:
        """Stylised capitals now and then: "WiLL", "JAY-Z", "benny blanco"; some accents."""
        roll = self.rng.random()
        if roll < 0.03:
            return name.upper()
        if roll < 0.05:
            return name.lower()
        if roll < 0.07:
            return "".join(c.upper() if i % 3 == 1 else c for i, c in enumerate(name))
        if roll < 0.10:
            return name.translate(_ACCENTS)
        if roll < 0.11:
            return name.replace("s", "$", 1)
        return name

    def person(self) -> str:
        r = self.rng
        first, last = self._first(), self._last()
        if r.random() < 0.15:
            return f"{first} {r.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
        return self._style(f"{first} {last}")

    def stage(self) -> str:
        r = self.rng
        roll = r.random()
        if roll >= 0.80:  # a one-word name: mostly a rare word, so few pages share it
            return self._style(r.choice(STAGE) if r.random() < 0.05 else self._rare())
        core = r.choice(STAGE) if r.random() < 0.3 else self._rare()
        if roll < 0.30:
            name = f"{r.choice(PREFIXES)} {core}"
        elif roll < 0.45:
            name = f"{core} {r.choice(SUFFIXES)}"
        elif roll < 0.55:
            name = f"{r.choice(NUMBERS)} {core}"
        elif roll < 0.65:
            name = f"{core} {r.choice(STAGE)}"
        else:
            name = f"{core} {self._last()}"
        return self._style(name)

    def group(self) -> str:
        r = self.rng
        core = r.choice(STAGE) if r.random() < 0.5 else self._rare()
        roll = r.random()
        if roll < 0.4:
            return f"The {core} {r.choice(GROUP_WORDS)}"
        if roll < 0.7:
            return f"{core} {r.choice(GROUP_WORDS)}"
        if roll < 0.85:
            return f"{self.person()} & The {r.choice(GROUP_WORDS)}"
        return self._style(f"{core} {self._rare()}")

    def title(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.01:
            return r.choices(COMMON_TITLES, cum_weights=self._common_cum)[0]
        count = r.choice((1, 1, 2, 2, 2, 3, 3, 4))
        if count == 1:  # a one-word title is mostly a rarer word
            return self._one_word()
        words = [self._word() for _ in range(count)]
        title = " ".join(words).title()
        if roll > 0.97:
            title += r.choice((" (Remix)", " (Live)", " - Remastered", " (Acoustic)", " Pt. 2"))
        return title

    def _one_word(self) -> str:
        r = self.rng
        return (r.choice(self.rare) if r.random() < 0.8 else r.choice(WORDS)).title()

    def _word(self) -> str:
        r = self.rng
        if r.random() < 0.35:
            return r.choice(self.rare)
        return r.choices(WORDS, cum_weights=self._word_cum)[0]

    def label(self) -> str:
        r = self.rng
        return f"{self._rare()} {r.choice(LABEL_WORDS)}"


def misspell(text: str, rng: random.Random) -> str:
    """A typo a user might make: one letter dropped, doubled or swapped, away from the start."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text + text[-1]
    i = letters[rng.randrange(len(letters) // 2, len(letters))]
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    j = i - 1 if i > 0 else i + 1
    chars = list(text)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)
