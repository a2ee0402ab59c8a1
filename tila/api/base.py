"""The API object, its error contract, pagination, authentication and routing helpers.

Every rejection is HTTP 400 `{"code": "<machine code>", "non_field_errors": ["<message>"]}`, plus
a list per field at fault; 401 when credentials are missing or invalid where they are required,
403 for a permission the caller lacks, 404 for what does not exist or is not visible to them.
Nothing a client sends may produce a 500.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from tila.api.schemas import ErrorOut
from tila.core.errors import DomainError, NotFound, PermissionDenied

logger = logging.getLogger(__name__)
T = TypeVar("T")
MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 20
MAX_DB_INT = 2**63 - 1


class ApiJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class StrictJSONParser(Parser):
    """RFC 8259 JSON: Python's json module would also accept NaN and Infinity."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json.loads(request.body, parse_constant=_reject_constant)


api = NinjaAPI(
    title="Tila API",
    version="1.0.0",
    description=(
        "Tila's public API: find free spaces, book them and manage bookings. A superset of the 6Aika "
        "resource reservation specification. Translated fields are objects keyed by language. Times are "
        "ISO 8601 with an offset; input without an offset means the resource's local time. Rejections "
        'are HTTP 400 with {"code", "non_field_errors"}. Authenticate with `Authorization: Bearer <token>` '
        "from POST /v1/auth/token/. Messages follow `?lang=` or `Accept-Language` (fi, sv, en; fi by default)."
    ),
    urls_namespace="api",
    docs_url="/docs/",
    openapi_url="/openapi.json",
    renderer=ApiJSONRenderer(),
    parser=StrictJSONParser(),
)


class ApiError(Exception):
    """An HTTP error with the API's body shape."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        super().__init__(code)


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "non_field_errors": [message]}
    for name, messages in (fields or {}).items():
        body.setdefault(name, []).extend(messages)
    return body


def _respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _respond(request, exc.status, error_body(exc.code, exc.message, exc.fields))


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    status = 400
    if isinstance(exc, PermissionDenied):
        status = 403
    elif isinstance(exc, NotFound) or exc.code == "not_found":
        status = 404
    elif exc.code == "authentication_required":
        status = 401
    fields = {exc.field: [exc.message]} if exc.field else None
    return _respond(request, status, error_body(exc.code, exc.message, fields))


VALIDATION_MESSAGES: dict[str, Callable[[], str]] = {
    "missing": lambda: _("This field is required."),
    "json_invalid": lambda: _("The request body is not valid JSON."),
    "extra_forbidden": lambda: _("This field is not allowed."),
}
LOCATIONS = ("body", "query", "path", "form", "header", "cookie")


def _field_name(loc: Iterable[Any]) -> str:
    """`("body", "payload", "name", "fi")` → `"name.fi"`; `("query", "page")` → `"page"`."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:]  # ninja nests the body under the view's parameter name
    elif parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    return ".".join(parts) or "non_field_errors"


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        kind = str(error.get("type", ""))
        message = VALIDATION_MESSAGES.get(kind, lambda: _("Enter a valid value."))()
        if kind not in VALIDATION_MESSAGES and error.get("msg"):
            message = f"{message} ({error['msg']})"
        fields.setdefault(_field_name(error.get("loc", ())), []).append(message)
    return _respond(request, 400, error_body("invalid", _("The request is not valid."), fields))


def not_authenticated_response(request: HttpRequest) -> HttpResponse:
    response = _respond(
        request,
        401,
        error_body("not_authenticated", _("Authentication credentials were not provided or are not valid.")),
    )
    response["WWW-Authenticate"] = 'Bearer realm="tila"'
    return response


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return not_authenticated_response(request)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        return _respond(request, 400, error_body("invalid", _("The request body is not valid JSON.")))
    code = {401: "not_authenticated", 403: "permission_denied", 404: "not_found", 429: "throttled"}.get(
        exc.status_code, "error"
    )
    return _respond(request, exc.status_code, error_body(code, str(exc)))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, error_body("not_found", _("Not found.")))


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s %s", request.method, request.path)
    if settings.DEBUG and getattr(settings, "TILA_API_RAISE", False):
        raise exc
    return _respond(request, 500, error_body("server_error", _("Something went wrong on our side.")))


# --- Authentication (the identity is set by tila.api.middleware.ApiMiddleware) ------------------


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` from POST /v1/auth/token/.

    ApiMiddleware has already resolved the token (and answered 401 to a bad one); this class makes
    ninja require a signed-in user on an operation and documents the scheme in OpenAPI.
    """

    def __call__(self, request: HttpRequest) -> Any:
        return current_user(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover - unused
        return current_user(request)


BEARER = BearerToken()
SIGNED_IN: dict[str, Any] = {"auth": BEARER}
# Public operations still accept a token (staff see hidden resources, owners their own details).
OPTIONAL_AUTH: dict[str, Any] = {"openapi_extra": {"security": [{"BearerToken": []}, {}]}}


def current_user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def require_user(request: HttpRequest) -> Any:
    user = current_user(request)
    if user is None:
        raise AuthenticationError()
    return user


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("Not found."))


def bad_request(code: str, message: str, field: str | None = None) -> ApiError:
    return ApiError(400, code, message, {field: [message]} if field else None)


def db_int(value: int) -> int:
    """An integer path id that can exist in the database; anything else is simply not found."""
    if not 1 <= value <= MAX_DB_INT:
        raise not_found()
    return value


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """`ok` plus the error statuses the operation can answer, all with the error body.

    400 and 401 are always possible: ApiMiddleware rejects unsafe input (a NUL character) and an
    invalid bearer token on every path.
    """
    return {**ok, **{status: ErrorOut for status in sorted({400, 401, *errors})}}


def list_responses(listing: Any) -> dict[int, Any]:
    """The responses of a paginated list: 400 for a bad page or filter, 404 for a page past the last."""
    return responses({200: listing}, 400, 404)


# --- Pagination -------------------------------------------------------------------------------


def page_params(page: int | None, page_size: int | None) -> tuple[int, int]:
    page = 1 if page is None else page
    size = DEFAULT_PAGE_SIZE if page_size is None else page_size
    if page < 1:
        raise bad_request("invalid", _("Page numbers start at 1."), "page")
    if size < 1:
        raise bad_request("invalid", _("The page size must be at least 1."), "page_size")
    return page, min(size, MAX_PAGE_SIZE)


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(request.path) + "?" + urlencode(sorted(params.lists()), doseq=True)


def paginate(
    request: HttpRequest,
    items: QuerySet[Any] | list[Any],
    serialize: Callable[[list[Any]], list[Any]],
    page: int | None,
    page_size: int | None,
) -> dict[str, Any]:
    """The 6Aika/Respa list envelope. `serialize` turns one page of items into response objects.

    A page past the last one is 404 (as in Respa); the first page always exists, even when empty.
    """
    number, size = page_params(page, page_size)
    count = items.count() if isinstance(items, QuerySet) else len(items)
    last = max(1, -(-count // size))
    if number > last:
        raise ApiError(404, "not_found", _("There is no page %(page)s.") % {"page": number})
    chunk = list(items[(number - 1) * size : number * size])
    previous = _page_url(request, number - 1) if number > 1 else None
    return {
        "count": count,
        "next": _page_url(request, number + 1) if number < last else None,
        "previous": previous,
        "prev": previous,
        "results": serialize(chunk),
    }


# --- Routing: every path with and without the trailing slash ----------------------------------


def route(
    router: Router, methods: list[str], path: str, **kwargs: Any
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Register `path` (ending in "/") and the same path without the slash, documented once.

    Each method is its own operation with its own operationId (`operation_id` or the function's
    name; `_<method>` added for a function serving several methods), so the OpenAPI document
    stays valid. Responses
    leave out the optional keys the view did not set (e.g. availability without a time window).
    """

    base_name = kwargs.pop("operation_id", None)

    def decorator(func: Callable[..., T]) -> Callable[..., T]:
        options = {"exclude_unset": True, **kwargs}
        for method in methods:
            name = base_name or func.__name__
            name = name if len(methods) == 1 else f"{name}_{method.lower()}"
            router.add_api_operation(path, [method], func, operation_id=name, **options)
            variant = {**options, "include_in_schema": False, "url_name": None}
            router.add_api_operation(path.rstrip("/"), [method], func, operation_id=f"{name}_noslash", **variant)
        return func

    return decorator
