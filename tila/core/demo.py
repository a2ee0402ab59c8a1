"""The demo city: a Helsinki-like sample in Finnish, Swedish and English, loaded by `tila demo`.

Everything a resident or a member of staff sees on a fresh laptop comes from here: districts,
units (libraries, youth centres, sports halls, cultural centres), about eighty resources with
descriptions, booking rules, purposes, equipment and accessibility sentences, opening hours with
summer hours and holiday exceptions, staff and resident accounts, and a few weeks of
reservations around today.

The data are plain module-level structures; the loader at the bottom walks them and writes
through the domain services (`resource_create`, `opening_period_create`, `reservation_create`
…), so closures, opening intervals and occupancy rows are built exactly as in production.
Dates are relative to `timezone.localdate()` and the random choices use a fixed seed, so the
result is the same for a given day.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tila.accounts.models import Role, UnitRole, User
from tila.accounts.permissions import Action, can
from tila.booking.models import Reservation, ReservationType, State
from tila.booking.services import reservation_approve, reservation_cancel, reservation_create, reservation_deny
from tila.catalogue.models import (
    AccessibilitySentence,
    District,
    Equipment,
    MainType,
    Purpose,
    Resource,
    ResourceType,
    Unit,
    UnitGroup,
)
from tila.catalogue.selectors import DEFAULT_RULES, Rules, resource_rules
from tila.catalogue.services import resource_create
from tila.core.errors import DomainError
from tila.core.i18n import LANGUAGES
from tila.core.timeutil import UTC, day_bounds, get_zone, local_datetime
from tila.hours.selectors import opening_intervals
from tila.hours.services import opening_period_create

T = tuple[str, str, str]  # the same text in Finnish, Swedish and English
SEED = 2026
PASSWORD = "tila-demo-2026"  # noqa: S105 - published demo password for a local laptop
ZONE_NAME = "Europe/Helsinki"
MUNICIPALITY = "Helsinki"


def tr(name: str, text: T) -> dict[str, str]:
    """Model kwargs `name_fi`, `name_sv`, `name_en` from a (fi, sv, en) triple."""
    return {f"{name}_{lang}": value for lang, value in zip(LANGUAGES, text, strict=True)}


def join(*parts: T) -> T:
    """Sentences joined per language."""
    fi, sv, en = (" ".join(p[i] for p in parts if p[i]) for i in range(3))
    return fi, sv, en


def minutes(n: int) -> dt.timedelta:
    return dt.timedelta(minutes=n)


# --- Reference data -------------------------------------------------------------------------

DISTRICTS: list[tuple[str, T]] = [
    ("kluuvi", ("Kluuvi", "Gloet", "Kluuvi")),
    ("kallio", ("Kallio", "Berghäll", "Kallio")),
    ("itakeskus", ("Itäkeskus", "Östra centrum", "Itäkeskus")),
    ("pasila", ("Pasila", "Böle", "Pasila")),
    ("vuosaari", ("Vuosaari", "Nordsjö", "Vuosaari")),
    ("malmi", ("Malmi", "Malm", "Malmi")),
    ("herttoniemi", ("Herttoniemi", "Hertonäs", "Herttoniemi")),
    ("myllypuro", ("Myllypuro", "Kvarnbäcken", "Myllypuro")),
    ("taka-toolo", ("Taka-Töölö", "Bortre Tölö", "Taka-Töölö")),
    ("kontula", ("Kontula", "Gårdsbacka", "Kontula")),
]

RESOURCE_TYPES: list[tuple[str, str, T]] = [
    ("meeting-room", MainType.SPACE, ("Kokoushuone", "Mötesrum", "Meeting room")),
    ("study-room", MainType.SPACE, ("Opiskeluhuone", "Studierum", "Study room")),
    ("group-room", MainType.SPACE, ("Ryhmätyötila", "Grupparbetsrum", "Group room")),
    ("music-studio", MainType.SPACE, ("Musiikkihuone", "Musikrum", "Music studio")),
    ("recording-studio", MainType.SPACE, ("Äänitysstudio", "Inspelningsstudio", "Recording and podcast studio")),
    ("maker-space", MainType.SPACE, ("Tekemisen tila", "Verkstad", "Maker space")),
    ("kitchen", MainType.SPACE, ("Keittiö", "Kök", "Kitchen")),
    ("event-hall", MainType.SPACE, ("Tapahtumasali", "Evenemangssal", "Event hall and auditorium")),
    ("sports-hall", MainType.SPACE, ("Liikuntasali", "Idrottssal", "Sports hall")),
    ("gym", MainType.SPACE, ("Kuntosali", "Gym", "Gym")),
    ("dance-studio", MainType.SPACE, ("Tanssisali", "Danssal", "Dance studio")),
    ("sauna", MainType.SPACE, ("Sauna", "Bastu", "Sauna")),
    ("gaming-room", MainType.SPACE, ("Pelihuone", "Spelrum", "Gaming room")),
    ("projector", MainType.ITEM, ("Videotykki", "Videoprojektor", "Projector")),
    ("camera-kit", MainType.ITEM, ("Kamerasetti", "Kamerapaket", "Camera kit")),
    ("vr-headset", MainType.ITEM, ("VR-lasit", "VR-glasögon", "VR headset")),
    ("tent", MainType.ITEM, ("Teltta ja retkeilyvälineet", "Tält och friluftsutrustning", "Tent and camping gear")),
    ("sup-board", MainType.ITEM, ("SUP-lauta", "SUP-bräda", "SUP board")),
    ("sewing-machine", MainType.ITEM, ("Ompelukone", "Symaskin", "Sewing machine")),
]

# Parents come before their children.
PURPOSES: list[tuple[str, str | None, T]] = [
    ("meetings-and-work", None, ("Kokoukset ja työskentely", "Möten och arbete", "Meetings and work")),
    ("meeting", "meetings-and-work", ("Kokous", "Möte", "Meeting")),
    ("remote-work", "meetings-and-work", ("Etätyö", "Distansarbete", "Remote work")),
    ("studying", "meetings-and-work", ("Opiskelu", "Studier", "Studying")),
    ("culture", None, ("Kulttuuri", "Kultur", "Culture")),
    ("music", "culture", ("Musiikki", "Musik", "Music")),
    ("theatre-and-dance", "culture", ("Teatteri ja tanssi", "Teater och dans", "Theatre and dance")),
    ("visual-arts", "culture", ("Kuvataide", "Bildkonst", "Visual arts")),
    ("audio-video", "culture", ("Ääni ja video", "Ljud och video", "Audio and video")),
    ("sports", None, ("Liikunta", "Idrott och motion", "Sports")),
    ("ball-games", "sports", ("Pallopelit", "Bollspel", "Ball games")),
    ("floorball", "ball-games", ("Salibandy", "Innebandy", "Floorball")),
    ("basketball", "ball-games", ("Koripallo", "Basket", "Basketball")),
    ("volleyball", "ball-games", ("Lentopallo", "Volleyboll", "Volleyball")),
    ("badminton", "ball-games", ("Sulkapallo", "Badminton", "Badminton")),
    ("gymnastics", "sports", ("Voimistelu", "Gymnastik", "Gymnastics")),
    ("fitness", "sports", ("Kuntosaliharjoittelu", "Gymträning", "Gym training")),
    ("outdoor", "sports", ("Ulkoilu ja retkeily", "Friluftsliv", "Outdoor activities")),
    ("events", None, ("Tapahtumat ja juhlat", "Evenemang och fester", "Events and celebrations")),
    ("crafts", None, ("Käsityöt ja tekeminen", "Hantverk och skapande", "Crafts and making")),
    ("sewing", "crafts", ("Ompelu", "Sömnad", "Sewing")),
    (
        "digital-fabrication",
        "crafts",
        ("3D-tulostus ja digivalmistus", "3D-utskrift och digital tillverkning", "3D printing and fabrication"),
    ),
    ("cooking", None, ("Ruoanlaitto", "Matlagning", "Cooking")),
    ("gaming", None, ("Pelaaminen", "Spel", "Gaming")),
    ("sauna", None, ("Sauna", "Bastu", "Sauna")),
]

EQUIPMENT_CATEGORIES: dict[str, T] = {
    "av": ("AV-laitteet", "AV-utrustning", "AV equipment"),
    "furniture": ("Kalusteet ja tarvikkeet", "Möbler och tillbehör", "Furniture and supplies"),
    "music": ("Musiikki", "Musik", "Music"),
    "making": ("Tekeminen", "Skapande", "Making"),
    "kitchen": ("Keittiö", "Kök", "Kitchen"),
    "sports": ("Liikunta", "Idrott", "Sports"),
    "gaming": ("Pelaaminen", "Spel", "Gaming"),
    "accessibility": ("Esteettömyys", "Tillgänglighet", "Accessibility"),
    "facilities": ("Tilat", "Utrymmen", "Facilities"),
}

EQUIPMENT: list[tuple[str, str, T]] = [
    ("video-projector", "av", ("Videotykki", "Videoprojektor", "Video projector")),
    ("screen", "av", ("Valkokangas", "Filmduk", "Projection screen")),
    ("display", "av", ("Seinänäyttö", "Väggskärm", "Wall display")),
    ("speakers", "av", ("Kaiuttimet", "Högtalare", "Speakers")),
    ("microphone", "av", ("Mikrofoni", "Mikrofon", "Microphone")),
    ("video-conferencing", "av", ("Videoneuvottelulaitteet", "Videokonferensutrustning", "Video conferencing")),
    ("pa-system", "av", ("Äänentoisto", "Ljudanläggning", "PA system")),
    ("mixing-desk", "av", ("Mikseri", "Mixerbord", "Mixing desk")),
    ("whiteboard", "furniture", ("Valkotaulu", "Whiteboard", "Whiteboard")),
    ("flip-chart", "furniture", ("Fläppitaulu", "Blädderblock", "Flip chart")),
    ("piano", "music", ("Piano", "Piano", "Piano")),
    ("drum-kit", "music", ("Rumpusetti", "Trumset", "Drum kit")),
    ("guitar-amp", "music", ("Kitara- ja bassovahvistimet", "Gitarr- och basförstärkare", "Guitar and bass amps")),
    ("3d-printer", "making", ("3D-tulostin", "3D-skrivare", "3D printer")),
    ("sewing-machine", "making", ("Ompelukone", "Symaskin", "Sewing machine")),
    ("laser-cutter", "making", ("Laserleikkuri", "Laserskärare", "Laser cutter")),
    ("vinyl-cutter", "making", ("Tarraleikkuri", "Vinylskärare", "Vinyl cutter")),
    ("kitchen-appliances", "kitchen", ("Keittiökoneet", "Köksapparater", "Kitchen appliances")),
    ("dishwasher", "kitchen", ("Astianpesukone", "Diskmaskin", "Dishwasher")),
    ("floorball-goals", "sports", ("Salibandymaalit", "Innebandymål", "Floorball goals")),
    ("basketball-hoops", "sports", ("Koripallotelineet", "Basketkorgar", "Basketball hoops")),
    ("volleyball-net", "sports", ("Lentopalloverkko", "Volleybollnät", "Volleyball net")),
    ("gym-equipment", "sports", ("Kuntolaitteet", "Gymutrustning", "Gym machines")),
    ("mirror-wall", "sports", ("Peiliseinä", "Spegelvägg", "Mirror wall")),
    ("game-consoles", "gaming", ("Pelikonsolit", "Spelkonsoler", "Game consoles")),
    ("gaming-pc", "gaming", ("Pelitietokoneet", "Speldatorer", "Gaming PCs")),
    ("accessible-toilet", "accessibility", ("Esteetön wc", "Tillgänglig toalett", "Accessible toilet")),
    ("induction-loop", "accessibility", ("Induktiosilmukka", "Hörslinga", "Induction loop")),
    ("showers", "facilities", ("Suihkut", "Duschar", "Showers")),
]

# --- Units ----------------------------------------------------------------------------------

ENTRANCES: dict[str, T] = {
    "auto": (
        "Pääsisäänkäynti on katutasossa, ja ovet aukeavat automaattisesti.",
        "Huvudingången ligger i gatuplan och dörrarna öppnas automatiskt.",
        "The main entrance is at street level and the doors open automatically.",
    ),
    "ramp": (
        "Sisäänkäynnille johtaa loiva luiska, ja ovessa on painonappiavaaja.",
        "En svag ramp leder till ingången och dörren har en tryckknappsöppnare.",
        "A gentle ramp leads to the entrance, and the door has a push-button opener.",
    ),
    "steps": (
        "Pääsisäänkäynnillä on kolme porrasta ja kaide. Esteetön sisäänkäynti on pihan puolella; soita ovikelloa.",
        "Vid huvudingången finns tre trappsteg med ledstång. Den tillgängliga ingången ligger på "
        "gårdssidan; ring på dörrklockan.",
        "The main entrance has three steps with a handrail. The step-free entrance is on the courtyard "
        "side; ring the doorbell.",
    ),
}

TOILETS: dict[str, T] = {
    "same": (
        "Esteetön wc on samassa kerroksessa tilan lähellä.",
        "En tillgänglig toalett finns på samma våning nära lokalen.",
        "An accessible toilet is on the same floor, close to the space.",
    ),
    "lobby": (
        "Esteetön wc on aulakerroksessa.",
        "En tillgänglig toalett finns i entréplanet.",
        "An accessible toilet is on the lobby floor.",
    ),
    "locker": (
        "Pukuhuoneiden yhteydessä on esteetön wc ja suihku.",
        "Vid omklädningsrummen finns en tillgänglig toalett och dusch.",
        "There is an accessible toilet and shower next to the changing rooms.",
    ),
}


@dataclass(frozen=True)
class UnitSpec:
    key: str
    id: str
    name: T
    description: T
    street: T
    postal_code: str
    district: str
    phone: str
    email: str
    www: T
    lat: str
    lon: str
    hours: str  # key of NORMAL_HOURS / SUMMER_HOURS / NEW_YEARS_EVE
    entrance: str  # key of ENTRANCES
    toilets: str  # key of TOILETS
    group: str | None = None  # key of UNIT_GROUPS


def helmet(fi: str, sv: str, en: str) -> T:
    return (
        f"https://www.helmet.fi/fi-FI/Kirjastot_ja_palvelut/{fi}",
        f"https://www.helmet.fi/sv-FI/Bibliotek_och_tjanster/{sv}",
        f"https://www.helmet.fi/en-US/Libraries_and_services/{en}",
    )


def youth_www(slug: str) -> T:
    return (
        f"https://nuorten.hel.fi/nuorisotalot/{slug}/",
        f"https://nuorten.hel.fi/sv/ungdomsgardar/{slug}/",
        f"https://nuorten.hel.fi/en/youth-centres/{slug}/",
    )


def site(url: str) -> T:
    return url, f"{url}sv/", f"{url}en/"


UNIT_GROUPS: dict[str, T] = {
    "libraries": ("Kirjastot", "Bibliotek", "Libraries"),
    "youth": ("Nuorisotalot", "Ungdomsgårdar", "Youth centres"),
}

UNITS: list[UnitSpec] = [
    UnitSpec(
        key="oodi",
        id="tprek:51342",
        name=("Keskustakirjasto Oodi", "Centrumbiblioteket Ode", "Helsinki Central Library Oodi"),
        description=(
            "Oodi on kaikille avoin kohtaamispaikka Kansalaistorin laidalla. Kirjaston lisäksi talossa on "
            "kokous- ja ryhmätyötiloja, studioita, pelihuoneita sekä Kaupunkiverstas, jossa voi tulostaa, "
            "ommella ja rakentaa.",
            "Ode är en mötesplats öppen för alla vid Medborgartorget. Förutom biblioteket finns här mötes- "
            "och grupparbetsrum, studior, spelrum och Stadsverkstaden, där man kan skriva ut, sy och bygga.",
            "Oodi is a meeting place open to everyone on Kansalaistori Square. Besides the library, the "
            "building has meeting and group rooms, studios, gaming rooms and the Urban Workshop, where you "
            "can print, sew and build.",
        ),
        street=("Töölönlahdenkatu 4", "Tölöviksgatan 4", "Töölönlahdenkatu 4"),
        postal_code="00100",
        district="kluuvi",
        phone="+358 9 3108 5000",
        email="oodi@tila.example",
        www=("https://www.oodihelsinki.fi/", "https://www.oodihelsinki.fi/sv/", "https://www.oodihelsinki.fi/en/"),
        lat="60.173830",
        lon="24.938000",
        hours="oodi",
        entrance="auto",
        toilets="same",
        group="libraries",
    ),
    UnitSpec(
        key="kallio-library",
        id="tprek:8215",
        name=("Kallion kirjasto", "Berghälls bibliotek", "Kallio Library"),
        description=(
            "Vuonna 1940 valmistunut Kallion kirjasto on Helsingin vanhimpia kirjastotaloja ja kaupunginosan "
            "olohuone. Kirjastossa on kokoushuone, ryhmätyötila, opiskeluhuone ja musiikkihuone, jossa on piano.",
            "Berghälls bibliotek från 1940 är ett av Helsingfors äldsta bibliotekshus och stadsdelens "
            "vardagsrum. Här finns ett mötesrum, ett grupparbetsrum, ett studierum och ett musikrum med piano.",
            "Completed in 1940, Kallio Library is one of Helsinki's oldest library buildings and the "
            "neighbourhood's living room. It has a meeting room, a group room, a study room and a music room "
            "with a piano.",
        ),
        street=("Viides linja 11", "Femte linjen 11", "Viides linja 11"),
        postal_code="00530",
        district="kallio",
        phone="+358 9 3108 5011",
        email="kallio.kirjasto@tila.example",
        www=helmet("Kallion_kirjasto", "Berghalls_bibliotek", "Kallio_Library"),
        lat="60.184296",
        lon="24.949720",
        hours="library",
        entrance="steps",
        toilets="lobby",
        group="libraries",
    ),
    UnitSpec(
        key="itakeskus-library",
        id="tprek:8184",
        name=("Itäkeskuksen kirjasto", "Östra centrums bibliotek", "Itäkeskus Library"),
        description=(
            "Itäkeskuksen kirjasto on kulttuurikeskus Stoan kanssa samassa talossa metroaseman vieressä. "
            "Kirjastossa on kokoustila, ryhmätyötila, pajatila ja podcast-studio.",
            "Östra centrums bibliotek finns i samma hus som kulturcentret Stoa, bredvid metrostationen. "
            "Biblioteket har ett mötesrum, ett grupparbetsrum, en verkstad och en poddstudio.",
            "Itäkeskus Library shares its building with Stoa Cultural Centre next to the metro station. It has "
            "a meeting room, a group room, a workshop and a podcast studio.",
        ),
        street=("Turunlinnantie 1", "Åbohusvägen 1", "Turunlinnantie 1"),
        postal_code="00900",
        district="itakeskus",
        phone="+358 9 3108 5022",
        email="itakeskus.kirjasto@tila.example",
        www=helmet("Itakeskuksen_kirjasto", "Ostra_centrums_bibliotek", "Itakeskus_Library"),
        lat="60.210220",
        lon="25.081400",
        hours="library",
        entrance="auto",
        toilets="same",
        group="libraries",
    ),
    UnitSpec(
        key="pasila-library",
        id="tprek:8302",
        name=("Pasilan kirjasto", "Böle bibliotek", "Pasila Library"),
        description=(
            "Pasilan kirjasto on rauhallinen opiskelukirjasto aseman tuntumassa. Hiljaiset opiskeluhuoneet "
            "ovat suosittuja varsinkin tenttikausina.",
            "Böle bibliotek är ett lugnt studiebibliotek nära stationen. De tysta studierummen är populära, "
            "särskilt under tentperioderna.",
            "Pasila Library is a calm study library close to the station. Its quiet study rooms are popular, "
            "especially during exam periods.",
        ),
        street=("Kellosilta 9", "Klockbron 9", "Kellosilta 9"),
        postal_code="00520",
        district="pasila",
        phone="+358 9 3108 5033",
        email="pasila.kirjasto@tila.example",
        www=helmet("Pasilan_kirjasto", "Bole_bibliotek", "Pasila_Library"),
        lat="60.200800",
        lon="24.933200",
        hours="library-small",
        entrance="ramp",
        toilets="same",
        group="libraries",
    ),
    UnitSpec(
        key="vuosaari-library",
        id="tprek:8310",
        name=("Vuosaaren kirjasto", "Nordsjö bibliotek", "Vuosaari Library"),
        description=(
            "Vuosaaren kirjasto on kulttuurikeskus Vuotalon yhteydessä Mosaiikkitorin laidalla. Kirjastosta "
            "voi lainata myös retkeilyvälineitä ja SUP-laudan meren äärelle.",
            "Nordsjö bibliotek ligger i samma hus som kulturcentret Nordhuset vid Mosaiktorget. Här kan man "
            "också låna friluftsutrustning och en SUP-bräda för utflykter till havet.",
            "Vuosaari Library is in the Vuotalo Cultural Centre building on Mosaiikkitori Square. Besides "
            "books, you can borrow outdoor gear and a SUP board for trips to the sea.",
        ),
        street=("Mosaiikkitori 2", "Mosaiktorget 2", "Mosaiikkitori 2"),
        postal_code="00980",
        district="vuosaari",
        phone="+358 9 3108 5044",
        email="vuosaari.kirjasto@tila.example",
        www=helmet("Vuosaaren_kirjasto", "Nordsjo_bibliotek", "Vuosaari_Library"),
        lat="60.209510",
        lon="25.143810",
        hours="library",
        entrance="auto",
        toilets="same",
        group="libraries",
    ),
    UnitSpec(
        key="malmi-library",
        id="tprek:8192",
        name=("Malmin kirjasto", "Malms bibliotek", "Malmi Library"),
        description=(
            "Malmin kirjasto on Malmitalossa aseman vieressä. Kirjastossa on kokoushuone, ryhmätyötila ja "
            "tee-se-itse-nurkkaus ompeluun ja pieniin korjauksiin.",
            "Malms bibliotek finns i Malms kulturhus bredvid stationen. Här finns ett mötesrum, ett "
            "grupparbetsrum och en gör-det-själv-hörna för sömnad och små reparationer.",
            "Malmi Library is in the Malmitalo building next to the station. It has a meeting room, a group "
            "room and a DIY corner for sewing and small repairs.",
        ),
        street=("Ala-Malmin tori 1", "Nedre Malms torg 1", "Ala-Malmin tori 1"),
        postal_code="00700",
        district="malmi",
        phone="+358 9 3108 5055",
        email="malmi.kirjasto@tila.example",
        www=helmet("Malmin_kirjasto", "Malms_bibliotek", "Malmi_Library"),
        lat="60.251080",
        lon="25.009600",
        hours="library",
        entrance="auto",
        toilets="lobby",
        group="libraries",
    ),
    UnitSpec(
        key="kontula-library",
        id="tprek:8277",
        name=("Kontulan kirjasto", "Gårdsbacka bibliotek", "Kontula Library"),
        description=(
            "Kontulan kirjasto on ostoskeskuksen sydämessä metroaseman vieressä. Kirjastosta voi varata "
            "kokoushuoneen ja opiskelutilan sekä VR-lasit kirjastossa käytettäviksi.",
            "Gårdsbacka bibliotek ligger mitt i köpcentret intill metrostationen. Här kan du boka ett mötesrum "
            "och ett studierum samt VR-glasögon för användning i biblioteket.",
            "Kontula Library is in the heart of the shopping centre next to the metro station. You can book a "
            "meeting room, a study room and a VR headset to use in the library.",
        ),
        street=("Ostostie 4", "Köpvägen 4", "Ostostie 4"),
        postal_code="00940",
        district="kontula",
        phone="+358 9 3108 5066",
        email="kontula.kirjasto@tila.example",
        www=helmet("Kontulan_kirjasto", "Gardsbacka_bibliotek", "Kontula_Library"),
        lat="60.235880",
        lon="25.082360",
        hours="library-small",
        entrance="auto",
        toilets="same",
        group="libraries",
    ),
    UnitSpec(
        key="hertsi",
        id="tprek:9451",
        name=("Nuorisotalo Hertsi", "Ungdomsgården Hertsi", "Hertsi Youth Centre"),
        description=(
            "Hertsi on Herttoniemen nuorten oma talo: bänditiloja, keittiö, pelihuone ja sali, jossa voi "
            "pelata, tanssia ja järjestää tapahtumia. Iltaisin paikalla on nuoriso-ohjaajia.",
            "Hertsi är Hertonäs ungdomars eget hus med replokaler, kök, spelrum och en sal för spel, dans och "
            "evenemang. På kvällarna finns ungdomsledare på plats.",
            "Hertsi is Herttoniemi's house for young people, with band rooms, a kitchen, a gaming room and a "
            "hall for games, dance and events. Youth workers are around in the evenings.",
        ),
        street=("Linnanrakentajantie 2", "Slottsbyggarvägen 2", "Linnanrakentajantie 2"),
        postal_code="00880",
        district="herttoniemi",
        phone="+358 9 3108 9451",
        email="hertsi@tila.example",
        www=youth_www("hertsi"),
        lat="60.195400",
        lon="25.049700",
        hours="youth",
        entrance="ramp",
        toilets="lobby",
        group="youth",
    ),
    UnitSpec(
        key="kontula-youth",
        id="tprek:9460",
        name=("Kontulan nuorisotalo", "Gårdsbacka ungdomsgård", "Kontula Youth Centre"),
        description=(
            "Kontulan nuorisotalolla on kuntosali, tanssisali, musiikkihuone, opetuskeittiö ja oma sauna, "
            "jonka voi varata iltavuoroiksi.",
            "Gårdsbacka ungdomsgård har ett gym, en danssal, ett musikrum, ett undervisningskök och en egen "
            "bastu som kan bokas för kvällsturer.",
            "Kontula Youth Centre has a gym, a dance studio, a music room, a teaching kitchen and its own "
            "sauna, which can be booked for evening sessions.",
        ),
        street=("Keinutie 1", "Gungvägen 1", "Keinutie 1"),
        postal_code="00940",
        district="kontula",
        phone="+358 9 3108 9460",
        email="kontula.nuorisotalo@tila.example",
        www=youth_www("kontula"),
        lat="60.237900",
        lon="25.085300",
        hours="youth",
        entrance="steps",
        toilets="lobby",
        group="youth",
    ),
    UnitSpec(
        key="kallio-youth",
        id="tprek:9472",
        name=("Kallion nuorisotalo", "Berghälls ungdomsgård", "Kallio Youth Centre"),
        description=(
            "Kallion nuorisotalo on musiikin ja median talo: bändikämppä, äänitysstudio, podcast-huone ja "
            "pelihuone. Tiloja voivat varata 13–29-vuotiaat ja nuorten ryhmät.",
            "Berghälls ungdomsgård är ett hus för musik och media med replokal, inspelningsstudio, poddrum "
            "och spelrum. Lokalerna kan bokas av 13–29-åringar och ungdomsgrupper.",
            "Kallio Youth Centre is a house for music and media, with a band room, a recording studio, a "
            "podcast room and a gaming room. They can be booked by 13–29-year-olds and youth groups.",
        ),
        street=("Helsinginkatu 22", "Helsingegatan 22", "Helsinginkatu 22"),
        postal_code="00530",
        district="kallio",
        phone="+358 9 3108 9472",
        email="kallio.nuorisotalo@tila.example",
        www=youth_www("kallio"),
        lat="60.186400",
        lon="24.952400",
        hours="youth",
        entrance="steps",
        toilets="lobby",
        group="youth",
    ),
    UnitSpec(
        key="kisahalli",
        id="tprek:41047",
        name=("Kisahalli", "Idrottshallen", "Kisahalli Sports Hall"),
        description=(
            "Vuonna 1935 valmistunut Kisahalli on Töölön urheilun klassikko. Pääsalin voi varata kokonaan, "
            "puolikkaina tai neljänä pienempänä kenttänä; lisäksi talossa on voimistelusali ja kuntosali.",
            "Idrottshallen från 1935 är en klassiker i Tölö. Stora salen kan bokas hel, som halvor eller som "
            "fyra mindre planer; i huset finns också en gymnastiksal och ett gym.",
            "Opened in 1935, Kisahalli is a Töölö sports classic. The main hall can be booked whole, in halves "
            "or as four smaller courts; there is also a gymnastics hall and a gym.",
        ),
        street=("Paavo Nurmen kuja 1 C", "Paavo Nurmis gränd 1 C", "Paavo Nurmen kuja 1 C"),
        postal_code="00250",
        district="taka-toolo",
        phone="+358 9 3108 7800",
        email="kisahalli@tila.example",
        www=(
            "https://liikunta.hel.fi/kisahalli",
            "https://liikunta.hel.fi/sv/kisahalli",
            "https://liikunta.hel.fi/en/kisahalli",
        ),
        lat="60.187900",
        lon="24.922900",
        hours="sports",
        entrance="ramp",
        toilets="locker",
    ),
    UnitSpec(
        key="liikuntamylly",
        id="tprek:41085",
        name=("Liikuntamylly", "Motionskvarnen", "Liikuntamylly Sports Centre"),
        description=(
            "Liikuntamylly on Itä-Helsingin suuri liikuntakeskus Myllypurossa. Mylly-salin voi jakaa kolmeen "
            "lohkoon siirrettävillä väliverhoilla, ja talossa on myös peilisali ja kuntosali.",
            "Motionskvarnen är östra Helsingfors stora idrottscentrum i Kvarnbäcken. Kvarnsalen kan delas i "
            "tre sektioner med flyttbara draperier, och huset har också en spegelsal och ett gym.",
            "Liikuntamylly is East Helsinki's large sports centre in Myllypuro. The Mill Hall can be divided "
            "into three sections with movable curtains, and there is also a mirror studio and a gym.",
        ),
        street=("Jauhokuja 3", "Mjölgränden 3", "Jauhokuja 3"),
        postal_code="00920",
        district="myllypuro",
        phone="+358 9 3108 7900",
        email="liikuntamylly@tila.example",
        www=(
            "https://liikunta.hel.fi/liikuntamylly",
            "https://liikunta.hel.fi/sv/liikuntamylly",
            "https://liikunta.hel.fi/en/liikuntamylly",
        ),
        lat="60.224300",
        lon="25.075600",
        hours="sports",
        entrance="auto",
        toilets="locker",
    ),
    UnitSpec(
        key="stoa",
        id="tprek:7254",
        name=("Kulttuurikeskus Stoa", "Kulturcentret Stoa", "Stoa Cultural Centre"),
        description=(
            "Stoa on Itä-Helsingin kulttuurikeskus, jossa on teatteri- ja konserttisali, tanssisali, "
            "musiikkiluokka ja kokoustiloja. Salin varaukset käsitellään aina erikseen tekniikan tarpeiden "
            "vuoksi.",
            "Stoa är östra Helsingfors kulturcentrum med en teater- och konsertsal, en danssal, en musikklass "
            "och mötesrum. Bokningar av salen behandlas alltid separat på grund av de tekniska behoven.",
            "Stoa is East Helsinki's cultural centre with a theatre and concert hall, a dance studio, a music "
            "classroom and meeting rooms. Hall bookings are always confirmed individually because of "
            "technical needs.",
        ),
        street=("Turunlinnantie 1", "Åbohusvägen 1", "Turunlinnantie 1"),
        postal_code="00900",
        district="itakeskus",
        phone="+358 9 3108 8800",
        email="stoa@tila.example",
        www=site("https://www.stoa.fi/"),
        lat="60.210000",
        lon="25.082100",
        hours="culture",
        entrance="auto",
        toilets="lobby",
    ),
    UnitSpec(
        key="caisa",
        id="tprek:7259",
        name=("Kulttuurikeskus Caisa", "Kulturcentret Caisa", "Caisa Cultural Centre"),
        description=(
            "Caisa on kansainvälinen kulttuurikeskus, joka tuo yhteen eri kulttuureista tulevia "
            "helsinkiläisiä. Tiloissa järjestetään konsertteja, kursseja, kokouksia ja yhteisöjen juhlia.",
            "Caisa är ett internationellt kulturcentrum som för samman helsingforsare med olika kulturell "
            "bakgrund. Här ordnas konserter, kurser, möten och gemenskapers fester.",
            "Caisa is an international cultural centre that brings together Helsinki residents from "
            "different cultures. It hosts concerts, courses, meetings and community celebrations.",
        ),
        street=("Kaikukatu 4 B", "Ekogatan 4 B", "Kaikukatu 4 B"),
        postal_code="00530",
        district="kallio",
        phone="+358 9 3108 8900",
        email="caisa@tila.example",
        www=site("https://www.caisa.fi/"),
        lat="60.187700",
        lon="24.976200",
        hours="culture",
        entrance="auto",
        toilets="same",
    ),
    UnitSpec(
        key="vuotalo",
        id="tprek:7263",
        name=("Kulttuurikeskus Vuotalo", "Kulturcentret Nordhuset", "Vuotalo Cultural Centre"),
        description=(
            "Vuotalo on Vuosaaren kulttuurikeskus Mosaiikkitorin laidalla. Salissa on 246 paikkaa, ja talossa "
            "on lisäksi kokoushuone ja taidetyöpaja.",
            "Nordhuset är Nordsjös kulturcentrum vid Mosaiktorget. Salen har 246 platser, och huset har "
            "dessutom ett mötesrum och en konstverkstad.",
            "Vuotalo is Vuosaari's cultural centre on Mosaiikkitori Square. Its hall seats 246, and the "
            "building also has a meeting room and an art workshop.",
        ),
        street=("Mosaiikkitori 2", "Mosaiktorget 2", "Mosaiikkitori 2"),
        postal_code="00980",
        district="vuosaari",
        phone="+358 9 3108 8950",
        email="vuotalo@tila.example",
        www=site("https://www.vuotalo.fi/"),
        lat="60.209600",
        lon="25.143300",
        hours="culture",
        entrance="auto",
        toilets="lobby",
    ),
]

DEMO_UNIT_IDS: tuple[str, ...] = tuple(u.id for u in UNITS)

# --- Opening hours --------------------------------------------------------------------------

WEEKDAYS = (0, 1, 2, 3, 4)
MON_THU = (0, 1, 2, 3)
WEEKEND = (5, 6)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
HoursRule = tuple[tuple[int, ...], int, int]  # weekdays, opening hour, closing hour

NORMAL_HOURS: dict[str, list[HoursRule]] = {
    "oodi": [(WEEKDAYS, 8, 22), (WEEKEND, 10, 20)],
    "library": [(MON_THU, 8, 20), ((4,), 8, 18), (WEEKEND, 10, 16)],
    "library-small": [(MON_THU, 10, 20), ((4,), 10, 16), ((5,), 10, 16)],
    "youth": [(MON_THU, 14, 21), ((4,), 14, 22), ((5,), 16, 22)],
    "sports": [(EVERY_DAY, 7, 22)],
    "culture": [(WEEKDAYS, 9, 21), (WEEKEND, 10, 18)],
}
SUMMER_HOURS: dict[str, list[HoursRule]] = {
    "oodi": [(WEEKDAYS, 8, 21), (WEEKEND, 10, 18)],
    "library": [(MON_THU, 9, 19), ((4,), 9, 17), ((5,), 10, 16)],
    "library-small": [(MON_THU, 12, 19), ((4,), 10, 16)],
    "youth": [(MON_THU, 12, 18), ((4,), 12, 20)],
    "sports": [(WEEKDAYS, 8, 21), (WEEKEND, 9, 18)],
    "culture": [(WEEKDAYS, 10, 18), ((5,), 11, 16)],
}
NEW_YEARS_EVE: dict[str, tuple[int, int]] = {
    "oodi": (10, 16),
    "library": (10, 15),
    "library-small": (10, 14),
    "youth": (12, 16),
    "sports": (8, 15),
    "culture": (10, 15),
}

PERIOD_NAMES: dict[str, T] = {
    "normal": ("Normaali aukiolo", "Normala öppettider", "Regular opening hours"),
    "summer": ("Kesäaukiolo", "Sommaröppettider", "Summer opening hours"),
    "christmas": ("Joulu", "Jul", "Christmas"),
    "new-year": ("Uusivuosi", "Nyår", "New Year"),
    "sauna": ("Saunavuorot", "Bastuturer", "Sauna sessions"),
    "loan": ("Laina-aika", "Låneperiod", "Loan period"),
}
PERIOD_DESCRIPTIONS: dict[str, T] = {
    "summer": (
        "Kesä-elokuussa aukiolo on lyhyempi.",
        "Under juni–augusti är öppettiderna kortare.",
        "Shorter opening hours from June to August.",
    ),
    "christmas": (
        "Suljettu jouluaattona, joulupäivänä ja tapaninpäivänä.",
        "Stängt på julafton, juldagen och annandag jul.",
        "Closed on Christmas Eve, Christmas Day and Boxing Day.",
    ),
    "new-year": (
        "Uudenvuodenaattona lyhennetty aukiolo, uudenvuodenpäivänä suljettu.",
        "Kortare öppettider på nyårsafton, stängt på nyårsdagen.",
        "Shorter hours on New Year's Eve, closed on New Year's Day.",
    ),
    "new-year-closed": (
        "Suljettu uudenvuodenaattona ja uudenvuodenpäivänä.",
        "Stängt på nyårsafton och nyårsdagen.",
        "Closed on New Year's Eve and New Year's Day.",
    ),
    "sauna": (
        "Saunaa voi varata vain tiistai- ja torstai-iltaisin.",
        "Bastun kan bokas endast tisdags- och torsdagskvällar.",
        "The sauna can only be booked on Tuesday and Thursday evenings.",
    ),
    "loan": (
        "Lainat lasketaan kokonaisina vuorokausina.",
        "Lånen räknas i hela dygn.",
        "Loans run in whole days.",
    ),
}
# Resources with opening hours of their own (they override the unit's): key -> weekly rules.
OWN_HOURS: dict[str, tuple[str, list[HoursRule]]] = {
    "kontula-sauna": ("sauna", [((1, 3), 17, 21)]),
    "vuosaari-tent": ("loan", [(EVERY_DAY, 0, 0)]),
    "vuosaari-sup": ("loan", [(EVERY_DAY, 0, 0)]),
}

# --- Kinds of resource: shared texts and rules ----------------------------------------------


def rules(
    *,
    slot: int,
    shortest: int | None = None,
    longest: int | None = None,
    days: tuple[int, int] = (0, 60),
    buffer: tuple[int, int] = (0, 0),
    quota: int | None = None,
    manual: bool = False,
    strong: bool = False,
    cutoff_hours: int | None = None,
) -> dict[str, Any]:
    """Booking rule fields of a resource, durations in minutes."""
    return {
        "slot_size": minutes(slot),
        "min_period": minutes(shortest) if shortest else None,
        "max_period": minutes(longest) if longest else None,
        "reservable_min_days_in_advance": days[0],
        "reservable_max_days_in_advance": days[1],
        "buffer_before": minutes(buffer[0]) if buffer[0] else None,
        "buffer_after": minutes(buffer[1]) if buffer[1] else None,
        "max_reservations_per_user": quota,
        "need_manual_confirmation": manual or None,
        "authentication": "strong" if strong else "",
        "cancel_cutoff": dt.timedelta(hours=cutoff_hours) if cutoff_hours else None,
    }


@dataclass(frozen=True)
class Kind:
    type: str
    purposes: tuple[str, ...]
    equipment: tuple[str, ...]
    rules: dict[str, Any]
    description: T  # may use {capacity}
    info: T  # practical advice; the rule sentences are added from the effective rules
    terms: T
    inside: T | None  # accessibility inside the space (None for items)
    subjects: tuple[T, ...]  # what residents book it for


SPACE_TERMS: T = (
    "Tiloja ei voi varata kaupalliseen myyntiin. Varaaja vastaa tilan siisteydestä ja mahdollisista "
    "vahingoista, ja talon järjestyssääntöjä noudatetaan. Päihteet ovat kiellettyjä.",
    "Lokalerna kan inte bokas för kommersiell försäljning. Den som bokar ansvarar för att lokalen lämnas "
    "städad och för eventuella skador, och husets ordningsregler ska följas. Rusmedel är förbjudna.",
    "Spaces cannot be booked for commercial sales. The person who books is responsible for leaving the "
    "space tidy and for any damage, and the house rules apply. Alcohol and drugs are not allowed.",
)
ITEM_TERMS: T = (
    "Lainaaja vastaa välineestä laina-aikana ja palauttaa sen puhdistettuna kaikkine osineen. Kadonneista "
    "tai rikkoutuneista osista peritään korvaus kaupungin hinnaston mukaan.",
    "Låntagaren ansvarar för utrustningen under lånetiden och lämnar tillbaka den rengjord med alla delar. "
    "För förlorade eller skadade delar tas ersättning ut enligt stadens prislista.",
    "The borrower is responsible for the equipment during the loan and returns it clean with all its "
    "parts. Lost or damaged parts are charged according to the city's price list.",
)
LOAN_INFO: T = (
    "Nouda laite asiakaspalvelusta varauksen alkaessa ja palauta se ennen varauksen päättymistä. Lainaan "
    "tarvitaan kirjastokortti ja henkilöllisyystodistus.",
    "Hämta utrustningen i kundtjänsten när bokningen börjar och lämna tillbaka den innan bokningen tar slut. "
    "För lånet behövs bibliotekskort och identitetshandling.",
    "Collect the equipment at the service desk when your booking begins and return it before the booking "
    "ends. You need a library card and ID.",
)
DAY_LOAN_INFO: T = (
    "Nouda varusteet asiakaspalvelusta ensimmäisenä lainapäivänä ja palauta ne viimeisenä lainapäivänä "
    "kirjaston aukioloaikana.",
    "Hämta utrustningen i kundtjänsten den första lånedagen och lämna tillbaka den den sista lånedagen under "
    "bibliotekets öppettider.",
    "Collect the gear at the service desk on the first day of the loan and return it on the last day during "
    "library opening hours.",
)

KINDS: dict[str, Kind] = {
    "meeting": Kind(
        type="meeting-room",
        purposes=("meeting", "remote-work"),
        equipment=("video-projector", "screen", "whiteboard", "flip-chart"),
        rules=rules(slot=30, shortest=60, longest=240, days=(0, 60), cutoff_hours=24),
        description=(
            "Pöydän ääreen mahtuu {capacity} henkeä. Tila sopii kokouksiin, koulutuksiin ja työpajoihin, ja "
            "esitystekniikka on valmiina käyttöä varten.",
            "Runt bordet ryms {capacity} personer. Rummet passar för möten, utbildningar och workshoppar, och "
            "presentationstekniken är klar att användas.",
            "The table seats {capacity}. The room suits meetings, training sessions and workshops, and the "
            "presentation equipment is ready to use.",
        ),
        info=(
            "Avain ja tekniikan kaukosäädin noudetaan asiakaspalvelusta varauksen alkaessa.",
            "Nyckeln och fjärrkontrollen hämtas i kundtjänsten när bokningen börjar.",
            "Pick up the key and the remote control at the service desk when your booking begins.",
        ),
        terms=(
            "Jätä tila sellaiseksi kuin haluaisit sen löytää: kalusteet paikoilleen ja taulut pyyhittyinä.",
            "Lämna rummet som du själv vill hitta det: möblerna på plats och tavlorna avtorkade.",
            "Leave the room as you would like to find it: furniture back in place and boards wiped clean.",
        ),
        inside=(
            "Pöydän ääressä on tilaa pyörätuolille, ja tuolit ovat kevyitä siirtää.",
            "Vid bordet finns plats för en rullstol och stolarna är lätta att flytta.",
            "There is room for a wheelchair at the table and the chairs are easy to move.",
        ),
        subjects=(
            ("Taloyhtiön hallituksen kokous", "Styrelsemöte för bostadsbolaget", "Housing company board meeting"),
            ("Yhdistyksen kuukausikokous", "Föreningens månadsmöte", "Association's monthly meeting"),
            ("Lukupiiri", "Bokcirkel", "Book club"),
            ("Projektipalaveri", "Projektmöte", "Project meeting"),
            ("Vapaaehtoisten perehdytys", "Introduktion för frivilliga", "Volunteer induction"),
        ),
    ),
    "study": Kind(
        type="study-room",
        purposes=("studying", "remote-work"),
        equipment=("whiteboard",),
        rules=rules(slot=15, shortest=30, longest=180, days=(0, 14), quota=2),
        description=(
            "Hiljainen huone keskittymistä vaativaan työhön {capacity} hengelle. Pöydällä on pistorasiat ja "
            "säädettävä valaisin.",
            "Ett tyst rum för koncentrerat arbete för {capacity} personer. Vid bordet finns eluttag och en "
            "justerbar lampa.",
            "A quiet room for focused work for up to {capacity} people. The desk has power outlets and an "
            "adjustable lamp.",
        ),
        info=(
            "Tule ajoissa: huone vapautuu muille, jos et ole paikalla 15 minuutin kuluessa varauksen alusta.",
            "Kom i tid: rummet frigörs för andra om du inte är på plats inom 15 minuter från bokningens början.",
            "Be on time: the room is released to others if you have not arrived within 15 minutes of the start.",
        ),
        terms=(
            "Huoneessa työskennellään hiljaa; puhelut ja verkkokokoukset pidetään ryhmätyötiloissa.",
            "I rummet arbetar man tyst; samtal och nätmöten hålls i grupparbetsrummen.",
            "Work quietly in the room; take calls and online meetings in the group rooms.",
        ),
        inside=(
            "Pöytä on korkeussäädettävä, ja sen alla on tilaa pyörätuolille.",
            "Bordet är höj- och sänkbart och under det ryms en rullstol.",
            "The desk is height-adjustable with room for a wheelchair underneath.",
        ),
        subjects=(
            ("Tenttiin lukeminen", "Tentläsning", "Exam revision"),
            ("Gradun kirjoittaminen", "Skriver på avhandlingen", "Thesis writing"),
            ("Etätyöpäivä", "Distansarbetsdag", "Remote work day"),
        ),
    ),
    "group": Kind(
        type="group-room",
        purposes=("meeting", "studying"),
        equipment=("display", "whiteboard"),
        rules=rules(slot=30, shortest=30, longest=180, days=(0, 21), quota=2),
        description=(
            "Ryhmätyötila {capacity} hengelle opiskeluun, ideointiin ja pieniin kokouksiin. Seinänäyttöön voi "
            "liittää oman tietokoneen.",
            "Ett grupparbetsrum för {capacity} personer för studier, idéarbete och små möten. Du kan koppla "
            "din egen dator till väggskärmen.",
            "A group room for {capacity} people for studying, brainstorming and small meetings. You can "
            "connect your own laptop to the wall display.",
        ),
        info=(
            "Varaus näkyy oven vieressä olevassa näytössä. Kun tilaa ei ole varattu, sitä saa käyttää kuka tahansa.",
            "Bokningen syns på skärmen vid dörren. När rummet inte är bokat får vem som helst använda det.",
            "Your booking shows on the screen by the door. When the room is not booked, anyone may use it.",
        ),
        terms=(
            "Tilassa ei syödä; juomat kannellisissa mukeissa ja pulloissa ovat sallittuja.",
            "Det är inte tillåtet att äta i rummet; drycker i muggar och flaskor med lock går bra.",
            "No eating in the room; drinks in lidded cups and bottles are fine.",
        ),
        inside=(
            "Pöydät ovat siirrettäviä, ja tilassa on kääntymistilaa pyörätuolille.",
            "Borden är flyttbara och det finns vändutrymme för rullstol.",
            "The tables can be moved and there is turning space for a wheelchair.",
        ),
        subjects=(
            ("Markkinoinnin kurssin ryhmätyö", "Grupparbete i marknadsföring", "Marketing course group work"),
            ("Opintopiiri", "Studiecirkel", "Study circle"),
            ("Suomen kielen keskusteluryhmä", "Samtalsgrupp i finska", "Finnish conversation group"),
            ("Hackathon-tiimin tapaaminen", "Hackathonteamets träff", "Hackathon team meet-up"),
        ),
    ),
    "music": Kind(
        type="music-studio",
        purposes=("music",),
        equipment=("speakers", "microphone"),
        rules=rules(slot=60, shortest=60, longest=180, days=(0, 14), quota=2, cutoff_hours=24),
        description=(
            "Äänieristetty harjoitustila bändeille, kuoroille ja yksin soittaville, enintään {capacity} "
            "hengelle. Talon laitteiden lisäksi voit tuoda omat soittimesi.",
            "En ljudisolerad övningslokal för band, körer och den som spelar ensam, för högst {capacity} "
            "personer. Förutom husets utrustning kan du ta med egna instrument.",
            "A soundproofed practice room for bands, choirs and solo players, for up to {capacity} people. "
            "Bring your own instruments in addition to the house equipment.",
        ),
        info=(
            "Ovikoodi lähetetään sähköpostiisi edellisenä päivänä. Tarkista lähtiessäsi, että vahvistimet on "
            "sammutettu.",
            "Dörrkoden skickas till din e-post dagen innan. Kontrollera att förstärkarna är avstängda när du går.",
            "The door code is emailed to you the day before. Check that the amplifiers are switched off when "
            "you leave.",
        ),
        terms=(
            "Suojaa kuulosi: tilassa on lainattavia kuulosuojaimia. Laitteiden asetuksia saa muuttaa, mutta "
            "johdot palautetaan paikoilleen.",
            "Skydda din hörsel: det finns hörselskydd att låna. Du får ändra inställningarna men kablarna ska "
            "tillbaka på sin plats.",
            "Protect your hearing: ear protection is available to borrow. You may change settings, but put the "
            "cables back where they were.",
        ),
        inside=(
            "Lattia on tasainen; rumpukoroke on 15 cm korkea.",
            "Golvet är jämnt; trumpodiet är 15 cm högt.",
            "The floor is level; the drum riser is 15 cm high.",
        ),
        subjects=(
            ("Bändiharjoitukset", "Bandrep", "Band rehearsal"),
            ("Pianoharjoittelu", "Pianoövning", "Piano practice"),
            ("Kuoron stemmaharjoitus", "Stämrep för kören", "Choir section rehearsal"),
            ("Keikkaan valmistautuminen", "Förberedelse inför spelning", "Getting ready for a gig"),
        ),
    ),
    "recording": Kind(
        type="recording-studio",
        purposes=("music", "audio-video"),
        equipment=("microphone", "mixing-desk", "speakers"),
        rules=rules(slot=60, shortest=60, longest=240, days=(0, 14), quota=2),
        description=(
            "Äänitysstudio podcasteihin sekä laulu- ja soitinäänityksiin. Tarkkaamossa on tietokone "
            "äänitysohjelmineen, ja äänityshuoneeseen mahtuu {capacity} henkeä.",
            "En inspelningsstudio för poddar, sång och instrument. I kontrollrummet finns en dator med "
            "inspelningsprogram och i inspelningsrummet ryms {capacity} personer.",
            "A recording studio for podcasts, vocals and instruments. The control room has a computer with "
            "recording software, and the live room fits {capacity} people.",
        ),
        info=(
            "Jos studio on sinulle uusi, varaa ensin maksuton perehdytys henkilökunnalta. Tallenna työsi omalle "
            "muistitikulle tai pilvipalveluun; koneen tiedostot tyhjennetään joka yö.",
            "Om studion är ny för dig, boka först en avgiftsfri introduktion hos personalen. Spara ditt arbete "
            "på ett eget USB-minne eller i molnet; datorns filer töms varje natt.",
            "If the studio is new to you, book a free introduction with the staff first. Save your work to your "
            "own USB stick or cloud storage; the computer is wiped every night.",
        ),
        terms=(
            "Vastaat itse äänityksistäsi ja tekijänoikeuksista, jos käytät muiden musiikkia.",
            "Du ansvarar själv för dina inspelningar och för upphovsrätten om du använder andras musik.",
            "You are responsible for your recordings and for copyright if you use other people's music.",
        ),
        inside=(
            "Tarkkaamon työpöytä on korkeussäädettävä, ja äänityshuoneeseen on kynnyksetön kulku.",
            "Arbetsbordet i kontrollrummet är höj- och sänkbart och det finns tröskelfri passage till "
            "inspelningsrummet.",
            "The control-room desk is height-adjustable and there is step-free access to the live room.",
        ),
        subjects=(
            ("Podcast-jakson äänitys", "Inspelning av poddavsnitt", "Podcast episode recording"),
            ("Demoäänitys", "Demoinspelning", "Demo recording"),
            ("Äänikirjan luenta", "Inläsning av ljudbok", "Audiobook narration"),
        ),
    ),
    "maker": Kind(
        type="maker-space",
        purposes=("crafts", "digital-fabrication", "sewing"),
        equipment=("3d-printer",),
        rules=rules(slot=30, shortest=60, longest=240, days=(0, 14), quota=3),
        description=(
            "Työpiste 3D-tulostukseen, tarrojen leikkaamiseen ja ompeluun. Tilaan mahtuu {capacity} henkeä, ja "
            "henkilökunta neuvoo laitteiden käytössä.",
            "En arbetsplats för 3D-utskrift, dekalskärning och sömnad. Lokalen rymmer {capacity} personer och "
            "personalen hjälper dig med maskinerna.",
            "A workspace for 3D printing, vinyl cutting and sewing. It fits {capacity} people and the staff can "
            "help you with the machines.",
        ),
        info=(
            "Tuo omat materiaalisi tai osta tarvikkeita asiakaspalvelusta omakustannushintaan. 3D-tulosteet "
            "noudetaan viikon kuluessa.",
            "Ta med eget material eller köp förnödenheter till självkostnadspris i kundtjänsten. "
            "3D-utskrifterna ska hämtas inom en vecka.",
            "Bring your own materials or buy supplies at cost from the service desk. Collect your 3D prints "
            "within a week.",
        ),
        terms=(
            "Laitteilla ei saa valmistaa aseita, aseen osia eikä muita vaarallisia esineitä. Alle 15-vuotiaat "
            "käyttävät laitteita aikuisen kanssa.",
            "Maskinerna får inte användas för att tillverka vapen, vapendelar eller andra farliga föremål. "
            "Barn under 15 år använder maskinerna tillsammans med en vuxen.",
            "The machines must not be used to make weapons, weapon parts or other dangerous objects. Children "
            "under 15 use the machines with an adult.",
        ),
        inside=(
            "Työpöydät ovat sähkösäätöisiä, ja laitteiden käyttöpaneelit ulottuvat istumakorkeudelta.",
            "Arbetsborden är elektriskt justerbara och maskinernas paneler nås sittande.",
            "The work tables are electrically adjustable and the machine panels can be reached while seated.",
        ),
        subjects=(
            ("Cosplay-asun ompelu", "Sömnad av cosplaydräkt", "Sewing a cosplay costume"),
            ("Pyörän varaosan 3D-tulostus", "3D-utskrift av en cykeldel", "3D printing a bike part"),
            ("Tarroja yhdistykselle", "Dekaler åt föreningen", "Stickers for our club"),
        ),
    ),
    "art": Kind(
        type="maker-space",
        purposes=("visual-arts", "crafts"),
        equipment=("whiteboard",),
        rules=rules(slot=60, shortest=60, longest=240, days=(0, 30)),
        description=(
            "Valoisa taidetyöpaja maalaamiseen, piirtämiseen ja askarteluun {capacity} hengelle. Tilassa on "
            "pesupiste, isot työpöydät ja maalaustelineet.",
            "En ljus konstverkstad för målning, teckning och pyssel för {capacity} personer. Här finns diskho, "
            "stora arbetsbord och staffliar.",
            "A bright art workshop for painting, drawing and crafts for {capacity} people, with a sink, large "
            "work tables and easels.",
        ),
        info=(
            "Tuo omat tarvikkeet. Märät työt voi jättää kuivumaan hyllylle seuraavaan päivään.",
            "Ta med eget material. Våta arbeten kan lämnas på torkhyllan till nästa dag.",
            "Bring your own materials. Wet work can be left on the drying rack until the next day.",
        ),
        terms=(
            "Pese siveltimet ja pöydät käytön jälkeen. Liuottimia ja spraymaaleja ei saa käyttää sisätiloissa.",
            "Tvätta penslar och bord efter användning. Lösningsmedel och sprayfärg får inte användas inomhus.",
            "Wash brushes and tables after use. Solvents and spray paint may not be used indoors.",
        ),
        inside=(
            "Pesupisteen allas on madallettu, ja työpöytiä on kahta eri korkeutta.",
            "Diskhon är sänkt och arbetsborden finns i två olika höjder.",
            "The sink is lowered and the work tables come in two heights.",
        ),
        subjects=(
            ("Akvarellikurssi", "Akvarellkurs", "Watercolour course"),
            ("Sarjakuvapaja", "Serieverkstad", "Comics workshop"),
            ("Perheiden askartelupäivä", "Pysseldag för familjer", "Family craft day"),
        ),
    ),
    "kitchen": Kind(
        type="kitchen",
        purposes=("cooking", "events"),
        equipment=("kitchen-appliances", "dishwasher"),
        rules=rules(slot=60, shortest=120, longest=360, days=(2, 90), buffer=(0, 30), cutoff_hours=48),
        description=(
            "Hyvin varusteltu opetuskeittiö ruoanlaittoon ja leivontaan {capacity} hengelle. Keittiössä on "
            "neljä liesitasoa, kaksi uunia, astianpesukone ja astiat kattaukseen.",
            "Ett välutrustat undervisningskök för matlagning och bakning för {capacity} personer. Köket har "
            "fyra spisar, två ugnar, diskmaskin och servis för dukning.",
            "A well-equipped teaching kitchen for cooking and baking for {capacity} people, with four hobs, "
            "two ovens, a dishwasher and tableware.",
        ),
        info=(
            "Tuo omat raaka-aineet; mausteet, öljy ja tiskiaineet löytyvät keittiöstä.",
            "Ta med egna råvaror; kryddor, olja och diskmedel finns i köket.",
            "Bring your own ingredients; spices, oil and washing-up liquid are provided.",
        ),
        terms=(
            "Tiskaa astiat, pyyhi pinnat ja lajittele roskat. Jääkaappiin ei jätetä ruokaa.",
            "Diska, torka av ytorna och sortera soporna. Lämna ingen mat i kylskåpet.",
            "Do the dishes, wipe the surfaces and sort the rubbish. Do not leave food in the fridge.",
        ),
        inside=(
            "Yksi työtaso on madallettu, ja sen alla on tilaa pyörätuolille.",
            "En arbetsbänk är sänkt och har plats för en rullstol under.",
            "One worktop is lowered with room for a wheelchair underneath.",
        ),
        subjects=(
            ("Syntymäpäiväbrunssi", "Födelsedagsbrunch", "Birthday brunch"),
            ("Kokkikerho", "Matlagningsklubb", "Cooking club"),
            ("Leivontailta", "Bakkväll", "Baking evening"),
            ("Iftar-illallinen", "Iftarmiddag", "Iftar dinner"),
        ),
    ),
    "hall": Kind(
        type="event-hall",
        purposes=("events", "theatre-and-dance", "music"),
        equipment=("pa-system", "microphone", "video-projector", "screen", "induction-loop"),
        rules=rules(slot=60, shortest=120, longest=720, days=(7, 180), buffer=(60, 30), manual=True, cutoff_hours=168),
        description=(
            "Monikäyttöinen sali konsertteihin, esityksiin, seminaareihin ja juhliin. Katsomoon mahtuu "
            "{capacity} henkeä, ja salissa on ammattitason valo- ja äänitekniikka.",
            "En mångsidig sal för konserter, föreställningar, seminarier och fester. Salongen rymmer "
            "{capacity} personer och salen har ljus- och ljudteknik på professionell nivå.",
            "A versatile hall for concerts, performances, seminars and celebrations. It seats {capacity} and "
            "has professional lighting and sound.",
        ),
        info=(
            "Kerro lisätiedoissa tilaisuuden luonne, arvioitu yleisömäärä ja tekniikkatarpeet. Talon "
            "teknikko on mukana kaikissa yleisötilaisuuksissa, ja hänen työnsä laskutetaan erikseen.",
            "Berätta i tilläggsuppgifterna om evenemanget, den beräknade publiken och de tekniska behoven. "
            "Husets tekniker deltar i alla publika evenemang och faktureras separat.",
            "Tell us in the booking details what the event is, how many people you expect and what technology "
            "you need. The house technician is present at all public events and is invoiced separately.",
        ),
        terms=(
            "Järjestäjä vastaa tilaisuuden turvallisuudesta, järjestyksenvalvonnasta ja tarvittavista "
            "ilmoituksista viranomaisille. Salin suurinta henkilömäärää ei saa ylittää.",
            "Arrangören ansvarar för säkerheten, ordningsövervakningen och nödvändiga anmälningar till "
            "myndigheterna. Salens högsta personantal får inte överskridas.",
            "The organiser is responsible for safety, crowd control and any notifications to the authorities. "
            "The hall's maximum capacity must not be exceeded.",
        ),
        inside=(
            "Katsomossa on kaksi pyörätuolipaikkaa eturivissä, ja lavalle pääsee nostolavalla.",
            "I salongen finns två rullstolsplatser på första raden och till scenen kommer man med en lyftplattform.",
            "There are two wheelchair places in the front row, and a platform lift leads to the stage.",
        ),
        subjects=(
            ("Kuorokonsertti", "Körkonsert", "Choir concert"),
            ("Tanssikoulun näytös", "Dansskolans uppvisning", "Dance school show"),
            ("Asukasilta", "Invånarkväll", "Residents' evening"),
            ("Yhdistyksen 30-vuotisjuhla", "Föreningens 30-årsjubileum", "Association's 30th anniversary"),
            ("Seminaari: kestävä kaupunki", "Seminarium: den hållbara staden", "Seminar: the sustainable city"),
        ),
    ),
    "sports": Kind(
        type="sports-hall",
        purposes=("ball-games", "floorball", "basketball", "volleyball"),
        equipment=("floorball-goals", "basketball-hoops", "volleyball-net"),
        rules=rules(slot=60, shortest=60, longest=180, days=(0, 30), buffer=(0, 15), cutoff_hours=24),
        description=(
            "Sopii pallopeleihin ja ryhmäliikuntaan. Kentän ympärillä on turva-alueet, ja vuorolle "
            "mahtuu {capacity} liikkujaa.",
            "Passar för bollspel och gruppträning. Runt planen finns säkerhetszoner och ett pass rymmer "
            "{capacity} personer.",
            "Suits ball games and group exercise. There are safety zones around the court and a "
            "session fits {capacity} people.",
        ),
        info=(
            "Pukuhuoneet avataan 15 minuuttia ennen vuoron alkua. Välineet ovat salin varastossa, ja ne "
            "palautetaan paikoilleen vuoron päätteeksi.",
            "Omklädningsrummen öppnas 15 minuter före passet. Redskapen finns i salens förråd och ställs "
            "tillbaka efter passet.",
            "The changing rooms open 15 minutes before your session. Equipment is in the hall's storeroom; "
            "put it back at the end of the session.",
        ),
        terms=(
            "Salissa käytetään puhtaita sisäpelikenkiä. Vuoron vastuuhenkilön on oltava täysi-ikäinen ja "
            "paikalla koko vuoron ajan.",
            "I salen används rena inneskor. Den ansvariga personen ska vara myndig och närvara under hela passet.",
            "Clean indoor shoes only. The person responsible for the session must be an adult and present throughout.",
        ),
        inside=(
            "Saliin pääsee kynnyksettä pukuhuonekäytävältä, ja katsomossa on pyörätuolipaikka.",
            "Till salen kommer man utan trösklar från korridoren vid omklädningsrummen och på läktaren finns "
            "en rullstolsplats.",
            "There is step-free access from the changing-room corridor, and the stands have a wheelchair space.",
        ),
        subjects=(
            ("Salibandyvuoro", "Innebandypass", "Floorball session"),
            ("Koripallon pick-up-peli", "Pick-up-basket", "Pick-up basketball"),
            ("Työporukan lentopallo", "Volleyboll med jobbkompisarna", "Volleyball with colleagues"),
            ("Sulkapallo", "Badminton", "Badminton"),
            ("Junioreiden harjoitukset", "Juniorträning", "Junior training"),
        ),
    ),
    "gym": Kind(
        type="gym",
        purposes=("fitness",),
        equipment=("gym-equipment", "mirror-wall"),
        rules=rules(slot=60, shortest=60, longest=120, days=(0, 14), quota=2),
        description=(
            "Kuntosali vapailla painoilla, kuntolaitteilla ja venyttelyalueella. Varattuna vuorona sali on vain "
            "oman ryhmäsi käytössä; ryhmään mahtuu {capacity} henkeä.",
            "Ett gym med fria vikter, maskiner och stretchområde. Under ett bokat pass har bara din grupp "
            "tillgång till gymmet; gruppen kan vara högst {capacity} personer.",
            "A gym with free weights, machines and a stretching area. During a booked session the gym is for "
            "your group only, up to {capacity} people.",
        ),
        info=(
            "Ensikertalaisille on laiteopastus maanantaisin klo 17. Ota mukaan oma pyyhe.",
            "Nya användare får en introduktion till maskinerna på måndagar kl. 17. Ta med egen handduk.",
            "Newcomers can join an equipment introduction on Mondays at 17:00. Bring your own towel.",
        ),
        terms=(
            "Pyyhi laitteet käytön jälkeen ja palauta painot telineisiin. Alle 15-vuotiaat harjoittelevat "
            "aikuisen valvonnassa.",
            "Torka av maskinerna efter användning och lägg tillbaka vikterna i ställen. Barn under 15 år "
            "tränar under uppsikt av en vuxen.",
            "Wipe the machines after use and return the weights to the racks. Under-15s train under adult supervision.",
        ),
        inside=(
            "Osa laitteista soveltuu käytettäväksi pyörätuolista, ja laitteiden välissä on 1,5 metrin kulkuväylät.",
            "En del av maskinerna kan användas från rullstol och mellan maskinerna finns 1,5 meter breda gångar.",
            "Some machines can be used from a wheelchair, and the aisles between machines are 1.5 metres wide.",
        ),
        subjects=(
            ("Kuntosalivuoro", "Gympass", "Gym session"),
            ("Voimaharjoittelu kavereiden kanssa", "Styrketräning med kompisar", "Strength training with friends"),
            ("Seniorien kuntopiiri", "Seniorernas cirkelträning", "Seniors' circuit training"),
        ),
    ),
    "dance": Kind(
        type="dance-studio",
        purposes=("theatre-and-dance", "gymnastics"),
        equipment=("mirror-wall", "speakers"),
        rules=rules(slot=30, shortest=60, longest=180, days=(0, 30), quota=3),
        description=(
            "Sali jousitetulla lattialla, peiliseinällä ja äänentoistolla. Sopii tanssiin, joogaan, "
            "teatteriharjoituksiin ja liikuntaryhmille, enintään {capacity} hengelle.",
            "En sal med fjädrande golv, spegelvägg och ljudanläggning. Passar för dans, yoga, "
            "teaterrepetitioner och motionsgrupper, högst {capacity} personer.",
            "A studio with a sprung floor, mirror wall and sound system. Suits dance, yoga, theatre rehearsals "
            "and exercise groups, up to {capacity} people.",
        ),
        info=(
            "Saliin tullaan ilman ulkokenkiä. Joogamatot ja jumppapallot ovat salin kaapissa.",
            "Man går in i salen utan ytterskor. Yogamattor och gymnastikbollar finns i salens skåp.",
            "No outdoor shoes in the studio. Yoga mats and exercise balls are in the cupboard.",
        ),
        terms=(
            "Korkokengät ja nastat vahingoittavat lattiaa, eikä niitä saa käyttää salissa.",
            "Klackskor och dubbar skadar golvet och får inte användas i salen.",
            "Heels and studs damage the floor and are not allowed.",
        ),
        inside=(
            "Lattia on tasainen ja kynnyksetön, ja salissa on tuoleja lepäämistä varten.",
            "Golvet är jämnt och tröskelfritt och det finns stolar för vila.",
            "The floor is level and threshold-free, and there are chairs for resting.",
        ),
        subjects=(
            ("Joogaryhmä", "Yogagrupp", "Yoga group"),
            ("K-pop-tanssiharjoitukset", "K-pop-dansträning", "K-pop dance practice"),
            ("Teatteriryhmän harjoitukset", "Teatergruppens repetition", "Theatre group rehearsal"),
            ("Lattarijumppa", "Latinogympa", "Latin dance workout"),
        ),
    ),
    "sauna": Kind(
        type="sauna",
        purposes=("sauna",),
        equipment=("showers",),
        rules=rules(
            slot=60, shortest=60, longest=180, days=(0, 30), buffer=(0, 30), quota=1, strong=True, cutoff_hours=24
        ),
        description=(
            "Tilava sähkösauna pesu- ja pukuhuoneineen sekä takkahuone vilvoitteluun. Lauteille mahtuu "
            "{capacity} saunojaa kerrallaan.",
            "En rymlig elbastu med tvätt- och omklädningsrum samt ett brasrum för att svalka sig. På laven "
            "ryms {capacity} badare åt gången.",
            "A spacious electric sauna with a washroom, a changing room and a fireplace lounge for cooling "
            "down. The benches fit {capacity} bathers at a time.",
        ),
        info=(
            "Sauna on lämmin vuoron alkaessa. Ota mukaan omat pyyhkeet ja pesuaineet.",
            "Bastun är varm när turen börjar. Ta med egna handdukar och tvättmedel.",
            "The sauna is hot when your session begins. Bring your own towels and toiletries.",
        ),
        terms=(
            "Saunavuoron varaajan on oltava täysi-ikäinen. Alkoholi ja lasiastiat eivät kuulu saunaan.",
            "Den som bokar bastuturen ska vara myndig. Alkohol och glas hör inte hemma i bastun.",
            "The person booking must be an adult. No alcohol or glass in the sauna.",
        ),
        inside=(
            "Pukuhuoneessa on tukikahvat ja istuin, mutta lauteille noustaan kolmen askelman portaita.",
            "I omklädningsrummet finns stödhandtag och en sittplats, men till laven leder en trappa med tre steg.",
            "The changing room has grab bars and a seat, but the benches are reached by three steps.",
        ),
        subjects=(
            ("Saunailta", "Bastukväll", "Sauna evening"),
            ("Kuoron saunavuoro", "Körens bastutur", "Choir sauna night"),
            ("Saunavuoro kavereiden kanssa", "Bastu med kompisar", "Sauna with friends"),
        ),
    ),
    "gaming": Kind(
        type="gaming-room",
        purposes=("gaming",),
        equipment=("game-consoles", "display"),
        rules=rules(slot=30, shortest=60, longest=120, days=(0, 7), quota=1),
        description=(
            "Pelihuone konsolipelaamiseen ja lautapeleihin {capacity} hengelle. Huoneessa on iso näyttö, "
            "konsolit ja sohva.",
            "Ett spelrum för konsolspel och brädspel för {capacity} personer. I rummet finns en stor skärm, "
            "konsoler och en soffa.",
            "A gaming room for console and board games for {capacity} people, with a big screen, consoles and a sofa.",
        ),
        info=(
            "Ohjaimet ja pelit lainataan asiakaspalvelusta kirjastokortilla. Omia pelejä saa tuoda, jos niiden "
            "ikäraja sopii kaikille paikallaolijoille.",
            "Handkontroller och spel lånas i kundtjänsten med bibliotekskort. Egna spel får tas med om "
            "åldersgränsen passar alla närvarande.",
            "Borrow controllers and games from the service desk with your library card. You may bring your own "
            "games if the age rating suits everyone present.",
        ),
        terms=(
            "Pelien ikärajoja noudatetaan. Ruoka ja juoma eivät kuulu pelihuoneeseen.",
            "Spelens åldersgränser följs. Mat och dryck hör inte hemma i spelrummet.",
            "Age ratings apply. No food or drink in the gaming room.",
        ),
        inside=(
            "Sohvan lisäksi huoneessa on siirrettäviä tuoleja, ja näyttö on säädettävällä jalustalla.",
            "Förutom soffan finns flyttbara stolar och skärmen står på ett justerbart stativ.",
            "Besides the sofa there are movable chairs, and the screen is on an adjustable stand.",
        ),
        subjects=(
            ("Mario Kart -turnaus", "Mario Kart-turnering", "Mario Kart tournament"),
            ("Lautapeli-ilta", "Brädspelskväll", "Board game night"),
            ("FIFA-ottelu", "FIFA-match", "FIFA match"),
        ),
    ),
    "projector": Kind(
        type="projector",
        purposes=("meeting", "events"),
        equipment=(),
        rules=rules(slot=60, shortest=60, longest=480, days=(0, 30), quota=1, strong=True, cutoff_hours=2),
        description=(
            "Kannettava videotykki HDMI- ja USB-C-liitännöillä, kantolaukku ja 10 metrin jatkojohto. Sopii "
            "esityksiin kirjaston tiloissa tai kotona.",
            "En bärbar videoprojektor med HDMI- och USB-C-anslutning, väska och tio meter skarvsladd. Passar "
            "för presentationer i bibliotekets lokaler eller hemma.",
            "A portable video projector with HDMI and USB-C inputs, a carry case and a 10-metre extension "
            "cord. For presentations in the library or at home.",
        ),
        info=LOAN_INFO,
        terms=(
            "Anna laitteen jäähtyä ennen kuin pakkaat sen laukkuun.",
            "Låt projektorn svalna innan du packar den i väskan.",
            "Let the projector cool down before packing it away.",
        ),
        inside=None,
        subjects=(
            ("Esitys yhdistyksen kokoukseen", "Presentation på föreningsmötet", "Slides for our association"),
            ("Elokuvailta pihalla", "Filmkväll på gården", "Outdoor movie night"),
            ("Diaesitys sukujuhlaan", "Bildspel till släktträffen", "Slideshow for a family reunion"),
        ),
    ),
    "camera": Kind(
        type="camera-kit",
        purposes=("audio-video", "visual-arts"),
        equipment=(),
        rules=rules(slot=60, shortest=120, longest=600, days=(1, 30), quota=1, strong=True, cutoff_hours=24),
        description=(
            "Järjestelmäkamera kahdella objektiivilla, kolmijalka, ulkoinen mikrofoni ja kaksi muistikorttia. "
            "Sopii videoiden ja valokuvien tekemiseen.",
            "En systemkamera med två objektiv, stativ, extern mikrofon och två minneskort. Passar för video och foto.",
            "A system camera with two lenses, a tripod, an external microphone and two memory cards. Good for "
            "video and photography.",
        ),
        info=LOAN_INFO,
        terms=(
            "Tyhjennä muistikortit ennen palautusta.",
            "Töm minneskorten innan du lämnar tillbaka kameran.",
            "Empty the memory cards before returning the camera.",
        ),
        inside=None,
        subjects=(
            ("Musiikkivideon kuvaus", "Inspelning av musikvideo", "Shooting a music video"),
            ("Yhdistyksen tapahtuman kuvaus", "Fotografering av föreningens evenemang", "Filming our club event"),
            ("Vlogi", "Vlogg", "Vlog"),
        ),
    ),
    "vr": Kind(
        type="vr-headset",
        purposes=("gaming",),
        equipment=(),
        rules=rules(slot=30, shortest=30, longest=120, days=(0, 7), quota=1, strong=True),
        description=(
            "VR-lasit ohjaimineen sekä valikoima pelejä ja sovelluksia. Laseja käytetään kirjaston "
            "pelialueella, jossa on tilaa liikkua turvallisesti.",
            "VR-glasögon med handkontroller och ett urval spel och appar. Glasögonen används i bibliotekets "
            "spelområde där det finns plats att röra sig säkert.",
            "A VR headset with controllers and a selection of games and apps, used in the library's gaming "
            "area where there is room to move safely.",
        ),
        info=LOAN_INFO,
        terms=(
            "Suositeltu ikäraja on 13 vuotta. Pidä taukoja, jos olo tuntuu huonolta.",
            "Rekommenderad åldersgräns är 13 år. Ta pauser om du mår illa.",
            "Recommended age 13 and up. Take breaks if you feel unwell.",
        ),
        inside=None,
        subjects=(
            ("VR-museokierros", "Museibesök i VR", "Virtual museum tour"),
            ("Beat Saber -haaste", "Beat Saber-utmaning", "Beat Saber challenge"),
        ),
    ),
    "sewing": Kind(
        type="sewing-machine",
        purposes=("sewing", "crafts"),
        equipment=(),
        rules=rules(slot=60, shortest=60, longest=240, days=(0, 14), quota=1, strong=True),
        description=(
            "Ompelukone ja saumuri perustarvikkeineen: neuloja, puolia ja sakset. Koneita käytetään kirjaston "
            "ompelupisteessä.",
            "En symaskin och en overlockmaskin med grundtillbehör: nålar, spolar och sax. Maskinerna används "
            "vid bibliotekets sybord.",
            "A sewing machine and an overlocker with basic supplies: needles, bobbins and scissors, for use at "
            "the library's sewing table.",
        ),
        info=LOAN_INFO,
        terms=(
            "Vaihda katkennut neula uuteen ja kerro mahdollisista vioista henkilökunnalle.",
            "Byt en bruten nål och berätta för personalen om eventuella fel.",
            "Replace a broken needle and tell the staff about any fault.",
        ),
        inside=None,
        subjects=(
            ("Housujen lyhennys", "Lägga upp byxor", "Hemming trousers"),
            ("Verhojen ompelu", "Sy gardiner", "Sewing curtains"),
            ("Vaatteiden korjaus", "Laga kläder", "Mending clothes"),
        ),
    ),
    "tent": Kind(
        type="tent",
        purposes=("outdoor",),
        equipment=(),
        rules=rules(slot=1440, shortest=1440, longest=4320, days=(1, 30), quota=1, strong=True, cutoff_hours=24),
        description=(
            "Kolmen hengen kupoliteltta, makuualustat ja retkikeitin. Sopii Vuosaaren saariston ja lähimetsien "
            "retkille.",
            "Ett kupoltält för tre personer, liggunderlag och stormkök. Passar för utflykter i Nordsjö skärgård "
            "och närskogarna.",
            "A three-person dome tent, sleeping pads and a camping stove, ideal for trips to the Vuosaari "
            "archipelago and nearby forests.",
        ),
        info=DAY_LOAN_INFO,
        terms=(
            "Kuivaa ja puhdista teltta ennen palautusta.",
            "Torka och rengör tältet innan du lämnar tillbaka det.",
            "Dry and clean the tent before returning it.",
        ),
        inside=None,
        subjects=(
            ("Retki Kallahdenniemeen", "Utflykt till Kallviksudden", "Trip to Kallahdenniemi"),
            ("Telttayö saaressa", "Tältnatt på en ö", "A night in a tent on an island"),
            ("Perheen retkiviikonloppu", "Familjens utflyktshelg", "Family camping weekend"),
        ),
    ),
    "sup": Kind(
        type="sup-board",
        purposes=("outdoor",),
        equipment=(),
        rules=rules(slot=1440, shortest=1440, longest=2880, days=(1, 30), quota=1, strong=True, cutoff_hours=24),
        description=(
            "Puhallettava SUP-lauta, mela, pumppu ja kelluntaliivit. Lauta mahtuu kantoreppuun, joten sen voi "
            "viedä rannalle julkisilla.",
            "En uppblåsbar SUP-bräda med paddel, pump och flytväst. Brädan ryms i en ryggsäck och kan tas med "
            "i kollektivtrafiken till stranden.",
            "An inflatable SUP board with a paddle, a pump and a life jacket. It packs into a backpack that you "
            "can take to the beach on public transport.",
        ),
        info=DAY_LOAN_INFO,
        terms=(
            "Kelluntaliivin käyttö on pakollista. Meloa vain rannan tuntumassa ja tarkista tuuliennuste.",
            "Flytväst är obligatorisk. Paddla nära stranden och kontrollera vindprognosen.",
            "Life jackets are mandatory. Stay close to the shore and check the wind forecast.",
        ),
        inside=None,
        subjects=(
            ("SUP-retki Aurinkolahdessa", "SUP-tur i Solviken", "SUP trip in Aurinkolahti"),
            ("Melontaa ystävän kanssa", "Paddling med en vän", "Paddling with a friend"),
        ),
    ),
}

# --- Resources ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    unit: str  # UnitSpec.key
    id: str
    kind: str  # key of KINDS
    name: T
    intro: T
    capacity: int | None = None
    area: int | None = None
    floor: int = 1  # 0 = basement
    parent: str | None = None
    equipment: tuple[str, ...] = ()  # in addition to the kind's
    purposes: tuple[str, ...] = ()  # in addition to the kind's
    rules: dict[str, Any] = field(default_factory=dict)  # overrides the kind's
    type: str | None = None  # overrides the kind's
    public: bool = True
    reservable: bool = True
    publish_in_days: int | None = None  # "coming soon": published this many days from today


COURT_RULES = {
    "slot_size": minutes(30),
    "max_period": minutes(120),
    "max_reservations_per_user": 2,
    "buffer_after": minutes(10),
}
WHOLE_HALL_RULES = {
    "need_manual_confirmation": True,
    "reservable_min_days_in_advance": 3,
    "max_period": minutes(240),
    "buffer_before": minutes(15),
}

SPACES: list[Spec] = [
    # Keskustakirjasto Oodi
    Spec(
        "oodi",
        "oodi-kuutio",
        "meeting",
        ("Kuutio", "Kuben", "The Cube"),
        (
            "Kuutio on lasiseinäinen kokoushuone Oodin toisessa kerroksessa Kaupunkiverstaan vieressä.",
            "Kuben är ett mötesrum med glasväggar på Odes andra våning, bredvid Stadsverkstaden.",
            "The Cube is a glass-walled meeting room on Oodi's second floor, next to the Urban Workshop.",
        ),
        capacity=12,
        area=28,
        floor=2,
        equipment=("video-conferencing",),
    ),
    Spec(
        "oodi",
        "oodi-kaisla",
        "meeting",
        ("Kokoushuone Kaisla", "Mötesrummet Kaisla", "Kaisla meeting room"),
        (
            "Kaisla on Oodin suurin kokoushuone, ja sen ikkunoista näkyy Musiikkitalo.",
            "Kaisla är Odes största mötesrum med utsikt mot Musikhuset.",
            "Kaisla is Oodi's largest meeting room, with a view of the Helsinki Music Centre.",
        ),
        capacity=20,
        area=45,
        floor=2,
        equipment=("video-conferencing", "induction-loop"),
        rules={"max_reservations_per_user": 2},
    ),
    Spec(
        "oodi",
        "oodi-group-1",
        "group",
        ("Ryhmätyötila 1", "Grupparbetsrum 1", "Group room 1"),
        (
            "Ryhmätyötila 1 on ikkunallinen huone Kaupunkiverstaan vieressä.",
            "Grupparbetsrum 1 är ett rum med fönster bredvid Stadsverkstaden.",
            "Group room 1 is a room with a window next to the Urban Workshop.",
        ),
        capacity=6,
        area=14,
        floor=2,
    ),
    Spec(
        "oodi",
        "oodi-group-2",
        "group",
        ("Ryhmätyötila 2", "Grupparbetsrum 2", "Group room 2"),
        (
            "Ryhmätyötila 2 on rauhallisella käytävällä studioiden vieressä.",
            "Grupparbetsrum 2 ligger i en lugn korridor bredvid studiorna.",
            "Group room 2 is on a quiet corridor next to the studios.",
        ),
        capacity=6,
        area=14,
        floor=2,
    ),
    Spec(
        "oodi",
        "oodi-group-3",
        "group",
        ("Ryhmätyötila 3", "Grupparbetsrum 3", "Group room 3"),
        (
            "Ryhmätyötila 3 on sarjan suurin, ja siinä on kaksi seinänäyttöä.",
            "Grupparbetsrum 3 är det största i raden och har två väggskärmar.",
            "Group room 3 is the largest of the group rooms and has two wall displays.",
        ),
        capacity=8,
        area=18,
        floor=2,
    ),
    Spec(
        "oodi",
        "oodi-studio-1",
        "recording",
        ("Studio 1", "Studio 1", "Studio 1"),
        (
            "Studio 1 on Oodin suurempi äänitysstudio, johon mahtuu kokonainen bändi.",
            "Studio 1 är Odes större inspelningsstudio där ett helt band ryms.",
            "Studio 1 is Oodi's larger recording studio, big enough for a whole band.",
        ),
        capacity=6,
        area=22,
        floor=2,
        equipment=("drum-kit", "guitar-amp"),
    ),
    Spec(
        "oodi",
        "oodi-studio-2",
        "recording",
        ("Studio 2", "Studio 2", "Studio 2"),
        (
            "Studio 2 on pieni studio puheäänityksiin ja podcasteihin.",
            "Studio 2 är en liten studio för talinspelningar och poddar.",
            "Studio 2 is a small studio for voice recordings and podcasts.",
        ),
        capacity=3,
        area=10,
        floor=2,
    ),
    Spec(
        "oodi",
        "oodi-gaming-1",
        "gaming",
        ("Pelihuone 1", "Spelrum 1", "Gaming room 1"),
        (
            "Pelihuone 1 on toisen kerroksen pelialueen vieressä.",
            "Spelrum 1 ligger bredvid spelområdet på andra våningen.",
            "Gaming room 1 is next to the gaming area on the second floor.",
        ),
        capacity=6,
        area=16,
        floor=2,
    ),
    Spec(
        "oodi",
        "oodi-gaming-2",
        "gaming",
        ("Pelihuone 2", "Spelrum 2", "Gaming room 2"),
        (
            "Pelihuoneessa 2 on pelitietokoneet, ja se sopii pienelle porukalle.",
            "Spelrum 2 har speldatorer och passar en liten grupp.",
            "Gaming room 2 has gaming PCs and suits a small group.",
        ),
        capacity=4,
        area=12,
        floor=2,
        equipment=("gaming-pc",),
    ),
    Spec(
        "oodi",
        "oodi-workshop",
        "maker",
        ("Kaupunkiverstaan työpiste", "Stadsverkstadens arbetsplats", "Urban Workshop workstation"),
        (
            "Kaupunkiverstaan varattava työpiste on tarkoitettu pidempiin projekteihin.",
            "Stadsverkstadens bokningsbara arbetsplats är avsedd för längre projekt.",
            "The bookable workstation in the Urban Workshop is meant for longer projects.",
        ),
        capacity=4,
        area=20,
        floor=2,
        equipment=("laser-cutter", "vinyl-cutter", "sewing-machine"),
    ),
    Spec(
        "oodi",
        "oodi-maijansali",
        "hall",
        ("Maijansali", "Maijasalen", "Maijansali hall"),
        (
            "Maijansali on Oodin ensimmäisen kerroksen tapahtumasali, jonka lasiseinän voi pimentää verhoilla.",
            "Maijasalen är evenemangssalen på Odes första våning; glasväggen kan mörkläggas med draperier.",
            "Maijansali is the event hall on Oodi's first floor; its glass wall can be blacked out with curtains.",
        ),
        capacity=120,
        area=190,
        floor=1,
    ),
    Spec(
        "oodi",
        "oodi-quiet",
        "study",
        ("Hiljainen huone", "Tyst rum", "Quiet room"),
        (
            "Hiljainen huone on kolmannen kerroksen Kirjataivaan reunalla.",
            "Det tysta rummet ligger i kanten av Bokhimlen på tredje våningen.",
            "The quiet room is at the edge of Book Heaven on the third floor.",
        ),
        capacity=4,
        area=9,
        floor=3,
    ),
    Spec(
        "oodi",
        "oodi-vr",
        "vr",
        ("VR-lasit", "VR-glasögon", "VR headset"),
        (
            "Oodin VR-laseja käytetään toisen kerroksen pelialueella.",
            "Odes VR-glasögon används i spelområdet på andra våningen.",
            "Oodi's VR headset is used in the gaming area on the second floor.",
        ),
    ),
    Spec(
        "oodi",
        "oodi-sewing",
        "sewing",
        ("Ompelukone ja saumuri", "Symaskin och overlock", "Sewing machine and overlocker"),
        (
            "Kaupunkiverstaan ompelukoneet ovat suosittuja, joten varaa aika hyvissä ajoin.",
            "Stadsverkstadens symaskiner är populära, så boka i god tid.",
            "The Urban Workshop's sewing machines are popular, so book early.",
        ),
    ),
    Spec(
        "oodi",
        "oodi-camera",
        "camera",
        ("Kamerasetti", "Kamerapaket", "Camera kit"),
        (
            "Oodin kamerasetti sopii vlogeihin ja tapahtumien kuvaamiseen.",
            "Odes kamerapaket passar för vloggar och för att filma evenemang.",
            "Oodi's camera kit is good for vlogs and filming events.",
        ),
    ),
    # Kallion kirjasto
    Spec(
        "kallio-library",
        "kallio-meeting",
        "meeting",
        ("Kokoushuone", "Mötesrummet", "Meeting room"),
        (
            "Kokoushuone on kirjaston toisessa kerroksessa, jossa 1940-luvun puupaneelit ovat säilyneet.",
            "Mötesrummet ligger på bibliotekets andra våning, där träpanelerna från 1940-talet finns kvar.",
            "The meeting room is on the library's second floor, where the 1940s wood panelling survives.",
        ),
        capacity=14,
        area=32,
        floor=2,
    ),
    Spec(
        "kallio-library",
        "kallio-group",
        "group",
        ("Ryhmätyötila", "Grupparbetsrummet", "Group room"),
        (
            "Ryhmätyötila on lastenosaston vieressä, joten se sopii myös perheille.",
            "Grupparbetsrummet ligger bredvid barnavdelningen och passar därför också familjer.",
            "The group room is next to the children's section, so it suits families too.",
        ),
        capacity=6,
        area=15,
        floor=1,
    ),
    Spec(
        "kallio-library",
        "kallio-music",
        "music",
        ("Musiikkihuone", "Musikrummet", "Music room"),
        (
            "Musiikkihuone on kellarikerroksessa, ja siellä on hyvin viritetty pystypiano.",
            "Musikrummet ligger i källarvåningen och har ett välstämt piano.",
            "The music room is in the basement and has a well-tuned upright piano.",
        ),
        capacity=6,
        area=20,
        floor=0,
        equipment=("piano",),
    ),
    Spec(
        "kallio-library",
        "kallio-study",
        "study",
        ("Opiskeluhuone", "Studierummet", "Study room"),
        (
            "Opiskeluhuone on pieni ja rauhallinen huone lehtisalin takana.",
            "Studierummet är ett litet och lugnt rum bakom tidningsläsesalen.",
            "The study room is a small, calm room behind the newspaper reading room.",
        ),
        capacity=2,
        area=7,
        floor=2,
    ),
    Spec(
        "kallio-library",
        "kallio-projector",
        "projector",
        ("Videotykki", "Videoprojektor", "Projector"),
        (
            "Videotykin voi ottaa mukaan kokoushuoneeseen tai viedä kotiin muutamaksi tunniksi.",
            "Projektorn kan användas i mötesrummet eller tas hem för några timmar.",
            "The projector can be used in the meeting room or taken home for a few hours.",
        ),
    ),
    # Itäkeskuksen kirjasto
    Spec(
        "itakeskus-library",
        "itakeskus-kanerva",
        "meeting",
        ("Kokoustila Kanerva", "Mötesrummet Ljung", "Kanerva meeting room"),
        (
            "Kanerva on valoisa kokoustila kirjaston toisessa kerroksessa, ja sen ikkunoista näkyy tori.",
            "Ljung är ett ljust mötesrum på bibliotekets andra våning med utsikt över torget.",
            "Kanerva is a bright meeting room on the library's second floor overlooking the square.",
        ),
        capacity=16,
        area=40,
        floor=2,
        equipment=("induction-loop",),
    ),
    Spec(
        "itakeskus-library",
        "itakeskus-vaahtera",
        "group",
        ("Ryhmätyötila Vaahtera", "Grupparbetsrummet Lönn", "Vaahtera group room"),
        (
            "Vaahtera on läksykerhojen ja opintopiirien suosima ryhmätyötila.",
            "Lönn är ett grupparbetsrum som läxklubbar och studiecirklar gärna använder.",
            "Vaahtera is a group room popular with homework clubs and study circles.",
        ),
        capacity=8,
        area=18,
        floor=2,
    ),
    Spec(
        "itakeskus-library",
        "itakeskus-workshop",
        "maker",
        ("Pajatila", "Verkstaden", "Workshop"),
        (
            "Pajatilassa on 3D-tulostimet, tarraleikkuri ja kaksi ompelukonetta.",
            "I verkstaden finns 3D-skrivare, en vinylskärare och två symaskiner.",
            "The workshop has 3D printers, a vinyl cutter and two sewing machines.",
        ),
        capacity=8,
        area=35,
        floor=1,
        equipment=("vinyl-cutter", "sewing-machine"),
    ),
    Spec(
        "itakeskus-library",
        "itakeskus-podcast",
        "recording",
        ("Podcast-studio", "Poddstudion", "Podcast studio"),
        (
            "Podcast-studiossa on neljä mikrofonia pyöreän pöydän ympärillä ja valmiiksi asennettu äänitysohjelma.",
            "I poddstudion finns fyra mikrofoner runt ett runt bord och ett färdigt installerat inspelningsprogram.",
            "The podcast studio has four microphones around a round table and recording software ready to go.",
        ),
        capacity=4,
        area=10,
        floor=2,
    ),
    Spec(
        "itakeskus-library",
        "itakeskus-camera",
        "camera",
        ("Kamerasetti", "Kamerapaket", "Camera kit"),
        (
            "Itäkeskuksen kamerasetissä on mukana myös LED-valo ja gimbaali.",
            "I Östra centrums kamerapaket ingår också en LED-lampa och en gimbal.",
            "The Itäkeskus camera kit also includes an LED light and a gimbal.",
        ),
    ),
    # Pasilan kirjasto
    Spec(
        "pasila-library",
        "pasila-study-1",
        "study",
        ("Opiskeluhuone 1", "Studierum 1", "Study room 1"),
        (
            "Opiskeluhuone 1 on hiljaisella osastolla ikkunan ääressä.",
            "Studierum 1 ligger vid ett fönster på den tysta avdelningen.",
            "Study room 1 is by a window in the quiet section.",
        ),
        capacity=2,
        area=7,
        floor=2,
    ),
    Spec(
        "pasila-library",
        "pasila-study-2",
        "study",
        ("Opiskeluhuone 2", "Studierum 2", "Study room 2"),
        (
            "Opiskeluhuone 2 sopii pienelle lukupiirille tai parityöskentelyyn.",
            "Studierum 2 passar för en liten läsgrupp eller för arbete i par.",
            "Study room 2 suits a small study group or pair work.",
        ),
        capacity=3,
        area=9,
        floor=2,
    ),
    Spec(
        "pasila-library",
        "pasila-study-3",
        "study",
        ("Opiskeluhuone 3", "Studierum 3", "Study room 3"),
        (
            "Opiskeluhuoneessa 3 on sähköpöytä ja lisänäyttö.",
            "Studierum 3 har ett elektriskt höj- och sänkbart skrivbord och en extra bildskärm.",
            "Study room 3 has an electric standing desk and an extra monitor.",
        ),
        capacity=2,
        area=7,
        floor=2,
        equipment=("display",),
    ),
    Spec(
        "pasila-library",
        "pasila-veturi",
        "meeting",
        ("Kokoushuone Veturi", "Mötesrummet Loket", "Veturi meeting room"),
        (
            "Veturi on nimetty Pasilan vanhojen konepajojen mukaan.",
            "Loket har fått sitt namn efter Böle gamla verkstäder.",
            "Veturi is named after Pasila's old railway workshops.",
        ),
        capacity=10,
        area=24,
        floor=1,
    ),
    Spec(
        "pasila-library",
        "pasila-pulu",
        "group",
        (
            "Ryhmätyötila Pulu (avautuu pian)",
            "Grupparbetsrummet Pulu (öppnar snart)",
            "Pulu group room (opening soon)",
        ),
        (
            "Pulu on uusi ryhmätyötila, joka avataan varattavaksi, kun kalusteet ja näyttö on asennettu.",
            "Pulu är ett nytt grupparbetsrum som öppnas för bokning när möblerna och skärmen har installerats.",
            "Pulu is a new group room that opens for booking once the furniture and screen are installed.",
        ),
        capacity=6,
        area=14,
        floor=2,
        reservable=False,
    ),
    # Vuosaaren kirjasto
    Spec(
        "vuosaari-library",
        "vuosaari-majakka",
        "meeting",
        ("Kokoushuone Majakka", "Mötesrummet Fyren", "Majakka meeting room"),
        (
            "Majakka on kirjaston kokoushuone, josta on näkymä Mosaiikkitorille.",
            "Fyren är bibliotekets mötesrum med utsikt över Mosaiktorget.",
            "Majakka is the library's meeting room overlooking Mosaiikkitori Square.",
        ),
        capacity=12,
        area=28,
        floor=2,
    ),
    Spec(
        "vuosaari-library",
        "vuosaari-music",
        "music",
        ("Soittohuone", "Spelrummet", "Music practice room"),
        (
            "Soittohuoneessa on rumpusetti, kitara- ja bassovahvistimet sekä sähköpiano.",
            "I spelrummet finns trumset, gitarr- och basförstärkare och ett elpiano.",
            "The practice room has a drum kit, guitar and bass amplifiers and a digital piano.",
        ),
        capacity=5,
        area=16,
        floor=1,
        equipment=("drum-kit", "guitar-amp", "piano"),
    ),
    Spec(
        "vuosaari-library",
        "vuosaari-simpukka",
        "group",
        ("Ryhmätyötila Simpukka", "Grupparbetsrummet Musslan", "Simpukka group room"),
        (
            "Simpukka on pieni ryhmätyötila nuortenosaston vieressä.",
            "Musslan är ett litet grupparbetsrum bredvid ungdomsavdelningen.",
            "Simpukka is a small group room next to the youth section.",
        ),
        capacity=6,
        area=14,
        floor=2,
    ),
    Spec(
        "vuosaari-library",
        "vuosaari-tent",
        "tent",
        ("Retkeilysetti ja teltta", "Friluftspaket med tält", "Tent and camping kit"),
        (
            "Retkeilysetti on lainattavissa ympäri vuoden; talvella mukana on myös lumikengät.",
            "Friluftspaketet kan lånas året runt; på vintern ingår även snöskor.",
            "The camping kit can be borrowed all year; in winter it also includes snowshoes.",
        ),
    ),
    Spec(
        "vuosaari-library",
        "vuosaari-sup",
        "sup",
        ("SUP-lauta", "SUP-bräda", "SUP board"),
        (
            "SUP-lauta on kesän suosituin lainamme, joten varaa ajoissa.",
            "SUP-brädan är vårt populäraste lån på sommaren, så boka i tid.",
            "The SUP board is our most popular loan in summer, so book early.",
        ),
    ),
    # Malmin kirjasto
    Spec(
        "malmi-library",
        "malmi-kentta",
        "meeting",
        ("Kokoushuone Kenttä", "Mötesrummet Fältet", "Kenttä meeting room"),
        (
            "Kenttä on nimetty Malmin lentokentän mukaan, ja sen seinillä on vanhoja ilmakuvia.",
            "Fältet har fått sitt namn efter Malms flygfält och på väggarna hänger gamla flygfoton.",
            "Kenttä is named after Malmi Airport, and old aerial photographs hang on its walls.",
        ),
        capacity=16,
        area=36,
        floor=2,
        equipment=("induction-loop",),
    ),
    Spec(
        "malmi-library",
        "malmi-group",
        "group",
        ("Ryhmätyötila", "Grupparbetsrummet", "Group room"),
        (
            "Ryhmätyötila on aikuistenosaston perällä rauhallisessa nurkassa.",
            "Grupparbetsrummet ligger längst in på vuxenavdelningen i ett lugnt hörn.",
            "The group room is at the back of the adult section in a quiet corner.",
        ),
        capacity=6,
        area=15,
        floor=2,
    ),
    Spec(
        "malmi-library",
        "malmi-diy",
        "maker",
        ("Tee-se-itse-nurkkaus", "Gör-det-själv-hörnan", "DIY corner"),
        (
            "Tee-se-itse-nurkkauksessa on 3D-tulostin, ompelukone ja työkaluja pieniin korjauksiin.",
            "I gör-det-själv-hörnan finns en 3D-skrivare, en symaskin och verktyg för små reparationer.",
            "The DIY corner has a 3D printer, a sewing machine and tools for small repairs.",
        ),
        capacity=4,
        area=12,
        floor=1,
        equipment=("sewing-machine",),
    ),
    Spec(
        "malmi-library",
        "malmi-sewing",
        "sewing",
        ("Ompelukone", "Symaskin", "Sewing machine"),
        (
            "Malmin kirjaston ompelukone on tarkoitettu korjausompeluun ja pieniin projekteihin.",
            "Malms biblioteks symaskin är avsedd för lagningar och små projekt.",
            "Malmi Library's sewing machine is meant for mending and small projects.",
        ),
    ),
    Spec(
        "malmi-library",
        "malmi-projector",
        "projector",
        ("Videotykki", "Videoprojektor", "Projector"),
        (
            "Malmin videotykin mukana tulee kannettava valkokangas.",
            "Med Malms projektor följer en bärbar filmduk.",
            "Malmi's projector comes with a portable screen.",
        ),
    ),
    # Kontulan kirjasto
    Spec(
        "kontula-library",
        "kontula-meeting",
        "meeting",
        ("Kokoushuone", "Mötesrummet", "Meeting room"),
        (
            "Kokoushuoneeseen on oma sisäänkäynti ostoskeskuksen käytävältä.",
            "Mötesrummet har en egen ingång från köpcentrets korridor.",
            "The meeting room has its own entrance from the shopping centre corridor.",
        ),
        capacity=10,
        area=22,
        floor=1,
    ),
    Spec(
        "kontula-library",
        "kontula-study",
        "study",
        ("Opiskelutila", "Studierummet", "Study room"),
        (
            "Opiskelutila on lasiseinäinen huone lehtilukusalin vieressä.",
            "Studierummet är ett rum med glasväggar bredvid tidningsläsesalen.",
            "The study room is a glass-walled room next to the newspaper reading area.",
        ),
        capacity=4,
        area=10,
        floor=1,
    ),
    Spec(
        "kontula-library",
        "kontula-vr",
        "vr",
        ("VR-lasit", "VR-glasögon", "VR headset"),
        (
            "Kontulan VR-laseilla voit muun muassa kierrellä maailman museoissa.",
            "Med Gårdsbackas VR-glasögon kan du bland annat besöka museer runt om i världen.",
            "With Kontula's VR headset you can, among other things, tour museums around the world.",
        ),
    ),
    # Nuorisotalo Hertsi
    Spec(
        "hertsi",
        "hertsi-band-1",
        "music",
        ("Bänditila 1", "Replokal 1", "Band room 1"),
        (
            "Bänditila 1 on Hertsin kellarissa, ja siellä treenaa viikoittain parikymmentä nuorten bändiä.",
            "Replokal 1 ligger i Hertsis källare och där repar ett tjugotal ungdomsband varje vecka.",
            "Band room 1 is in Hertsi's basement, where about twenty youth bands rehearse every week.",
        ),
        capacity=6,
        area=24,
        floor=0,
        equipment=("drum-kit", "guitar-amp", "pa-system"),
    ),
    Spec(
        "hertsi",
        "hertsi-band-2",
        "music",
        ("Bänditila 2 (remontissa)", "Replokal 2 (under renovering)", "Band room 2 (under renovation)"),
        (
            "Bänditila 2 on suljettu äänieristyksen remontin ajaksi.",
            "Replokal 2 är stängd medan ljudisoleringen renoveras.",
            "Band room 2 is closed while its soundproofing is renovated.",
        ),
        capacity=5,
        area=18,
        floor=0,
        equipment=("drum-kit",),
        public=False,
        reservable=False,
    ),
    Spec(
        "hertsi",
        "hertsi-kitchen",
        "kitchen",
        ("Keittiö", "Köket", "Kitchen"),
        (
            "Hertsin keittiössä kokoontuu viikoittain nuorten kokkikerho, ja sen voi varata myös omaan käyttöön.",
            "I Hertsis kök träffas ungdomarnas matklubb varje vecka, och köket kan också bokas för eget bruk.",
            "Hertsi's kitchen hosts the weekly youth cooking club and can also be booked for your own use.",
        ),
        capacity=12,
        area=30,
    ),
    Spec(
        "hertsi",
        "hertsi-hall",
        "dance",
        ("Sali", "Salen", "Hall"),
        (
            "Hertsin sali toimii tanssi- ja liikuntasalina sekä nuorten tapahtumien näyttämönä.",
            "Hertsis sal fungerar som dans- och motionssal och som scen för ungdomarnas evenemang.",
            "Hertsi's hall serves as a dance and exercise space and as a stage for youth events.",
        ),
        capacity=40,
        area=120,
        purposes=("events",),
        equipment=("pa-system",),
    ),
    Spec(
        "hertsi",
        "hertsi-gaming",
        "gaming",
        ("Pelihuone", "Spelrummet", "Gaming room"),
        (
            "Pelihuoneessa on kaksi konsolia, pelitietokone ja iso kokoelma lautapelejä.",
            "I spelrummet finns två konsoler, en speldator och en stor samling brädspel.",
            "The gaming room has two consoles, a gaming PC and a large board game collection.",
        ),
        capacity=8,
        area=20,
        equipment=("gaming-pc",),
    ),
    Spec(
        "hertsi",
        "hertsi-meeting",
        "meeting",
        ("Nuorten kokoushuone", "Ungdomarnas mötesrum", "Youth meeting room"),
        (
            "Nuorisovaltuuston ja nuorten ryhmien kokoushuoneen sohvanurkkaus sopii myös rennompiin tapaamisiin.",
            "Mötesrummet för ungdomsfullmäktige och ungdomsgrupper har en soffhörna för mer avslappnade träffar.",
            "The meeting room of the youth council and youth groups has a sofa corner for relaxed get-togethers.",
        ),
        capacity=10,
        area=20,
    ),
    # Kontulan nuorisotalo
    Spec(
        "kontula-youth",
        "kontula-sauna",
        "sauna",
        ("Sauna", "Bastun", "Sauna"),
        (
            "Nuorisotalon saunaa voi varata tiistai- ja torstai-iltaisin.",
            "Ungdomsgårdens bastu kan bokas tisdags- och torsdagskvällar.",
            "The youth centre's sauna can be booked on Tuesday and Thursday evenings.",
        ),
        capacity=8,
        area=25,
        floor=0,
    ),
    Spec(
        "kontula-youth",
        "kontula-gym",
        "gym",
        ("Kuntosali", "Gymmet", "Gym"),
        (
            "Kuntosali on remontoitu vuonna 2023, ja laitteet voi säätää myös nuorten kokoon.",
            "Gymmet renoverades 2023 och maskinerna kan ställas in även för unga.",
            "The gym was renovated in 2023 and the machines adjust for younger users too.",
        ),
        capacity=10,
        area=60,
        floor=0,
    ),
    Spec(
        "kontula-youth",
        "kontula-dance",
        "dance",
        ("Tanssisali", "Danssalen", "Dance studio"),
        (
            "Tanssisalissa harjoittelevat talon street dance- ja teatteriryhmät.",
            "I danssalen övar husets street dance- och teatergrupper.",
            "The house's street dance and theatre groups rehearse in the dance studio.",
        ),
        capacity=20,
        area=80,
    ),
    Spec(
        "kontula-youth",
        "kontula-music",
        "music",
        ("Musiikkihuone", "Musikrummet", "Music room"),
        (
            "Musiikkihuoneessa on täydet bändivarusteet ja pieni äänityspiste.",
            "Musikrummet har full bandutrustning och en liten inspelningsplats.",
            "The music room has a full band set-up and a small recording corner.",
        ),
        capacity=5,
        area=18,
        floor=0,
        equipment=("drum-kit", "guitar-amp"),
    ),
    Spec(
        "kontula-youth",
        "kontula-kitchen",
        "kitchen",
        ("Opetuskeittiö", "Undervisningsköket", "Teaching kitchen"),
        (
            "Opetuskeittiössä on neljä työpistettä ja ruokailutila kahdellekymmenelle.",
            "Undervisningsköket har fyra arbetsstationer och matplats för tjugo.",
            "The teaching kitchen has four cooking stations and dining space for twenty.",
        ),
        capacity=14,
        area=40,
    ),
    # Kallion nuorisotalo
    Spec(
        "kallio-youth",
        "kallio-band-room",
        "music",
        ("Bändikämppä", "Replokalen", "Band room"),
        (
            "Bändikämppä on nuorisotalon kellarissa, ja sitä varaavat etenkin nuorten bändit.",
            "Replokalen ligger i ungdomsgårdens källare och bokas främst av ungdomsband.",
            "The band room is in the youth centre's basement and is mostly booked by youth bands.",
        ),
        capacity=6,
        area=26,
        floor=0,
        equipment=("drum-kit", "guitar-amp", "pa-system"),
    ),
    Spec(
        "kallio-youth",
        "kallio-recording",
        "recording",
        ("Äänitysstudio", "Inspelningsstudion", "Recording studio"),
        (
            "Studio on rakennettu yhdessä nuorten kanssa, ja siellä on äänitetty useita levyjä.",
            "Studion byggdes tillsammans med ungdomar och flera skivor har spelats in där.",
            "The studio was built together with young people, and several records have been made in it.",
        ),
        capacity=5,
        area=18,
        floor=0,
    ),
    Spec(
        "kallio-youth",
        "kallio-podcast",
        "recording",
        ("Podcast-huone", "Poddrummet", "Podcast room"),
        (
            "Podcast-huone on tehty puheäänityksiin: kolme mikrofonia ja kuulokkeet jokaiselle.",
            "Poddrummet är gjort för talinspelningar: tre mikrofoner och hörlurar åt alla.",
            "The podcast room is made for voice recording: three microphones and headphones for everyone.",
        ),
        capacity=3,
        area=8,
    ),
    Spec(
        "kallio-youth",
        "kallio-gaming",
        "gaming",
        ("Pelihuone", "Spelrummet", "Gaming room"),
        (
            "Pelihuone on e-urheilijoiden suosikki: viisi pelitietokonetta ja nopea yhteys.",
            "Spelrummet är e-sportarnas favorit: fem speldatorer och snabb uppkoppling.",
            "The gaming room is an esports favourite: five gaming PCs and a fast connection.",
        ),
        capacity=8,
        area=22,
        equipment=("gaming-pc",),
    ),
    # Kisahalli: the main hall -> two halves -> two courts each
    Spec(
        "kisahalli",
        "kisahalli-hall",
        "sports",
        ("Pääsali", "Stora salen", "Main hall"),
        (
            "Pääsali on Kisahallin suuri pelisali, jonka voi varata kokonaan esimerkiksi turnauksiin.",
            "Stora salen är Idrottshallens stora spelhall som kan bokas i sin helhet till exempel för turneringar.",
            "The main hall is Kisahalli's large playing hall, bookable whole for tournaments and the like.",
        ),
        capacity=200,
        area=1200,
        purposes=("events",),
        equipment=("pa-system",),
        rules=WHOLE_HALL_RULES,
    ),
    Spec(
        "kisahalli",
        "kisahalli-hall-a",
        "sports",
        ("Pääsali, A-puoli", "Stora salen, A-halvan", "Main hall, half A"),
        (
            "A-puoli on sisäänkäynnin puoleinen puolikas, ja se erotetaan B-puolesta väliverholla.",
            "A-halvan är halvan närmast ingången och avskiljs från B-halvan med ett draperi.",
            "Half A is the half nearest the entrance, separated from half B by a dividing curtain.",
        ),
        capacity=80,
        area=600,
        parent="kisahalli-hall",
    ),
    Spec(
        "kisahalli",
        "kisahalli-hall-b",
        "sports",
        ("Pääsali, B-puoli", "Stora salen, B-halvan", "Main hall, half B"),
        (
            "B-puoli on katsomon puoleinen puolikas.",
            "B-halvan är halvan på läktarsidan.",
            "Half B is the half on the side of the stands.",
        ),
        capacity=80,
        area=600,
        parent="kisahalli-hall",
    ),
    Spec(
        "kisahalli",
        "kisahalli-court-a1",
        "sports",
        ("Kenttä A1", "Plan A1", "Court A1"),
        (
            "Kenttä A1 on A-puolen ikkunanpuoleinen kenttä sulkapalloon ja lentopalloon.",
            "Plan A1 är planen vid fönstren på A-halvan, för badminton och volleyboll.",
            "Court A1 is the window-side court of half A, for badminton and volleyball.",
        ),
        capacity=20,
        area=300,
        parent="kisahalli-hall-a",
        purposes=("badminton",),
        rules=COURT_RULES,
    ),
    Spec(
        "kisahalli",
        "kisahalli-court-a2",
        "sports",
        ("Kenttä A2", "Plan A2", "Court A2"),
        (
            "Kenttä A2 on A-puolen keskimmäinen kenttä, ja siinä on korkeussäädettävät koritelineet.",
            "Plan A2 är mittplanen på A-halvan och har höj- och sänkbara basketkorgar.",
            "Court A2 is the middle court of half A and has height-adjustable basketball hoops.",
        ),
        capacity=20,
        area=300,
        parent="kisahalli-hall-a",
        purposes=("badminton",),
        rules=COURT_RULES,
    ),
    Spec(
        "kisahalli",
        "kisahalli-court-b1",
        "sports",
        ("Kenttä B1", "Plan B1", "Court B1"),
        (
            "Kenttä B1 on B-puolen keskimmäinen kenttä, ja sen vieressä on välinevarasto.",
            "Plan B1 är mittplanen på B-halvan, bredvid redskapsförrådet.",
            "Court B1 is the middle court of half B, next to the equipment store.",
        ),
        capacity=20,
        area=300,
        parent="kisahalli-hall-b",
        purposes=("badminton",),
        rules=COURT_RULES,
    ),
    Spec(
        "kisahalli",
        "kisahalli-court-b2",
        "sports",
        ("Kenttä B2", "Plan B2", "Court B2"),
        (
            "Kenttä B2 on katsomon edessä, joten se sopii otteluihin, joita halutaan seurata.",
            "Plan B2 ligger framför läktaren och passar för matcher med publik.",
            "Court B2 is in front of the stands, so it suits matches with spectators.",
        ),
        capacity=20,
        area=300,
        parent="kisahalli-hall-b",
        purposes=("badminton",),
        rules=COURT_RULES,
    ),
    Spec(
        "kisahalli",
        "kisahalli-gymnastics",
        "dance",
        ("Voimistelusali", "Gymnastiksalen", "Gymnastics hall"),
        (
            "Voimistelusalissa on telineet, trampoliini ja volttimonttu, ja sitä käyttävät Töölön voimisteluseurat.",
            "I gymnastiksalen finns redskap, trampolin och skumgrop, och den används av Tölös gymnastikföreningar.",
            "The gymnastics hall has apparatus, a trampoline and a foam pit, and is used by Töölö's gymnastics clubs.",
        ),
        capacity=30,
        area=300,
        floor=2,
        type="sports-hall",
        rules={"buffer_after": minutes(15)},
    ),
    Spec(
        "kisahalli",
        "kisahalli-gym",
        "gym",
        ("Kuntosali", "Gymmet", "Gym"),
        (
            "Kisahallin kuntosali on kellarikerroksessa, ja siellä on kaksi painonnoston nostolavaa.",
            "Idrottshallens gym ligger i källarvåningen och har två lyftplattformar för tyngdlyftning.",
            "Kisahalli's gym is in the basement and has two weightlifting platforms.",
        ),
        capacity=15,
        area=150,
        floor=0,
    ),
    # Liikuntamylly: the Mill Hall divided into thirds
    Spec(
        "liikuntamylly",
        "mylly-hall",
        "sports",
        ("Mylly-sali", "Kvarnsalen", "Mill Hall"),
        (
            "Mylly-sali on Liikuntamyllyn päähalli, jonka voi jakaa kolmeen yhtä suureen lohkoon.",
            "Kvarnsalen är Motionskvarnens huvudhall som kan delas i tre lika stora sektioner.",
            "The Mill Hall is Liikuntamylly's main hall, which can be divided into three equal sections.",
        ),
        capacity=240,
        area=1800,
        purposes=("events",),
        rules=WHOLE_HALL_RULES,
    ),
    Spec(
        "liikuntamylly",
        "mylly-hall-1",
        "sports",
        ("Mylly-sali, lohko 1", "Kvarnsalen, sektion 1", "Mill Hall, section 1"),
        (
            "Lohko 1 on lähimpänä pukuhuoneita, ja siinä on koripallotelineet.",
            "Sektion 1 ligger närmast omklädningsrummen och har basketkorgar.",
            "Section 1 is closest to the changing rooms and has basketball hoops.",
        ),
        capacity=60,
        area=600,
        parent="mylly-hall",
    ),
    Spec(
        "liikuntamylly",
        "mylly-hall-2",
        "sports",
        ("Mylly-sali, lohko 2", "Kvarnsalen, sektion 2", "Mill Hall, section 2"),
        (
            "Lohko 2 on salin keskellä, ja sen lattiaan on merkitty salibandykenttä.",
            "Sektion 2 ligger mitt i salen och har en innebandyplan markerad på golvet.",
            "Section 2 is in the middle of the hall and has a floorball court marked on the floor.",
        ),
        capacity=60,
        area=600,
        parent="mylly-hall",
    ),
    Spec(
        "liikuntamylly",
        "mylly-hall-3",
        "sports",
        ("Mylly-sali, lohko 3", "Kvarnsalen, sektion 3", "Mill Hall, section 3"),
        (
            "Lohko 3 on ikkunaseinän puolella, ja siinä on kaksi lentopallokenttää.",
            "Sektion 3 ligger vid fönsterväggen och har två volleybollplaner.",
            "Section 3 is by the window wall and has two volleyball courts.",
        ),
        capacity=60,
        area=600,
        parent="mylly-hall",
    ),
    Spec(
        "liikuntamylly",
        "mylly-mirror",
        "dance",
        ("Peilisali", "Spegelsalen", "Mirror studio"),
        (
            "Peilisali on Liikuntamyllyn toisessa kerroksessa, ja siellä pidetään tanssi- ja joogatunteja.",
            "Spegelsalen ligger på Motionskvarnens andra våning och där hålls dans- och yogapass.",
            "The mirror studio is on Liikuntamylly's second floor and hosts dance and yoga classes.",
        ),
        capacity=25,
        area=120,
        floor=2,
    ),
    Spec(
        "liikuntamylly",
        "mylly-gym",
        "gym",
        ("Kuntosali", "Gymmet", "Gym"),
        (
            "Liikuntamyllyn kuntosali on Helsingin suurimpia, ja sen voi varata ryhmälle.",
            "Motionskvarnens gym är ett av de största i Helsingfors och kan bokas för grupper.",
            "Liikuntamylly's gym is one of the largest in Helsinki and can be booked for groups.",
        ),
        capacity=12,
        area=400,
    ),
    # Kulttuurikeskus Stoa
    Spec(
        "stoa",
        "stoa-hall",
        "hall",
        ("Stoan sali", "Stoas sal", "Stoa Hall"),
        (
            "Stoan salissa on nouseva katsomo, ja siellä nähdään vuosittain satoja teatteri-, tanssi- ja "
            "musiikkiesityksiä.",
            "Stoas sal har en stigande läktare och här ses hundratals teater-, dans- och musikföreställningar "
            "varje år.",
            "Stoa Hall has raked seating and hosts hundreds of theatre, dance and music performances every year.",
        ),
        capacity=230,
        area=400,
    ),
    Spec(
        "stoa",
        "stoa-dance",
        "dance",
        ("Tanssisali", "Danssalen", "Dance studio"),
        (
            "Stoan tanssisali on harjoitustila, jota käyttävät alueen tanssikoulut ja teatteriryhmät.",
            "Stoas danssal är en övningslokal som används av områdets dansskolor och teatergrupper.",
            "Stoa's dance studio is a rehearsal space used by local dance schools and theatre groups.",
        ),
        capacity=25,
        area=110,
        floor=2,
    ),
    Spec(
        "stoa",
        "stoa-parvi",
        "meeting",
        ("Kokoushuone Parvi", "Mötesrummet Loftet", "Parvi meeting room"),
        (
            "Parvi on kokoushuone Stoan aulan yläpuolella.",
            "Loftet är ett mötesrum ovanför Stoas foajé.",
            "Parvi is a meeting room above Stoa's foyer.",
        ),
        capacity=20,
        area=45,
        floor=2,
        equipment=("induction-loop",),
    ),
    Spec(
        "stoa",
        "stoa-music",
        "music",
        ("Musiikkiluokka", "Musikklassen", "Music classroom"),
        (
            "Musiikkiluokassa on flyygeli, ja se sopii kuoroille ja pienyhtyeille.",
            "Musikklassen har en flygel och passar för körer och små ensembler.",
            "The music classroom has a grand piano and suits choirs and small ensembles.",
        ),
        capacity=12,
        area=45,
        floor=2,
        equipment=("piano",),
    ),
    # Kulttuurikeskus Caisa
    Spec(
        "caisa",
        "caisa-hall",
        "hall",
        ("Caisan sali", "Caisas sal", "Caisa Hall"),
        (
            "Caisan sali on monikäyttöinen esitys- ja juhlatila, jonka tuolit voi järjestää riveiksi tai "
            "pöytäryhmiksi.",
            "Caisas sal är en mångsidig lokal för föreställningar och fester; stolarna kan ställas i rader "
            "eller runt bord.",
            "Caisa Hall is a versatile space for performances and celebrations; chairs can be set out in rows "
            "or around tables.",
        ),
        capacity=150,
        area=220,
    ),
    Spec(
        "caisa",
        "caisa-maailma",
        "meeting",
        ("Kokoushuone Maailma", "Mötesrummet Världen", "Maailma meeting room"),
        (
            "Maailmaa käyttävät erityisesti kaupungin monikieliset yhdistykset.",
            "Världen används särskilt av stadens flerspråkiga föreningar.",
            "Maailma is used especially by the city's multilingual associations.",
        ),
        capacity=14,
        area=30,
        floor=2,
    ),
    Spec(
        "caisa",
        "caisa-kitchen",
        "kitchen",
        ("Keittiö", "Köket", "Kitchen"),
        (
            "Caisan keittiössä valmistetaan yhteisöjen juhlien ruoat ja järjestetään ruokakursseja.",
            "I Caisas kök lagas mat till gemenskapernas fester och här hålls matlagningskurser.",
            "Caisa's kitchen is where food for community celebrations is made and cooking courses are held.",
        ),
        capacity=10,
        area=28,
    ),
    Spec(
        "caisa",
        "caisa-dance",
        "dance",
        ("Tanssistudio", "Dansstudion", "Dance studio"),
        (
            "Uusi tanssistudio avataan Caisan toiseen kerrokseen ensi kuussa.",
            "Den nya dansstudion öppnar på Caisas andra våning nästa månad.",
            "The new dance studio opens on Caisa's second floor next month.",
        ),
        capacity=20,
        area=90,
        floor=2,
        publish_in_days=30,
    ),
    # Kulttuurikeskus Vuotalo
    Spec(
        "vuotalo",
        "vuotalo-hall",
        "hall",
        ("Vuotalon sali", "Nordhusets sal", "Vuotalo Hall"),
        (
            "Vuotalon salissa on 246 paikkaa, ja sen akustiikka on suunniteltu erityisesti musiikille.",
            "Nordhusets sal har 246 platser och akustiken är särskilt utformad för musik.",
            "Vuotalo Hall has 246 seats and acoustics designed especially for music.",
        ),
        capacity=246,
        area=350,
    ),
    Spec(
        "vuotalo",
        "vuotalo-aalto",
        "meeting",
        ("Kokoushuone Aalto", "Mötesrummet Vågen", "Aalto meeting room"),
        (
            "Aalto on kokoushuone Vuotalon toisessa kerroksessa kirjaston ja salin välissä.",
            "Vågen är ett mötesrum på Nordhusets andra våning mellan biblioteket och salen.",
            "Aalto is a meeting room on Vuotalo's second floor between the library and the hall.",
        ),
        capacity=12,
        area=26,
        floor=2,
    ),
    Spec(
        "vuotalo",
        "vuotalo-art",
        "art",
        ("Taidetyöpaja", "Konstverkstaden", "Art workshop"),
        (
            "Taidetyöpajassa kokoontuvat alueen kuvataidekoulun ryhmät; iltaisin ja viikonloppuisin sen voi "
            "varata omaan käyttöön.",
            "I konstverkstaden träffas grupperna från områdets bildkonstskola; på kvällar och veckoslut kan "
            "den bokas för eget bruk.",
            "The art workshop is used by the local art school's groups; on evenings and weekends you can book "
            "it for yourself.",
        ),
        capacity=16,
        area=60,
    ),
]

SPEC_BY_ID: dict[str, Spec] = {s.id: s for s in SPACES}

# --- Accessibility --------------------------------------------------------------------------

ACCESS_GROUPS: dict[str, T] = {
    "entrance": ("Sisäänkäynti", "Ingång", "Entrance"),
    "route": ("Reitti tilaan", "Vägen till lokalen", "Getting there"),
    "inside": ("Tilassa", "I lokalen", "Inside the space"),
    "toilets": ("Wc-tilat", "Toaletter", "Toilets"),
    "hearing": ("Kuuleminen", "Hörsel", "Hearing"),
}
HEARING: T = ("Tilassa on induktiosilmukka.", "I lokalen finns en hörslinga.", "The space has an induction loop.")
ORDINALS: dict[int, tuple[str, str]] = {2: ("andra", "second"), 3: ("tredje", "third")}


def route_sentence(floor: int) -> T:
    if floor == 0:
        return (
            "Tila on kellarikerroksessa; sinne pääsee hissillä tai portaita (14 askelmaa).",
            "Lokalen ligger i källarvåningen; dit kommer man med hiss eller trappa (14 trappsteg).",
            "The space is in the basement, reached by lift or by stairs (14 steps).",
        )
    if floor == 1:
        return (
            "Tila on sisäänkäynnin tasolla, eikä reitillä ole kynnyksiä.",
            "Lokalen ligger i samma plan som ingången och det finns inga trösklar på vägen.",
            "The space is on the entrance level with no thresholds on the way.",
        )
    sv, en = ORDINALS[floor]
    return (
        f"Tila on {floor}. kerroksessa. Hissi on aulassa, ja sen ovi on 90 cm leveä.",
        f"Lokalen ligger på {sv} våningen. Hissen finns i entréhallen och dess dörr är 90 cm bred.",
        f"The space is on the {en} floor. The lift is in the lobby and its door is 90 cm wide.",
    )


def accessibility(spec: Spec, unit: UnitSpec) -> list[tuple[T, T]]:
    """(group, sentence) pairs for a space; items have none."""
    kind = KINDS[spec.kind]
    if kind.inside is None:
        return []
    pairs = [
        (ACCESS_GROUPS["entrance"], ENTRANCES[unit.entrance]),
        (ACCESS_GROUPS["route"], route_sentence(spec.floor)),
        (ACCESS_GROUPS["inside"], kind.inside),
        (ACCESS_GROUPS["toilets"], TOILETS[unit.toilets]),
    ]
    if "induction-loop" in kind.equipment + spec.equipment:
        pairs.append((ACCESS_GROUPS["hearing"], HEARING))
    return pairs


# --- Reservation information from the effective rules ---------------------------------------

ONE_DAY = dt.timedelta(days=1)


def spec_rules(spec: Spec) -> dict[str, Any]:
    """The rule fields written on the resource (the kind's, overridden by the spec's)."""
    return {**KINDS[spec.kind].rules, **spec.rules}


def effective_rules(spec: Spec) -> dict[str, Any]:
    """The rules that will apply (the demo units set none, so Tila's defaults fill the gaps)."""
    out = dict(DEFAULT_RULES)
    out.update({k: v for k, v in spec_rules(spec).items() if v is not None and v != ""})
    out["min_period"] = out["min_period"] or out["slot_size"]
    return out


def duration_text(delta: dt.timedelta) -> T:
    total = int(delta.total_seconds() // 60)
    if total % 1440 == 0:
        n = total // 1440
        return (f"{n} vuorokausi" if n == 1 else f"{n} vuorokautta", f"{n} dygn", f"{n} day" if n == 1 else f"{n} days")
    if total % 60 == 0:
        n = total // 60
        return (
            "1 tunti" if n == 1 else f"{n} tuntia",
            "1 timme" if n == 1 else f"{n} timmar",
            "1 hour" if n == 1 else f"{n} hours",
        )
    return f"{total} minuuttia", f"{total} minuter", f"{total} minutes"


SLOT_TEXTS: dict[int, T] = {
    15: (
        "Varausajat alkavat vartin välein.",
        "Bokningstiderna börjar varje kvart.",
        "Bookings start every quarter of an hour.",
    ),
    30: (
        "Varausajat alkavat puolen tunnin välein.",
        "Bokningstiderna börjar varje halvtimme.",
        "Bookings start on the hour or half hour.",
    ),
    60: ("Varausajat alkavat tasatunnein.", "Bokningstiderna börjar på hela timmar.", "Bookings start on the hour."),
    1440: (
        "Laina-aika lasketaan kokonaisina vuorokausina.",
        "Lånetiden räknas i hela dygn.",
        "Loans run in whole days.",
    ),
}


def _slot_text(r: dict[str, Any]) -> T | None:
    return SLOT_TEXTS.get(int(r["slot_size"].total_seconds() // 60))


def _duration_text(r: dict[str, Any]) -> T | None:
    shortest = duration_text(r["min_period"])
    if r["max_period"] is None:
        return (
            f"Varauksen vähimmäiskesto on {shortest[0]}.",
            f"En bokning varar minst {shortest[1]}.",
            f"A booking lasts at least {shortest[2]}.",
        )
    if r["max_period"] == r["min_period"]:
        return (
            f"Varauksen kesto on {shortest[0]}.",
            f"En bokning varar {shortest[1]}.",
            f"A booking lasts {shortest[2]}.",
        )
    longest = duration_text(r["max_period"])
    return (
        f"Varauksen vähimmäiskesto on {shortest[0]} ja enimmäiskesto {longest[0]}.",
        f"En bokning varar minst {shortest[1]} och högst {longest[1]}.",
        f"A booking lasts at least {shortest[2]} and at most {longest[2]}.",
    )


def _advance_text(r: dict[str, Any]) -> T | None:
    most, least = r["reservable_max_days_in_advance"], r["reservable_min_days_in_advance"]
    texts = [
        (
            f"Voit varata enintään {most} päivää etukäteen.",
            f"Du kan boka högst {most} dagar i förväg.",
            f"You can book up to {most} days ahead.",
        )
    ]
    if least == 1:
        texts.append(
            (
                "Varaa viimeistään edellisenä päivänä.",
                "Boka senast dagen innan.",
                "Book by the day before at the latest.",
            )
        )
    elif least:
        texts.append(
            (
                f"Varaa viimeistään {least} päivää etukäteen.",
                f"Boka senast {least} dagar i förväg.",
                f"Book at least {least} days in advance.",
            )
        )
    return join(*texts)


def _buffer_text(r: dict[str, Any]) -> T | None:
    before = int(r["buffer_before"].total_seconds() // 60)
    after = int(r["buffer_after"].total_seconds() // 60)
    if before and after:
        return (
            f"Vaihtoa ja siivousta varten tila pidetään vapaana {before} min ennen varausta ja {after} min sen "
            "jälkeen.",
            f"För byte och städning hålls lokalen fri {before} min före och {after} min efter bokningen.",
            f"For changeover and cleaning the space is kept free {before} min before and {after} min after "
            "each booking.",
        )
    if after:
        return (
            f"Varauksen jälkeen tila pidetään vapaana {after} min vaihtoa ja siivousta varten.",
            f"Efter bokningen hålls lokalen fri {after} min för byte och städning.",
            f"The space is kept free for {after} min after each booking for changeover and cleaning.",
        )
    return None


def _quota_text(r: dict[str, Any]) -> T | None:
    n = r["max_reservations_per_user"]
    if not n:
        return None
    if n == 1:
        return (
            "Sinulla voi olla kerrallaan yksi voimassa oleva varaus.",
            "Du kan ha en aktiv bokning åt gången.",
            "You can hold one active booking at a time.",
        )
    return (
        f"Sinulla voi olla kerrallaan enintään {n} voimassa olevaa varausta.",
        f"Du kan ha högst {n} aktiva bokningar åt gången.",
        f"You can hold at most {n} active bookings at a time.",
    )


def _manual_text(r: dict[str, Any]) -> T | None:
    if not r["need_manual_confirmation"]:
        return None
    return (
        "Varaus on alustava, kunnes henkilökunta vahvistaa sen, yleensä kahden arkipäivän kuluessa.",
        "Bokningen är preliminär tills personalen bekräftar den, vanligen inom två vardagar.",
        "Your booking is provisional until the staff confirm it, usually within two working days.",
    )


def _auth_text(r: dict[str, Any]) -> T | None:
    if r["authentication"] != "strong":
        return None
    return (
        "Varaaminen edellyttää vahvaa tunnistautumista (pankkitunnukset tai mobiilivarmenne).",
        "Bokningen kräver stark identifiering (bankkoder eller mobilcertifikat).",
        "Booking requires strong identification (online banking credentials or mobile certificate).",
    )


def _cutoff_text(r: dict[str, Any]) -> T | None:
    if r["cancel_cutoff"] is None:
        return None
    hours = int(r["cancel_cutoff"].total_seconds() // 3600)
    if hours >= 48 and hours % 24 == 0:
        amount: T = (f"{hours // 24} päivää", f"{hours // 24} dagar", f"{hours // 24} days")
    else:
        amount = (f"{hours} tuntia", f"{hours} timmar", f"{hours} hours")
    return (
        f"Voit perua tai muuttaa varauksen itse viimeistään {amount[0]} ennen sen alkua.",
        f"Du kan själv avboka eller ändra bokningen senast {amount[1]} innan den börjar.",
        f"You can cancel or change the booking yourself up to {amount[2]} before it starts.",
    )


RULE_TEXTS = (
    _slot_text,
    _duration_text,
    _advance_text,
    _buffer_text,
    _quota_text,
    _manual_text,
    _auth_text,
    _cutoff_text,
)


def reservation_info(spec: Spec) -> T:
    r = effective_rules(spec)
    sentences = [text for text in (f(r) for f in RULE_TEXTS) if text is not None]
    return join(KINDS[spec.kind].info, *sentences)


def description(spec: Spec) -> T:
    template = KINDS[spec.kind].description
    fi, sv, en = (part.format(capacity=spec.capacity) for part in template)
    return join(spec.intro, (fi, sv, en))


def terms(spec: Spec) -> T:
    kind = KINDS[spec.kind]
    return join(kind.terms, SPACE_TERMS if kind.inside is not None else ITEM_TERMS)


# --- People ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    key: str
    email: str
    name: str
    language: str
    role: str = ""  # "superuser", a Role, or "" for a resident
    scope: tuple[str, str] | None = None  # ("unit", UnitSpec.key) or ("group", UNIT_GROUPS key)
    note: str = ""


STAFF_ACCOUNTS: list[Account] = [
    Account("admin", "admin@tila.example", "Tila Admin", "fi", "superuser", None, "general administrator"),
    Account(
        "kaisa",
        "kirjastot@tila.example",
        "Kaisa Lehtonen",
        "fi",
        Role.HANDLER,
        ("group", "libraries"),
        "handler for all libraries (unit group)",
    ),
    Account(
        "ville",
        "kisahalli@tila.example",
        "Ville Salonen",
        "fi",
        Role.ADMIN,
        ("unit", "kisahalli"),
        "unit administrator, Kisahalli",
    ),
    Account(
        "tuomas",
        "nuoriso@tila.example",
        "Tuomas Heikkinen",
        "fi",
        Role.HANDLER,
        ("group", "youth"),
        "handler for the youth centres (unit group)",
    ),
    Account("petra", "stoa@tila.example", "Petra Sundström", "sv", Role.VIEWER, ("unit", "stoa"), "viewer, Stoa"),
]
RESIDENT_ACCOUNTS: list[Account] = [
    Account("aino", "aino.virtanen@tila.example", "Aino Virtanen", "fi"),
    Account("mikko", "mikko.korhonen@tila.example", "Mikko Korhonen", "fi"),
    Account("leena", "leena.makinen@tila.example", "Leena Mäkinen", "fi"),
    Account("juha", "juha.nieminen@tila.example", "Juha Nieminen", "fi"),
    Account("elsa", "elsa.lindqvist@tila.example", "Elsa Lindqvist", "sv"),
    Account("johan", "johan.holmstrom@tila.example", "Johan Holmström", "sv"),
    Account("emily", "emily.carter@tila.example", "Emily Carter", "en"),
    Account("amir", "amir.hassan@tila.example", "Amir Hassan", "en"),
]

# --- Scripted reservations ------------------------------------------------------------------


@dataclass(frozen=True)
class ScriptedBooking:
    """A resident's booking tried on the first possible day from `offset` days ahead."""

    who: str
    resource: str
    offset: int
    hour: int
    hours: int
    subject: T
    participants: int


REQUESTS: list[ScriptedBooking] = [
    ScriptedBooking(
        "emily",
        "oodi-maijansali",
        10,
        17,
        3,
        ("Kirjan julkistamistilaisuus", "Boksläpp", "Book launch: Helsinki stories"),
        80,
    ),
    ScriptedBooking(
        "aino", "stoa-hall", 14, 17, 3, ("Kamarikuoron konsertti", "Kammarkörens konsert", "Chamber choir concert"), 180
    ),
    ScriptedBooking(
        "johan",
        "kisahalli-hall",
        5,
        9,
        4,
        ("Juniorien salibandyturnaus", "Innebandyturnering för juniorer", "Junior floorball tournament"),
        150,
    ),
    ScriptedBooking(
        "amir",
        "caisa-hall",
        12,
        16,
        4,
        ("Yhteisön juhla", "Gemenskapens fest", "Community celebration"),
        120,
    ),
]
DENIED_REQUEST = ScriptedBooking(
    "mikko",
    "vuotalo-hall",
    11,
    17,
    3,
    ("Nuorten bändien keikkailta", "Spelkväll för unga band", "Youth bands' gig night"),
    150,
)
DENY_REASON = "Salissa on samana iltana Vuotalon oma konsertti. Ehdotamme toista päivää."
SERIES_SUBJECT: T = (
    "Töölön Salibandy P12, harjoitukset",
    "Tölö Innebandy P12, träning",
    "Töölö Floorball boys 12, practice",
)
CLOSURE_SUBJECT = "Lattian hionta ja lakkaus"
CLOSURE_COMMENT = "Pääsalin lattia hiotaan ja lakataan; kaikki kentät ovat suljettuina."
CANCEL_REASONS: list[T] = [
    ("Suunnitelmat muuttuivat.", "Planerna ändrades.", "Our plans changed."),
    ("Sairastuin.", "Jag blev sjuk.", "I fell ill."),
    ("Varausta ei enää tarvita.", "Bokningen behövs inte längre.", "We no longer need the booking."),
]
RANDOM_BOOKINGS = 75


# --- Loader ---------------------------------------------------------------------------------


def demo_loaded() -> bool:
    return Unit.objects.filter(pk__in=DEMO_UNIT_IDS).exists()


def as_dict(text: T) -> dict[str, str]:
    return dict(zip(LANGUAGES, text, strict=True))


def load_demo() -> list[tuple[str, int]]:
    """Load the whole demo city in one transaction; return the summary lines (label, count)."""
    today = timezone.localdate()
    with transaction.atomic():
        _load_reference()
        units = _load_units()
        groups = _load_unit_groups(units)
        for spec in UNITS:
            _load_unit_hours(units[spec.key], spec.hours, today)
        resources = _load_resources(units)
        _load_resource_hours(resources, today)
        people = _load_people(units, groups)
        _load_reservations(
            Booker(today=today, now=timezone.now(), rng=random.Random(SEED), resources=resources, people=people)
        )
    return summary()


def _load_reference() -> None:
    for did, name in DISTRICTS:
        District.objects.update_or_create(id=did, defaults={**tr("name", name), "municipality": MUNICIPALITY})
    for tid, main_type, name in RESOURCE_TYPES:
        ResourceType.objects.update_or_create(id=tid, defaults={**tr("name", name), "main_type": main_type})
    for pid, parent, name in PURPOSES:
        Purpose.objects.update_or_create(id=pid, defaults={**tr("name", name), "parent_id": parent})
    for eid, category, name in EQUIPMENT:
        Equipment.objects.update_or_create(
            id=eid, defaults={**tr("name", name), **tr("category", EQUIPMENT_CATEGORIES[category])}
        )


def _load_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for spec in UNITS:
        units[spec.key] = Unit.objects.create(
            id=spec.id,
            **tr("name", spec.name),
            **tr("description", spec.description),
            **tr("street_address", spec.street),
            **tr("www_url", spec.www),
            postal_code=spec.postal_code,
            municipality=MUNICIPALITY,
            district_id=spec.district,
            phone=spec.phone,
            email=spec.email,
            latitude=Decimal(spec.lat),
            longitude=Decimal(spec.lon),
            time_zone=ZONE_NAME,
        )
    return units


def _load_unit_groups(units: dict[str, Unit]) -> dict[str, UnitGroup]:
    groups: dict[str, UnitGroup] = {}
    for key, name in UNIT_GROUPS.items():
        groups[key] = UnitGroup.objects.create(**tr("name", name))
        groups[key].units.set([units[spec.key] for spec in UNITS if spec.group == key])
    return groups


def weekly(rules: list[HoursRule]) -> list[tuple[int, dt.time, dt.time]]:
    return [(day, dt.time(opens), dt.time(closes % 24)) for days, opens, closes in rules for day in days]


def holiday_periods(year: int, new_years_eve: tuple[int, int] | None) -> list[dict[str, Any]]:
    """Christmas (closed) and New Year (short hours on the eve, or closed) of `year`."""
    eve = dt.date(year, 12, 31)
    new_year: dict[str, Any] = {"start": eve, "end": dt.date(year + 1, 1, 1), "name": as_dict(PERIOD_NAMES["new-year"])}
    if new_years_eve is None:
        new_year |= {"closed": True, "description": as_dict(PERIOD_DESCRIPTIONS["new-year-closed"])}
    else:
        opens, closes = new_years_eve
        new_year |= {
            "rules": [(eve.weekday(), dt.time(opens), dt.time(closes))],
            "description": as_dict(PERIOD_DESCRIPTIONS["new-year"]),
        }
    christmas = {
        "start": dt.date(year, 12, 24),
        "end": dt.date(year, 12, 26),
        "closed": True,
        "name": as_dict(PERIOD_NAMES["christmas"]),
        "description": as_dict(PERIOD_DESCRIPTIONS["christmas"]),
    }
    return [christmas, new_year]


def unit_periods(profile: str, today: dt.date) -> list[dict[str, Any]]:
    """A unit's periods: normal hours since 1 January last year, and summer and holidays of both years."""
    periods: list[dict[str, Any]] = [
        {
            "start": dt.date(today.year - 1, 1, 1),
            "name": as_dict(PERIOD_NAMES["normal"]),
            "rules": weekly(NORMAL_HOURS[profile]),
        }
    ]
    for year in (today.year - 1, today.year):
        periods.append(
            {
                "start": dt.date(year, 6, 1),
                "end": dt.date(year, 8, 31),
                "name": as_dict(PERIOD_NAMES["summer"]),
                "description": as_dict(PERIOD_DESCRIPTIONS["summer"]),
                "rules": weekly(SUMMER_HOURS[profile]),
            }
        )
        periods.extend(holiday_periods(year, NEW_YEARS_EVE[profile]))
    return periods


def _load_unit_hours(unit: Unit, profile: str, today: dt.date) -> None:
    for period in unit_periods(profile, today):
        opening_period_create(actor=None, unit=unit, **period)


def _load_resource_hours(resources: dict[str, Resource], today: dt.date) -> None:
    """Resources with hours of their own, closed on the holidays too (their own periods win)."""
    for rid, (name, rules) in OWN_HOURS.items():
        resource = resources[rid]
        opening_period_create(
            actor=None,
            resource=resource,
            start=dt.date(today.year - 1, 1, 1),
            name=as_dict(PERIOD_NAMES[name]),
            description=as_dict(PERIOD_DESCRIPTIONS[name]),
            rules=weekly(rules),
        )
        for year in (today.year - 1, today.year):
            for period in holiday_periods(year, None):
                opening_period_create(actor=None, resource=resource, **period)


def _resource_fields(spec: Spec, types: dict[str, ResourceType], parent: Resource | None) -> dict[str, Any]:
    kind = KINDS[spec.kind]
    publish_begin = None
    if spec.publish_in_days is not None:
        publish_begin = timezone.now() + dt.timedelta(days=spec.publish_in_days)
    return {
        **tr("name", spec.name),
        **tr("description", description(spec)),
        **tr("reservation_info", reservation_info(spec)),
        **tr("terms", terms(spec)),
        **spec_rules(spec),
        "type": types[spec.type or kind.type],
        "parent": parent,
        "people_capacity": spec.capacity,
        "area": spec.area,
        "public": spec.public,
        "reservable": spec.reservable,
        "publish_begin": publish_begin,
    }


def equipment_ids(spec: Spec, unit: UnitSpec) -> list[str]:
    """The kind's and the spec's equipment, and an accessible toilet where one is close by."""
    kind = KINDS[spec.kind]
    nearby = ("accessible-toilet",) if kind.inside is not None and unit.toilets in ("same", "locker") else ()
    return list(dict.fromkeys(kind.equipment + spec.equipment + nearby))


def _load_resources(units: dict[str, Unit]) -> dict[str, Resource]:
    types = {t.pk: t for t in ResourceType.objects.all()}
    purposes = {p.pk: p for p in Purpose.objects.all()}
    equipment = {e.pk: e for e in Equipment.objects.all()}
    unit_specs = {u.key: u for u in UNITS}
    created: dict[str, Resource] = {}
    sentences: list[AccessibilitySentence] = []
    for spec in SPACES:
        kind = KINDS[spec.kind]
        resource = resource_create(
            actor=None,
            unit=units[spec.unit],
            purposes=[purposes[p] for p in dict.fromkeys(kind.purposes + spec.purposes)],
            equipment=[equipment[e] for e in equipment_ids(spec, unit_specs[spec.unit])],
            resource_id=spec.id,
            **_resource_fields(spec, types, created.get(spec.parent or "")),
        )
        created[spec.id] = resource
        for order, (group, sentence) in enumerate(accessibility(spec, unit_specs[spec.unit])):
            sentences.append(
                AccessibilitySentence(resource=resource, order=order, **tr("group", group), **tr("sentence", sentence))
            )
    AccessibilitySentence.objects.bulk_create(sentences)
    return created


@dataclass
class People:
    staff: dict[str, User]
    residents: dict[str, User]


def _load_people(units: dict[str, Unit], groups: dict[str, UnitGroup]) -> People:
    password = make_password(PASSWORD)  # hashed once: the demo accounts share one published password
    people = People(staff={}, residents={})
    for account in STAFF_ACCOUNTS + RESIDENT_ACCOUNTS:
        superuser = account.role == "superuser"
        user, _ = User.objects.get_or_create(
            email=account.email,
            defaults={
                "name": account.name,
                "preferred_language": account.language,
                "password": password,
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        (people.staff if account.role else people.residents)[account.key] = user
        if account.scope is not None:
            where, key = account.scope
            target: dict[str, Any] = {"unit": units[key]} if where == "unit" else {"unit_group": groups[key]}
            UnitRole.objects.get_or_create(user=user, role=account.role, **target)
    return people


# --- Reservations ---------------------------------------------------------------------------


@dataclass
class Booker:
    today: dt.date
    now: dt.datetime
    rng: random.Random
    resources: dict[str, Resource]
    people: People

    def at(self, day: dt.date, hour: int) -> dt.datetime:
        return local_datetime(day, dt.time(hour), get_zone(ZONE_NAME))

    def handler_for(self, resource: Resource) -> User:
        """A unit's own handler if it has one, else the general administrator."""
        for key, user in self.people.staff.items():
            if key != "admin" and can(user, Action.HANDLE, resource.unit_id):
                return user
        return self.people.staff["admin"]


def _try_create(**kwargs: Any) -> Reservation | None:
    """Book through the engine; a slot that the rules refuse is simply skipped."""
    try:
        return reservation_create(**kwargs)
    except DomainError:
        return None


def _language(user: User) -> int:
    return LANGUAGES.index(user.preferred_language) if user.preferred_language in LANGUAGES else 0


def _load_reservations(b: Booker) -> None:
    _book_closure(b)
    _book_series(b)
    _book_requests(b)
    _book_random(b, RANDOM_BOOKINGS)
    _handle_past_requests(b)
    _cancel_some(b)


def _book_closure(b: Booker) -> None:
    """Staff close the whole Kisahalli floor for maintenance on a Monday morning next week."""
    day = b.today + dt.timedelta(days=3)
    day += dt.timedelta(days=-day.weekday() % 7)
    _try_create(
        actor=b.people.staff["ville"],
        resource=b.resources["kisahalli-hall"],
        begin=b.at(day, 7),
        end=b.at(day, 12),
        type=ReservationType.BLOCKED,
        event_subject=CLOSURE_SUBJECT,
        staff_comment=CLOSURE_COMMENT,
    )


def _book_series(b: Booker) -> None:
    """A club's weekly practice, booked by the Kisahalli administrator on the club contact's behalf."""
    tuesday = b.today - dt.timedelta(days=b.today.weekday()) + dt.timedelta(days=1)
    johan = b.people.residents["johan"]
    for week in range(-4, 5):
        day = tuesday + dt.timedelta(weeks=week)
        begin = b.at(day, 18)
        _try_create(
            actor=b.people.staff["ville"],
            user=johan,
            resource=b.resources["kisahalli-hall-a"],
            begin=begin,
            end=begin + dt.timedelta(hours=2),
            staff_override=True,
            number_of_participants=24,
            event_subject=SERIES_SUBJECT[_language(johan)],
            now=begin - dt.timedelta(days=10) if day <= b.today else None,
        )


def _book_first_day(b: Booker, booking: ScriptedBooking) -> Reservation | None:
    user = b.people.residents[booking.who]
    for offset in range(booking.offset, booking.offset + 7):
        begin = b.at(b.today + dt.timedelta(days=offset), booking.hour)
        made = _try_create(
            actor=user,
            resource=b.resources[booking.resource],
            begin=begin,
            end=begin + dt.timedelta(hours=booking.hours),
            event_subject=booking.subject[_language(user)],
            number_of_participants=booking.participants,
        )
        if made is not None:
            return made
    return None


def _book_requests(b: Booker) -> None:
    """Requests on halls that need manual confirmation; one of them is denied."""
    for booking in REQUESTS:
        _book_first_day(b, booking)
    denied = _book_first_day(b, DENIED_REQUEST)
    if denied is not None:
        reservation_deny(actor=b.handler_for(denied.resource), reservation=denied, reason=DENY_REASON)


def _book_random(b: Booker, target: int) -> None:
    pool = [r for r in b.resources.values() if r.public and r.reservable and r.publish_begin is None]
    made = attempts = 0
    while made < target and attempts < target * 8:
        attempts += 1
        if _random_booking(b, b.rng.choice(pool)) is not None:
            made += 1


def _in_window(rules: Rules, offset: int) -> bool:
    return rules.min_days_ahead <= offset and (rules.max_days_ahead is None or offset <= rules.max_days_ahead)


def _random_booking(b: Booker, resource: Resource) -> Reservation | None:
    """One resident's booking on a random day within four weeks either side of today."""
    rules = resource_rules(resource)
    offset = b.rng.randint(-28, 28)
    if offset > 0 and not _in_window(rules, offset):
        return None
    slot = pick_slot(b.rng, resource.pk, rules, b.today + dt.timedelta(days=offset))
    if slot is None:
        return None
    begin, end = slot
    user = b.rng.choice(list(b.people.residents.values()))
    subjects = KINDS[SPEC_BY_ID[resource.pk].kind].subjects
    capacity = resource.people_capacity
    return _try_create(
        actor=user,
        resource=resource,
        begin=begin,
        end=end,
        event_subject=b.rng.choice(subjects)[_language(user)],
        number_of_participants=b.rng.randint(1, capacity) if capacity else None,
        now=booked_at(b.rng, rules, begin) if offset <= 0 else None,
    )


def booked_at(rng: random.Random, rules: Rules, begin: dt.datetime) -> dt.datetime:
    """When a booking of a past (or today's) slot was made: inside the resource's advance window."""
    days = rules.min_days_ahead + rng.randint(1, 6)
    if rules.max_days_ahead is not None:
        days = min(days, rules.max_days_ahead)
    return begin - dt.timedelta(days=days)


def pick_duration(rng: random.Random, rules: Rules) -> dt.timedelta:
    slot = rules.slot_size
    shortest = max(1, math.ceil(rules.min_period / slot))
    cap = rules.max_period
    if slot < ONE_DAY:
        cap = min(cap or dt.timedelta(hours=3), dt.timedelta(hours=3))
    longest = max(shortest, math.floor((cap or slot * shortest) / slot))
    return slot * rng.randint(shortest, longest)


def pick_slot(
    rng: random.Random, resource_id: str, rules: Rules, day: dt.date
) -> tuple[dt.datetime, dt.datetime] | None:
    """A random slot on `day` inside the resource's opening hours and on its slot grid, or None."""
    zone = get_zone(ZONE_NAME)
    start, stop = day_bounds(day, zone)
    windows = [
        (max(begin, start), end if rules.slot_size >= ONE_DAY else min(end, stop))
        for begin, end in opening_intervals(resource_id=resource_id, begin=start, end=stop)
    ]
    windows = [(begin, end) for begin, end in windows if begin < end]
    if not windows:
        return None
    w_begin, w_end = rng.choice(windows)
    length, slot = pick_duration(rng, rules), rules.slot_size
    first = math.ceil((w_begin - start) / slot)
    last = math.floor((min(w_end - length, stop - slot) - start) / slot)
    if last < first:
        return None
    begin = (start.astimezone(UTC) + slot * rng.randint(first, last)).astimezone(zone)
    return begin, (begin.astimezone(UTC) + length).astimezone(zone)


def _handle_past_requests(b: Booker) -> None:
    """Requests whose time has come were handled by staff: approve them."""
    requested = Reservation.objects.filter(
        resource__unit_id__in=DEMO_UNIT_IDS, state=State.REQUESTED, begin__lt=b.now
    ).select_related("resource")
    for reservation in requested:
        reservation_approve(actor=b.handler_for(reservation.resource), reservation=reservation)


def _cancel_some(b: Booker) -> None:
    """Two residents cancel an upcoming booking, one cancelled a past one in time."""
    mine = Reservation.objects.filter(
        resource__unit_id__in=DEMO_UNIT_IDS,
        state=State.CONFIRMED,
        type=ReservationType.NORMAL,
        user__in=list(b.people.residents.values()),
        created_by__in=list(b.people.residents.values()),
    ).select_related("user")
    upcoming = mine.filter(begin__gt=b.now + dt.timedelta(days=3)).order_by("begin", "id")
    _cancel_first(upcoming, 2, past=False)
    past = mine.filter(begin__lt=b.now - dt.timedelta(days=1)).order_by("-begin", "-id")
    _cancel_first(past, 1, past=True)


def _cancel_first(candidates: Any, count: int, *, past: bool) -> None:
    done = 0
    for reservation in candidates:
        if done >= count:
            return
        reason = CANCEL_REASONS[done % len(CANCEL_REASONS)][_language(reservation.user)]
        when = reservation.begin - dt.timedelta(days=2) if past else None
        try:
            reservation_cancel(actor=reservation.user, reservation=reservation, reason=reason, now=when)
        except DomainError:
            continue
        done += 1


# --- Summary --------------------------------------------------------------------------------


def summary() -> list[tuple[str, int]]:
    from tila.hours.models import OpeningPeriod

    resources = Resource.objects.filter(unit_id__in=DEMO_UNIT_IDS)
    reservations = Reservation.objects.filter(resource__unit_id__in=DEMO_UNIT_IDS)
    states = Counter(reservations.values_list("state", flat=True))
    periods = (
        OpeningPeriod.objects.filter(unit_id__in=DEMO_UNIT_IDS).count()
        + OpeningPeriod.objects.filter(resource__unit_id__in=DEMO_UNIT_IDS).count()
    )
    lines = [
        ("districts", District.objects.filter(pk__in=[d for d, _ in DISTRICTS]).count()),
        ("units", Unit.objects.filter(pk__in=DEMO_UNIT_IDS).count()),
        ("resources", resources.count()),
        ("  of which items", resources.filter(type__main_type=MainType.ITEM).count()),
        ("  parts of divisible spaces", resources.filter(parent__isnull=False).count()),
        ("accessibility sentences", AccessibilitySentence.objects.filter(resource__in=resources).count()),
        ("opening periods", periods),
        ("accounts", User.objects.filter(email__in=[a.email for a in STAFF_ACCOUNTS + RESIDENT_ACCOUNTS]).count()),
        ("reservations", reservations.count()),
    ]
    lines += [(f"  {state.label.lower()}", states[state.value]) for state in State if states[state.value]]
    lines.append(("  of which staff closures", reservations.filter(type=ReservationType.BLOCKED).count()))
    return lines


def accounts() -> list[tuple[str, str]]:
    """(email, description) of the demo accounts, for the command's output."""
    out = [(a.email, f"{a.name}, {a.note}") for a in STAFF_ACCOUNTS]
    out += [(a.email, f"{a.name}, resident ({a.language})") for a in RESIDENT_ACCOUNTS]
    return out
