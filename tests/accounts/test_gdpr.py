"""A person's data: the export tree, anonymising deletion, the GDPR API and the resident's own pages."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.test import Client

from tila.accounts import gdpr
from tila.accounts.gdpr import DeletionBlocked, account_anonymise, deletion_blockers, gdpr_export
from tila.accounts.models import AuthToken, ExternalIdentity, User
from tila.accounts.services import token_create
from tila.booking.models import Occupancy, Reservation, State
from tila.booking.services import reservation_create
from tila.core.audit import audit_log, snapshot
from tila.core.models import AuditEntry
from tila.notifications.models import OutboundEmail
from tila.web.models import Favourite


def _keys(tree: dict) -> set[str]:
    found = {tree["key"]}
    for child in tree.get("children", []):
        found |= _keys(child)
    return found


def _values(tree: dict) -> list:
    if "value" in tree:
        return [tree["value"]]
    return [v for child in tree.get("children", []) for v in _values(child)]


def _is_tree(tree: dict) -> bool:
    if set(tree) == {"key", "value"}:
        return isinstance(tree["key"], str)
    if set(tree) == {"key", "children"}:
        return isinstance(tree["children"], list) and all(_is_tree(c) for c in tree["children"])
    return False


@pytest.fixture
def person(f):
    user = f.user("pirjo@example.org")
    user.name = "Pirjo Persoona"
    user.save()
    return user


@pytest.fixture
def history(f, person, future_day):
    """A past reservation, an upcoming one, a favourite, a token and the emails the bookings sent."""
    resource = f.resource(cancel_cutoff=dt.timedelta(hours=1))
    past = reservation_create(
        actor=person,
        resource=resource,
        begin=f.at(future_day, 9),
        end=f.at(future_day, 10),
        event_subject="Pirjon syntymäpäivät",
        reserver_phone="+358 40 123 4567",
        number_of_participants=8,
    )
    Reservation.objects.filter(pk=past.pk).update(
        begin=past.begin - dt.timedelta(days=60), end=past.end - dt.timedelta(days=60)
    )
    upcoming = reservation_create(
        actor=person, resource=resource, begin=f.at(future_day, 12), end=f.at(future_day, 13), event_subject="Kerho"
    )
    handler = f.staff(resource.unit)
    before = snapshot(upcoming)
    audit_log(actor=handler, action="reservation.modify", obj=upcoming, before=before, after={**before, "x": 1})
    Favourite.objects.create(user=person, resource=resource)
    token_create(user=person)
    return {"resource": resource, "past": Reservation.objects.get(pk=past.pk), "upcoming": upcoming}


# --- Export -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_is_a_key_children_value_tree_with_everything(person, history):
    tree = gdpr_export(user=person)
    assert _is_tree(tree)
    assert tree["key"] == "USER"
    assert {"PROFILE", "RESERVATIONS", "RESERVATION", "FAVOURITES", "API_TOKENS", "EMAILS"} <= _keys(tree)
    values = _values(tree)
    assert "pirjo@example.org" in values
    assert "Pirjon syntymäpäivät" in values
    assert "+358 40 123 4567" in values
    json.dumps(tree)  # serialisable as is


@pytest.mark.django_db
def test_export_holds_no_one_else(person, history, f):
    other = f.user("muu@example.org")
    reservation_create(
        actor=other,
        resource=history["resource"],
        begin=history["upcoming"].end + dt.timedelta(hours=2),
        end=history["upcoming"].end + dt.timedelta(hours=3),
        event_subject="Muun juhlat",
    )
    values = _values(gdpr_export(user=person))
    assert "muu@example.org" not in values
    assert "Muun juhlat" not in values


# --- Anonymisation --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_deletion_anonymises_and_keeps_the_statistics(person, history):
    old_uuid = person.uuid
    account_anonymise(user=person)
    user = User.objects.get(pk=person.pk)
    assert user.anonymised_at is not None and not user.is_active
    assert user.name == "" and user.email.endswith("@anonymised.invalid")
    assert user.uuid != old_uuid
    assert not user.has_usable_password()
    past = Reservation.objects.get(pk=history["past"].pk)
    assert (past.resource_id, past.begin, past.end, past.state) == (
        history["past"].resource_id,
        history["past"].begin,
        history["past"].end,
        history["past"].state,
    )
    assert past.number_of_participants == 8
    assert (past.reserver_name, past.reserver_email, past.reserver_phone, past.event_subject) == ("", "", "", "")
    upcoming = Reservation.objects.get(pk=history["upcoming"].pk)
    assert upcoming.state == State.CANCELLED, "an upcoming unpaid booking is cancelled, its slot freed"
    assert not Occupancy.objects.filter(reservation=upcoming).exists()
    assert not Favourite.objects.filter(user=person).exists()
    assert not AuthToken.objects.filter(user=person).exists()
    assert not OutboundEmail.objects.filter(to="pirjo@example.org").exists()
    assert all(not e.body_text for e in OutboundEmail.objects.filter(recipient=person))
    entry = AuditEntry.objects.get(object_id=str(history["upcoming"].pk), action="reservation.modify")
    assert "pirjo@example.org" not in json.dumps(entry.before) + json.dumps(entry.after)


@pytest.mark.django_db
def test_deletion_is_idempotent(person, history):
    account_anonymise(user=person)
    account_anonymise(user=person)
    assert User.objects.filter(anonymised_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_reservations_made_for_the_address_without_an_account_are_anonymised(person, f, future_day):
    resource = f.resource()
    handler = f.staff(resource.unit)
    booked = reservation_create(
        actor=handler,
        user=handler,
        resource=resource,
        begin=f.at(future_day, 15),
        end=f.at(future_day, 16),
        reserver_email="pirjo@example.org",
        reserver_name="Pirjo",
    )
    Reservation.objects.filter(pk=booked.pk).update(
        user=None, end=f.at(future_day, 16) - dt.timedelta(days=90), begin=f.at(future_day, 15) - dt.timedelta(days=90)
    )
    account_anonymise(user=person)
    assert Reservation.objects.get(pk=booked.pk).reserver_name == ""


def _paid(reservation: Reservation, state: str = "paid") -> None:
    from tila.payments.models import Order

    Order.objects.create(reservation=reservation, user=reservation.user, total=Decimal("20.00"), state=state)


@pytest.mark.django_db
def test_an_upcoming_paid_reservation_blocks_deletion(person, history):
    _paid(history["upcoming"])
    blockers = deletion_blockers(user=person)
    assert [b.code for b in blockers] == ["upcoming_paid_reservation"]
    assert set(blockers[0].message) == {"fi", "sv", "en"}
    assert len({*blockers[0].message.values()}) == 3, "three languages, three texts"
    with pytest.raises(DeletionBlocked):
        account_anonymise(user=person)
    assert User.objects.get(pk=person.pk).anonymised_at is None
    assert Reservation.objects.get(pk=history["past"].pk).event_subject == "Pirjon syntymäpäivät"


@pytest.mark.django_db
def test_an_open_subsidy_application_blocks_deletion(person, history):
    _paid(history["past"], state="awaiting_decision")
    assert [b.code for b in deletion_blockers(user=person)] == ["open_application"]


@pytest.mark.django_db
def test_a_reservation_past_its_cutoff_blocks_deletion(person, f, future_day):
    resource = f.resource(cancel_cutoff=dt.timedelta(days=30))
    reservation_create(actor=person, resource=resource, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    assert [b.code for b in deletion_blockers(user=person)] == ["upcoming_reservation"]


@pytest.mark.django_db
def test_apps_register_their_own_providers(person):
    calls = []
    gdpr.register(
        "test-extra",
        export=lambda user: [gdpr.branch("EXTRA", gdpr.nodes(thing="value"))],
        anonymise=lambda user, now: calls.append(user.pk),
        blockers=lambda user, now: [],
    )
    try:
        assert "EXTRA" in _keys(gdpr_export(user=person))
        account_anonymise(user=person)
        assert calls == [person.pk]
    finally:
        gdpr.unregister("test-extra")


# --- The GDPR API (tokens from the real test provider) ---------------------------------------------


@pytest.fixture
def aino(oidc, f):
    """A Tila account for the provider's `aino`, linked as after a first sign-in."""
    user = f.user("aino.strong@example.org")
    user.uuid = uuid.UUID(oidc.subject("aino"))
    user.save()
    ExternalIdentity.objects.create(user=user, issuer=oidc.issuer, subject=oidc.subject("aino"))
    return user


def _call(method: str, pk, token: str | None, query: str = "") -> object:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return getattr(Client(), method)(f"/gdpr-api/v1/profiles/{pk}{query}", **headers)


@pytest.mark.django_db(transaction=True)
def test_gdpr_get_returns_the_tree(oidc, aino):
    response = _call("get", aino.uuid, oidc.password_token("aino", "openid gdprquery"))
    assert response.status_code == 200
    tree = response.json()
    assert _is_tree(tree) and tree["key"] == "USER"
    assert "aino.strong@example.org" in _values(tree)


@pytest.mark.django_db(transaction=True)
def test_gdpr_api_checks_token_and_scope(oidc, aino):
    assert _call("get", aino.uuid, None).status_code == 401
    assert _call("get", aino.uuid, "not-a-token").status_code == 401
    no_scope = _call("get", aino.uuid, oidc.password_token("aino", "openid"))
    assert no_scope.status_code == 403
    assert no_scope.json()["errors"][0]["code"] == "insufficient_scope"
    query_only = oidc.password_token("aino", "openid gdprquery")
    assert _call("delete", aino.uuid, query_only).status_code == 403
    assert User.objects.get(pk=aino.pk).anonymised_at is None


@pytest.mark.django_db(transaction=True)
def test_gdpr_api_refuses_another_persons_token(oidc, aino, f):
    assert _call("get", aino.uuid, oidc.password_token("bertta", "openid gdprquery")).status_code == 403
    assert _call("delete", aino.uuid, oidc.password_token("bertta", "openid gdprdelete")).status_code == 403
    assert User.objects.get(pk=aino.pk).anonymised_at is None


@pytest.mark.django_db(transaction=True)
def test_gdpr_unknown_profile_is_204(oidc, aino):
    token = oidc.password_token("aino", "openid gdprquery gdprdelete")
    assert _call("get", uuid.uuid4(), token).status_code == 204
    assert _call("delete", uuid.uuid4(), token).status_code == 204


@pytest.mark.django_db(transaction=True)
def test_gdpr_delete_dry_run_changes_nothing_then_delete_anonymises(oidc, aino, f, future_day):
    resource = f.resource()
    booked = reservation_create(actor=aino, resource=resource, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    token = oidc.password_token("aino", "openid gdprdelete")
    dry = _call("delete", aino.uuid, token, "?dry_run=true")
    assert dry.status_code == 204
    assert User.objects.get(pk=aino.pk).anonymised_at is None
    assert Reservation.objects.get(pk=booked.pk).state == State.CONFIRMED
    real = _call("delete", aino.uuid, token)
    assert real.status_code == 204
    assert User.objects.get(pk=aino.pk).anonymised_at is not None
    assert Reservation.objects.get(pk=booked.pk).state == State.CANCELLED
    assert _call("get", aino.uuid, oidc.password_token("aino", "openid gdprquery")).status_code == 204


@pytest.mark.django_db(transaction=True)
def test_gdpr_delete_must_wait_for_an_upcoming_paid_reservation(oidc, aino, f, future_day):
    resource = f.resource()
    booked = reservation_create(actor=aino, resource=resource, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    _paid(booked)
    token = oidc.password_token("aino", "openid gdprdelete")
    for query in ("?dry_run=true", ""):
        response = _call("delete", aino.uuid, token, query)
        assert response.status_code == 403
        error = response.json()["errors"][0]
        assert error["code"] == "upcoming_paid_reservation"
        assert set(error["message"]) == {"fi", "sv", "en"}
    assert User.objects.get(pk=aino.pk).anonymised_at is None


@pytest.mark.django_db(transaction=True)
def test_gdpr_api_allows_only_get_and_delete(oidc, aino):
    token = oidc.password_token("aino", "openid gdprquery gdprdelete")
    response = Client().post(f"/gdpr-api/v1/profiles/{aino.uuid}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405


# --- The resident's own pages --------------------------------------------------------------------


@pytest.mark.django_db
def test_resident_downloads_their_data(client, person, history):
    client.force_login(person)
    response = client.get("/en/accounts/profile/my-data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    tree = json.loads(response.content)
    assert "Pirjon syntymäpäivät" in _values(tree)


@pytest.mark.django_db
def test_profile_links_to_download_and_delete(client, person):
    client.force_login(person)
    text = client.get("/en/accounts/profile/").content.decode()
    assert 'id="download-data"' in text and 'id="delete-account"' in text


@pytest.mark.django_db
def test_resident_deletes_their_account_with_their_password(client, person, history):
    client.force_login(person)
    assert client.get("/en/accounts/delete/").status_code == 200
    wrong = client.post("/en/accounts/delete/", {"confirm": "on", "password": "not the password"})
    assert wrong.status_code == 400
    assert User.objects.get(pk=person.pk).anonymised_at is None
    response = client.post("/en/accounts/delete/", {"confirm": "on", "password": "correct horse battery"})
    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).anonymised_at is not None
    assert "_auth_user_id" not in client.session
    assert client.get("/en/accounts/profile/").status_code == 302, "signed out"


@pytest.mark.django_db
def test_deletion_without_confirmation_does_nothing(client, person):
    client.force_login(person)
    assert client.post("/en/accounts/delete/", {"password": "correct horse battery"}).status_code == 400
    assert User.objects.get(pk=person.pk).anonymised_at is None


@pytest.mark.django_db
def test_delete_page_explains_what_blocks_it(client, person, history):
    _paid(history["upcoming"])
    client.force_login(person)
    page = client.get("/en/accounts/delete/")
    assert 'id="delete-blockers"' in page.content.decode()
    assert "upcoming paid reservation" in page.content.decode()
    client.post("/en/accounts/delete/", {"confirm": "on", "password": "correct horse battery"})
    assert User.objects.get(pk=person.pk).anonymised_at is None


@pytest.mark.django_db
def test_an_account_without_a_password_confirms_with_the_checkbox(client, f):
    user = f.user("oidc-only@example.org")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert client.post("/en/accounts/delete/", {"confirm": "on"}).status_code == 302
    assert User.objects.get(pk=user.pk).anonymised_at is not None


@pytest.mark.django_db
def test_own_data_pages_need_sign_in(client):
    for path in ("/en/accounts/profile/my-data.json", "/en/accounts/delete/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
