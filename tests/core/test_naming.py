"""One organisation directory, and two kinds of opportunity a newcomer can tell apart (issue 14, item 12)."""

from __future__ import annotations

import pytest

from concord.accounts.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return Organization.objects.create(name="Demo University", country="MY", kind="university")


def test_the_old_organisation_addresses_lead_to_the_one_directory(personas, as_user, org):
    client = as_user(personas.observer)
    response = client.get("/organisations/", {"country": "MY", "kind": "university"})
    assert response.status_code == 301
    assert response["Location"] == "/directory/organisations/?country=MY&kind=university"
    response = client.get(f"/organisations/{org.pk}/")
    assert response.status_code == 301 and response["Location"] == f"/directory/organisations/{org.pk}/"
    assert org.get_absolute_url() == f"/directory/organisations/{org.pk}/"
    assert "Demo University" in client.get("/organisations/", follow=True).content.decode()


def test_the_menu_has_one_organisations_entry_and_named_opportunities(personas, as_user):
    client = as_user(personas.observer)
    body = client.get("/").content.decode()
    menu = body[body.index('class="site-nav"') : body.index("</nav>", body.index('class="site-nav"'))]
    assert menu.count(">Organisations<") == 1 and 'href="/directory/organisations/"' in menu
    assert "Talent mobility" in menu
    assert "Talent opportunities" in client.get("/talent/").content.decode()
    assert "Investment and research opportunities" in client.get("/directory/opportunities/").content.decode()


def test_the_secretariat_registers_and_edits_organisations_from_the_directory(personas, as_user, org):
    client = as_user(personas.secretariat)
    assert "/organisations/new/" in client.get("/directory/organisations/").content.decode()
    assert f"/organisations/{org.pk}/edit/" in client.get(org.get_absolute_url()).content.decode()
    observer = as_user(personas.observer)
    assert f"/organisations/{org.pk}/edit/" not in observer.get(org.get_absolute_url()).content.decode()
