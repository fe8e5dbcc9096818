"""The canonical role vocabulary: every credit we show is one of these roles.

Sources name the same job many ways ("Mixed By", "Mixing Engineer", MusicBrainz "mix"). The
mapping tables in `role_maps` turn those into the codes below, so the rest of the program compares,
groups and explains credits in one vocabulary. Each role carries a plain-language guide: the text of
the product's "what does this credit mean?" pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Family(StrEnum):
    PRODUCTION = "production"
    ENGINEERING = "engineering"
    WRITING = "writing"
    PERFORMANCE = "performance"
    BUSINESS = "business"
    VISUAL = "visual"
    OTHER = "other"


class Scope(StrEnum):
    TRACK = "track"
    RELEASE = "release"


@dataclass(frozen=True, slots=True)
class Role:
    code: str
    label: str
    ddex: str
    family: Family
    scope: Scope
    guide: str
    plural: str


UNMAPPED: str = "unmapped"

FAMILY_ORDER: tuple[Family, ...] = (
    Family.PRODUCTION,
    Family.ENGINEERING,
    Family.WRITING,
    Family.PERFORMANCE,
    Family.BUSINESS,
    Family.VISUAL,
    Family.OTHER,
)

FAMILY_LABELS: Mapping[Family, str] = MappingProxyType(
    {
        Family.PRODUCTION: "Production",
        Family.ENGINEERING: "Engineering",
        Family.WRITING: "Writing",
        Family.PERFORMANCE: "Performance",
        Family.BUSINESS: "Business",
        Family.VISUAL: "Visual",
        Family.OTHER: "Other",
    }
)

# `ddex` is the DDEX contributor role value (ERN allowed-value set) the role lines up with. Where
# DDEX has no exact value we use the nearest one and say so; "UserDefined" is DDEX's own escape
# hatch for roles outside its list. Order here is display order: families in FAMILY_ORDER.
_ROLE_LIST: tuple[Role, ...] = (
    # --- production -------------------------------------------------------------------------
    # DDEX "Producer" can mean the company that owns the recording; StudioProducer is the person.
    Role(
        code="producer",
        label="Producer",
        plural="Producers",
        ddex="StudioProducer",
        family=Family.PRODUCTION,
        scope=Scope.TRACK,
        guide=(
            "Runs the making of a recording: shapes the arrangement and the sound, guides the "
            "performances and decides when a take is good enough. In hip-hop and pop the producer "
            "often builds the beat or backing track as well. Unlike an executive producer, who "
            "oversees a whole project and its money, the producer works hands-on with the music. "
            "Usually credited per track."
        ),
    ),
    Role(
        code="co_producer",
        label="Co-Producer",
        plural="Co-Producers",
        ddex="CoProducer",
        family=Family.PRODUCTION,
        scope=Scope.TRACK,
        guide=(
            "Shares the producer's hands-on work as an explicitly named partner, often with a "
            "narrower part of the decisions. We use this credit only when the source itself says "
            "co-producer: several people credited as producer on one song each stay producers. "
            "Usually credited per track."
        ),
    ),
    Role(
        code="additional_producer",
        label="Additional Producer",
        plural="Additional Producers",
        ddex="AdditionalStudioProducer",
        family=Family.PRODUCTION,
        scope=Scope.TRACK,
        guide=(
            "Adds production on top of a track that another producer leads, such as extra drums, "
            "synth layers or a reworked section. The direction stays with the lead producer, so "
            "this marks a contribution rather than shared control. Usually credited per track."
        ),
    ),
    Role(
        code="assistant_producer",
        label="Assistant Producer",
        plural="Assistant Producers",
        ddex="AssistantProducer",
        family=Family.PRODUCTION,
        scope=Scope.TRACK,
        guide=(
            "Helps the producer by preparing sessions, organising takes and doing the tasks the "
            "producer hands over. An assistant works under the producer's direction, while an "
            "additional producer contributes musical parts of their own. Usually credited per "
            "track."
        ),
    ),
    Role(
        code="associate_producer",
        label="Associate Producer",
        plural="Associate Producers",
        ddex="AssociateProducer",
        family=Family.PRODUCTION,
        scope=Scope.TRACK,
        guide=(
            "Supports a production with organising or creative input and ranks below the producer "
            "but above an assistant. The duties vary by project, and the title often marks a "
            "senior helper or a producer in training. Usually credited per track."
        ),
    ),
    Role(
        code="vocal_producer",
        label="Vocal Producer",
        plural="Vocal Producers",
        ddex="VocalProducer",
        family=Family.PRODUCTION,
        scope=Scope.TRACK,
        guide=(
            "Directs the recording of the vocals: coaches the singer, picks the best takes and "
            "shapes phrasing, pitch and harmonies. The vocal producer looks after the voice only, "
            "while the producer answers for the whole track. Usually credited per track."
        ),
    ),
    Role(
        code="executive_producer",
        label="Executive Producer",
        plural="Executive Producers",
        ddex="ExecutiveProducer",
        family=Family.PRODUCTION,
        scope=Scope.RELEASE,
        guide=(
            "Oversees a project as a whole rather than single recordings: funding, schedule, the "
            "choice of collaborators and the final say on what comes out. An executive producer is "
            "often a label head, a manager or the artist, and may never touch the music, unlike a "
            "producer who works in the studio. Usually credited once per release."
        ),
    ),
    # A remix is a new production of a song: someone asking "who made this sound?" looks for the
    # remixer next to the producers, not among the engineers. DDEX keeps Remixer (the creative
    # role) apart from RemixingEngineer (the technician), which supports the same split.
    Role(
        code="remixer",
        label="Remixer",
        plural="Remixers",
        ddex="Remixer",
        family=Family.PRODUCTION,
        scope=Scope.TRACK,
        guide=(
            "Makes a new version of an existing recording, usually by taking its separate parts "
            "and building a new arrangement, groove or sound around some of them. A remix is a "
            "fresh production of the song, so the remixer is in effect the producer of that "
            "version. Usually credited per track."
        ),
    ),
    Role(
        code="compiler",
        label="Compiler",
        plural="Compilers",
        ddex="CompilationProducer",
        family=Family.PRODUCTION,
        scope=Scope.RELEASE,
        guide=(
            "Chooses and orders the existing recordings that make up a compilation, and sometimes "
            "arranges the rights to use them. A compiler curates recordings that already exist, "
            "whereas a producer makes new ones. Usually credited once per release."
        ),
    ),
    Role(
        code="reissue_producer",
        label="Reissue Producer",
        plural="Reissue Producers",
        ddex="ReissueProducer",
        family=Family.PRODUCTION,
        scope=Scope.RELEASE,
        guide=(
            "Oversees a new edition of an older release: finding the best source tapes, "
            "supervising the remastering and approving the new artwork and notes. The original "
            "producer made the recordings, while the reissue producer prepares them to come out "
            "again. Usually credited once per release."
        ),
    ),
    # --- engineering ------------------------------------------------------------------------
    Role(
        code="engineer",
        label="Engineer",
        plural="Engineers",
        ddex="Engineer",
        family=Family.ENGINEERING,
        scope=Scope.TRACK,
        guide=(
            "Operates the studio equipment that captures and shapes sound, from placing "
            "microphones to running the recording software. This general credit is used when the "
            "source does not say which stage the engineer worked on; recording, mixing and "
            "mastering engineers are the specific versions. Usually credited per track."
        ),
    ),
    Role(
        code="recording_engineer",
        label="Recording Engineer",
        plural="Recording Engineers",
        ddex="RecordingEngineer",
        family=Family.ENGINEERING,
        scope=Scope.TRACK,
        guide=(
            "Captures the performances: chooses and places microphones, sets levels and runs the "
            "recording session. Also called a tracking engineer, they work at the start of the "
            "process, before anything is mixed. Usually credited per track."
        ),
    ),
    Role(
        code="mixing_engineer",
        label="Mixing Engineer",
        plural="Mixing Engineers",
        ddex="MixingEngineer",
        family=Family.ENGINEERING,
        scope=Scope.TRACK,
        guide=(
            "Blends the recorded parts into the finished track, balancing levels and adding "
            "effects such as reverb, compression and equalisation. Mixing decides how the song "
            "sounds as a whole, while mastering later only polishes the finished mix. Usually "
            "credited per track."
        ),
    ),
    Role(
        code="mastering_engineer",
        label="Mastering Engineer",
        plural="Mastering Engineers",
        ddex="MasteringEngineer",
        family=Family.ENGINEERING,
        scope=Scope.RELEASE,
        guide=(
            "Prepares finished mixes for release: evens out loudness and tone across the songs, "
            "sets the gaps and makes the final masters for each format. Mastering works on "
            "complete mixes and does not change the balance inside a song, which is the mixing "
            "engineer's job. Usually credited once per release."
        ),
    ),
    Role(
        code="assistant_engineer",
        label="Assistant Engineer",
        plural="Assistant Engineers",
        ddex="AssistantEngineer",
        family=Family.ENGINEERING,
        scope=Scope.TRACK,
        guide=(
            "Supports an engineer in the studio by setting up microphones and cables, keeping "
            "track of sessions and looking after the equipment. Often called a second engineer, "
            "the assistant does not lead the session. Usually credited per track."
        ),
    ),
    Role(
        code="assistant_recording_engineer",
        label="Assistant Recording Engineer",
        plural="Assistant Recording Engineers",
        ddex="RecordingSecondEngineer",
        family=Family.ENGINEERING,
        scope=Scope.TRACK,
        guide=(
            "Helps the recording engineer during sessions by setting up gear, patching signals and "
            "running the recording system. The assistant works under the recording engineer, who "
            "makes the sound decisions. Usually credited per track."
        ),
    ),
    Role(
        code="assistant_mixing_engineer",
        label="Assistant Mixing Engineer",
        plural="Assistant Mixing Engineers",
        ddex="MixingSecondEngineer",
        family=Family.ENGINEERING,
        scope=Scope.TRACK,
        guide=(
            "Helps the mixing engineer by preparing sessions, printing versions and handling "
            "revisions. The creative mix decisions stay with the mixing engineer. Usually credited "
            "per track."
        ),
    ),
    Role(
        code="assistant_mastering_engineer",
        label="Assistant Mastering Engineer",
        plural="Assistant Mastering Engineers",
        ddex="MasteringSecondEngineer",
        family=Family.ENGINEERING,
        scope=Scope.RELEASE,
        guide=(
            "Helps the mastering engineer by preparing files, checking results and producing the "
            "delivery formats. The mastering decisions stay with the mastering engineer. Usually "
            "credited once per release."
        ),
    ),
    # DDEX has no value for lacquer cutting; it is a vinyl stage of mastering, hence the nearest.
    Role(
        code="cutting_engineer",
        label="Cutting Engineer",
        plural="Cutting Engineers",
        ddex="MasteringEngineer",
        family=Family.ENGINEERING,
        scope=Scope.RELEASE,
        guide=(
            "Cuts the master disc that vinyl records are pressed from, adjusting the sound so that "
            "it plays well from a groove. This is the vinyl stage of mastering, so the credit "
            "appears only on records made for vinyl. Usually credited once per release."
        ),
    ),
    # Programming happens inside studio machines and is usually done at the producer's request,
    # so it sits with engineering; the guide warns that in beat-based music it can be much more.
    Role(
        code="programmer",
        label="Programmer",
        plural="Programmers",
        ddex="Programmer",
        family=Family.ENGINEERING,
        scope=Scope.TRACK,
        guide=(
            "Creates parts with drum machines, sequencers, synthesisers or software instead of "
            "playing them live, such as the drum pattern or the synth bass. The programmer builds "
            "the sounds and patterns, while the producer decides how they are used. In beat-based "
            "music a programmer may be doing much of the production work. Usually credited per "
            "track."
        ),
    ),
    Role(
        code="editor",
        label="Editor",
        plural="Editors",
        ddex="Editor",
        family=Family.ENGINEERING,
        scope=Scope.TRACK,
        guide=(
            "Edits recorded audio: cuts between takes, tightens timing, removes noises and "
            "assembles the best parts into one performance. Editing comes after recording and "
            "before mixing. Usually credited per track."
        ),
    ),
    # --- writing ----------------------------------------------------------------------------
    Role(
        code="songwriter",
        label="Songwriter",
        plural="Songwriters",
        ddex="ComposerLyricist",
        family=Family.WRITING,
        scope=Scope.TRACK,
        guide=(
            "Wrote the song, music and words together, without saying who wrote which part. Genius "
            "lists writers this way, and most pop songs name several songwriters. When a source "
            "separates the work, the credits are composer for the music and lyricist for the "
            "words. Usually credited per track."
        ),
    ),
    Role(
        code="composer",
        label="Composer",
        plural="Composers",
        ddex="Composer",
        family=Family.WRITING,
        scope=Scope.TRACK,
        guide=(
            "Wrote the music of a piece: its melody, harmony and structure. A composer credit "
            "covers the music only; the words belong to the lyricist, and a songwriter credit "
            "covers both. Usually credited per track."
        ),
    ),
    Role(
        code="lyricist",
        label="Lyricist",
        plural="Lyricists",
        ddex="Lyricist",
        family=Family.WRITING,
        scope=Scope.TRACK,
        guide=(
            "Wrote the words of a song. A lyricist credit covers the text only, while the composer "
            "wrote the music and a songwriter credit covers both. Usually credited per track."
        ),
    ),
    Role(
        code="librettist",
        label="Librettist",
        plural="Librettists",
        ddex="Librettist",
        family=Family.WRITING,
        scope=Scope.RELEASE,
        guide=(
            "Wrote the libretto, the full text sung and spoken in an opera, operetta or musical. A "
            "librettist writes the words for a whole stage work, while a lyricist writes the words "
            "of a single song. Usually credited once per release."
        ),
    ),
    Role(
        code="translator",
        label="Translator",
        plural="Translators",
        ddex="Translator",
        family=Family.WRITING,
        scope=Scope.TRACK,
        guide=(
            "Put the words of a song or work into another language, for singing or for the "
            "booklet. A translator works from existing words, whereas a lyricist writes new ones. "
            "Usually credited per track."
        ),
    ),
    Role(
        code="adapter",
        label="Adapter",
        plural="Adapters",
        ddex="Adapter",
        family=Family.WRITING,
        scope=Scope.TRACK,
        guide=(
            "Reworked an existing text or piece into a new form, such as another language, a "
            "different cast or a new format. An adapter changes the work itself, while an arranger "
            "decides how existing music is played. Usually credited per track."
        ),
    ),
    Role(
        code="arranger",
        label="Arranger",
        plural="Arrangers",
        ddex="Arranger",
        family=Family.WRITING,
        scope=Scope.TRACK,
        guide=(
            "Decides how a piece is played: which instruments or voices take which parts and how "
            "the harmony and structure are laid out for them. The arranger shapes music that the "
            "composer wrote, often for one section such as the strings or horns. Usually credited "
            "per track."
        ),
    ),
    # DDEX has no orchestrator value; orchestration is a kind of arranging.
    Role(
        code="orchestrator",
        label="Orchestrator",
        plural="Orchestrators",
        ddex="Arranger",
        family=Family.WRITING,
        scope=Scope.TRACK,
        guide=(
            "Turns a composer's sketch or piano score into parts for an orchestra or large "
            "ensemble, choosing the instrument that plays each line. Orchestration is arranging "
            "focused on instrument colour, while an arranger may also change harmony and form. "
            "Usually credited per track."
        ),
    ),
    # --- performance ------------------------------------------------------------------------
    Role(
        code="main_artist",
        label="Main Artist",
        plural="Main Artists",
        ddex="MainArtist",
        family=Family.PERFORMANCE,
        scope=Scope.TRACK,
        guide=(
            "The artist a recording is released under, whose name appears on the cover or in the "
            "title. Main artists are billed, unlike the session players and singers listed as "
            "performers. Usually credited per track."
        ),
    ),
    Role(
        code="featured_artist",
        label="Featured Artist",
        plural="Featured Artists",
        ddex="FeaturedArtist",
        family=Family.PERFORMANCE,
        scope=Scope.TRACK,
        guide=(
            'A guest artist billed next to the main artist, usually shown as "feat." in the title. '
            "A featured artist is part of the billing, unlike a session singer or player. Usually "
            "credited per track."
        ),
    ),
    Role(
        code="performer",
        label="Performer",
        plural="Performers",
        ddex="Performer",
        family=Family.PERFORMANCE,
        scope=Scope.TRACK,
        guide=(
            "Performed on a recording without the source saying whether they sang or played, or in "
            "a general part such as leader, soloist or guest. When the instrument or voice is "
            "known we list the person as an instrumentalist or vocalist instead. Usually credited "
            "per track."
        ),
    ),
    Role(
        code="instrumentalist",
        label="Instrumentalist",
        plural="Instrumentalists",
        ddex="Musician",
        family=Family.PERFORMANCE,
        scope=Scope.TRACK,
        guide=(
            "Played an instrument on the recording, and the instrument is shown next to the name. "
            "Band members, session players and guests are all listed here. Usually credited per "
            "track."
        ),
    ),
    Role(
        code="vocalist",
        label="Vocalist",
        plural="Vocalists",
        ddex="Vocalist",
        family=Family.PERFORMANCE,
        scope=Scope.TRACK,
        guide=(
            "Sang or spoke on the recording, without the source saying whether the part was lead "
            "or backing. Rap, spoken word and voice types such as tenor are shown next to the "
            "name. Usually credited per track."
        ),
    ),
    Role(
        code="lead_vocalist",
        label="Lead Vocalist",
        plural="Lead Vocalists",
        ddex="LeadVocalist",
        family=Family.PERFORMANCE,
        scope=Scope.TRACK,
        guide=(
            "Sang the main vocal line of the recording. The lead is usually the artist, while "
            "background vocalists support the lead with harmonies and echoes. Usually credited per "
            "track."
        ),
    ),
    Role(
        code="background_vocalist",
        label="Background Vocalist",
        plural="Background Vocalists",
        ddex="BackgroundVocalist",
        family=Family.PERFORMANCE,
        scope=Scope.TRACK,
        guide=(
            "Sang supporting parts behind the lead vocal, such as harmonies, doubles, answers and "
            "chants. Sources also call this backing vocals or additional vocals. Usually credited "
            "per track."
        ),
    ),
    Role(
        code="choir",
        label="Choir",
        plural="Choirs",
        ddex="Choir",
        family=Family.PERFORMANCE,
        scope=Scope.TRACK,
        guide=(
            "A choir or vocal group that sang as one ensemble. The choir is credited as a group, "
            "while the person who trained it is credited as chorus master. Usually credited per "
            "track."
        ),
    ),
    Role(
        code="orchestra",
        label="Orchestra",
        plural="Orchestras",
        ddex="Orchestra",
        family=Family.PERFORMANCE,
        scope=Scope.TRACK,
        guide=(
            "An orchestra or large instrumental ensemble that played as one group. The orchestra "
            "is credited as a whole, and the conductor who led it is credited separately. Usually "
            "credited per track."
        ),
    ),
    Role(
        code="conductor",
        label="Conductor",
        plural="Conductors",
        ddex="Conductor",
        family=Family.PERFORMANCE,
        scope=Scope.TRACK,
        guide=(
            "Led an orchestra, choir or band in performance, setting tempo, balance and "
            "interpretation. The conductor usually plays nothing on the recording, unlike the "
            "musicians they direct. Usually credited per track."
        ),
    ),
    Role(
        code="chorus_master",
        label="Chorus Master",
        plural="Chorus Masters",
        ddex="ChorusMaster",
        family=Family.PERFORMANCE,
        scope=Scope.TRACK,
        guide=(
            "Prepared and rehearsed a choir before the performance, and sometimes led it. A chorus "
            "master trains the singers, while the conductor leads the whole performance. Usually "
            "credited per track."
        ),
    ),
    Role(
        code="dj_mixer",
        label="DJ Mixer",
        plural="DJ Mixers",
        ddex="DJ",
        family=Family.PERFORMANCE,
        scope=Scope.RELEASE,
        guide=(
            "Made a continuous DJ mix by playing existing records in sequence and blending them "
            "with beat-matching, crossfades and effects. A DJ mixer works with finished records, "
            "unlike a mixing engineer who balances the parts of one recording. Usually credited "
            "once per release."
        ),
    ),
    # --- business ---------------------------------------------------------------------------
    Role(
        code="a_and_r",
        label="A&R",
        plural="A&R",
        ddex="AAndRAdministrator",
        family=Family.BUSINESS,
        scope=Scope.RELEASE,
        guide=(
            "Works for the label to find and develop artists and to match them with songs, "
            "producers and collaborators; the letters stand for artists and repertoire. A&R staff "
            "steer a project from the business side without taking part in the music. Usually "
            "credited once per release."
        ),
    ),
    # DDEX lists no artist-manager role; UserDefined is its value for roles outside the list.
    Role(
        code="manager",
        label="Manager",
        plural="Managers",
        ddex="UserDefined",
        family=Family.BUSINESS,
        scope=Scope.RELEASE,
        guide=(
            "Runs the business side of an artist's career: negotiates deals, plans releases and "
            "tours and acts on the artist's behalf. A manager works for the artist, whereas A&R "
            "staff work for the label. Usually credited once per release."
        ),
    ),
    Role(
        code="contractor",
        label="Contractor",
        plural="Contractors",
        ddex="Contractor",
        family=Family.BUSINESS,
        scope=Scope.RELEASE,
        guide=(
            "Hires the session musicians for a recording, often a string or horn section, and "
            "handles their booking and pay. The contractor organises the players, while an "
            "arranger writes what they play. Usually credited once per release."
        ),
    ),
    Role(
        code="coordinator",
        label="Coordinator",
        plural="Coordinators",
        ddex="ProductionCoordinator",
        family=Family.BUSINESS,
        scope=Scope.RELEASE,
        guide=(
            "Organises the practical side of a project: schedules, paperwork, contact between "
            "label, studio and artist, and delivering materials on time. A coordinator keeps the "
            "project moving but makes no creative decisions, unlike a producer. Usually credited "
            "once per release."
        ),
    ),
    # --- visual -----------------------------------------------------------------------------
    Role(
        code="art_director",
        label="Art Director",
        plural="Art Directors",
        ddex="ArtDirector",
        family=Family.VISUAL,
        scope=Scope.RELEASE,
        guide=(
            "Leads the visual side of a release: sets the idea for the cover and packaging and "
            "directs the designers, photographers and illustrators. The art director decides what "
            "the artwork should be, while a designer carries it out. Usually credited once per "
            "release."
        ),
    ),
    Role(
        code="designer",
        label="Designer",
        plural="Designers",
        ddex="Designer",
        family=Family.VISUAL,
        scope=Scope.RELEASE,
        guide=(
            "Designs the cover, packaging or booklet: the layout, the lettering and how images and "
            "text fit together. A designer makes the artwork, usually to a direction set by the "
            "art director. Usually credited once per release."
        ),
    ),
    Role(
        code="illustrator",
        label="Illustrator",
        plural="Illustrators",
        ddex="Illustrator",
        family=Family.VISUAL,
        scope=Scope.RELEASE,
        guide=(
            "Drew or painted artwork used on the cover, booklet or packaging. An illustrator makes "
            "images by hand or on a computer, while a photographer takes pictures and a designer "
            "lays them out. Usually credited once per release."
        ),
    ),
    Role(
        code="photographer",
        label="Photographer",
        plural="Photographers",
        ddex="Photographer",
        family=Family.VISUAL,
        scope=Scope.RELEASE,
        guide=(
            "Took the photographs used on the cover, booklet or packaging. The photographer "
            "supplies the images, and the designer decides how they are laid out. Usually credited "
            "once per release."
        ),
    ),
    Role(
        code="video_director",
        label="Video Director",
        plural="Video Directors",
        ddex="VideoDirector",
        family=Family.VISUAL,
        scope=Scope.TRACK,
        guide=(
            "Directed the music video for a recording, from the idea through filming to the final "
            "cut. The video director leads the film crew much as a producer leads the recording. "
            "Usually credited per track."
        ),
    ),
    Role(
        code="video_producer",
        label="Video Producer",
        plural="Video Producers",
        ddex="VideoProducer",
        family=Family.VISUAL,
        scope=Scope.TRACK,
        guide=(
            "Organised the making of a music video: budget, crew, locations and schedule. The "
            "video producer runs the production, while the video director makes the creative "
            "calls. Usually credited per track."
        ),
    ),
    Role(
        code="animator",
        label="Animator",
        plural="Animators",
        ddex="Animator",
        family=Family.VISUAL,
        scope=Scope.TRACK,
        guide=(
            "Created the animation in a music video or visualiser. The animator makes the moving "
            "images, working to the video director's plan. Usually credited per track."
        ),
    ),
    # --- other ------------------------------------------------------------------------------
    Role(
        code="liner_notes",
        label="Liner Notes",
        plural="Liner Notes",
        ddex="WriterOfAccompanyingMaterial",
        family=Family.OTHER,
        scope=Scope.RELEASE,
        guide=(
            "Wrote the text printed in the booklet or on the sleeve, such as an essay on the "
            "music, its history or the sessions. Liner notes describe the record and are not the "
            "lyrics. Usually credited once per release."
        ),
    ),
    Role(
        code=UNMAPPED,
        label="Unmapped Credit",
        plural="Unmapped Credits",
        ddex="Unknown",
        family=Family.OTHER,
        scope=Scope.TRACK,
        guide=(
            "A credit whose wording we do not recognise yet. Rather than guess, we show the role "
            "exactly as the source wrote it, next to the name. Usually credited per track, like "
            "most credits."
        ),
    ),
)

ROLES: Mapping[str, Role] = MappingProxyType({role.code: role for role in _ROLE_LIST})


def loose_key(text: str) -> str:
    """Key that ignores case, spaces and punctuation: "Mixing-engineer" == "mixing_engineer".

    "&" is kept so that "A&R" and "A & R" still meet; every other non-alphanumeric character
    (hyphens, underscores, "©", "℗") is dropped.
    """
    return "".join(ch for ch in text.casefold() if ch.isalnum() or ch == "&")


def _lookup_index() -> Mapping[str, Role]:
    index: dict[str, Role] = {}
    for role in _ROLE_LIST:
        for name in (role.code, role.label, role.plural):
            # First role wins, so a plural shared by two roles never overrides a code or label.
            index.setdefault(loose_key(name), role)
    return MappingProxyType(index)


_BY_LOOSE_NAME = _lookup_index()


def get_role(code: str) -> Role:
    try:
        return ROLES[code]
    except KeyError:
        raise KeyError(f"unknown role code {code!r}; known codes are the keys of ROLES") from None


def roles_in_family(family: Family) -> list[Role]:
    return [role for role in _ROLE_LIST if role.family is family]


def find_role(text: str) -> Role | None:
    """Look a role up by code, label or plural, forgiving case, spaces and punctuation."""
    key = loose_key(text)
    return _BY_LOOSE_NAME.get(key) if key else None
