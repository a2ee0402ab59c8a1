"""tila.api.serializers.object_url: the same URL as reverse() + build_absolute_uri, reversed once per route."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix

from tila.api import serializers
from tila.api.serializers import object_url


@pytest.mark.parametrize(
    ("name", "pk"),
    [
        ("api:reservation", 1),
        ("api:reservation", 1234567890),
        ("api:resource", "res-000071-1"),
        ("api:resource", "tprek:25 ä&ö"),
        ("api:resource", "918273645"),  # the stand-in value itself
    ],
)
@pytest.mark.parametrize("prefix", ["/", "/tila/"])
def test_object_url_is_what_reverse_gives(name, pk, prefix):
    request = RequestFactory().get("/v1/reservation/", HTTP_HOST="testserver")
    set_script_prefix(prefix)
    try:
        expected = request.build_absolute_uri(reverse(name, args=[pk]))
        assert object_url(request, name, pk) == expected
        assert expected.startswith(f"http://testserver{prefix}")
    finally:
        set_script_prefix("/")


def test_the_route_is_reversed_once(monkeypatch):
    calls = []
    real = serializers.reverse

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    serializers._around_id.cache_clear()
    monkeypatch.setattr(serializers, "reverse", counting)
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    urls = [object_url(request, "api:reservation", pk) for pk in range(1, 6)]
    assert len(calls) == 1
    assert urls[4] == "http://testserver/v1/reservation/5/"


def test_a_route_without_one_id_is_refused():
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    with pytest.raises(Exception):  # noqa: B017, PT011 - Django's NoReverseMatch or our ValueError
        object_url(request, "api:reservations", 1)
