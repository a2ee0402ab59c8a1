"""Hobby groups in the Linked Events course form, for city event calendars to import.

Each group becomes one *super event* (`type_id` "Course" — Linked Events' `Event.Type_Id.COURSE`,
stored as 2 — with `super_event_type` "recurring") and one *sub event* per session, each pointing
to the super event; the super event lists its sub events. Texts are translated objects
(`{"fi": …, "sv": …, "en": …}`), the audience age range is `audience_min_age`/`audience_max_age`,
the price is an `offers` entry (`is_free`, `price`, `description`, `info_url`) and the
registration link an `external_links` entry named "registration". Places whose id is a service
map id (`tprek:…`) point to Linked Events' own place; languages to its language resources.

The envelope is Linked Events' list form: `{"meta": {"count", "next", "previous"}, "data": [...]}`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tila.core.i18n import LANGUAGES, translations
from tila.hobbies.models import HobbyGroup, HobbyLanguage
from tila.hobbies.selectors import hobby_sessions

DEFAULT_LINKEDEVENTS_URL = "https://api.hel.fi/linkedevents/v1"
COURSE = "Course"
DATA_SOURCE = "tila"


def linkedevents_url() -> str:
    return str(getattr(settings, "TILA_LINKEDEVENTS_URL", DEFAULT_LINKEDEVENTS_URL)).rstrip("/")


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _everywhere(text: str, languages: list[str]) -> dict[str, str] | None:
    return {lang: text for lang in languages} if text else None


def _price_text(group: HobbyGroup, lang: str) -> str:
    if group.price is None:
        return ""
    amount = f"{group.price:.2f}"
    return f"{amount.replace('.', ',')} €" if lang in ("fi", "sv") else f"€{amount}"


def _page_urls(group: HobbyGroup, languages: list[str]) -> dict[str, str]:
    out = {}
    for lang in languages:
        with translation.override(lang):
            out[lang] = f"{settings.SITE_URL}{reverse('hobbies:detail', kwargs={'pk': group.pk})}"
    return out


def _languages(group: HobbyGroup) -> list[str]:
    named = [lang for lang in LANGUAGES if getattr(group, f"name_{lang}", "")]
    return named or ["fi"]


def _location(group: HobbyGroup) -> dict[str, str]:
    unit_id = group.unit_id
    if unit_id.startswith("tprek:"):
        return {"@id": f"{linkedevents_url()}/place/{unit_id}/"}
    return {"@id": f"{settings.SITE_URL}/v1/unit/{unit_id}/"}


def _in_language(group: HobbyGroup) -> list[dict[str, str]]:
    codes = list(LANGUAGES) if group.language == HobbyLanguage.MULTI else [group.language]
    return [{"@id": f"{linkedevents_url()}/language/{code}/"} for code in codes]


def _offers(group: HobbyGroup, languages: list[str]) -> list[dict[str, Any]]:
    info = translations(group, "price_info") or None
    return [
        {
            "is_free": group.is_free,
            "price": None if group.is_free else {lang: _price_text(group, lang) for lang in languages},
            "description": info,
            "info_url": _everywhere(group.registration_url, languages),
        }
    ]


def _common(group: HobbyGroup, languages: list[str]) -> dict[str, Any]:
    links = (
        [{"name": "registration", "link": group.registration_url, "language": languages[0]}]
        if group.registration_url
        else []
    )
    return {
        "@context": "http://schema.org",
        "@type": "Event/LinkedEvent",
        "type_id": COURSE,
        "data_source": DATA_SOURCE,
        "name": translations(group, "name"),
        "description": translations(group, "description") or None,
        "short_description": None,
        "provider": _everywhere(group.organiser, languages),
        "location": _location(group),
        "keywords": [],
        "in_language": _in_language(group),
        "audience_min_age": group.min_age,
        "audience_max_age": group.max_age,
        "offers": _offers(group, languages),
        "external_links": links,
        "info_url": _page_urls(group, languages),
        "event_status": "EventScheduled",
        "publication_status": "public",
        "last_modified_time": _iso(group.modified_at),
    }


def course_events(group: HobbyGroup) -> list[dict[str, Any]]:
    """The super event followed by one sub event per session."""
    languages = _languages(group)
    common = _common(group, languages)
    super_id = f"{settings.SITE_URL}/v1/hobby/{group.pk}/"
    sessions = hobby_sessions(group)
    subs = []
    for begin, end in sessions:
        stamp = begin.astimezone(dt.UTC).strftime("%Y%m%dT%H%M")
        subs.append(
            {
                **common,
                "id": f"{DATA_SOURCE}:hobby-{group.pk}-{stamp}",
                "@id": f"{super_id}#{stamp}",
                "start_time": _iso(begin),
                "end_time": _iso(end),
                "super_event": {"@id": super_id},
                "super_event_type": None,
                "sub_events": [],
            }
        )
    first = _iso(sessions[0][0]) if sessions else group.season_start.isoformat()
    last = _iso(sessions[-1][1]) if sessions else group.season_end.isoformat()
    super_event = {
        **common,
        "id": f"{DATA_SOURCE}:hobby-{group.pk}",
        "@id": super_id,
        "start_time": first,
        "end_time": last,
        "super_event": None,
        "super_event_type": "recurring",
        "sub_events": [{"@id": sub["@id"]} for sub in subs],
    }
    return [super_event, *subs]


def linked_events_page(
    groups: list[HobbyGroup], *, count: int, next_url: str | None, previous_url: str | None
) -> dict[str, Any]:
    data: list[dict[str, Any]] = []
    for group in groups:
        data.extend(course_events(group))
    return {"meta": {"count": count, "next": next_url, "previous": previous_url}, "data": data}
