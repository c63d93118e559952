"""The programmes demo loads through the public actions, is idempotent, labels its summaries, leaves
unknown figures empty, and puts one demo joint project in each of the statement's four areas, at different
stages."""

from __future__ import annotations

import io

from concord.demo.load import load_foundation
from concord.programmes.demo import SUMMARY_BY, load_programmes
from concord.programmes.models import Indicator, JointProject, Programme


def test_the_demo_loads_twice_without_duplicates(db):
    out = io.StringIO()
    load_foundation(out)
    load_programmes(out)
    load_programmes(out)
    programmes = list(Programme.objects.all())
    assert {p.party.code for p in programmes} == {"MY", "PK"} and len(programmes) == 11
    assert all(p.summary_by == SUMMARY_BY for p in programmes)
    assert all(p.budget_amount is None and p.start_date is None and p.end_date is None for p in programmes)
    assert not Indicator.objects.exists()
    projects = list(JointProject.objects.prefetch_related("themes"))
    assert len(projects) == 4 and all(j.title.startswith("Demo:") for j in projects)
    assert {t.slug for j in projects for t in j.themes.all()} == {
        "cybersecurity",
        "smart-cities",
        "digital-finance",
        "e-government",
    }
    assert {j.stage for j in projects} == {"idea", "concept_note", "appraisal", "approved"}


def test_the_demo_cyber_programmes_find_each_other(db):
    from concord.accounts.models import User
    from concord.programmes.exchange import comparable_programmes

    load_foundation(io.StringIO())
    load_programmes(io.StringIO())
    observer = User.objects.get(email__startswith="observer@")
    mine = Programme.objects.get(title="Malaysia Cyber Security Strategy 2020–2024")
    best = comparable_programmes(observer, mine)[0]
    assert best.programme.title == "National Cyber Security Policy"
    assert best.why.shared_themes == ("cybersecurity",)


def test_the_demo_has_two_peer_learning_requests_one_answered_from_the_registry_one_open(db):
    from concord.programmes.models import PeerRequest

    load_foundation(io.StringIO())
    load_programmes(io.StringIO())
    load_programmes(io.StringIO())
    requests = {r.party.code: r for r in PeerRequest.objects.select_related("party", "asked_party")}
    assert set(requests) == {"MY", "PK"} and PeerRequest.objects.count() == 2
    answered, open_one = requests["MY"], requests["PK"]
    assert answered.state == "answered" and open_one.state == "open" and not open_one.answers.exists()
    [reply] = answered.answers.prefetch_related("programmes")
    [cited] = reply.programmes.all()
    assert cited == answered.programme and cited.title == "Raast"
    # The answer restates only what the labelled summary of the programme it cites says.
    for claim in ("instant payment system", "State Bank of Pakistan", "alias of an account"):
        assert claim in reply.text and claim in cited.summary
    assert all("Written for the demo" in t for t in (answered.question, open_one.question, reply.text))
