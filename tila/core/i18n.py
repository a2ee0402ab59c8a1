"""Translated model fields: the project's one mechanism.

`name = TranslatedField(models.CharField, max_length=200)` in a model body adds three real
columns, `name_fi`, `name_sv` and `name_en`, and makes `obj.name` read the active language
with a fallback (fi → en → sv, skipping empty values). Plain columns keep SQL simple: search
in any language is an OR over three columns, indexes work, and migrations show real fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
FALLBACK_ORDER: tuple[str, ...] = ("fi", "en", "sv")


def current_language() -> str:
    lang = (get_language() or "fi")[:2]
    return lang if lang in LANGUAGES else "fi"


def pick(values: Mapping[str, str | None], lang: str | None = None) -> str:
    """The value in `lang` (default: the active language), else the first non-empty fallback."""
    lang = lang or current_language()
    value = values.get(lang)
    if value:
        return value
    for fallback in FALLBACK_ORDER:
        if values.get(fallback):
            return values[fallback] or ""
    return ""


class _TranslatedDescriptor:
    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        return pick(translations(instance, self.name))

    def __set__(self, instance: Any, value: Any) -> None:
        if isinstance(value, Mapping):
            for lang in LANGUAGES:
                if lang in value:
                    setattr(instance, f"{self.name}_{lang}", value[lang] or "")
        else:
            setattr(instance, f"{self.name}_{current_language()}", value or "")


class TranslatedField:
    """Not a database field itself: contributes `<name>_fi`, `<name>_sv`, `<name>_en`."""

    def __init__(self, field_class: type[models.Field[Any, Any]], *args: Any, **kwargs: Any) -> None:
        self.field_class = field_class
        self.args = args
        self.kwargs = kwargs

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        verbose = self.kwargs.get("verbose_name", name.replace("_", " "))
        for lang in LANGUAGES:
            kwargs = dict(self.kwargs)
            kwargs.setdefault("blank", True)
            if issubclass(self.field_class, models.CharField | models.TextField):
                kwargs.setdefault("default", "")
            kwargs["verbose_name"] = format_lazy("{} ({})", verbose, lang)
            field = self.field_class(*self.args, **kwargs)
            field.contribute_to_class(cls, f"{name}_{lang}")
        setattr(cls, name, _TranslatedDescriptor(name))
        translated = list(getattr(cls, "_translated_fields", ()))
        if name not in translated:
            translated.append(name)
        cls._translated_fields = tuple(translated)  # type: ignore[attr-defined]


def translations(instance: Any, name: str) -> dict[str, str]:
    """All non-empty translations of a field, keyed by language (the API's shape)."""
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        value = getattr(instance, f"{name}_{lang}", "")
        if value:
            out[lang] = value
    return out


def translated_kwargs(name: str, values: Mapping[str, str] | str | None) -> dict[str, str]:
    """Model kwargs for a translated field from a dict (or one Finnish string)."""
    if values is None:
        return {}
    if isinstance(values, str):
        values = {"fi": values}
    return {f"{name}_{lang}": values.get(lang, "") or "" for lang in LANGUAGES}


def translated_q(name: str, lookup: str, value: Any) -> models.Q:
    """Q matching `value` in any language of a translated field."""
    q = models.Q()
    for lang in LANGUAGES:
        q |= models.Q(**{f"{name}_{lang}__{lookup}": value})
    return q
