"""A person's data: the JSON and CSV downloads hold everything they contributed; an administrator's
erasure keeps what was submitted, credited to "a participant", deletes their drafts and
subscriptions, clears the account and audits it with counts."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit import AuditVerb
from core.models import AuditEvent, Invitation, Membership, User
from core.services import audit_record
from documents import services as documents_services
from documents.models import ReviewComment
from engagement.models import ConsultationResponse, Priority, Subscription
from lis_portal import personal_data
from tests.conftest import Cast
from tests.engagement.conftest import make_consultation, make_priority, make_response, make_setting
from tests.evidence.conftest import make_item

pytestmark = pytest.mark.django_db


def _contribute(cast: Cast) -> dict[str, Any]:
    setting = make_setting(cast.strategy, code=100)
    submitted = make_priority(setting, cast.councillor, title="Ports skills")
    draft = make_priority(setting, cast.councillor, submit=False, title="Unfinished idea")
    consultation = make_consultation(setting)
    response = make_response(setting, consultation, cast.partner)
    draft_strategy = documents_services.draft_create(actor=cast.officer, strategy=cast.strategy)
    version = documents_services.draft_version_save(actor=cast.officer, draft=draft_strategy, note="For review")
    window = documents_services.review_window_open(
        actor=cast.officer, draft=draft_strategy, version=version, organisations=[setting.council]
    )
    section = draft_strategy.sections.order_by("order").first()
    assert section is not None
    comment = documents_services.review_comment_add(
        actor=cast.councillor, window=window, section=section, body="=More on *ports*."
    )
    item = make_item(cast.strategy, title="Councillor's survey", added_by=cast.councillor)
    Subscription.objects.create(strategy=cast.strategy, email=cast.councillor.email.upper(), status="confirmed")
    Subscription.objects.create(strategy=cast.other_strategy, email=cast.councillor.email, status="pending")
    Subscription.objects.create(strategy=cast.strategy, email="someone.else@example.org", status="confirmed")
    return {
        "submitted": submitted,
        "draft": draft,
        "response": response,
        "comment": comment,
        "item": item,
        "setting": setting,
    }


def test_your_data_downloads_hold_everything_contributed(client: Client, cast: Cast) -> None:
    made = _contribute(cast)
    client.force_login(cast.councillor)
    page = client.get(reverse("your-data"))
    assert page.status_code == 200 and "Your data" in page.content.decode()

    response = client.get(reverse("your-data-json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["person"]["email"] == cast.councillor.email
    assert {p["title"] for p in data["priorities"]} == {"Ports skills", "Unfinished idea"}
    assert [c["body"] for c in data["review_comments"]] == ["=More on *ports*."]
    assert [e["title"] for e in data["evidence_items"]] == ["Councillor's survey"]
    assert {(s["strategy"], s["status"]) for s in data["subscriptions"]} == {
        (cast.strategy.name, "Confirmed"),
        (cast.other_strategy.name, "Pending"),
    }
    assert data["consultation_responses"] == []  # the partner's, not the councillor's

    rows = list(csv.DictReader(io.StringIO(client.get(reverse("your-data-csv")).content.decode("utf-8-sig"))))
    kinds = [row["kind"] for row in rows]
    assert kinds.count("priority") == 2 and kinds.count("review_comment") == 1
    assert kinds.count("evidence_item") == 1 and kinds.count("subscription") == 2
    comment_row = next(row for row in rows if row["kind"] == "review_comment")
    assert comment_row["text"] == "'=More on *ports*."  # a spreadsheet will not run it as a formula
    assert AuditEvent.objects.filter(verb="person.data_exported", actor=cast.councillor).count() == 2

    # The partner's download has the response, with the answers by question.
    client.force_login(cast.partner)
    data = json.loads(client.get(reverse("your-data-json")).content)
    [answer_set] = data["consultation_responses"]
    assert answer_set["id"] == made["response"].pk
    assert "submitted" in answer_set["your_part"] and answer_set["answers"]


def test_download_query_count_does_not_grow_with_rows(client: Client, cast: Cast) -> None:
    setting = make_setting(cast.strategy, code=100)
    client.force_login(cast.councillor)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("your-data-json"))
        return len(ctx.captured_queries)

    make_priority(setting, cast.councillor, title="One")
    few = count()
    for i in range(6):
        make_priority(setting, cast.councillor, title=f"P{i}")
        make_item(cast.strategy, title=f"Item {i}", added_by=cast.councillor)
    assert count() == few


def test_erasure_keeps_published_contributions_credited_to_a_participant(client: Client, cast: Cast) -> None:
    made = _contribute(cast)
    person = cast.councillor
    old_email, old_name = person.email, person.name
    Invitation.objects.create(
        email=old_email,
        name="x",
        organisation=made["setting"].council,
        role="councillor",
        token_hash="f" * 64,
        expires_at="2099-01-01T00:00Z",
    )
    # The trail named the address (an invitation) and the person (their own export).
    invitation = Invitation.objects.get(email=old_email)
    audit_record(actor=cast.admin, verb=AuditVerb.INVITATION_SENT, target=invitation, data={"email": old_email})
    personal_data.personal_data_exported(person=person, fmt="json")
    client.force_login(cast.admin)
    url = reverse("person-erase", kwargs={"pk": person.pk})
    page = client.get(url)
    assert page.status_code == 200 and "Erase this person" in page.content.decode()
    assert User.objects.get(pk=person.pk).is_active  # the GET changed nothing
    response = client.post(url)
    assert response.status_code == 302

    person.refresh_from_db()
    assert person.name == "a participant"
    assert person.email == f"erased-{person.pk}@erased.invalid"
    assert not person.is_active and not person.has_usable_password()
    assert not Membership.objects.filter(user=person).exists()
    assert not Invitation.objects.filter(email=old_email).exists()
    # Submitted contributions stay, with their author; the draft only they wrote is gone.
    assert Priority.objects.filter(pk=made["submitted"].pk, author=person).exists()
    assert not Priority.objects.filter(pk=made["draft"].pk).exists()
    assert ReviewComment.objects.filter(pk=made["comment"].pk, author=person).exists()
    assert made["item"].__class__.objects.filter(pk=made["item"].pk, added_by=person).exists()
    # Subscriptions under their email, in every strategy, are deleted; others' stay.
    assert list(Subscription.objects.values_list("email", flat=True)) == ["someone.else@example.org"]
    # The audit event: who and counts, not the erased data.
    event = AuditEvent.objects.get(verb="person.erased")
    assert event.actor == cast.admin and event.target_id == str(person.pk)
    assert event.data["drafts_deleted"] == {"priorities": 1, "consultation_responses": 0}
    assert event.data["kept"]["priorities"] == 1 and event.data["kept"]["review_comments"] == 1
    assert event.data["subscriptions_deleted"] == 2
    assert old_email not in json.dumps(event.data) and old_email not in event.target_repr
    assert not AuditEvent.objects.filter(data__email=old_email).exists()
    assert not AuditEvent.objects.filter(target_repr__icontains=old_email).exists()
    assert not AuditEvent.objects.filter(target_repr__icontains=old_name).exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.INVITATION_SENT, target_repr__startswith="(erased) to").exists()

    # Where pages show the author, they now say "a participant".
    client.force_login(cast.officer)
    detail = client.get(made["submitted"].get_absolute_url()).content.decode()
    assert "a participant" in detail and old_name not in detail and old_email not in detail
    # And erasing twice is refused.
    client.force_login(cast.admin)
    assert "already been erased" in client.get(url).content.decode()


def test_erasure_keeps_a_draft_a_colleague_also_worked_on(cast: Cast) -> None:
    setting = make_setting(cast.strategy, code=100)
    consultation = make_consultation(setting)
    draft = make_response(setting, consultation, cast.partner, submit=False)
    ConsultationResponse.objects.filter(pk=draft.pk).update(last_saved_by=cast.officer)
    plan = personal_data.person_erase(actor=cast.admin, person=cast.partner)
    assert plan.drafts_deleted["consultation_responses"] == []
    assert ConsultationResponse.objects.filter(pk=draft.pk).exists()


def test_erasure_refuses_oneself_and_administrators(cast: Cast) -> None:
    from core.exceptions import ApplicationError

    with pytest.raises(ApplicationError, match="your own account"):
        personal_data.person_erase(actor=cast.admin, person=cast.admin)
    other_admin = User.objects.create_user("second.admin@example.org", name="Second", is_staff=True)
    with pytest.raises(ApplicationError, match="administrator"):
        personal_data.person_erase(actor=cast.admin, person=other_admin)


ROLES = ["anonymous", "outsider", "councillor", "officer", "board_member", "partner", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_permissions(client: Client, cast: Cast, role: str) -> None:
    """Your data: every signed-in person, their own only (no id in the address). Erasure: staff
    only; everybody else 404 (anonymous: sign in), and nothing changes."""
    person = cast.person(role)
    if person is not None:
        client.force_login(person)
    for name in ("your-data", "your-data-json", "your-data-csv"):
        response = client.get(reverse(name))
        if person is None:
            assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        else:
            assert response.status_code == 200
            if name == "your-data-json":
                assert json.loads(response.content)["person"]["email"] == person.email
    # Erasing a person of either strategy.
    for target in (cast.partner, cast.other_officer):
        url = reverse("person-erase", kwargs={"pk": target.pk})
        expected = {"admin": 200, "anonymous": 302}.get(role, 404)
        assert client.get(url).status_code == expected
        if role != "admin":
            assert client.post(url).status_code == expected
            assert User.objects.get(pk=target.pk).is_active


def test_the_admin_page_for_a_person_links_to_erasure(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    page = client.get(reverse("admin:core_user_change", args=[cast.partner.pk])).content.decode()
    assert reverse("person-erase", kwargs={"pk": cast.partner.pk}) in page


def test_public_responses_under_the_persons_email_are_exported_and_erased(cast: Cast) -> None:
    from engagement import services as engagement_services
    from engagement.models import PublicCredit
    from tests.engagement.conftest import full_answers

    setting = make_setting(cast.strategy, code=100)
    consultation = make_consultation(setting, audience="public")

    def send(email: str) -> ConsultationResponse:
        return engagement_services.public_response_submit(
            consultation=consultation,
            answers=full_answers(consultation),
            respondent=engagement_services.PublicRespondent(
                name="Chris Councillor", email=email, may_publish=True, credit=PublicCredit.NAME
            ),
            ip="203.0.113.7",
            confirm_url="http://testserver/confirm/{token}/",
        )

    confirmed = send(cast.councillor.email.upper())
    ConsultationResponse.objects.filter(pk=confirmed.pk).update(status="submitted", token_hash="", confirm_by=None)
    unconfirmed = send(cast.councillor.email)
    someone_else = send("someone.else@example.org")

    data = personal_data.personal_data_collect(person=cast.councillor)
    exported = {r["id"]: r for r in data["consultation_responses"]}
    assert {confirmed.pk, unconfirmed.pk} <= set(exported) and someone_else.pk not in exported
    assert exported[confirmed.pk]["as_member_of_the_public"] is True

    personal_data.person_erase(actor=cast.admin, person=cast.councillor)
    kept = ConsultationResponse.objects.get(pk=confirmed.pk)
    assert kept.respondent_name == "" and kept.credit == PublicCredit.ANONYMOUS and kept.ip_hash == ""
    assert kept.respondent_email == User.objects.get(pk=cast.councillor.pk).email  # the placeholder
    assert not ConsultationResponse.objects.filter(pk=unconfirmed.pk).exists()
    assert ConsultationResponse.objects.get(pk=someone_else.pk).respondent_name == "Chris Councillor"


def test_the_csv_download_is_not_kept_by_a_shared_cache(client, cast: Cast) -> None:
    client.force_login(cast.councillor)
    assert client.get(reverse("your-data-csv"))["Cache-Control"] == "private, no-store"
