"""Who may see the management dashboard: general administrators and holders of `ManagementAccess`.

The dashboard is a role of its own, separate from unit roles: a unit administrator does not see
the city's figures by being one, and a director need not hold any unit role."""

from __future__ import annotations

from typing import Any

from tila.accounts.permissions import is_general_admin
from tila.insight.models import ManagementAccess


def has_management_access(user: Any) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_general_admin(user):
        return True
    return ManagementAccess.objects.filter(user_id=user.pk).exists()
