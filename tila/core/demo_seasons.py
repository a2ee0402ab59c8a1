"""Seasonal application rounds for the demo city (`tila demo` calls `load(stdout)` after the city).

* **A handled round** — a ten-week season starting two weeks from now in the sports halls (Kisahalli's
  main hall, its halves and courts, Liikuntamylly's hall and its thirds), gymnastics and dance
  halls, with about sixty applications from clubs, associations and residents in Finnish, Swedish
  and English. The application window closed three weeks ago; the round was allocated with CP-SAT
  and accepted, so its decisions are booked as recurring reservations. Staff can look at the
  timetable and send the decisions (one email per applicant, in their language).
* **An open round** — the spring season, taking applications now: a dozen applications, a few of
  them still drafts (one is Aino's, the demo resident's).

Both rounds favour children and young people (age groups 7–12 and 13–17 weigh 1.3) and the
districts chosen for positive special treatment (Kontula, Myllypuro, Itäkeskus weigh 1.2).
Everything goes through the seasonal services; the random choices use a fixed seed. Running it
again when it has been loaded changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tila.accounts.models import User
from tila.catalogue.models import Resource
from tila.core.finnish import business_id_check_digit
from tila.core.i18n import translations
from tila.seasons import decisions, runs, services
from tila.seasons.models import AgeGroup, Allocation, ApplicationRound, DecisionState, RoundState

SEED = 2027
PASSWORD = "tila-demo-2026"  # noqa: S105 - the demo's published password
HANDLED_NAME = (
    "Syyskausi: liikunta- ja tanssisalit",
    "Höstsäsongen: idrotts- och danssalar",
    "Autumn season: sports and dance halls",
)
OPEN_NAME = (
    "Kevätkausi: liikunta- ja tanssisalit",
    "Vårsäsongen: idrotts- och danssalar",
    "Spring season: sports and dance halls",
)
DESCRIPTION = (
    "Hae seuralle tai ryhmälle vakiovuoroa koko kaudeksi. Lasten ja nuorten ryhmiä sekä myönteisen "
    "erityiskohtelun alueita painotetaan.",
    "Ansök om en fast tid för hela säsongen för din förening eller grupp. Grupper för barn och unga och "
    "områden med positiv särbehandling prioriteras.",
    "Apply for a regular weekly time for the whole season for your club or group. Groups of children and "
    "young people and the districts chosen for positive special treatment are favoured.",
)
RESOURCES = (
    "kisahalli-hall", "kisahalli-hall-a", "kisahalli-hall-b", "kisahalli-court-a1", "kisahalli-court-a2",
    "kisahalli-court-b1", "kisahalli-court-b2", "kisahalli-gymnastics", "mylly-hall", "mylly-hall-1",
    "mylly-hall-2", "mylly-hall-3", "mylly-mirror", "hertsi-hall", "kontula-dance", "stoa-dance", "caisa-dance",
)  # fmt: skip
FAVOURED_DISTRICTS = ("kontula", "myllypuro", "itakeskus")


@dataclass(frozen=True)
class Sport:
    name: tuple[str, str, str]
    purpose: str
    places: tuple[tuple[str, ...], ...]
    """Preference lists, best first; a group picks one list."""
    size: tuple[int, int]


COURTS = ("kisahalli-court-a1", "kisahalli-court-a2", "kisahalli-court-b1", "kisahalli-court-b2")
THIRDS = ("mylly-hall-1", "mylly-hall-2", "mylly-hall-3")
DANCE = ("mylly-mirror", "hertsi-hall", "kontula-dance", "stoa-dance", "caisa-dance", "kisahalli-gymnastics")
KISAHALLI_HALVES = ("kisahalli-hall-a", "kisahalli-hall-b", "kisahalli-hall")
MYLLY_HALL = ("mylly-hall-1", "mylly-hall-2", "mylly-hall")
SPORTS = (
    Sport(
        ("Salibandy", "Innebandy", "Floorball"),
        "floorball",
        ((*COURTS[:2], "kisahalli-hall-a"), (*COURTS[2:], "kisahalli-hall-b"), THIRDS),
        (12, 20),
    ),
    Sport(("Koripallo", "Basket", "Basketball"), "basketball", (KISAHALLI_HALVES, MYLLY_HALL), (10, 20)),
    Sport(
        ("Lentopallo", "Volleyboll", "Volleyball"),
        "volleyball",
        (("mylly-hall-2", "mylly-hall-3"), ("kisahalli-hall-b", "kisahalli-hall-a")),
        (10, 18),
    ),
    Sport(("Sulkapallo", "Badminton", "Badminton"), "badminton", (COURTS, THIRDS[::-1]), (6, 16)),
    Sport(
        ("Voimistelu", "Gymnastik", "Gymnastics"),
        "gymnastics",
        (("kisahalli-gymnastics", "mylly-mirror"), ("hertsi-hall", "kontula-dance")),
        (8, 20),
    ),
    Sport(
        ("Tanssi", "Dans", "Dance"),
        "theatre-and-dance",
        (DANCE[:3], DANCE[2:5], ("caisa-dance", "stoa-dance", "hertsi-hall")),
        (6, 18),
    ),
)
CLUB_WORDS = (
    ("Kontulan", "Myllypuron", "Töölön", "Kallion", "Itäkeskuksen", "Herttoniemen", "Vuosaaren", "Malmin", "Pasilan"),
    ("Urheilijat", "Pallo", "Kiekko", "Tanssijat", "Voimistelijat", "Sulka", "Liikunta", "Nuoret", "Tähdet"),
)
SWEDISH_CLUBS = ("IF Gnistan Junior", "Tölö Dansförening", "Brändö Bollklubb", "Hertonäs Gymnastikförening")
ENGLISH_CLUBS = ("Helsinki Expats Basketball", "International Dance Collective", "Capital Badminton Club")
FIRST_NAMES = ("Anna", "Mikael", "Sara", "Ville", "Noora", "Eero", "Laura", "Oskar", "Helmi", "Jussi", "Ida", "Leo")
LAST_NAMES = ("Virtanen", "Korhonen", "Nieminen", "Mäkinen", "Lindholm", "Heikkinen", "Salo", "Laine", "Koski")


def _loaded() -> bool:
    return ApplicationRound.objects.filter(name_en=HANDLED_NAME[2]).exists()


def _names(text: tuple[str, str, str]) -> dict[str, str]:
    return dict(zip(("fi", "sv", "en"), text, strict=True))


def _business_id(rng: random.Random) -> str:
    while True:
        base = f"{rng.randrange(1_000_000, 3_400_000):07d}"
        digit = business_id_check_digit(base)
        if digit is not None:
            return f"{base}-{digit}"


class Builder:
    """Applications for one round, written through the services."""

    def __init__(self, rng: random.Random, round: ApplicationRound, when: dt.datetime) -> None:
        self.rng = rng
        self.round = round
        self.when = when
        self.capacity = dict(Resource.objects.filter(pk__in=RESOURCES).values_list("pk", "people_capacity"))
        self.ages = list(AgeGroup.objects.order_by("minimum"))
        self.count = 0

    def _times(self, youth: bool) -> list[services.SuitableData]:
        days = self.rng.sample(range(5), 3)
        begin = self.rng.choice((16, 17)) if youth else self.rng.choice((18, 19))
        primary = [services.SuitableData(d, dt.time(begin), dt.time(begin + 3)) for d in days[:2]]
        later = dt.time(min(begin + 4, 21))
        if self.rng.random() < 0.3:
            return [*primary, services.SuitableData(5, dt.time(10), dt.time(15), "secondary")]
        return [*primary, services.SuitableData(days[2], dt.time(begin), later, "secondary")]

    def section(self, sport: Sport, language: str, youth: bool) -> services.SectionData:
        places = self.rng.choice(sport.places)
        smallest = min(self.capacity.get(p) or 1000 for p in places)
        participants = min(smallest, self.rng.randint(*sport.size))
        ages = self.ages[1:3] if youth else self.ages[3:5]
        age = self.rng.choice(ages) if ages else None
        lang = {"fi": 0, "sv": 1, "en": 2}[language]
        label = translations(age, "name").get(language, "") if age else ""
        minimum = self.rng.choice((60, 60, 90))
        return services.SectionData(
            name=f"{sport.name[lang]} {label}".strip(),
            participants=participants,
            times_per_week=self.rng.choice((1, 2, 2, 3)),
            min_minutes=minimum,
            max_minutes=minimum + self.rng.choice((0, 30, 30, 60)),
            resources=list(places),
            suitable=self._times(youth),
            purpose=sport.purpose,
            age_group=age,
        )

    def applicant(self, user: User, name: str, language: str, person: bool, district: str) -> services.ApplicantData:
        contact = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        return services.ApplicantData(
            applicant_type="person" if person else "association",
            organisation_name="" if person else name,
            business_id="" if person else _business_id(self.rng),
            contact_name=user.name if person else contact,
            contact_email=user.email,
            contact_phone=f"+358 40 {self.rng.randrange(1000000, 9999999)}",
            home_district=district,
            language=language,
        )

    def apply(self, user: User, name: str, language: str, *, person: bool = False, submit: bool = True) -> None:
        district = self.rng.choice(
            ("kontula", "myllypuro", "itakeskus", "kallio", "taka-toolo", "herttoniemi", "vuosaari")
        )
        application = services.application_start(user=user, round=self.round, now=self.when)
        data = self.applicant(user, name, language, person, district)
        services.application_save(user=user, application=application, data=data, now=self.when)
        youth = self.rng.random() < 0.55
        for _ in range(self.rng.choice((1, 1, 2, 2, 3)) if not person else 1):
            sport = self.rng.choice(SPORTS)
            section = self.section(sport, language, youth)
            services.section_save(user=user, application=application, data=section, now=self.when)
        if submit:
            services.application_submit(user=user, application=application, now=self.when)
        self.count += 1


def _club_users(count: int, rng: random.Random) -> list[tuple[User, str, str]]:
    """(account, club name, language) for synthetic clubs; accounts share the demo password."""
    password = make_password(PASSWORD)
    out = []
    for n in range(count):
        if n % 12 == 5:
            name, language = SWEDISH_CLUBS[n // 12 % len(SWEDISH_CLUBS)], "sv"
        elif n % 12 == 9:
            name, language = ENGLISH_CLUBS[n // 12 % len(ENGLISH_CLUBS)], "en"
        else:
            name, language = f"{rng.choice(CLUB_WORDS[0])} {rng.choice(CLUB_WORDS[1])} ry", "fi"
        user, _ = User.objects.get_or_create(
            email=f"seura{n + 1:02d}@tila.example",
            defaults={"name": name, "preferred_language": language, "password": password},
        )
        out.append((user, name, language))
    return out


def _round(
    admin: User, names: tuple[str, str, str], first: dt.date, weeks: int, window: tuple[dt.datetime, dt.datetime]
) -> ApplicationRound:
    data = services.RoundData(
        name=_names(names),
        description=_names(DESCRIPTION),
        season_begin=first,
        season_end=first + dt.timedelta(weeks=weeks, days=-1),
        application_begin=window[0],
        application_end=window[1],
        resources=list(RESOURCES),
        purposes=sorted({s.purpose for s in SPORTS}),
    )
    round = services.round_create(actor=admin, data=data)
    youth = {g.pk: "1.3" for g in AgeGroup.objects.filter(minimum__in=(7, 13))}
    services.round_weights_set(
        actor=admin, round=round, age_groups=youth, districts=dict.fromkeys(FAVOURED_DISTRICTS, "1.2")
    )
    return services.round_transition(actor=admin, round=round, to=RoundState.OPEN)


def _residents() -> dict[str, User]:
    emails = {
        "aino": "aino.virtanen@tila.example",
        "elsa": "elsa.lindqvist@tila.example",
        "emily": "emily.carter@tila.example",
        "leena": "leena.makinen@tila.example",
        "johan": "johan.holmstrom@tila.example",
    }
    found = {u.email: u for u in User.objects.filter(email__in=emails.values())}
    return {key: found[email] for key, email in emails.items() if email in found}


def _handled(admin: User, rng: random.Random, clubs: list[tuple[User, str, str]], today: dt.date) -> dict[str, int]:
    now = timezone.now()
    first = today + dt.timedelta(days=14 - today.weekday())
    window = (now - dt.timedelta(days=60), now - dt.timedelta(days=21))
    round = _round(admin, HANDLED_NAME, first, 10, window)
    builder = Builder(rng, round, window[0] + dt.timedelta(days=10))
    for user, name, language in clubs[:54]:
        builder.apply(user, name, language)
    people = _residents()
    for key in ("elsa", "emily", "johan"):
        if key in people:
            user = people[key]
            builder.apply(user, user.name, user.preferred_language, person=True)
    services.round_transition(actor=admin, round=round, to=RoundState.IN_ALLOCATION)
    run = runs.allocation_run_start(actor=admin, round=round, parameters=runs.RunParameters(time_limit=6, seed=SEED))
    runs.allocation_run_execute(run_id=run.pk, poll=0.5)
    report = decisions.round_accept(actor=admin, round=round, now=now)
    return {"applications": builder.count, "decisions": report.decisions, "booked": report.booked}


def _open(admin: User, rng: random.Random, clubs: list[tuple[User, str, str]], today: dt.date) -> int:
    now = timezone.now()
    first = today + dt.timedelta(days=70 - today.weekday())
    round = _round(admin, OPEN_NAME, first, 14, (now - dt.timedelta(days=5), now + dt.timedelta(days=21)))
    builder = Builder(rng, round, now)
    for n, (user, name, language) in enumerate(clubs[54:]):
        builder.apply(user, name, language, submit=n % 4 != 3)
    people = _residents()
    if "leena" in people:
        builder.apply(people["leena"], "Mäkisen Tanssikoulu ry", "fi")
    if "aino" in people:
        builder.apply(people["aino"], people["aino"].name, "fi", person=True, submit=False)
    return builder.count


def load(stdout: TextIO | None = None) -> list[tuple[str, int]]:
    """Load the two demo rounds (nothing if they are there already); return summary lines."""
    if _loaded():
        return []
    admin = User.objects.filter(is_superuser=True, email="admin@tila.example").first()
    if admin is None or Resource.objects.filter(pk__in=RESOURCES).count() != len(RESOURCES):
        if stdout is not None:
            stdout.write("The demo city is not loaded; the seasonal rounds were skipped.\n")
        return []
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        clubs = _club_users(66, rng)
        handled = _handled(admin, rng, clubs, today)
        opened = _open(admin, rng, clubs, today)
    accepted = Allocation.objects.filter(state=DecisionState.ACCEPTED).count()
    return [
        ("Application rounds", 2),
        ("Seasonal applications", handled["applications"] + opened),
        ("Seasonal decisions accepted", accepted),
        ("Seasonal dates booked", handled["booked"]),
    ]
