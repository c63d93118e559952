"""Browser steps shared by the joint-project walks (``test_joint_projects.py`` and
``test_programmes_whole_path.py``): both parties' delegates appraise a project, and Malaysia's delegate
approves it and adds its first workplan milestone; the last pages on a phone and in Urdu. And the programmes
both walks start from."""

from __future__ import annotations

from playwright.sync_api import expect

from concord.programmes import actions as registry
from concord.programmes.models import JointProject, Programme, Stage

from .week import DESKTOP, PHONE, no_sideways_scroll, sign_in_as


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


def on_a_phone_then_in_urdu(page, base: str, shot, phone: tuple, urdu: tuple[str, str, str]) -> None:
    """Each ``(url, screenshot name)`` of ``phone`` at 390 px, none scrolling sideways; then, after choosing
    Urdu on the home page, ``urdu = (url, name at 390 px, name at 1366 px)`` right to left at both widths."""
    page.set_viewport_size(PHONE)
    for path, name in phone:
        page.goto(path)
        no_sideways_scroll(page)
        shot(name)
    page.goto(f"{base}/")
    page.get_by_label("Language").select_option("ur")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    url, on_phone, on_desktop = urdu
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    no_sideways_scroll(page)
    shot(on_phone)
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    shot(on_desktop)


def record_programme(p, party: str, title: str, summary: str, instruments: list[str], themes: list[str]):
    """``party``'s analyst (``"my"`` or ``"pk"``) records a programme of the dialogue."""
    return registry.do_create_programme(
        actor=p.users[f"analyst_{party}"],
        dialogue=p.dialogue,
        party=getattr(p, party),
        title=title,
        summary=summary,
        instruments=instruments,
        themes=themes,
    )


def cyber_security_talent_plan(p) -> Programme:
    """Malaysia's programme that both walks compare with Pakistan's and build a joint project on."""
    summary = "Trains cyber security professionals in universities and agencies."
    return record_programme(
        p, "my", "Cyber security talent plan", summary, ["skills", "funding"], ["cybersecurity"]
    )
