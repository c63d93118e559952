"""The busiest pages render for every role, with a bounded number of queries."""

from __future__ import annotations

import pytest

from concord.core.actions import do_create_note
from concord.core.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_notes(personas):
    for i in range(30):
        author = personas.delegate_my if i % 2 else personas.delegate_pk
        party = personas.my if i % 2 else personas.pk
        do_create_note(
            actor=author,
            dialogue=personas.dialogue,
            title=f"Note {i}",
            body="Text",
            visibility=["public", "dialogue", "party"][i % 3],
            party=party,
        )
    return personas


@pytest.mark.parametrize(
    "role", ["secretariat", "delegate_my", "analyst_pk", "stakeholder", "observer", "outsider"]
)
def test_home_and_lists_render_for_every_role_in_few_queries(
    many_notes, client, settings, role, django_assert_max_num_queries
):
    settings.CONCORD_REQUIRE_2FA = False
    client.force_login(many_notes.users[role])
    for path in ("/", "/notes/", "/directory/organisations/", "/dialogues/pk-my/", "/api/notes?page_size=50"):
        # The signed-in home starts with My work (bounded on its own in tests/notices/test_my_work.py).
        with django_assert_max_num_queries(35 if path == "/" else 15):
            assert client.get(path).status_code == 200, path


def test_audit_page_is_bounded(many_notes, client, settings, django_assert_max_num_queries):
    settings.CONCORD_REQUIRE_2FA = False
    client.force_login(many_notes.secretariat)
    with django_assert_max_num_queries(12):
        assert client.get("/audit/").status_code == 200


def test_anonymous_landing_page_shows_public_notes_only(many_notes, client):
    page = client.get("/").content.decode()
    assert "Note 27" in page  # public
    assert "Note 28" not in page  # dialogue members
    assert "Note 29" not in page  # one party


def test_job_progress_polls_until_done(personas, as_user):
    from concord.core.actions import do_start_job, set_job_progress

    client = as_user(personas.secretariat)
    job = do_start_job(actor=personas.secretariat, kind="test", label="Counting", total=10)
    set_job_progress(job, done=4, message="Counting pages")
    partial = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="40"' in body and "Counting pages" in body
    assert "<html" not in body  # htmx gets the fragment only
    data = client.get(f"/jobs/{job.pk}.json").json()
    assert data["percent"] == 40 and data["status"] == "running"
    # Somebody else's job is not found.
    other = as_user(personas.delegate_my)
    assert other.get(f"/jobs/{job.pk}/").status_code == 404


def test_failed_job_shows_its_error_and_stops_polling(personas, as_user):
    from concord.core.actions import do_finish_job, do_start_job

    client = as_user(personas.secretariat)
    job = do_start_job(actor=personas.secretariat, kind="test", label="Broken")
    do_finish_job(job=job, error="[E102] The PDF is encrypted.")
    body = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "E102" in body and "hx-trigger" not in body
    assert Job.objects.get(pk=job.pk).status == "failed"


@pytest.mark.parametrize("role", ["delegate_my", "analyst_my", "observer", "stakeholder"])
def test_only_the_secretariat_gets_into_the_admin(personas, client, settings, role):
    settings.CONCORD_REQUIRE_2FA = False
    client.force_login(personas.users[role])
    assert client.get("/admin/").status_code == 302  # to the admin login: no access


def test_secretariat_uses_the_admin_but_sees_no_party_only_notes(many_notes, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    client.force_login(many_notes.secretariat)
    page = client.get("/admin/core/note/?all=").content.decode()
    assert "Note 0" in page and "Note 1" in page
    assert "Note 2<" not in page and "Note 5<" not in page
