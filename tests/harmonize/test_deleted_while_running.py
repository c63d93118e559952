"""A comparison deleted while the engine runs on it: the job fails with a message saying so, nothing of the
run is saved, and the API answers with its documented statuses (never a 500)."""

from __future__ import annotations

import pytest

from concord.accounts import actions as account_actions
from concord.core.models import Job
from concord.harmonize import actions, pipeline
from concord.harmonize.models import Comparison, Gap, Mapping

pytestmark = pytest.mark.django_db


@pytest.fixture
def deleted_mid_run(monkeypatch, personas):
    """Another request deletes the comparison after the engine has computed, before the results are saved."""
    real = pipeline.harmonize

    def engine_then_delete(*args, **kwargs):
        result = real(*args, **kwargs)
        for comparison in Comparison.objects.all():
            actions.do_delete_comparison(actor=personas.secretariat, comparison=comparison)
        return result

    monkeypatch.setattr(pipeline, "harmonize", engine_then_delete)


def test_the_job_fails_cleanly_and_nothing_is_saved(personas, make_comparison, deleted_mid_run):
    comparison = make_comparison()
    pk = comparison.pk

    job = actions.do_run_comparison(actor=personas.analyst_my, comparison=comparison)

    job = Job.objects.get(pk=job.pk)
    assert job.is_finished and job.error
    assert "deleted" in job.error
    assert not Comparison.objects.filter(pk=pk).exists()
    assert not Mapping.objects.filter(comparison_id=pk).exists()
    assert not Gap.objects.filter(comparison_id=pk).exists()


def test_the_api_answers_without_a_server_error(personas, make_comparison, deleted_mid_run, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    _token, key = account_actions.do_create_token(actor=personas.analyst_my, name="tests")
    comparison = make_comparison()

    response = client.post(f"/api/comparisons/{comparison.pk}/run", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"
    job = Job.objects.filter(kind="harmonize.run").get()
    answer = client.get(f"/api/jobs/{job.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 200
    assert "deleted" in answer.json()["error"]


def test_a_comparison_deleted_before_its_task_starts_fails_the_job(personas, make_comparison):
    from concord.core import actions as core_actions

    comparison = make_comparison()
    job = core_actions.do_start_job(actor=personas.analyst_my, kind="harmonize.run", label="x", total=100)
    pk = comparison.pk
    comparison.delete()

    pipeline.run(job_id=str(job.pk), comparison_id=pk)

    job.refresh_from_db()
    assert job.is_finished and "deleted" in job.error
