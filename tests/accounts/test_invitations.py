"""Sign-up by invitation (officials, professionals, organisations) and password reset by e-mail."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.accounts import actions
from concord.accounts.models import Invitation, Membership, Organization, User
from concord.audit.models import AuditEntry
from tests.matrix import ROLES

from ..conftest import PASSWORD

NEW_PASSWORD = "a-long-new-passphrase-42"


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/join/\S+/", message.body).group(0)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def invite(personas, django_capture_on_commit_callbacks):
    def _invite(**kwargs):
        fields = {"email": "new.person@example.org", "role": "observer"} | kwargs
        with django_capture_on_commit_callbacks(execute=True):
            return actions.do_invite(actor=personas.secretariat, dialogue=personas.dialogue, **fields)

    return _invite


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_dialogues_secretariat_invites_and_withdraws(personas, role, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    user = AnonymousUser() if role == "anonymous" else getattr(personas, role)
    allowed = role == "secretariat"
    if allowed:
        invitation, _token = actions.do_invite(
            actor=user, dialogue=personas.dialogue, email="x@example.org", role="observer"
        )
        actions.do_withdraw_invitation(actor=user, invitation=invitation)
    else:
        with pytest.raises(PermissionDenied):
            actions.do_invite(actor=user, dialogue=personas.dialogue, email="x@example.org", role="observer")
    if role != "anonymous":
        client.force_login(user)
    page = client.get("/accounts/invitations/")
    if allowed:
        assert page.status_code == 200
    elif role == "anonymous":
        assert page.status_code == 302
    else:
        assert page.status_code == 403
    other, _token = actions.do_invite(
        actor=personas.secretariat, dialogue=personas.dialogue, email="y@example.org", role="observer"
    )
    client.post(f"/accounts/invitations/{other.pk}/withdraw/")
    other.refresh_from_db()
    assert (other.revoked_at is not None) == allowed


@pytest.mark.django_db
def test_an_invitation_is_emailed_with_a_working_link_in_the_invitees_language(personas, invite, mailoutbox):
    invitation, token = invite(
        email="Prof.Aziz@Example.ORG", role="analyst", party=personas.my, language="ms"
    )
    assert invitation.email == "prof.aziz@example.org"
    assert invitation.token_hash != token and token not in str(invitation.__dict__)
    (mail,) = mailoutbox
    assert mail.to == ["prof.aziz@example.org"]
    assert "Pakistan–Malaysia Digital Policy Dialogue" in mail.subject
    assert _link(mail).endswith(f"/accounts/join/{token}/")
    assert "Jemputan" in mail.subject or "jemput" in mail.body.lower(), "written in Malay"
    entry = AuditEntry.objects.get(action="invitation.create")
    assert token not in str(entry.after)


@pytest.mark.django_db
def test_a_new_analyst_joins_with_the_role_and_party_of_the_invitation(personas, invite, client, mailoutbox):
    _invitation, token = invite(email="analyst.new@example.org", role="analyst", party=personas.pk)
    page = client.get(f"/accounts/join/{token}/")
    assert page.status_code == 200 and "analyst.new@example.org" in page.content.decode()
    response = client.post(
        f"/accounts/join/{token}/",
        {
            "full_name": "Ayesha Khan",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
            "language": "ur",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="analyst.new@example.org")
    assert user.full_name == "Ayesha Khan" and user.language == "ur" and user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.party, membership.dialogue) == (
        "analyst",
        personas.pk,
        personas.dialogue,
    )
    assert int(client.session["_auth_user_id"]) == user.pk, "signed in on the way"
    assert AuditEntry.objects.filter(action="invitation.accept", actor_id=user.pk).exists()
    again = client.post(
        f"/accounts/join/{token}/",
        {"full_name": "Someone", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD, "language": "en"},
    )
    assert again.status_code == 410, "the link works once"
    assert User.objects.filter(email="analyst.new@example.org").count() == 1


@pytest.mark.django_db
def test_an_organisation_registers_itself_as_it_joins(personas, invite, client):
    _invitation, token = invite(email="ceo@startup.example", role="stakeholder")
    form = client.get(f"/accounts/join/{token}/").content.decode()
    assert "org_name" in form
    joining = {
        "full_name": "Lim Wei",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
        "language": "en",
        "org_name": "Kedai Data Sdn Bhd",
        "org_kind": "company",
    }
    bad = client.post(f"/accounts/join/{token}/", {**joining, "org_country": "Malaya"})
    assert bad.status_code == 400 and "Country" in bad.content.decode()
    assert not User.objects.filter(email="ceo@startup.example").exists(), "nothing half-written"
    assert not Organization.objects.filter(name="Kedai Data Sdn Bhd").exists()
    good = client.post(f"/accounts/join/{token}/", {**joining, "org_country": "my"})
    assert good.status_code == 302
    org = Organization.objects.get(name="Kedai Data Sdn Bhd")
    assert org.country == "MY" and org.party == personas.my
    membership = Membership.objects.get(user__email="ceo@startup.example")
    assert membership.role == "stakeholder" and membership.organization == org


@pytest.mark.django_db
def test_a_person_with_an_account_signs_in_and_joins(personas, invite, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    _invitation, token = invite(
        email=personas.observer.email, role="stakeholder", organization=personas.university
    )
    anonymous = client.get(f"/accounts/join/{token}/").content.decode()
    assert "already exists" in anonymous and "next=/accounts/join/" in anonymous
    client.force_login(personas.delegate_my)
    wrong = client.post(f"/accounts/join/{token}/")
    assert not Membership.objects.filter(user=personas.delegate_my, role="stakeholder").exists()
    assert "another address" in wrong.content.decode()
    client.force_login(personas.observer)
    assert client.post(f"/accounts/join/{token}/").status_code == 302
    assert (
        Membership.objects.get(user=personas.observer, role="stakeholder").organization == personas.university
    )


@pytest.mark.django_db
def test_bad_invitations_are_refused_with_the_reason(personas, invite, client):
    with pytest.raises(ValidationError) as err:
        invite(role="delegate")
    assert "party" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        invite(email=personas.observer.email, role="observer")
    assert "already takes part" in str(err.value)
    invite(email="twice@example.org")
    with pytest.raises(ValidationError) as err:
        invite(email="twice@example.org")
    assert "already waiting" in str(err.value)
    with pytest.raises(ValidationError):
        invite(email="x@example.org", role="overlord")
    assert client.get("/accounts/join/not-a-real-token/").status_code == 404


@pytest.mark.django_db
def test_an_expired_or_withdrawn_link_says_so(personas, invite, client):
    expired, token = invite(email="late@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    page = client.get(f"/accounts/join/{token}/")
    assert page.status_code == 410 and "expired" in page.content.decode().lower()
    withdrawn, token = invite(email="gone@example.org")
    actions.do_withdraw_invitation(actor=personas.secretariat, invitation=withdrawn)
    page = client.get(f"/accounts/join/{token}/")
    assert page.status_code == 410 and "withdrawn" in page.content.decode().lower()
    with pytest.raises(ValidationError):
        actions.do_accept_invitation(invitation=withdrawn, full_name="X", password=NEW_PASSWORD)


@pytest.mark.django_db
def test_the_secretariat_page_sends_and_lists_invitations(
    personas, client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CONCORD_REQUIRE_2FA = False
    client.force_login(personas.secretariat)
    response = client.post(
        "/accounts/invitations/",
        {"dialogue": personas.dialogue.pk, "email": "not-an-address", "role": "observer", "language": "en"},
    )
    assert response.status_code == 400 and Invitation.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/invitations/",
            {
                "dialogue": personas.dialogue.pk,
                "email": "fellow@example.org",
                "role": "observer",
                "language": "en",
            },
        )
    assert response.status_code == 302 and len(mailoutbox) == 1
    listing = client.get("/accounts/invitations/").content.decode()
    assert "fellow@example.org" in listing and "Withdraw" in listing


@pytest.mark.django_db
def test_a_password_is_reset_by_an_emailed_link(personas, client, mailoutbox):
    page = client.post("/accounts/password/reset/", {"email": personas.delegate_my.email})
    assert page.status_code == 302
    (mail,) = mailoutbox
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/\S+/", mail.body).group(0)
    form = client.get(_path(link), follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    personas.delegate_my.refresh_from_db()
    assert personas.delegate_my.check_password(NEW_PASSWORD) and not personas.delegate_my.check_password(
        PASSWORD
    )
    assert AuditEntry.objects.filter(action="user.reset_password", actor_id=personas.delegate_my.pk).exists()
    assert client.get(_path(link), follow=True).context["validlink"] is False, "a link works once"


@pytest.mark.django_db
def test_a_reset_reveals_nothing_and_does_not_flood_an_inbox(personas, client, mailoutbox):
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    known = client.post("/accounts/password/reset/", {"email": personas.observer.email})
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    client.post("/accounts/password/reset/", {"email": personas.observer.email})
    assert len(mailoutbox) == 1, "one e-mail per address in five minutes"
