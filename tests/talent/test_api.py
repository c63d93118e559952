"""The talent API: reads respect visibility and consent; writes go through the actions; bad input is named."""

from __future__ import annotations

from concord.talent import actions

from .conftest import make_opportunity, make_profile


def test_anonymous_visitors_list_public_opportunities_but_not_drafts(personas, esco, client):
    make_opportunity(personas, esco, title="Open")
    make_opportunity(personas, esco, title="Hidden draft", status="draft")
    data = client.get("/api/talent/opportunities").json()
    assert [o["title"] for o in data["items"]] == ["Open"]
    assert {s["label"] for s in data["items"][0]["skills"]} >= {"machine learning"}


def test_a_professional_builds_a_profile_gets_suggestions_and_applies(personas, esco, opportunity, as_user):
    client = as_user(personas.outsider)
    r = client.put(
        "/api/talent/profile",
        {"summary": "Python developer", "country": "PK", "consent_matching": True, "consent_sharing": False},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["consent_matching_at"]
    made = client.post("/api/talent/profile/suggest", {}, content_type="application/json").json()
    python = next(s for s in made if s["skill"] == esco["python"].pk)
    assert python["evidence"] == "Python"
    ok = client.post(
        f"/api/talent/profile/skills/{python['id']}",
        {"status": "accepted", "level": 3},
        content_type="application/json",
    )
    assert ok.json()["status"] == "accepted"
    matches = client.get("/api/talent/profile/matches").json()
    assert matches[0]["opportunity"] == opportunity.pk
    assert matches[0]["match"]["matched"] == [str(esco["python"].pk)]
    applied = client.post(
        f"/api/talent/opportunities/{opportunity.pk}/apply", {}, content_type="application/json"
    )
    assert applied.status_code == 201 and applied.json()["preference"] == 1


def test_managers_get_ranked_applicants_without_names_unless_shared(personas, esco, opportunity, as_user):
    make_profile(personas.outsider, esco, sharing=False)
    actions.do_apply(actor=personas.outsider, opportunity=opportunity)
    rows = as_user(personas.delegate_my).get(f"/api/talent/opportunities/{opportunity.pk}/applicants").json()
    assert rows[0]["name"] is None and rows[0]["profile"] is None and rows[0]["match"]["score"] == 0.8
    assert (
        as_user(personas.delegate_pk)
        .get(f"/api/talent/opportunities/{opportunity.pk}/applicants")
        .status_code
        == 404
    )


def test_a_round_runs_through_the_api_and_each_applicant_sees_only_their_placement(personas, esco, as_user):
    opp = make_opportunity(personas, esco, seats=1)
    make_profile(personas.outsider, esco, skills=("python", "ml", "sql"))
    make_profile(personas.observer, esco, skills=("python", "ml"))
    for user in (personas.outsider, personas.observer):
        actions.do_apply(actor=user, opportunity=opp)
    manager = as_user(personas.delegate_my)
    rnd = manager.post(
        "/api/talent/rounds",
        {"dialogue": "pk-my", "title": "R", "opportunities": [opp.pk]},
        content_type="application/json",
    ).json()
    ran = manager.post(f"/api/talent/rounds/{rnd['id']}/run")
    assert ran.status_code == 202
    assert manager.get(f"/api/talent/rounds/{rnd['id']}").json()["status"] == "finished"
    assert len(manager.get(f"/api/talent/rounds/{rnd['id']}/placements").json()) == 2
    own = as_user(personas.observer).get(f"/api/talent/rounds/{rnd['id']}/placements").json()
    assert len(own) == 1 and own[0]["explanation"]["preferences"][0]["status"] == "full"


def test_bad_input_gets_a_clear_error_not_a_500(personas, esco, as_user):
    client = as_user(personas.delegate_my)
    job = {"dialogue": "pk-my", "title": "T", "kind": "job", "host_country": "MY", "seats": 1}

    def post_job(**fields):
        return client.post("/api/talent/opportunities", {**job, **fields}, content_type="application/json")

    bad = post_job(reserves={"MY": 3})
    assert bad.status_code == 400 and "reserved" in bad.json()["error"]["message"]
    unknown = post_job(essential_skills=[999])
    assert unknown.status_code == 400 and "999" in unknown.json()["error"]["message"]
    assert client.get("/api/talent/skills/link?text=%20").status_code == 400
    assert client.post("/api/talent/profile/suggest", {}, content_type="application/json").status_code == 404


def test_deleting_the_profile_through_the_api_removes_it(personas, esco, as_user):
    make_profile(personas.outsider, esco)
    client = as_user(personas.outsider)
    assert client.delete("/api/talent/profile").status_code == 204
    assert client.get("/api/talent/profile").status_code == 404
    assert client.get("/api/talent/profile/export").status_code == 404


def test_control_characters_in_profile_text_are_cleaned_not_a_server_error(personas, esco, as_user):
    """Found by fuzzing on PostgreSQL, which refuses NUL in text: every free-text field is cleaned."""
    client = as_user(personas.outsider)
    body = {
        "headline": "Data engineer",
        "level": 1,
        "availability": "From\u0000 March\u0013",
        "interests": "AI\u0000",
        "consent_matching": False,
        "consent_sharing": False,
    }
    response = client.put("/api/talent/profile", body, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["availability"], response.json()["interests"]) == ("From March", "AI")
    too_long = client.put(
        "/api/talent/profile", {**body, "availability": "x" * 201}, content_type="application/json"
    )
    assert too_long.status_code in (400, 422) and "availability" in too_long.content.decode()


def test_skill_linking_is_a_public_read(personas, esco, client):
    hits = client.get("/api/talent/skills/link", {"text": "We secure networks against attack vectors"}).json()
    assert esco["attack"].pk in [h["skill"] for h in hits[:3]]


def test_managers_edit_and_close_an_opportunity_through_the_api_and_others_cannot(personas, esco, as_user):
    opp = make_opportunity(personas, esco)
    body = {"title": "Fellowship, second intake", "kind": "fellowship", "host_country": "MY", "seats": 5,
            "essential_skills": [esco["python"].pk]}  # fmt: skip
    refused = as_user(personas.delegate_pk).put(
        f"/api/talent/opportunities/{opp.pk}", body, content_type="application/json"
    )
    assert refused.status_code == 403
    client = as_user(personas.delegate_my)
    done = client.put(f"/api/talent/opportunities/{opp.pk}", body, content_type="application/json")
    assert done.status_code == 200, done.content
    assert (done.json()["title"], done.json()["seats"]) == ("Fellowship, second intake", 5)
    assert [s["label"] for s in done.json()["skills"]] == [esco["python"].label]
    closed = client.post(
        f"/api/talent/opportunities/{opp.pk}/status", {"status": "closed"}, content_type="application/json"
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    unknown = client.post(
        f"/api/talent/opportunities/{opp.pk}/status", {"status": "open"}, content_type="application/json"
    )
    assert unknown.status_code == 422
