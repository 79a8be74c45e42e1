"""Every engagement URL × every role × two strategies, as data.

Councillors of the strategy's councils see the calls and write their council's priorities; officers
(and administrators) run the calls and see submitted priorities; everybody else gets 404, and
anonymous visitors are sent to sign in. A priority of another strategy is never reachable through
this strategy's addresses, and a draft is the council's alone.

Consultations (here addressed to partners): partners see them and respond for their organisation;
officers (and administrators) run them and see submitted responses; a draft response is its
organisation's alone; councillors, to whom these are not addressed, see the list but none of them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import User
from engagement import services
from engagement.models import ConsultationResponse, Priority, Proposition, Question
from tests.conftest import Cast
from tests.engagement.conftest import Setting, make_consultation, make_priority, make_response, make_setting
from tests.permissions import ROLES, WHICH, page_failures, sign_in, strategy_of
from tests.permissions import expected_status as _expected

__all__ = ["OFFICERS", "ROLES", "_expected", "_objects"]  # the tables of the other engagement files use them

MEMBERS = {"councillor", "officer", "partner", "admin"}
CALLS = {"councillor", "officer", "admin"}
OFFICERS = {"officer", "admin"}
COUNCIL = {"councillor"}
PARTNER = {"partner"}
RESPONDENTS = {"councillor", "partner"}
CONSULTED = {"partner", "officer", "admin"}

# (url name, which object it needs, who may GET it in their own strategy)
PAGES = [
    ("index", None, MEMBERS),
    ("call-list", None, CALLS),
    ("call-create", None, OFFICERS),
    ("call-detail", "call", CALLS),
    ("call-edit", "call", OFFICERS),
    ("call-priorities", "call", OFFICERS),
    ("call-export", "call", OFFICERS),
    ("priority-create", "call", COUNCIL),
    ("priority-list", None, COUNCIL),
    ("priority-detail", "submitted", {"councillor", "officer", "admin"}),
    ("priority-detail", "draft", COUNCIL),
    ("priority-edit", "submitted", COUNCIL),
    ("priority-edit", "draft", COUNCIL),
    ("priority-withdraw", "submitted", COUNCIL),
    ("priority-code", "submitted", OFFICERS),
    ("priority-code", "draft", set()),
    ("priority-respond", "submitted", OFFICERS),
    ("priority-hide", "submitted", OFFICERS),
    # Consultations and responses.
    ("consultation-list", None, MEMBERS),
    ("consultation-create", None, OFFICERS),
    ("consultation-detail", "consultation", CONSULTED),
    ("consultation-edit", "consultation", OFFICERS),
    ("question-create", "fresh_consultation", OFFICERS),
    ("consultation-responses", "consultation", OFFICERS),
    ("consultation-export", "consultation", OFFICERS),
    ("response-list", None, RESPONDENTS),
    ("response-detail", "response", CONSULTED),
    ("response-detail", "draft_response", PARTNER),
    ("response-edit", "draft_response", PARTNER),
    ("response-code", "response", OFFICERS),
    ("response-code", "draft_response", set()),
    ("response-reply", "response", OFFICERS),
    ("response-reply", "draft_response", set()),
    ("response-hide", "response", OFFICERS),
    # Propositions: the officers' synthesis; a councillor reads one their council's priority fed.
    ("proposition-list", None, OFFICERS),
    ("proposition-create", None, OFFICERS),
    ("proposition-detail", "proposition", OFFICERS | COUNCIL),
    ("proposition-detail", "unfed_proposition", OFFICERS),
    ("proposition-edit", "proposition", OFFICERS),
]

# POST-only actions: (url name, object, data, who may do it)
ACTIONS: list[tuple[str, str, dict[str, str], set[str]]] = [
    ("priority-submit", "draft", {}, COUNCIL),
    ("priority-unhide", "hidden", {}, OFFICERS),
]


def _objects(cast: Cast, strategy_key: str) -> dict[str, int]:
    strategy = cast.strategy if strategy_key == "own" else cast.other_strategy
    setting = make_setting(strategy, code=100 if strategy_key == "own" else 200)
    author = cast.councillor if strategy_key == "own" else _other_councillor(setting)
    submitted = make_priority(setting, author)
    draft = make_priority(setting, author, submit=False, title="A draft")
    hidden = make_priority(setting, author, title="Hidden")
    Priority.objects.filter(pk=hidden.pk).update(is_hidden=True, hidden_reason="Test")
    partner = cast.partner if strategy_key == "own" else _other_partner(setting)
    consultation = make_consultation(setting)
    response = make_response(setting, consultation, partner)
    draft_response = make_response(setting, make_consultation(setting, title="Second"), partner, submit=False)
    hidden_response = make_response(setting, make_consultation(setting, title="Third"), partner)
    ConsultationResponse.objects.filter(pk=hidden_response.pk).update(is_hidden=True, hidden_reason="Test")
    fresh = make_consultation(setting, title="No responses yet")
    proposition = services.proposition_create(
        actor=User.objects.get(email=f"officer@{setting.strategy.slug}.example"),
        strategy=setting.strategy,
        data=services.PropositionData(title="Skills", description="Skills.", priorities=[submitted]),
    )
    unfed = Proposition.objects.create(strategy=setting.strategy, title="Transport", description="No council's.")
    return {
        "unfed_proposition": unfed.pk,
        "call": setting.call.pk,
        "submitted": submitted.pk,
        "draft": draft.pk,
        "hidden": hidden.pk,
        "consultation": consultation.pk,
        "response": response.pk,
        "draft_response": draft_response.pk,
        "hidden_response": hidden_response.pk,
        "fresh_consultation": fresh.pk,
        "proposition": proposition.pk,
        "question": fresh.questions.order_by("order").first().pk,  # type: ignore[union-attr]
    }


def _other_councillor(setting: Setting) -> User:
    return User.objects.get(email=f"councillor@{setting.strategy.slug}.example")


def _other_partner(setting: Setting) -> User:
    return User.objects.get(email=f"partner@{setting.strategy.slug}.example")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_engagement_pages(client, cast: Cast, role: str, which: str) -> None:
    objects = _objects(cast, which)
    sign_in(client, cast, role)
    failures = page_failures(
        client,
        namespace="engagement",
        pages=PAGES,
        strategy=strategy_of(cast, which),
        objects=objects,
        role=role,
        own=which == "own",
    )
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize(("name", "needs", "data", "allowed"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_engagement_actions(
    client, cast: Cast, role: str, which: str, name: str, needs: str, data: dict[str, str], allowed: set[str]
) -> None:
    objects = _objects(cast, which)
    strategy = strategy_of(cast, which)
    sign_in(client, cast, role)
    url = reverse(f"engagement:{name}", kwargs={"strategy_slug": strategy.slug, "pk": objects[needs]})
    before = Priority.objects.get(pk=objects[needs])
    response = client.post(url, data)
    after = Priority.objects.get(pk=objects[needs])
    may = role in allowed and (which == "own" or role == "admin")
    if may:
        assert response.status_code == 302
        assert (before.status, before.is_hidden) != (after.status, after.is_hidden)
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
        assert (before.status, before.is_hidden) == (after.status, after.is_hidden)


@pytest.mark.django_db
def test_a_priority_is_not_reachable_through_another_strategy(client, cast: Cast) -> None:
    """An officer of the other strategy, and the other strategy's address, both get 404."""
    objects = _objects(cast, "own")
    client.force_login(cast.other_officer)
    for strategy in (cast.strategy, cast.other_strategy):
        url = reverse("engagement:priority-detail", kwargs={"strategy_slug": strategy.slug, "pk": objects["submitted"]})
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_colleagues_of_the_same_council_see_the_councils_priorities(client, cast: Cast) -> None:
    from core.models import Organisation, Role
    from tests.factories import MembershipFactory

    objects = _objects(cast, "own")
    council = Organisation.objects.get(slug="kent-council")
    colleague = MembershipFactory(organisation=council, role=Role.COUNCILLOR).user
    client.force_login(colleague)
    for needs in ("submitted", "draft"):
        url = reverse("engagement:priority-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": objects[needs]})
        assert client.get(url).status_code == 200
    listing = client.get(reverse("engagement:priority-list", kwargs={"strategy_slug": cast.strategy.slug}))
    assert "A draft" in listing.content.decode()


# POST-only consultation actions: (url name, object, data, who may do it)
CONSULTATION_ACTIONS: list[tuple[str, str, dict[str, str], set[str]]] = [
    ("response-start", "fresh_consultation", {}, PARTNER),
    ("response-unhide", "hidden_response", {}, OFFICERS),
    ("question-delete", "question", {}, OFFICERS),
    ("question-move", "question", {"direction": "down"}, OFFICERS),
    ("proposition-status", "proposition", {"status": "agreed"}, OFFICERS),
]


def _state(name: str, pk: int) -> object:
    """What the action changes, read fresh from the database."""
    if name == "response-start":
        return ConsultationResponse.objects.filter(consultation_id=pk).count()
    if name == "response-unhide":
        return ConsultationResponse.objects.get(pk=pk).is_hidden
    if name == "proposition-status":
        return Proposition.objects.get(pk=pk).status
    question = Question.objects.filter(pk=pk).first()
    return None if question is None else question.order


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize(
    ("name", "needs", "data", "allowed"), CONSULTATION_ACTIONS, ids=[a[0] for a in CONSULTATION_ACTIONS]
)
def test_consultation_actions(
    client, cast: Cast, role: str, which: str, name: str, needs: str, data: dict[str, str], allowed: set[str]
) -> None:
    objects = _objects(cast, which)
    strategy = cast.strategy if which == "own" else cast.other_strategy
    person = cast.person(role)
    if person is not None:
        client.force_login(person)
    url = reverse(f"engagement:{name}", kwargs={"strategy_slug": strategy.slug, "pk": objects[needs]})
    before = _state(name, objects[needs])
    response = client.post(url, data)
    after = _state(name, objects[needs])
    may = role in allowed and (which == "own" or role == "admin")
    if may:
        assert response.status_code == 302
        assert before != after
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
        assert before == after


@pytest.mark.django_db
def test_a_response_is_not_reachable_through_another_strategy_or_by_another_organisation(client, cast: Cast) -> None:
    from core.models import Organisation, Role
    from tests.factories import MembershipFactory, OrganisationFactory

    objects = _objects(cast, "own")
    client.force_login(cast.other_officer)
    for strategy in (cast.strategy, cast.other_strategy):
        url = reverse("engagement:response-detail", kwargs={"strategy_slug": strategy.slug, "pk": objects["response"]})
        assert client.get(url).status_code == 404
    # A partner of another partner organisation of the same strategy sees neither draft nor response.
    college = OrganisationFactory(kind=Organisation.Kind.COLLEGE)
    cast.strategy.partners.add(college)
    stranger = MembershipFactory(organisation=college, role=Role.PARTNER).user
    client.force_login(stranger)
    for needs in ("response", "draft_response"):
        url = reverse("engagement:response-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": objects[needs]})
        assert client.get(url).status_code == 404
    # A colleague from the same organisation sees both, and may continue the draft.
    colleague = MembershipFactory(organisation=Organisation.objects.get(slug="kent-university"), role=Role.PARTNER).user
    client.force_login(colleague)
    for name, needs in (
        ("response-detail", "response"),
        ("response-detail", "draft_response"),
        ("response-edit", "draft_response"),
    ):
        url = reverse(f"engagement:{name}", kwargs={"strategy_slug": cast.strategy.slug, "pk": objects[needs]})
        assert client.get(url).status_code == 200
