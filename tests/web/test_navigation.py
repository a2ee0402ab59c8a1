"""The main navigation offers the workspaces a person may open, and only those."""

import pytest

pytestmark = pytest.mark.django_db


def nav_of(client):
    html = client.get("/en/").content.decode()
    return html[html.index('class="main-nav"') : html.index("</nav>", html.index('class="main-nav"'))]


def test_residents_see_no_staff_or_management_links(signed_in):
    nav = nav_of(signed_in)
    assert "/en/hobbies/" in nav
    assert "/en/staff/" not in nav
    assert "/en/insight/" not in nav


def test_staff_see_their_workspace(client, f, unit):
    client.force_login(f.staff(unit))
    nav = nav_of(client)
    assert "/en/staff/" in nav
    assert "/en/insight/" not in nav


def test_management_see_the_indicators(client, f):
    from tila.insight.models import ManagementAccess

    boss = f.user()
    ManagementAccess.objects.create(user=boss)
    client.force_login(boss)
    assert "/en/insight/" in nav_of(client)
