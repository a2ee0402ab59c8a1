"""The resident's own account: deleting it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tila.web.forms import TilaForm


class AccountDeleteForm(TilaForm):
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal details are deleted for good."), required=True
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, needs_password: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].required = needs_password
        if not needs_password:
            del self.fields["password"]
