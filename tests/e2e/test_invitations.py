"""Sign-up by invitation in the browser: the secretariat invites a professional's organisation, the e-mailed
link opens a form in the invitee's language (Urdu, right to left), and the new stakeholder arrives signed in
with their organisation registered. Screenshots land in screenshots/invitations-*.png."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from concord.accounts.models import Membership
from tests.conftest import PASSWORD, Personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_invited_organisation_signs_up_in_urdu(page, live_server, login, shot, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    p = Personas()
    login(p.secretariat.email, PASSWORD)
    page.goto(f"{live_server.url}/accounts/invitations/")
    page.locator("#id_email").fill("founder@example.org")
    page.locator("#id_role").select_option("stakeholder")
    page.locator("#id_language").select_option("ur")
    page.locator("#id_message").fill("Welcome to the ecosystem directory.")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("An invitation is on its way to founder@example.org.")).to_be_visible()
    shot("invitations-01-sent")
    link = re.search(r"https?://\S+/accounts/join/\S+/", mail.outbox[-1].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)

    page.context.clear_cookies()  # a newcomer: the page speaks the invitation's language, Urdu
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("#id_full_name").fill("Bilal Ahmed")
    page.locator("#id_password").fill("a-long-new-passphrase-42")
    page.locator("#id_password_again").fill("a-long-new-passphrase-42")
    page.locator("#id_language").select_option("ur")
    page.locator("#id_org_name").fill("Lahore Data Works")
    page.locator("#id_org_kind").select_option("company")
    page.locator("#id_org_country").fill("PK")
    shot("invitations-02-join-form")
    page.locator("form button[type=submit].primary").click()
    expect(page.get_by_text("Pakistan–Malaysia Digital Policy Dialogue میں خوش آمدید۔")).to_be_visible()
    shot("invitations-03-joined-urdu")
    membership = Membership.objects.get(user__email="founder@example.org")
    assert membership.role == "stakeholder" and membership.organization.name == "Lahore Data Works"
