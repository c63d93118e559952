"""Browser steps shared by the joint-project walks (``test_joint_projects.py`` and
``test_programmes_whole_path.py``): both parties' delegates appraise a project, and Malaysia's delegate
approves it and adds its first workplan milestone."""

from __future__ import annotations

from playwright.sync_api import expect

from concord.programmes.models import JointProject, Stage

from .week import sign_in_as


def appraise(page, login, url: str, criteria, scores, comment: str = "") -> None:
    """Each ``(user, party code, scores per criterion)`` of ``scores`` signs in and records their party's
    appraisal of the project at ``url`` (with ``comment`` on the first criterion, when given)."""
    for user, party, marks in scores:
        sign_in_as(page, login, user)
        page.goto(url)
        form = page.locator("form").filter(has=page.locator(f"input[name=party][value={party}]"))
        for criterion, score in zip(criteria, marks, strict=True):
            form.locator(f"#score-{party}-{criterion.pk}").fill(score)
        if comment:
            form.locator(f"#comment-{party}-{criteria[0].pk}").fill(comment)
        form.get_by_role("button", name="Record the appraisal").click()
        expect(page.get_by_text("Appraisal recorded")).to_be_visible()


def approve_with_a_milestone(page, milestone: str) -> None:
    """The signed-in delegate approves the appraised project and adds its first milestone."""
    page.get_by_role("button", name="Move to “Approved”").click()
    expect(page.locator("#project-stage")).to_have_text("Approved")
    assert JointProject.objects.get().stage == Stage.APPROVED
    page.get_by_text("Add a milestone").click()
    page.locator("#id_m-title").fill(milestone)
    page.locator("#id_m-end_date").fill("2027-06-30")
    page.get_by_role("button", name="Add").first.click()
    expect(page.get_by_role("link", name=milestone)).to_be_visible()
