"""The demo city's history for the change indicators: `load(stdout)` after `tila demo`.

Adds, relative to today and with a fixed seed:

* the service's growth: the demo spaces opened for booking between 2017 and 2024, each announced
  a few months before, and a few spaces announced as coming;
* opening hours materialised back to 1 January last year, and a booking history from then until
  now, around the demo's own bookings (bulk-written like `tila generate-city`: each space tree gets
  one sequential timeline that skips the demo's bookings, so no two reservations overlap and every
  database constraint holds), booked by 520 synthetic residents (the demo accounts' own pages stay
  as the demo made them), most of whom told their year of birth;
* customer feedback telling the city's own story — NPS about 38 two years ago, 40 last year and 42
  this year — from reservation surveys and public links, with comments, themes and handling;
* population figures by district and age group (imported as CSV through the import service),
  city-entered indicators (library visits per library per month, hobby participation by school
  grade, the libraries' yearly visits) and hobby groups, one of them made from a recurring
  reservation;
* a management account with the dashboard role: johtaja@tila.example (the demo password).

Illustrative figures, shaped after the culture and leisure division's review of January 2021.
Running it again when it has been loaded changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tila.accounts.models import User
from tila.booking.models import Occupancy, Reservation, ReservationType, State
from tila.catalogue.models import Resource, ResourceLeaf, Unit
from tila.catalogue.selectors import Rules, resource_rules
from tila.core import demo
from tila.core.errors import DomainError
from tila.core.i18n import LANGUAGES
from tila.core.timeutil import get_zone, local_datetime
from tila.feedback.models import (
    BookerProfile,
    CustomerGroup,
    QuestionKind,
    Response,
    Source,
    Theme,
    UnitQuestion,
)
from tila.hobbies.models import HobbyCategory, HobbyLanguage
from tila.hobbies.services import HobbyDetails, hobby_categories_ensure, hobby_group_create, hobby_group_from_series
from tila.hours.models import OpeningInterval
from tila.hours.services import hours_materialise
from tila.insight.models import AgeGroup, AnnouncedResource, Granularity, Indicator, ManagementAccess
from tila.insight.services import indicator_values_import, population_import

SEED = 2021
MARKER_INDICATOR = "library-visits"
MANAGER_EMAIL = "johtaja@tila.example"
SYNTHETIC_RESIDENTS = 520
HISTORY_SCALE = 0.25  # share of the "busy" level booked: keeps the history near 20,000 rows
T = tuple[str, str, str]


def loaded() -> bool:
    return Indicator.objects.filter(pk=MARKER_INDICATOR).exists()


def load(stdout: TextIO | None = None) -> list[tuple[str, int]]:
    """Add the indicator history to a loaded demo city. Returns summary lines (label, count)."""
    if loaded() or not demo.demo_loaded():
        if stdout is not None:
            stdout.write("The indicator demo data is already loaded (or the demo city is not); nothing was changed.\n")
        return []
    today = timezone.localdate()
    rng = random.Random(SEED)
    with transaction.atomic():
        _growth(today, rng)
        _past_hours(today)
        people = _residents(rng, today)
        history = _booking_history(today, rng, people)
        answers = _feedback(today, rng, history, people)
        _population(today)
        _city_indicators(today, rng)
        groups = _hobby_groups(today)
        _manager()
    lines = [
        ("past reservations", history.count),
        ("synthetic residents", len(people.synthetic)),
        ("feedback answers", answers),
        ("announced spaces", AnnouncedResource.objects.count()),
        ("city indicators", Indicator.objects.count()),
        ("hobby groups", groups),
    ]
    if stdout is not None:
        stdout.write("Indicator history:\n")
        for label, count in lines:
            stdout.write(f"  {label:<32}{count:>6}\n")
        stdout.write(f"  management dashboard: {MANAGER_EMAIL} (password {demo.PASSWORD})\n")
    return lines


def _aware(day: dt.date, hour: int = 12) -> dt.datetime:
    return local_datetime(day, dt.time(hour), get_zone(demo.ZONE_NAME))


# --- The service's growth ------------------------------------------------------------------------

COMING: list[tuple[T, str, int]] = [
    (("Bänditila", "Bandrum", "Band room"), "malmi-library", 60),
    (("Podcaststudio", "Podcaststudio", "Podcast studio"), "kontula-library", 120),
    (("Liikuntasali", "Idrottssal", "Sports hall"), "vuotalo", 200),
    (("Tekemisen tila", "Verkstad", "Maker space"), "pasila-library", 45),
    (("Kokoushuone Lokki", "Mötesrummet Måsen", "Meeting room Lokki"), "vuosaari-library", 90),
]


def _opening_days(count: int, today: dt.date, rng: random.Random) -> list[dt.date]:
    """Opening days of `count` spaces: most in 2017–2020 (the division's "91 new spaces"), the rest later."""
    early = round(count * 0.7)
    first, turn, last = dt.date(2017, 2, 1), dt.date(2020, 10, 31), min(dt.date(2024, 11, 30), today)
    days = [first + dt.timedelta(days=rng.randint(0, (turn - first).days)) for _ in range(early)]
    days += [turn + dt.timedelta(days=rng.randint(1, max(1, (last - turn).days))) for _ in range(count - early)]
    return sorted(days)


def _growth(today: dt.date, rng: random.Random) -> None:
    roots = list(
        Resource.objects.filter(pk__in=list(demo.SPEC_BY_ID), parent__isnull=True, publish_begin__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng.shuffle(roots)
    units = {r.pk: r.unit_id for r in Resource.objects.filter(pk__in=roots)}
    for root, day in zip(roots, _opening_days(len(roots), today, rng), strict=True):
        opened = _aware(day, 9)
        tree = [root, *Resource.objects.filter(parent_id=root).values_list("pk", flat=True)]
        tree += list(Resource.objects.filter(parent_id__in=tree[1:]).values_list("pk", flat=True))
        Resource.objects.filter(pk__in=tree).update(created_at=opened)
        spec = demo.SPEC_BY_ID[root]
        AnnouncedResource.objects.create(
            **demo.tr("name", spec.name),
            unit_id=units[root],
            announced_on=day - dt.timedelta(days=rng.randint(60, 240)),
            expected_on=day,
            resource_id=root,
        )
    demo_units = {u.pk: u for u in Unit.objects.filter(pk__in=demo.DEMO_UNIT_IDS)}
    keys = {spec.key: spec.id for spec in demo.UNITS}
    for name, unit_key, ahead in COMING:
        AnnouncedResource.objects.create(
            **demo.tr("name", name),
            unit=demo_units[keys[unit_key]],
            announced_on=today - dt.timedelta(days=rng.randint(20, 150)),
            expected_on=today + dt.timedelta(days=ahead),
        )


def _past_hours(today: dt.date) -> None:
    """Opening hours from 1 January last year (the demo's hours begin then), so history has hours."""
    first = dt.date(today.year - 1, 1, 1)
    week = _aware(first + dt.timedelta(days=7))
    if OpeningInterval.objects.filter(resource_id__in=list(demo.SPEC_BY_ID), begin__lt=week).exists():
        return
    hours_materialise(resource_ids=list(demo.SPEC_BY_ID), first=first)


# --- Residents -----------------------------------------------------------------------------------

FIRST_NAMES = [
    "Aada",
    "Eino",
    "Linnea",
    "Onni",
    "Helmi",
    "Väinö",
    "Iida",
    "Leo",
    "Selma",
    "Oliver",
    "Ella",
    "Elias",
    "Saga",
    "Noah",
    "Freja",
    "Hugo",
    "Maryam",
    "Yusuf",
    "Sofia",
    "Daniel",
    "Nguyen",
    "Anna",
    "Ali",
    "Vera",
]
LAST_NAMES = [
    "Korhonen",
    "Virtanen",
    "Nieminen",
    "Laine",
    "Heikkinen",
    "Lindholm",
    "Koskinen",
    "Järvinen",
    "Ahmed",
    "Lehtonen",
    "Salo",
    "Berg",
    "Mäkelä",
    "Hämäläinen",
    "Ali",
    "Tran",
    "Karlsson",
    "Rantanen",
    "Ivanova",
]
GROUP_WEIGHTS = [
    (CustomerGroup.PRIVATE, 60),
    (CustomerGroup.ASSOCIATION, 24),
    (CustomerGroup.COMPANY, 8),
    (CustomerGroup.PUBLIC_BODY, 8),
]


@dataclass
class People:
    demo: list[User]
    synthetic: list[User]
    joined: dict[int, dt.date]  # user id → the day they may first book
    language: dict[int, str]
    group: dict[int, str]
    weight: dict[int, float] = field(default_factory=dict)


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _birth_year(rng: random.Random, today: dt.date) -> int:
    age = _weighted(
        rng,
        [(rng.randint(16, 24), 22), (rng.randint(25, 44), 38), (rng.randint(45, 64), 26), (rng.randint(65, 85), 14)],
    )
    return today.year - age


def _residents(rng: random.Random, today: dt.date) -> People:
    password = make_password(None)  # unusable: synthetic residents never sign in
    start = dt.date(today.year - 1, 1, 1)
    span = (today - start).days
    new = []
    for n in range(SYNTHETIC_RESIDENTS):
        lang = _weighted(rng, [("fi", 76), ("sv", 7), ("en", 17)])
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        new.append(
            User(email=f"asukas{n + 1:03d}@demo.tila.example", name=name, preferred_language=lang, password=password)
        )
    User.objects.bulk_create(new, batch_size=500)
    synthetic = list(User.objects.filter(email__endswith="@demo.tila.example").order_by("email"))
    residents = list(User.objects.filter(email__in=[a.email for a in demo.RESIDENT_ACCOUNTS]))
    people = People(demo=residents, synthetic=synthetic, joined={}, language={}, group={})
    profiles = []
    for index, user in enumerate(residents + synthetic):
        # a third were already customers when the history begins; the rest join evenly after
        offset = 0 if index < len(residents) or rng.random() < 0.33 else rng.randint(0, span)
        people.joined[user.pk] = start + dt.timedelta(days=offset)
        people.language[user.pk] = user.preferred_language
        people.group[user.pk] = _weighted(rng, GROUP_WEIGHTS)
        people.weight[user.pk] = rng.paretovariate(1.6)
        if rng.random() < 0.62:
            profiles.append(
                BookerProfile(user=user, birth_year=_birth_year(rng, today), customer_group=people.group[user.pk])
            )
    BookerProfile.objects.bulk_create(profiles, batch_size=500, ignore_conflicts=True)
    return people


# --- Booking history ---------------------------------------------------------------------------


@dataclass
class History:
    count: int = 0
    ids: list[int] = field(default_factory=list)


def _season(day: dt.date, start: dt.date) -> float:
    """How busy a day is: quiet in July, busy in the dark months, and more each year (growth)."""
    month = {6: 0.7, 7: 0.45, 8: 0.75, 12: 0.8}.get(day.month, 1.0)
    years = (day - start).days / 365.0
    return month * (1.0 + 0.18 * years)


def _trees() -> list[list[Resource]]:
    """Each bookable demo space or item with its parts, the root first."""
    resources = {
        r.pk: r
        for r in Resource.objects.filter(
            pk__in=list(demo.SPEC_BY_ID), public=True, reservable=True, publish_begin__isnull=True
        ).select_related("unit", "type")
    }
    children: dict[str, list[Resource]] = defaultdict(list)
    for r in resources.values():
        if r.parent_id:
            children[r.parent_id].append(r)

    def walk(node: Resource) -> list[Resource]:
        out = [node]
        for child in sorted(children.get(node.pk, []), key=lambda c: c.pk):
            out += walk(child)
        return out

    return [walk(r) for r in sorted(resources.values(), key=lambda r: r.pk) if r.parent_id is None]


BUSY = {
    "sports": 0.55,
    "gym": 0.5,
    "dance": 0.45,
    "music": 0.5,
    "recording": 0.4,
    "hall": 0.3,
    "meeting": 0.35,
    "group": 0.4,
    "study": 0.45,
    "gaming": 0.4,
    "sauna": 0.35,
    "kitchen": 0.3,
    "maker": 0.3,
}


@dataclass
class _Timeline:
    tree: list[Resource]
    rules: dict[str, Rules]
    leaves: dict[str, list[str]]
    busy: float
    taken: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)  # the demo's own, sorted
    taken_begins: list[dt.datetime] = field(default_factory=list)

    def free(self, begin: dt.datetime, end: dt.datetime) -> bool:
        """No existing booking of the tree overlaps [begin, end) (bookings last at most a week)."""
        index = bisect_left(self.taken_begins, end)
        while index > 0:
            index -= 1
            b, e = self.taken[index]
            if e > begin:
                return False
            if b < begin - dt.timedelta(days=7):
                return True
        return True


@dataclass
class _Writer:
    rng: random.Random
    people: People
    start: dt.date
    reservations: list[Reservation] = field(default_factory=list)
    occupancy: list[tuple[int, str, dt.datetime, dt.datetime]] = field(default_factory=list)
    joined: list[dt.date] = field(default_factory=list)  # sorted
    ids: list[int] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)

    def pool(self, members: list[tuple[dt.date, int, float]]) -> None:
        members.sort()
        self.joined = [m[0] for m in members]
        self.ids = [m[1] for m in members]
        self.cumulative = list(accumulate(m[2] for m in members))

    def booker(self, day: dt.date) -> int:
        """A resident who had joined by `day`, regulars more often (weights: a Pareto draw each)."""
        k = max(1, bisect_right(self.joined, day))
        index = bisect_left(self.cumulative, self.rng.random() * self.cumulative[k - 1], 0, k - 1)
        return self.ids[index]


def _timeline(tree: list[Resource]) -> _Timeline:
    leaves: dict[str, list[str]] = defaultdict(list)
    for resource_id, leaf_id in ResourceLeaf.objects.filter(resource__in=tree).values_list("resource_id", "leaf_id"):
        leaves[resource_id].append(leaf_id)
    kind = demo.SPEC_BY_ID[tree[0].pk].kind
    all_leaves = {leaf for ids in leaves.values() for leaf in ids}
    taken = sorted(Occupancy.objects.filter(space_id__in=all_leaves).values_list("begin", "end"))
    return _Timeline(
        tree=tree,
        rules={r.pk: resource_rules(r) for r in tree},
        leaves=leaves,
        busy=BUSY.get(kind, 0.2),
        taken=taken,
        taken_begins=[b for b, _e in taken],
    )


def _duration(rng: random.Random, rules: Rules) -> dt.timedelta:
    """1–4 hours on the slot grid within the rules (whole slots for day-long items)."""
    if rules.slot_size >= dt.timedelta(hours=4):
        return demo.pick_duration(rng, rules)
    low = max(rules.min_period, dt.timedelta(hours=1))
    high = min(rules.max_period or dt.timedelta(hours=4), dt.timedelta(hours=4))
    wanted = rng.choice([dt.timedelta(hours=1), dt.timedelta(hours=2), dt.timedelta(hours=2), dt.timedelta(hours=3)])
    steps = max(1, round(min(max(wanted, low), max(high, low)) / rules.slot_size))
    return rules.slot_size * steps


def _fill(w: _Writer, t: _Timeline, begin: dt.datetime, end: dt.datetime) -> None:
    """Book parts of one opening interval, one after another."""
    cursor = begin
    day = timezone.localtime(begin, get_zone(demo.ZONE_NAME)).date()
    chance = min(0.9, HISTORY_SCALE * t.busy * _season(day, w.start))
    while cursor < end:
        node = t.tree[0] if len(t.tree) == 1 or w.rng.random() < 0.35 else w.rng.choice(t.tree[1:])
        rules = t.rules[node.pk]
        length = _duration(w.rng, rules)
        start = cursor + rules.buffer_before
        if start + length > end:
            return
        if w.rng.random() >= chance or not t.free(start - rules.buffer_before, start + length + rules.buffer_after):
            cursor += length
            continue
        _book(w, t, node, start, start + length, rules, day)
        cursor = start + length + rules.buffer_after + w.rng.choice([dt.timedelta(0), dt.timedelta(minutes=30)])


def _book(
    w: _Writer, t: _Timeline, node: Resource, begin: dt.datetime, end: dt.datetime, rules: Rules, day: dt.date
) -> None:
    user_id = w.booker(day)
    lang = LANGUAGES.index(w.people.language.get(user_id, "fi"))
    subjects = demo.KINDS[demo.SPEC_BY_ID[node.pk].kind].subjects
    roll = w.rng.random()
    state = State.CANCELLED if roll < 0.06 else State.CONFIRMED
    w.reservations.append(
        Reservation(
            resource=node,
            user_id=user_id,
            begin=begin,
            end=end,
            state=state,
            type=ReservationType.NORMAL,
            event_subject=w.rng.choice(subjects)[lang] if subjects else "",
            number_of_participants=w.rng.randint(1, node.people_capacity) if node.people_capacity else None,
            created_by_id=user_id,
            cancelled_at=begin - dt.timedelta(days=2) if state == State.CANCELLED else None,
            cancel_reason=w.rng.choice(demo.CANCEL_REASONS)[lang] if state == State.CANCELLED else "",
        )
    )
    if state == State.CONFIRMED:
        index = len(w.reservations) - 1
        for leaf in t.leaves.get(node.pk, [node.pk]):
            w.occupancy.append((index, leaf, begin - rules.buffer_before, end + rules.buffer_after))


def _booking_history(today: dt.date, rng: random.Random, people: People) -> History:
    """Synthetic residents' bookings from 1 January last year until now, around the demo's own."""
    start = dt.date(today.year - 1, 1, 1)
    stop = timezone.now()
    writer = _Writer(rng=rng, people=people, start=start)
    writer.pool([(people.joined[u.pk], u.pk, people.weight[u.pk]) for u in people.synthetic])
    for tree in _trees():
        timeline = _timeline(tree)
        intervals = OpeningInterval.objects.filter(resource=tree[0], begin__gte=_aware(start, 0), end__lte=stop)
        for begin, end in intervals.order_by("begin").values_list("begin", "end"):
            _fill(writer, timeline, begin, end)
    return _write(writer)


def _write(w: _Writer) -> History:
    created = Reservation.objects.bulk_create(w.reservations, batch_size=2000)
    Occupancy.objects.bulk_create(
        [Occupancy(reservation=created[i], space_id=leaf, begin=b, end=e) for i, leaf, b, e in w.occupancy],
        batch_size=5000,
    )
    ids = [r.pk for r in created]
    # booked a few days ahead, as people do
    for days, chunk in ((2, ids[0::3]), (6, ids[1::3]), (14, ids[2::3])):
        Reservation.objects.filter(pk__in=chunk).update(
            created_at=F("begin") - dt.timedelta(days=days), modified_at=F("begin") - dt.timedelta(days=days)
        )
    return History(count=len(ids), ids=ids)


# --- Feedback --------------------------------------------------------------------------------------

# Each district's answers lean a little: equal participation is the division's open question.
DISTRICT_LEAN = {
    "kallio": 0.05,
    "kluuvi": 0.04,
    "taka-toolo": 0.03,
    "vuosaari": 0.01,
    "pasila": 0.0,
    "herttoniemi": 0.02,
    "malmi": -0.03,
    "myllypuro": -0.02,
    "itakeskus": -0.06,
    "kontula": -0.05,
}
COMMENTS: dict[str, list[tuple[str, T]]] = {
    "promoter": [
        (
            "staff",
            (
                "Henkilökunta oli todella ystävällistä ja auttoi tekniikan kanssa.",
                "Personalen var jättevänlig och hjälpte med tekniken.",
                "The staff were really friendly and helped with the equipment.",
            ),
        ),
        (
            "booking",
            (
                "Varaaminen oli helppoa ja vahvistus tuli heti.",
                "Bokningen var enkel och bekräftelsen kom direkt.",
                "Booking was easy and the confirmation came at once.",
            ),
        ),
        (
            "conditions",
            (
                "Valoisa ja viihtyisä tila, juuri sopiva meidän ryhmälle.",
                "Ljus och trivsam lokal, precis lagom för vår grupp.",
                "A bright, pleasant space, just right for our group.",
            ),
        ),
        (
            "equipment",
            (
                "Soittimet ja vahvistimet olivat hyvässä kunnossa.",
                "Instrumenten och förstärkarna var i gott skick.",
                "The instruments and amplifiers were in good shape.",
            ),
        ),
        (
            "price",
            (
                "Ilmainen tila on meidän yhdistykselle korvaamaton.",
                "En gratis lokal är ovärderlig för vår förening.",
                "A free space is priceless for our association.",
            ),
        ),
    ],
    "passive": [
        (
            "equipment",
            (
                "Videotykin kaapeli puuttui, muuten kaikki hyvin.",
                "Kabeln till projektorn saknades, annars bra.",
                "The projector cable was missing, otherwise fine.",
            ),
        ),
        (
            "opening-hours",
            (
                "Olisi kiva päästä varaamaan myös myöhemmin illalla.",
                "Det vore fint att kunna boka senare på kvällen.",
                "It would be nice to book later in the evening too.",
            ),
        ),
        ("conditions", ("Tilassa oli vähän kylmä.", "Det var lite kallt i lokalen.", "The room was a bit cold.")),
        (
            "booking",
            (
                "Ovikoodi tuli vasta edellisenä iltana.",
                "Dörrkoden kom först kvällen innan.",
                "The door code only came the evening before.",
            ),
        ),
    ],
    "detractor": [
        (
            "cleanliness",
            (
                "Edellinen käyttäjä oli jättänyt tilan sotkuiseksi.",
                "Den förra användaren hade lämnat lokalen stökig.",
                "The previous user had left the room in a mess.",
            ),
        ),
        (
            "noise",
            (
                "Viereisestä salista kuului niin paljon ääntä, ettei kokousta voinut pitää.",
                "Det hördes så mycket från salen bredvid att mötet inte gick att hålla.",
                "So much noise came from the hall next door that we could not hold our meeting.",
            ),
        ),
        (
            "accessibility",
            (
                "Hissi oli rikki, eikä pyörätuolilla päässyt tilaan.",
                "Hissen var trasig och man kom inte in med rullstol.",
                "The lift was broken and a wheelchair user could not get in.",
            ),
        ),
        (
            "booking",
            (
                "Varaukseni oli kadonnut järjestelmästä, kun saavuimme.",
                "Min bokning hade försvunnit ur systemet när vi kom.",
                "My booking had disappeared from the system when we arrived.",
            ),
        ),
        (
            "equipment",
            (
                "Kuntosalin laitteista puolet oli epäkunnossa.",
                "Hälften av gymmets redskap var trasiga.",
                "Half of the gym machines were out of order.",
            ),
        ),
    ],
}


QUARTER_STEPS = (-1.0, -0.5, 0.5, 1.0)  # a gentle rise within each year, averaging to the year's figure


def _quarter_target(year: int, quarter: int, today: dt.date) -> float:
    """The city's story: NPS 38 two years ago, 40 last year and 42 this year."""
    base = {today.year - 2: 38.0, today.year - 1: 40.0, today.year: 42.0}.get(year, 40.0)
    return (base + QUARTER_STEPS[quarter]) / 100


def _score(rng: random.Random, kind: str) -> int:
    if kind == "promoter":
        return rng.choice([9, 9, 10, 10, 10])
    if kind == "passive":
        return rng.choice([7, 8, 8])
    return int(_weighted(rng, [(0, 1), (1, 1), (2, 1), (3, 2), (4, 3), (5, 4), (6, 6)]))


@dataclass
class _Answer:
    response: Response
    theme: str | None = None


def _comment(rng: random.Random, kind: str, language: str) -> tuple[str, str | None]:
    if rng.random() > 0.38:
        return "", None
    theme, text = rng.choice(COMMENTS[kind])
    return text[LANGUAGES.index(language)], theme


def _answer(
    *,
    unit: Unit,
    when: dt.datetime,
    language: str,
    group: str,
    resource_id: str | None = None,
    reservation_id: int | None = None,
) -> _Answer:
    """An answer without its score yet (`_score_quarters` sets the scores)."""
    return _Answer(
        Response(
            source=Source.RESERVATION if reservation_id else Source.PUBLIC_LINK,
            reservation_id=reservation_id,
            unit=unit,
            resource_id=resource_id,
            score=0,
            language=language,
            customer_group=group,
            created_at=when,
        )
    )


def _score_quarters(rng: random.Random, answers: list[_Answer], today: dt.date) -> None:
    """Exact counts per quarter, so each year's NPS is the story's; within a quarter, districts with
    a better lean are more likely promoters (a ranking with noise)."""
    quarters: dict[tuple[int, int], list[_Answer]] = defaultdict(list)
    for a in answers:
        local = timezone.localtime(a.response.created_at, get_zone(demo.ZONE_NAME))
        quarters[(local.year, (local.month - 1) // 3)].append(a)
    for (year, quarter), items in quarters.items():
        n = len(items)
        passives = round(0.30 * n)
        promoters = round((n - passives + _quarter_target(year, quarter, today) * n) / 2)
        ranked = sorted(
            items,
            key=lambda a: DISTRICT_LEAN.get(a.response.unit.district_id or "", 0.0) + rng.gauss(0, 0.4),
            reverse=True,
        )
        for index, a in enumerate(ranked):
            kind = "promoter" if index < promoters else ("passive" if index < promoters + passives else "detractor")
            a.response.score = _score(rng, kind)
            a.response.comment, a.theme = _comment(rng, kind, a.response.language)


def _survey_answers(rng: random.Random, history: History, people: People, units: dict[str, Unit]) -> list[_Answer]:
    rows = Reservation.objects.filter(pk__in=history.ids, state=State.CONFIRMED).values_list(
        "pk", "end", "user_id", "resource_id", "resource__unit_id"
    )
    latest = timezone.now() - dt.timedelta(hours=1)
    out = []
    for pk, end, user_id, resource_id, unit_id in rows.iterator():
        when = end + dt.timedelta(hours=rng.randint(2, 96))
        if rng.random() > 0.09 or when > latest:
            continue
        out.append(
            _answer(
                unit=units[unit_id],
                when=when,
                language=people.language.get(user_id, "fi"),
                group=people.group.get(user_id, CustomerGroup.UNKNOWN),
                resource_id=resource_id,
                reservation_id=pk,
            )
        )
    return out


def _public_answers(rng: random.Random, today: dt.date, units: dict[str, Unit]) -> list[_Answer]:
    """Answers through the units' QR codes: the only source two years ago, before the history."""
    out = []
    unit_list = sorted(units.values(), key=lambda u: u.pk)
    day = dt.date(today.year - 2, 1, 1)
    while day < today:
        per_day = 1.6 if day.year == today.year - 2 else 0.9
        for _n in range(rng.choices([0, 1, 2, 3], weights=[1, 1, per_day, per_day / 2])[0]):
            language = _weighted(rng, [("fi", 80), ("sv", 7), ("en", 13)])
            group = _weighted(rng, [(CustomerGroup.UNKNOWN, 40), *GROUP_WEIGHTS])
            out.append(
                _answer(
                    unit=rng.choice(unit_list), when=_aware(day, rng.randint(9, 20)), language=language, group=group
                )
            )
        day += dt.timedelta(days=1)
    return out


def _feedback(today: dt.date, rng: random.Random, history: History, people: People) -> int:
    units = {u.pk: u for u in Unit.objects.filter(pk__in=demo.DEMO_UNIT_IDS)}
    answers = _survey_answers(rng, history, people, units) + _public_answers(rng, today, units)
    _score_quarters(rng, answers, today)
    created = Response.objects.bulk_create([a.response for a in answers], batch_size=2000)
    themes = set(Theme.objects.values_list("pk", flat=True))
    through = Response.themes.through
    links = []
    handled: list[int] = []
    for answer, row in zip(answers, created, strict=True):
        if answer.theme in themes and row.created_at < timezone.now() - dt.timedelta(days=21):
            links.append(through(response_id=row.pk, theme_id=answer.theme))
            handled.append(row.pk)
    through.objects.bulk_create(links, batch_size=2000)
    admin = User.objects.filter(email=demo.STAFF_ACCOUNTS[0].email).first()
    Response.objects.filter(pk__in=handled).update(handled_at=F("created_at") + dt.timedelta(days=3), handled_by=admin)
    _unit_questions(units)
    return len(created)


def _unit_questions(units: dict[str, Unit]) -> None:
    keys = {spec.key: spec.id for spec in demo.UNITS}
    UnitQuestion.objects.create(
        unit=units[keys["oodi"]],
        kind=QuestionKind.YES_NO,
        **demo.tr(
            "text",
            (
                "Oliko tila siisti, kun saavuit?",
                "Var lokalen städad när du kom?",
                "Was the space clean when you arrived?",
            ),
        ),
    )
    UnitQuestion.objects.create(
        unit=units[keys["kisahalli"]],
        kind=QuestionKind.SCALE,
        **demo.tr(
            "text",
            (
                "Millaisessa kunnossa pukuhuoneet olivat?",
                "I vilket skick var omklädningsrummen?",
                "What condition were the changing rooms in?",
            ),
        ),
    )


# --- Population ------------------------------------------------------------------------------------

# Residents per district (illustrative, of the order of Helsinki's) and the age structure's lean.
POPULATION: dict[str, tuple[int, str]] = {
    "kluuvi": (520, "adult"),
    "kallio": (30200, "young-adult"),
    "itakeskus": (13600, "family"),
    "pasila": (12400, "young-adult"),
    "vuosaari": (38900, "family"),
    "malmi": (27300, "family"),
    "herttoniemi": (28400, "family"),
    "myllypuro": (11200, "family"),
    "taka-toolo": (24100, "older"),
    "kontula": (15300, "older"),
}
AGE_SHARES: dict[str, dict[str, float]] = {
    "adult": {"0-6": 0.03, "7-12": 0.02, "13-17": 0.02, "18-29": 0.30, "30-64": 0.50, "65-": 0.13},
    "young-adult": {"0-6": 0.04, "7-12": 0.03, "13-17": 0.02, "18-29": 0.34, "30-64": 0.46, "65-": 0.11},
    "family": {"0-6": 0.08, "7-12": 0.07, "13-17": 0.05, "18-29": 0.15, "30-64": 0.47, "65-": 0.18},
    "older": {"0-6": 0.05, "7-12": 0.04, "13-17": 0.04, "18-29": 0.16, "30-64": 0.45, "65-": 0.26},
}


def population_csv(today: dt.date) -> str:
    lines = ["district,year,age_group,population"]
    for district, (total, profile) in POPULATION.items():
        for year in range(today.year - 2, today.year + 1):
            size = round(total * (1 + 0.008 * (year - today.year)))
            lines.append(f"{district},{year},{AgeGroup.TOTAL},{size}")
            for group, share in AGE_SHARES[profile].items():
                lines.append(f"{district},{year},{group},{round(size * share)}")
    return "\n".join(lines) + "\n"


def _population(today: dt.date) -> None:
    population_import(actor=None, text=population_csv(today))


# --- City-entered indicators ------------------------------------------------------------------------

INDICATORS: list[dict[str, Any]] = [
    {
        "id": "library-visits",
        "name": ("Kirjastokäynnit", "Biblioteksbesök", "Library visits"),
        "description": (
            "Kävijälaskureiden käynnit kirjastoittain kuukausittain.",
            "Besök enligt besöksräknarna per bibliotek och månad.",
            "Visits counted at the doors, per library and month.",
        ),
        "measure": ("käyntiä", "besök", "visits"),
        "granularity": Granularity.MONTH,
        "source": "Kirjastojen kävijälaskurit (demo)",
        "order": 1,
    },
    {
        "id": "library-visits-yearly",
        "name": ("Kirjastokäynnit vuodessa", "Biblioteksbesök per år", "Library visits per year"),
        "description": (
            "Alueelliset kirjastopalvelut sekä Oodi ja Kirjasto 10, miljoonaa käyntiä vuodessa (2020: tammi–lokakuu).",
            "Regionala bibliotekstjänster samt Ode och Bibliotek 10, miljoner besök per år (2020: januari–oktober).",
            "District library services, and Oodi and Library 10, million visits a year (2020: January–October).",
        ),
        "measure": ("milj. käyntiä", "milj. besök", "million visits"),
        "granularity": Granularity.YEAR,
        "source": "Kulttuurin ja vapaa-ajan toimialan katsaus 1/2021 (kuvaa mukaillen)",
        "order": 2,
    },
    {
        "id": "hobby-participation",
        "name": (
            "Harrastavat lapset ja nuoret",
            "Barn och unga med en hobby",
            "Children and young people with a hobby",
        ),
        "description": (
            "Osuus oppilaista, joilla on jokin harrastus, luokka-asteittain (Kouluterveyskysely).",
            "Andel elever som har en hobby, per årskurs (Enkäten Hälsa i skolan).",
            "Share of pupils who have a hobby, by school grade (School Health Promotion study).",
        ),
        "measure": ("%", "%", "%"),
        "granularity": Granularity.YEAR,
        "source": "Kouluterveyskysely 2017–2019 (kuvaa mukaillen; myöhemmät vuodet demo)",
        "order": 3,
    },
]
LIBRARY_SIZE = {
    "oodi": 245000,
    "kallio-library": 34000,
    "itakeskus-library": 52000,
    "pasila-library": 27000,
    "vuosaari-library": 41000,
    "malmi-library": 38000,
    "kontula-library": 24000,
}
YEARLY_VISITS = [  # (year, district libraries, Oodi and Library 10), million visits
    (2016, "6.1", "0.5"),
    (2017, "6.0", "0.5"),
    (2018, "5.9", "0.7"),
    (2019, "6.0", "3.6"),
    (2020, "3.4", "1.5"),
]
PARTICIPATION = [  # (year, grades 4–5, grades 8–9) %
    (2017, "89.1", "86.4"),
    (2019, "91.3", "84.8"),
    (2021, "90.2", "83.1"),
    (2023, "91.8", "83.6"),
    (2025, "92.4", "84.0"),
]
MONTH_SEASON = {1: 0.95, 2: 1.0, 3: 1.05, 4: 0.95, 5: 0.9, 6: 0.7, 7: 0.55, 8: 0.8, 9: 1.0, 10: 1.05, 11: 1.1, 12: 0.85}


def indicators_csv(today: dt.date, rng: random.Random) -> str:
    lines = ["indicator,period,unit,district,segment,value"]
    keys = {spec.key: spec.id for spec in demo.UNITS}
    month = dt.date(today.year - 2, today.month, 1)
    while month < dt.date(today.year, today.month, 1):
        growth = 1 + 0.03 * (month.year - today.year + 2)
        for key, size in LIBRARY_SIZE.items():
            visits = round(size * MONTH_SEASON[month.month] * growth * rng.uniform(0.93, 1.07))
            lines.append(f"library-visits,{month:%Y-%m},{keys[key]},,,{visits}")
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    for year, district, oodi in YEARLY_VISITS:
        lines.append(f"library-visits-yearly,{year},,,Alueelliset kirjastot,{district}")
        lines.append(f"library-visits-yearly,{year},,,Oodi ja Kirjasto 10,{oodi}")
    for year, lower, upper in PARTICIPATION:
        lines.append(f"hobby-participation,{year},,,4.–5. luokka,{lower}")
        lines.append(f"hobby-participation,{year},,,8.–9. luokka,{upper}")
    return "\n".join(lines) + "\n"


def _city_indicators(today: dt.date, rng: random.Random) -> None:
    for spec in INDICATORS:
        Indicator.objects.update_or_create(
            id=spec["id"],
            defaults={
                **demo.tr("name", spec["name"]),
                **demo.tr("description", spec["description"]),
                **demo.tr("measure", spec["measure"]),
                "granularity": spec["granularity"],
                "source": spec["source"],
                "order": spec["order"],
            },
        )
    indicator_values_import(actor=None, text=indicators_csv(today, rng))


# --- Hobby groups -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HobbySpec:
    name: T
    category: str
    unit: str  # demo unit key
    resource: str | None
    organiser: str
    ages: tuple[int | None, int | None]
    times: tuple[tuple[int, int, int, int, int], ...]  # weekday, h, m, h, m
    price: str | None = None  # None: free
    language: str = HobbyLanguage.FI


HOBBIES: list[HobbySpec] = [
    HobbySpec(
        ("Lasten sählykerho", "Innebandyklubb för barn", "Children's floorball club"),
        "sports",
        "liikuntamylly",
        "mylly-hall-1",
        "Myllypuron Mylläkkä ry",
        (7, 10),
        ((1, 17, 0, 18, 0), (3, 17, 0, 18, 0)),
        "80.00",
    ),
    HobbySpec(
        ("Nuorten bändikoulu", "Bandskola för unga", "Youth band school"),
        "music",
        "hertsi",
        "hertsi-band-1",
        "Nuorisotalo Hertsi",
        (13, 17),
        ((2, 18, 0, 20, 0),),
    ),
    HobbySpec(
        ("Katutanssi 10–14 v", "Streetdance 10–14 år", "Street dance, ages 10–14"),
        "dance-theatre",
        "kontula-youth",
        "kontula-dance",
        "Kontulan Tanssijat ry",
        (10, 14),
        ((0, 17, 30, 19, 0),),
        "60.00",
    ),
    HobbySpec(
        ("Pelikerho", "Spelklubb", "Gaming club"),
        "games-tech",
        "oodi",
        "oodi-gaming-1",
        "Helsingin kaupunginkirjasto",
        (10, 15),
        ((4, 15, 0, 17, 0),),
    ),
    HobbySpec(
        ("Koodikerho", "Kodklubb", "Coding club"),
        "games-tech",
        "itakeskus-library",
        "itakeskus-workshop",
        "Koodikoulu ry",
        (9, 13),
        ((2, 16, 0, 17, 30),),
    ),
    HobbySpec(
        ("Lukupiiri nuorille", "Läsecirkel för unga", "Reading circle for young people"),
        "languages-reading",
        "kallio-library",
        "kallio-group",
        "Kallion kirjasto",
        (13, 19),
        ((3, 17, 0, 18, 30),),
    ),
    HobbySpec(
        ("Lasten sirkuskoulu", "Cirkusskola för barn", "Children's circus school"),
        "dance-theatre",
        "stoa",
        "stoa-dance",
        "Sirkus Itä ry",
        (6, 12),
        ((5, 10, 0, 11, 30),),
        "120.00",
    ),
    HobbySpec(
        ("Ompelukahvila", "Sycafé", "Sewing café"),
        "arts-crafts",
        "malmi-library",
        "malmi-sewing",
        "Malmin Marttayhdistys",
        (None, None),
        ((1, 13, 0, 15, 0),),
    ),
    HobbySpec(
        ("Senioreiden kuntosaliryhmä", "Gymgrupp för seniorer", "Seniors' gym group"),
        "sports",
        "kisahalli",
        "kisahalli-gym",
        "Helsingin Senioriliikunta ry",
        (65, None),
        ((0, 10, 0, 11, 0), (3, 10, 0, 11, 0)),
        "40.00",
    ),
    HobbySpec(
        ("Koripallo 12–15 v", "Basket 12–15 år", "Basketball, ages 12–15"),
        "sports",
        "kisahalli",
        "kisahalli-hall-b",
        "Töölön Vesa ry",
        (12, 15),
        ((2, 18, 0, 19, 30),),
        "150.00",
        HobbyLanguage.MULTI,
    ),
    HobbySpec(
        ("Kuvataidekoulu", "Bildkonstskola", "Visual arts school"),
        "arts-crafts",
        "vuotalo",
        "vuotalo-art",
        "Vuosaaren kuvataidekoulu",
        (7, 12),
        ((1, 16, 30, 18, 0),),
        "190.00",
    ),
    HobbySpec(
        ("Musiikkileikkikoulu", "Musiklekskola", "Music playschool"),
        "music",
        "vuosaari-library",
        "vuosaari-music",
        "Vuosaaren musiikkiopisto",
        (3, 6),
        ((5, 10, 0, 10, 45),),
        "95.00",
    ),
    HobbySpec(
        ("Läxykerho", "Läxklubb", "Homework club"),
        "languages-reading",
        "kontula-library",
        "kontula-study",
        "Kontulan kirjasto",
        (7, 12),
        ((0, 14, 0, 16, 0), (2, 14, 0, 16, 0)),
    ),
    HobbySpec(
        ("Kokkikerho", "Kockklubb", "Cooking club"),
        "nature-food",
        "kontula-youth",
        "kontula-kitchen",
        "Kontulan nuorisotalo",
        (10, 15),
        ((3, 16, 0, 18, 0),),
    ),
    HobbySpec(
        ("Teatteriryhmä nuorille", "Teatergrupp för unga", "Youth theatre group"),
        "dance-theatre",
        "caisa",
        "caisa-hall",
        "Kulttuurikeskus Caisa",
        (14, 20),
        ((1, 18, 0, 20, 0),),
        None,
        HobbyLanguage.MULTI,
    ),
    HobbySpec(
        ("Kielikahvila", "Språkcafé", "Language café"),
        "languages-reading",
        "caisa",
        "caisa-maailma",
        "Kulttuurikeskus Caisa",
        (None, None),
        ((2, 17, 0, 18, 30),),
        None,
        HobbyLanguage.MULTI,
    ),
    HobbySpec(
        ("Podcast-paja", "Podcastverkstad", "Podcast workshop"),
        "games-tech",
        "kallio-youth",
        "kallio-podcast",
        "Kallion nuorisotalo",
        (13, 17),
        ((4, 16, 0, 18, 0),),
    ),
    HobbySpec(
        ("Svenska schackklubben", "Svenska schackklubben", "Swedish chess club"),
        "games-tech",
        "pasila-library",
        "pasila-veturi",
        "Böle schacksällskap rf",
        (8, 16),
        ((1, 17, 0, 18, 30),),
        "30.00",
        HobbyLanguage.SV,
    ),
    HobbySpec(
        ("Perhejooga", "Familjeyoga", "Family yoga"),
        "sports",
        "liikuntamylly",
        "mylly-mirror",
        "Myllypuron liikuntamylly",
        (3, None),
        ((6, 11, 0, 12, 0),),
        "50.00",
    ),
    HobbySpec(
        ("Retkeilykerho", "Friluftsklubb", "Outdoor club"),
        "nature-food",
        "vuosaari-library",
        None,
        "Vuosaaren Partiolaiset ry",
        (9, 14),
        ((3, 17, 30, 19, 0),),
        "25.00",
    ),
]


def _hobby_season(today: dt.date) -> tuple[dt.date, dt.date]:
    start_year = today.year if today.month >= 8 else today.year - 1
    return dt.date(start_year, 8, 25), dt.date(start_year + 1, 5, 31)


def _hobby_groups(today: dt.date) -> int:
    keys = {spec.key: spec.id for spec in demo.UNITS}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=demo.DEMO_UNIT_IDS)}
    hobby_categories_ensure()
    categories = {c.pk: c for c in HobbyCategory.objects.all()}
    first, last = _hobby_season(today)
    made = 0
    for spec in HOBBIES:
        details = HobbyDetails(
            name=dict(zip(LANGUAGES, spec.name, strict=True)),
            category=categories[spec.category],
            organiser=spec.organiser,
            season_start=first,
            season_end=last,
            min_age=spec.ages[0],
            max_age=spec.ages[1],
            language=spec.language,
            is_free=spec.price is None,
            price=None if spec.price is None else Decimal(spec.price),
            times=[(d, dt.time(h1, m1), dt.time(h2, m2)) for d, h1, m1, h2, m2 in spec.times],
        )
        resource = Resource.objects.filter(pk=spec.resource).first() if spec.resource else None
        hobby_group_create(actor=None, unit=units[keys[spec.unit]], resource=resource, details=details)
        made += 1
    return made + _hobby_from_series(today, categories)


def _hobby_from_series(today: dt.date, categories: dict[str, HobbyCategory]) -> int:
    """The floorball club's weekly practice as a recurring reservation, published as a hobby group."""
    from tila.booking.series import series_create

    admin = User.objects.get(email=demo.STAFF_ACCOUNTS[0].email)
    johan = User.objects.get(email="johan.holmstrom@tila.example")
    start = today + dt.timedelta(days=(3 - today.weekday()) % 7 + 7)  # a Thursday a week or two ahead
    try:
        result = series_create(
            actor=admin,
            resource="mylly-hall-2",
            user=johan,
            weekdays=[3],
            start_date=start,
            begin_time=dt.time(18),
            end_time=dt.time(19, 30),
            count=16,
            staff_override=True,
            event_subject=demo.SERIES_SUBJECT[1],
        )
    except DomainError:
        return 0
    details = HobbyDetails(
        name=dict(zip(LANGUAGES, ("Salibandy P12", "Innebandy P12", "Floorball, boys 12"), strict=True)),
        category=categories["sports"],
        organiser="Töölön Salibandy ry",
        season_start=start,
        season_end=start,
        min_age=11,
        max_age=13,
        language=HobbyLanguage.MULTI,
        is_free=False,
        price=Decimal("160.00"),
        registration_url="https://example.org/toolon-salibandy/ilmoittautuminen",
    )
    hobby_group_from_series(actor=admin, series=result.series, details=details)
    return 1


# --- The dashboard role -----------------------------------------------------------------------------


def _manager() -> None:
    user, _created = User.objects.get_or_create(
        email=MANAGER_EMAIL,
        defaults={"name": "Maria Lehtinen", "preferred_language": "fi", "password": make_password(demo.PASSWORD)},
    )
    ManagementAccess.objects.get_or_create(user=user, defaults={"note": "Kulttuurin ja vapaa-ajan toimialan johto"})


__all__ = ["indicators_csv", "load", "loaded", "population_csv"]
