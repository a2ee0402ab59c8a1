"""Survey pages (by a reservation's link and by a unit's public link), the QR code and the staff inbox.

Thin: forms parse, services decide, selectors read."""

from __future__ import annotations

import csv
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tila.accounts.permissions import Action, can, is_staff_anywhere
from tila.booking.models import Reservation
from tila.catalogue.models import Resource, Unit
from tila.catalogue.selectors import published_q
from tila.core.errors import DomainError
from tila.feedback import qr
from tila.feedback.forms import InboxFilterForm, ResponseUpdateForm, SurveyForm
from tila.feedback.models import Response, UnitQuestion
from tila.feedback.nps import category
from tila.feedback.selectors import inbox, inbox_units, reservation_id_from_token, survey_state
from tila.feedback.services import (
    feedback_submit,
    public_feedback_submit,
    response_mark_handled,
    response_set_themes,
)

BROWSER_COOKIE = "tila_feedback_browser"
BROWSER_SALT = "tila.feedback.browser"
View = Callable[..., HttpResponseBase]


def _questions(unit_id: str) -> list[UnitQuestion]:
    return list(UnitQuestion.objects.filter(unit_id=unit_id, active=True))


def _language() -> str:
    return (get_language() or "fi")[:2]


# --- Survey of a reservation ---------------------------------------------------------------------


def _reservation_for(token: str) -> Reservation:
    pk = reservation_id_from_token(token)
    reservation = (
        Reservation.objects.select_related("resource", "resource__unit", "user").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if reservation is None:
        raise Http404
    return reservation


def survey(request: HttpRequest, token: str) -> HttpResponse:
    reservation = _reservation_for(token)
    state = survey_state(reservation)
    context: dict[str, Any] = {"reservation": reservation, "resource": reservation.resource, "state": state}
    if state != "open":
        return render(request, "feedback/survey_closed.html", context, status=200 if state == "answered" else 410)
    form = SurveyForm(request.POST or None, questions=_questions(reservation.resource.unit_id))
    if request.method == "POST" and form.is_valid():
        try:
            feedback_submit(
                reservation=reservation,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                customer_group=form.cleaned_data["customer_group"] or "",
                birth_year=form.cleaned_data.get("birth_year"),
                extra=form.extra_answers(),
                language=_language(),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect("feedback:thanks")
    context["form"] = form
    return render(request, "feedback/survey.html", context, status=400 if form.errors else 200)


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/thanks.html")


# --- Public link -----------------------------------------------------------------------------


def _public_unit(unit_id: str) -> Unit:
    return get_object_or_404(Unit.objects.select_related("district"), pk=unit_id)


def _public_resource(request: HttpRequest, unit: Unit) -> Resource | None:
    rid = request.GET.get("resource") or request.POST.get("resource") or ""
    if not rid:
        return None
    return Resource.objects.filter(published_q(), pk=rid, unit=unit).first()


def _browser_id(request: HttpRequest) -> tuple[str, bool]:
    """The browser's id from its signed cookie, or a new one (True: set the cookie)."""
    value = request.get_signed_cookie(BROWSER_COOKIE, default=None, salt=BROWSER_SALT)
    if value:
        return str(value), False
    return secrets.token_urlsafe(18), True


def public_survey(request: HttpRequest, unit_id: str) -> HttpResponse:
    unit = _public_unit(unit_id)
    resource = _public_resource(request, unit)
    browser_id, new_browser = _browser_id(request)
    form = SurveyForm(request.POST or None, questions=_questions(unit.pk), ask_birth_year=False)
    response: HttpResponse | None = None
    if request.method == "POST" and form.is_valid():
        try:
            public_feedback_submit(
                unit=unit,
                resource=resource,
                browser_id=browser_id,
                client_key=request.META.get("REMOTE_ADDR", "") or "",
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                customer_group=form.cleaned_data["customer_group"] or "",
                extra=form.extra_answers(),
                language=_language(),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            response = redirect("feedback:thanks")
    if response is None:
        context = {"unit": unit, "resource": resource, "form": form, "public": True}
        status = 429 if "throttled" in _codes(form) else (400 if form.errors else 200)
        response = render(request, "feedback/public.html", context, status=status)
    if new_browser:
        response.set_signed_cookie(
            BROWSER_COOKIE,
            browser_id,
            salt=BROWSER_SALT,
            max_age=400 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _codes(form: SurveyForm) -> set[str]:
    return {error.code or "" for errors in form.errors.as_data().values() for error in errors}


@require_GET
def public_qr(request: HttpRequest, unit_id: str) -> HttpResponse:
    """The QR code of a unit's public feedback link (in the current language) as SVG."""
    unit = _public_unit(unit_id)
    resource = _public_resource(request, unit)
    url = qr.public_url(unit.pk, _language(), resource.pk if resource else "")
    svg = qr.qr_svg(url, title=_("Feedback on %(place)s: %(url)s") % {"place": unit.name, "url": url})
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- Staff: link and QR poster, inbox ----------------------------------------------------------


def staff_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("web:login"))
        if not is_staff_anywhere(request.user):
            return render(request, "feedback/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def staff_unit_link(request: HttpRequest, unit_id: str) -> HttpResponse:
    unit = _public_unit(unit_id)
    if not can(request.user, Action.VIEW, unit.pk):
        return render(request, "feedback/forbidden.html", status=403)
    resource = _public_resource(request, unit)
    rid = resource.pk if resource else ""
    context = {
        "unit": unit,
        "resource": resource,
        "resources": unit.resources.filter(published_q()).order_by("name_fi"),
        "links": [(code, qr.public_url(unit.pk, code, rid)) for code in ("fi", "sv", "en")],
        "qr": qr.qr_svg(qr.public_url(unit.pk, _language(), rid), title=_("QR code of the feedback link")),
    }
    return render(request, "feedback/staff/link.html", context)


def _inbox_form(request: HttpRequest) -> InboxFilterForm:
    units = [(u.pk, str(u.name)) for u in inbox_units(request.user).order_by("name_fi")]
    return InboxFilterForm(request.GET or None, units=units)


@staff_required
def staff_inbox(request: HttpRequest) -> HttpResponse:
    form = _inbox_form(request)
    answers = inbox(request.user, form.filters())
    page = Paginator(answers, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "rows": [
            (r, category(r.score), ResponseUpdateForm(initial=_update_initial(r), prefix=f"r{r.pk}")) for r in page
        ],
    }
    return render(request, "feedback/staff/inbox.html", context)


def _update_initial(response: Response) -> dict[str, Any]:
    return {"themes": [t.pk for t in response.themes.all()], "handled": response.handled_at is not None}


@staff_required
@require_POST
def staff_response_update(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(inbox(request.user), pk=pk)
    form = ResponseUpdateForm(request.POST, prefix=f"r{pk}")
    if form.is_valid():
        try:
            response_set_themes(actor=request.user, response=response, theme_ids=form.cleaned_data["themes"])
            response_mark_handled(actor=request.user, response=response, handled=form.cleaned_data["handled"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The answer was updated."))
    back = QueryDict(request.POST.get("back", "")).urlencode()  # re-encoded: never a raw header value
    target = reverse("feedback:inbox") + (f"?{back}" if back else "")
    return redirect(f"{target}#answer-{pk}")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@staff_required
@require_GET
def staff_inbox_csv(request: HttpRequest) -> StreamingHttpResponse:
    form = _inbox_form(request)
    answers = inbox(request.user, form.filters())
    writer = csv.writer(_Echo())
    header = [
        "answered_at",
        "unit_id",
        "unit",
        "resource",
        "score",
        "category",
        "customer_group",
        "language",
        "comment",
        "themes",
        "handled_at",
    ]

    def rows() -> Any:
        yield writer.writerow(header)
        for r in answers.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    _cell(timezone.localtime(r.created_at).isoformat(timespec="minutes")),
                    _cell(r.unit_id),
                    _cell(r.unit.name),
                    _cell(r.resource.name if r.resource else ""),
                    r.score,
                    category(r.score),
                    r.customer_group,
                    r.language,
                    _cell(r.comment),
                    _cell(";".join(t.pk for t in r.themes.all())),
                    _cell(timezone.localtime(r.handled_at).isoformat(timespec="minutes") if r.handled_at else ""),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tila-feedback.csv"'
    return response
