"""Models: one pydantic model per content kind. Field descriptions reach the JSON Schemas."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from urllib.parse import unquote

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

REF_KINDS = ("page", "protocol", "role", "contact", "letter", "table")
REF_PATTERN = re.compile(r"^(?P<kind>[a-z]+):(?P<id>[a-z0-9][a-z0-9/_-]*)(?:#(?P<anchor>[a-z0-9_-]+))?$")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
HEX_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")


def _check_ref(value: str) -> str:
    match = REF_PATTERN.match(value)
    if not match or match["kind"] not in REF_KINDS:
        raise PydanticCustomError(
            "ref",
            "verwijzing '{value}' heeft niet de vorm soort:id (soort is page, protocol, role, contact, letter of table)",
            {"value": value},
        )
    return value


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise PydanticCustomError(
            "id", "id '{value}' mag alleen kleine letters, cijfers, '-' en '_' bevatten", {"value": value}
        )
    return value


def _check_colour(value: str) -> str:
    if not HEX_PATTERN.match(value):
        raise PydanticCustomError(
            "hex_colour", "kleur '{value}' is geen geldige hex-kleur (verwacht #RRGGBB)", {"value": value}
        )
    return value.lower()


PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()\-–.]{1,24}$")
EMAIL_PATTERN = re.compile(r"^[^@\s<>\"'(),;:\[\]]+@[a-z0-9.-]+\.[a-z]{2,}$", re.IGNORECASE)
URL_PATTERN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]+)?(/[^\s<>\"'`{}|\\^]*)?$", re.IGNORECASE)
FILE_PATTERN = re.compile(r"^[a-z0-9_][a-z0-9_.-]*(/[a-z0-9_][a-z0-9_.-]*)*$", re.IGNORECASE)


def _check_phone(value: str) -> str:
    if value and not PHONE_PATTERN.match(value):
        raise PydanticCustomError(
            "phone", "telefoonnummer '{value}' mag alleen cijfers, spaties, '-' en een '+' aan het begin bevatten", {"value": value})
    return value


def _check_email(value: str) -> str:
    if value and not EMAIL_PATTERN.match(value):
        raise PydanticCustomError("email", "e-mailadres '{value}' heeft niet de vorm naam@domein.nl", {"value": value})
    return value


def _check_url(value: str) -> str:
    if value and not URL_PATTERN.match(value):
        raise PydanticCustomError("url", "adres '{value}' is geen webadres (verwacht https://...)", {"value": value})
    return value


def check_site_url(value: str) -> str:
    """A site's public address (org.yml site_url, `--site-url`): a web address of one folder,
    without ?query or #fragment and without a '.' or '..' part (also not as %2e): a browser turns
    those into another address than the one printed beside the QR code."""
    _check_url(value)
    path = value.split("://", 1)[-1].partition("/")[2]
    if "?" in value or "#" in value or any(unquote(part) in (".", "..") for part in path.split("/")):
        raise PydanticCustomError("url", "adres '{value}' is geen adres van een site: zonder '?', '#', '.' of '..' "
                                  "(verwacht bijvoorbeeld https://beleid.example.nl/school)", {"value": value})
    return value


def _check_file(value: str) -> str:
    """A file named by content: relative, inside its folder, no '..', no hidden parts."""
    if not FILE_PATTERN.match(value) or any(part in ("..", ".") for part in value.split("/")):
        raise PydanticCustomError(
            "file", "bestandsnaam '{value}' moet een naam in de map van de organisatie zijn (geen '/', '..' of pad van buiten)",
            {"value": value})
    return value


# What a text field holds, and so how every output treats it (in the JSON Schema as x-tekst):
# plain text is escaped everywhere (HTML, Markdown, search, PDF, DOCX); Markdown is rendered and
# then sanitised (generator/sanitize.py); inline Markdown is Markdown within one line or paragraph.
TEXT_KIND_KEY = "x-tekst"
PLAIN, INLINE, MARKDOWN = "platte tekst", "markdown in de regel", "markdown"
Plain = Annotated[str, Field(json_schema_extra={TEXT_KIND_KEY: PLAIN})]
Inline = Annotated[str, Field(json_schema_extra={TEXT_KIND_KEY: INLINE})]
Markdown = Annotated[str, Field(json_schema_extra={TEXT_KIND_KEY: MARKDOWN})]
Phone = Annotated[str, AfterValidator(_check_phone), Field(json_schema_extra={TEXT_KIND_KEY: PLAIN})]
Email = Annotated[str, AfterValidator(_check_email), Field(json_schema_extra={TEXT_KIND_KEY: PLAIN})]
Url = Annotated[str, AfterValidator(_check_url), Field(json_schema_extra={TEXT_KIND_KEY: PLAIN})]
SiteUrl = Annotated[str, AfterValidator(check_site_url), Field(json_schema_extra={TEXT_KIND_KEY: PLAIN})]
FileName = Annotated[str, AfterValidator(_check_file), Field(json_schema_extra={TEXT_KIND_KEY: PLAIN})]

Ref = Annotated[str, AfterValidator(_check_ref)]
Id = Annotated[str, AfterValidator(_check_id)]
Colour = Annotated[str, AfterValidator(_check_colour)]
Source = Annotated[str, Field(min_length=1, description="Bronregel(s) in de seed, bijv. '003_9a54ac296a9565ce.txt:1362-1408'.")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentMeta(Strict):
    owner: Plain | None = Field(None, description="Eigenaar van het document (functie of afdeling).")
    version: Plain | None = Field(None, description="Versie, bijv. '1.0'.")
    date: dt.date | None = Field(None, description="Datum van deze versie (JJJJ-MM-DD).")
    next_review: dt.date | None = Field(None, description="Datum waarop het document opnieuw bekeken wordt.")

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, (int, float)) else value


SECTOR_IDS = ("onderwijs", "kinderopvang", "zorg", "training")
SectorId = Literal["onderwijs", "kinderopvang", "zorg", "training"]
Sectors = Annotated[list[SectorId], Field(description="Sectorpakketten, bijv. [onderwijs]; leeg = voor alle sectoren.")]


def _moved_to_sectors(cls: type, value: object) -> object:
    """The old `sector:` key (one value, or 'beide') is now `sectors:` (a list of pack ids)."""
    if isinstance(value, dict) and "sector" in value:
        raise PydanticCustomError(
            "sector_moved", "'sector: {old}' is vervangen door 'sectors:' met een lijst van sectorpakketten, "
            "bijv. 'sectors: [{example}]'",
            {"old": value["sector"], "example": OLD_SECTOR_NAMES.get(str(value["sector"]), "onderwijs")})
    return value


OLD_SECTOR_NAMES = {"school": "onderwijs", "kinderopvang": "kinderopvang", "zorg": "zorg", "training": "training",
                    "onderwijs": "onderwijs", "beide": "onderwijs, kinderopvang"}


class TopicLink(Strict):
    label: Plain = Field(description="Tekst op de knop (het tabblad in de oude PDF).")
    ref: Ref = Field(description="Waar de knop heen gaat, bijv. 'page:meldcode/signaleren'.")
    group: Plain = Field("", description="Kopje waaronder de knop staat op de rolpagina (optioneel).")
    sectors: Sectors = Field(default_factory=list)

    _old_sector = model_validator(mode="before")(_moved_to_sectors)


class ActNow(Strict):
    """The first screen of a first-line role: what you do now, what changes it, whom you call, and
    the way into the stappenwijzer. The role page, the role card and the poster read this one field."""

    do: list[Plain] = Field(default_factory=list, max_length=4, description="De twee of drie dingen die je nu doet.")
    exceptions: list[Plain] = Field(default_factory=list, description="Uitzonderingen die alleen voor deze rol gelden. Die van "
                                    "de sector (act_now_exceptions in sector.yml) en 'Is iemand nu in gevaar? Bel 112.' "
                                    "komen er vanzelf bij; herhaal ze hier niet.")
    call: list[Id] = Field(default_factory=list, description="Contact-id's: wie je belt, in volgorde.")
    stappenwijzer: Id | None = Field(None, description="Protocol-id van de stappenwijzer die hierbij hoort, bijv. meldcode.")
    source: str = Field("", description="Bronregel(s) van dit blok, als die anders zijn dan die van de rol.")


class Role(Strict):
    title: Plain = Field(description="Naam van de rol op de tegel, bijv. 'Leerkracht'.")
    tagline: Plain = Field("", description="Korte regel onder de naam: voor wie is deze rol.")
    icon: Plain = Field("material/account", description="Material-icoon, bijv. 'material/human-male-board'.")
    colour: Colour = Field("#37474f", description="Kleur van de tegel (#RRGGBB), goed leesbaar met witte tekst.")
    function: Plain = Field("", description="Functie die deze rol vervult, bijv. 'Intern begeleider'.")
    intro: Markdown = Field("", description="Markdown bovenaan de rolpagina.")
    actions: list[Plain] = Field(default_factory=list, description="De 3 tot 6 belangrijkste acties (voor de rolkaart).")
    first_step: Plain = Field("", description="Eerste stap als er iets gebeurt (voor de rolkaart).")
    topics: list[TopicLink] = Field(default_factory=list, description="De knoppen van de rol, in volgorde.")
    act_now: ActNow | None = Field(None, description="Bovenaan de rolpagina en op de rolkaart: wat je nu doet en wie je belt.")
    contacts: list[Id] = Field(default_factory=list, description="Contact-id's die deze rol belt of mailt, voor rolkaart en poster "
                               "(na die van act_now; daarna die van de protocolstappen van de rol).")
    source: Source
    document: DocumentMeta | None = None


OUTCOME_KINDS = {
    "melden": "Melden bij Veilig Thuis",
    "direct-melden": "Meteen melden bij Veilig Thuis",
    "intern-melden": "Intern melden",
    "hulp": "Hulp organiseren",
    "afsluiten": "Afsluiten en blijven volgen",
    "stoppen": "Stoppen en melden",
    "overleggen": "Overleggen",
}


class Outcome(Strict):
    """Where an answer leads: what you do now and whom you contact. An answer may also go on to a
    next question (an urgent report first, then the questions go on together with Veilig Thuis)."""

    kind: Literal["melden", "direct-melden", "intern-melden", "hulp", "afsluiten", "stoppen", "overleggen"] = Field(
        description="Soort uitkomst: melden, direct-melden, intern-melden, hulp, afsluiten, stoppen of overleggen.")
    title: Plain = Field("", description="Kop van de uitkomst (standaard de naam van de soort, bijv. 'Melden bij Veilig Thuis').")
    contacts: list[Id] = Field(default_factory=list, description="Contact-id's: wie je nu belt of mailt.")

    @property
    def heading(self) -> str:
        return self.title or OUTCOME_KINDS[self.kind]

    @property
    def urgent(self) -> bool:
        return self.kind in ("direct-melden", "stoppen")


class Answer(Strict):
    text: Markdown = Field(description="Wat je doet bij dit antwoord (Markdown).")
    next: str | None = Field(None, description="Id van de volgende vraag of stap in dit protocol.")
    outcome: Outcome | None = Field(None, description="De uitkomst: wat je nu doet en wie je belt.")


class Question(Strict):
    id: Id
    question: Plain = Field(description="De vraag.")
    explain: Markdown = Field("", description="Uitleg bij de vraag (Markdown).")
    yes: Answer = Field(description="Wat je doet als het antwoord ja is.")
    no: Answer = Field(description="Wat je doet als het antwoord nee is.")
    doubt: Answer | None = Field(None, description="Wat je doet bij twijfel ('Weet ik niet'), waar het beleid dat zegt.")


class Comparison(Strict):
    text: Markdown = Field(description="Wat hier anders is dan in het andere protocol (Markdown).")
    ref: Ref = Field(description="De stap waarmee vergeleken wordt, bijv. 'protocol:meldcode#wegen'.")
    label: Plain = Field("Verschil met de meldcode", description="Kop boven de vergelijking.")


class Step(Strict):
    id: Id = Field(description="Anker van de stap op de pagina.")
    title: Plain
    who: list[Id] = Field(default_factory=list, description="Rol-id's van wie deze stap zet.")
    when: Plain = Field("", description="Wanneer of binnen welke termijn.")
    what: Markdown = Field("", description="Wat je doet (Markdown).")
    record: Markdown = Field("", description="Wat je vastlegt (Markdown).")
    contacts: list[Id] = Field(default_factory=list, description="Contact-id's voor deze stap.")
    see: list[Ref] = Field(default_factory=list, description="Verwijzingen naar meer uitleg.")
    parallel: Markdown = Field("", description="Wat tegelijk met deze stap kan gebeuren (Markdown).")
    compare: Comparison | None = Field(None, description="Vergelijking met een stap van een ander protocol.")
    questions: list[Question] = Field(default_factory=list, description="Beslisvragen, in volgorde.")


class Definition(Strict):
    term: Plain
    text: Markdown


class FormField(Strict):
    label: Plain
    hint: Plain = ""
    lines: int = Field(1, ge=1, le=30, description="Aantal schrijfregels op het formulier.")


class Lane(Strict):
    """One lane of a role through a protocol (the clickable schema of the PDF): who does which
    steps, in order."""

    role: Id = Field(description="De rol van deze baan.")
    label: Plain = Field("", description="Kop van de baan (standaard: de naam van de rol).")
    note: Plain = Field("", description="Korte uitleg onder de kop, bijv. 'groene cirkels in het schema'.")
    items: list[TopicLink] = Field(min_length=1, description="De stappen van deze rol, in volgorde.")


class Protocol(Strict):
    title: Plain
    kind: Literal["protocol", "richtlijn", "formulier"] = Field("protocol", description="protocol, richtlijn of formulier.")
    summary: Plain = Field("", description="Eén regel voor overzichten.")
    source: Source
    roles: list[Id] = Field(default_factory=list)
    tags: list[Plain] = Field(default_factory=list)
    intro: Markdown = ""
    lanes: list[Lane] = Field(default_factory=list, description="Het schema per rol (banen), bovenaan de pagina.")
    steps: list[Step] = Field(default_factory=list)
    definitions: list[Definition] = Field(default_factory=list)
    fields: list[FormField] = Field(default_factory=list, description="Invulvelden (alleen bij kind: formulier).")
    send_to: Id | None = Field(None, description="Contact-id dat het ingevulde formulier krijgt (mailto: met het e-mailadres "
                               "van dat contact, zodra het is ingevuld).")
    outro: Markdown = ""
    schoolgids: bool = False
    document: DocumentMeta | None = None


class Fallback(Strict):
    """Where to go while a contact is not filled in (or cannot be reached)."""

    contact: Id = Field(description="Contact-id dat je dan bereikt, bijv. klachten of alarmnummer.")
    when: Plain = Field(description="Wanneer, bijv. 'voor vragen' of 'als er gevaar is'.")


class Contact(Strict):
    name: Plain = Field(description="Naam van de persoon of instantie.")
    function: Plain = Field("", description="Functie of taak.")
    phone: Phone = ""
    email: Email = ""
    url: Url = ""
    address: Plain = ""
    hours: Plain = Field("", description="Bereikbaarheid.")
    note: Markdown = Field("", description="Extra uitleg (Markdown).")
    required: list[Literal["phone", "email", "url", "name"]] = Field(
        default_factory=list, description="Velden die de organisatie moet invullen; leeg = waarschuwing."
    )
    fallback: list[Fallback] = Field(default_factory=list, description="Zolang dit contact niet is ingevuld: wie je dan "
                                     "bereikt, en wanneer (uit het eigen document).")
    source: Source
    document: DocumentMeta | None = None

    @property
    def reachable(self) -> bool:
        """A phone number, an e-mail address or a website (an online form) to use now."""
        return bool(self.phone or self.email or self.url)


class PageMeta(Strict):
    title: Plain
    source: Source
    summary: Plain = ""
    roles: list[Id] = Field(default_factory=list)
    tags: list[Plain] = Field(default_factory=list)
    schoolgids: bool = Field(False, description="true: dit deel komt in de samenvatting voor de schoolgids.")
    sectors: Sectors = Field(default_factory=list)

    _old_sector = model_validator(mode="before")(_moved_to_sectors)
    document: DocumentMeta | None = None


class Placeholder(Strict):
    label: Plain = Field(description="Wat er ingevuld moet worden, bijv. 'groep'.")
    from_: str | None = Field(None, alias="from", description="Gegeven van de organisatie, bijv. 'org.name'.")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class LetterMeta(Strict):
    title: Plain
    source: Source
    audience: Plain = ""
    summary: Plain = ""
    placeholders: dict[str, Placeholder] = Field(default_factory=dict)
    document: DocumentMeta | None = None


class Branding(Strict):
    logo: FileName | None = Field(None, description="Logobestand in de map van de organisatie.")
    primary: Colour = Field("#005a87", description="Hoofdkleur (#RRGGBB); witte tekst moet erop leesbaar zijn.")
    accent: Colour = Field("#b3400b", description="Accentkleur (#RRGGBB) voor links en knoppen.")


class MenuItem(Strict):
    label: Plain
    ref: Ref


class OpenItem(Strict):
    text: Plain = Field(description="Keuze die de organisatie nog moet bevestigen.")
    source: Plain = ""


class Organisation(Strict):
    name: Plain = Field(description="Naam van de organisatie.")
    short_name: Plain = ""
    sectors: list[SectorId] = Field(min_length=1, description="De sectorpakketten die deze organisatie gebruikt, in volgorde, "
                                    "bijv. [onderwijs] of [onderwijs, kinderopvang]. Twee sectoren: lezers kiezen welke onderdelen ze zien.")
    documents: list[Plain] = Field(default_factory=list, description="De eigen brondocumenten van de organisatie "
                                   "(bestandsnamen in de seeds), zodat check ziet welke bronnen van haar zijn.")
    description: Markdown = Field("", description="Korte tekst op de startpagina (Markdown).")
    source: Source
    site_url: SiteUrl = Field("", description="Openbaar adres van de site (voor QR-codes).")
    branding: Branding = Field(default_factory=Branding)
    document: DocumentMeta = Field(default_factory=DocumentMeta)
    hub: list[Id] = Field(min_length=1, description="Rol-id's op de startpagina, in volgorde.")
    menu: list[MenuItem] = Field(default_factory=list, description="Het zijmenu, in volgorde.")
    index: list[MenuItem] = Field(default_factory=list, description="De lijst op de pagina Protocollen, in volgorde (leeg: alle protocollen op naam).")
    terms: dict[str, Plain] = Field(default_factory=dict, description="Woorden die basisteksten van de organisatie overnemen.")
    contacts: list[Id] = Field(default_factory=list, description="Contacten op de contactpagina, in volgorde.")
    footer: list[Id] = Field(default_factory=list, description="Contacten onderaan elke pagina en op de voorkant van de PDF.")
    hide: list[str] = Field(default_factory=list, description="Basisbestanden die deze organisatie niet publiceert.")
    red_line: Inline = Field("", description="De rode lijn: wat iedereen doet als het onveilig is (op elke rolpagina en rolkaart).")
    open_items: list[OpenItem] = Field(default_factory=list, description="Keuzes die de organisatie moet bevestigen.")

    _old_sector = model_validator(mode="before")(_moved_to_sectors)

    @field_validator("hub")
    @classmethod
    def _hub_once(cls, value: list[str]) -> list[str]:
        twice = sorted({role for role in value if value.count(role) > 1})
        if twice:
            raise PydanticCustomError("hub_twice", "rol '{role}' staat twee keer in hub: (een tegel per rol)", {"role": twice[0]})
        return value


class Column(Strict):
    key: Id = Field(description="Sleutel van de kolom in elke rij.")
    label: Plain = Field(description="Kop van de kolom.")
    filter: bool = Field(False, description="true: lezers kunnen op deze kolom filteren.")
    type: Literal["text", "url", "email"] = Field("text", description="text, url (link) of email (mailadres).")


class Table(Strict):
    """A table kept as data (for example a training offer), shown as its own page and embeddable
    in any page with {{ table('id') }}."""

    title: Plain
    source: Source
    summary: Plain = ""
    intro: Markdown = ""
    columns: list[Column] = Field(min_length=1)
    rows: list[dict[str, str | list[str]]] = Field(default_factory=list, description="Rijen: per kolomsleutel een waarde (of een lijst van waarden).")
    outro: Markdown = ""
    schoolgids: bool = False
    document: DocumentMeta | None = None


class ListItem(Strict):
    text: Markdown = Field(description="De regel zelf (Markdown).")
    detail: Markdown = Field("", description="Uitleg bij de regel (Markdown).")


class RuleList(Strict):
    """A list kept as data (rules, always/never lists, triggers), embeddable in any page with
    {{ list('id') }} so the same list is written once."""

    title: Plain
    source: Source
    numbered: bool = Field(False, description="true: genummerde lijst.")
    intro: Markdown = ""
    items: list[ListItem] = Field(min_length=1)
    document: DocumentMeta | None = None

    @field_validator("items", mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        """Accept plain strings as items: `- Wees op tijd.`"""
        if isinstance(value, list):
            return [{"text": v} if isinstance(v, str) else v for v in value]
        return value


class SectorException(Strict):
    """One exception in 'Wat doe je nu?' that holds for every reader of a sector (a care client has
    no parents to skip, a pupil has)."""

    text: Plain = Field(description="Wat het verandert en wat je dan doet, in de woorden van de sector, bijv. 'Vertelt een "
                        "leerling zelf over geweld thuis? Ga dan meteen naar de aandachtsfunctionaris.'")
    source: Source


class SectorPack(Strict):
    """`sectors/<id>/sector.yml`: a sector pack, the layer between the national base and an
    organisation. Its folders hold what is true for the whole sector."""

    name: Plain = Field(description="Naam van de sector voor lezers, bijv. 'Kinderopvang'.")
    label: Plain = Field(description="Kop boven tekst voor alleen deze sector, bijv. 'Voor de kinderopvang'.")
    source: Source
    foreign_words: list[Plain] = Field(default_factory=list, description="Woorden die niet bij de lezers van deze sector "
                                       "horen (met hun vormen), bijv. leerkracht, leerkrachten, leerling, klas: een test leest elke "
                                       "gebouwde site en faalt op ze.")
    act_now_exceptions: list[SectorException] = Field(
        default_factory=list, description="Uitzonderingen in 'Wat doe je nu?' voor alle eerstelijnsrollen van deze sector, "
        "in de woorden van de sector, elk met een bron. Ze staan vóór de eigen uitzonderingen van de rol.")
