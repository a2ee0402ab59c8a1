"""Three languages by URL prefix, a switch on every page, Finnish conventions for dates and times."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from tila.web import formatting

pytestmark = pytest.mark.django_db

PAGES = ["/{lang}/", "/{lang}/accounts/login/", "/{lang}/accounts/signup/", "/{lang}/accounts/password-reset/"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_served_in_each_language_with_a_switch_to_the_others(client, lang, path):
    response = client.get(path.format(lang=lang))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    for other in ("fi", "sv", "en"):
        assert f'href="{path.format(lang=other)}" lang="{other}" hreflang="{other}"' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html


def test_the_language_switch_keeps_the_query(client, room, future_day):
    html = client.get(f"/en/resources/{room.pk}/", {"week": future_day.isoformat()}).content.decode()
    assert f'href="/sv/resources/{room.pk}/?week={future_day.isoformat()}"' in html


def test_the_unprefixed_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] in {"/fi/", "/sv/", "/en/"}


def test_pages_say_the_names_in_the_active_language(client, room):
    assert "<h1>Kokoushuone</h1>" in client.get(f"/fi/resources/{room.pk}/").content.decode()
    assert "<h1>Mötesrum</h1>" in client.get(f"/sv/resources/{room.pk}/").content.decode()


HELSINKI = ZoneInfo("Europe/Helsinki")


def test_dates_are_day_month_year_and_times_use_a_dot_in_finnish_and_swedish():
    begin = dt.datetime(2026, 1, 15, 9, 30, tzinfo=HELSINKI)
    end = dt.datetime(2026, 1, 15, 11, 0, tzinfo=HELSINKI)
    with translation.override("fi"):
        assert formatting.format_range(begin, end) == "to 15.1.2026 09.30–11.00"
    with translation.override("sv"):
        assert formatting.format_range(begin, end).endswith("15.1.2026 09.30–11.00")
    with translation.override("en"):
        assert formatting.format_range(begin, end) == "Thu 15.1.2026 09:30–11:00"


def test_times_are_shown_on_the_units_clock():
    moment = dt.datetime(2026, 1, 15, 8, 0, tzinfo=dt.UTC)
    with translation.override("fi"):
        assert formatting.format_time(moment, "Europe/Helsinki") == "10.00"
        assert formatting.format_time(moment, "Europe/Stockholm") == "09.00"


def test_an_evening_until_midnight_reads_24_00_and_longer_spans_name_both_days():
    with translation.override("fi"):
        evening = formatting.format_range(
            dt.datetime(2026, 1, 15, 20, tzinfo=HELSINKI), dt.datetime(2026, 1, 16, 0, tzinfo=HELSINKI)
        )
        assert evening == "to 15.1.2026 20.00–24.00"
        loan = formatting.format_range(
            dt.datetime(2026, 1, 15, 0, tzinfo=HELSINKI), dt.datetime(2026, 1, 17, 0, tzinfo=HELSINKI)
        )
        assert loan == "to 15.1.2026 00.00 – la 17.1.2026 00.00"


def test_durations_in_words():
    with translation.override("en"):
        assert formatting.format_duration(dt.timedelta(minutes=90)) == "1 hour 30 minutes"
        assert formatting.format_duration(dt.timedelta(days=2)) == "2 days"
        assert formatting.format_duration(dt.timedelta(0)) == "0 minutes"


def test_the_time_zone_is_named_with_its_offset_on_that_day():
    with translation.override("en"):
        winter = formatting.tz_label("Europe/Helsinki", dt.datetime(2026, 1, 15, tzinfo=dt.UTC))
        summer = formatting.tz_label("Europe/Helsinki", dt.datetime(2026, 7, 15, tzinfo=dt.UTC))
        india = formatting.tz_label("Asia/Kolkata", dt.datetime(2026, 7, 15, tzinfo=dt.UTC))
    assert winter == "Europe/Helsinki time (UTC+2)"
    assert summer == "Europe/Helsinki time (UTC+3)"
    assert india == "Asia/Kolkata time (UTC+5:30)"
