"""The public-response and offline-input URLs × every role × two strategies, as data.

Anyone (signed in or not) reaches the public response page of a consultation open to the public
of a published strategy; a consultation addressed to councillors or partners only, a consultation
reached through another strategy's address, and an unpublished strategy give 404. Offline input
(responses and priorities) is the officers' (and administrators'); anonymous visitors are sent
to sign in, everybody else 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Strategy
from engagement import services
from engagement.models import ConsultationResponse, PublicCredit
from tests.conftest import Cast
from tests.engagement.conftest import full_answers, make_consultation, make_setting
from tests.permissions import ROLES, WHICH, sign_in
from tests.permissions import expected_status as _expected

EVERYONE = set(ROLES)
OFFICERS = {"officer", "admin"}
TOKEN = "a-known-token-for-the-table"


def _objects(strategy: Strategy, code: int) -> dict[str, object]:
    setting = make_setting(strategy, code=code)
    public = make_consultation(setting, audience="public", title="Open to everyone")
    partners = make_consultation(setting, audience="partners", title="Partners only")
    response = services.public_response_submit(
        consultation=public,
        answers=full_answers(public),
        respondent=services.PublicRespondent(
            name="Pat", email="pat@example.org", may_publish=True, credit=PublicCredit.NAME
        ),
        ip="192.0.2.1",
        confirm_url="http://testserver/{token}/",
    )
    ConsultationResponse.objects.filter(pk=response.pk).update(token_hash=services.hash_token(TOKEN))
    return {"public": public.pk, "partners": partners.pk, "call": setting.call.pk}


# (url name, kwargs beyond the strategy, who may GET it)
def _pages(objects: dict[str, object]) -> list[tuple[str, dict[str, object], set[str]]]:
    return [
        ("public-response-create", {"pk": objects["public"]}, EVERYONE),
        ("public-response-create", {"pk": objects["partners"]}, set()),
        ("public-response-sent", {"pk": objects["public"]}, EVERYONE),
        ("public-response-sent", {"pk": objects["partners"]}, set()),
        ("public-response-confirm", {"token": TOKEN}, EVERYONE),
        ("public-response-confirm", {"token": "forged"}, set()),
        ("offline-response-create", {"pk": objects["public"]}, OFFICERS),
        ("offline-response-create", {"pk": objects["partners"]}, OFFICERS),
        ("offline-priority-create", {"pk": objects["call"]}, OFFICERS),
    ]


def _public(name: str) -> bool:
    return name.startswith("public-")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_public_response_pages(client, cast: Cast, role: str, which: str) -> None:
    """Own strategy: the table. Other strategy: its objects through its own address behave the
    same for the public pages (they are public) and are 404 for offline input (not their officer);
    the own strategy's objects through the other strategy's address are always 404."""
    own = _objects(cast.strategy, 100)
    other = _objects(cast.other_strategy, 200) if which == "other" else own
    strategy = cast.strategy if which == "own" else cast.other_strategy
    sign_in(client, cast, role)
    failures = []
    for name, kwargs, allowed in _pages(other):
        url = reverse(f"engagement:{name}", kwargs={"strategy_slug": strategy.slug, **kwargs})
        status = client.get(url).status_code
        public = 200 if role in allowed else 404
        expected = public if _public(name) else _expected(role, allowed, own=which == "own")
        if status != expected:
            failures.append(f"{name} {kwargs}: {status}, expected {expected}")
    if which == "other":
        # The own strategy's objects through the other strategy's address: never.
        for name, kwargs, _ in _pages(own):
            if "token" in kwargs:
                continue
            url = reverse(f"engagement:{name}", kwargs={"strategy_slug": strategy.slug, **kwargs})
            status = client.get(url).status_code
            expected = 302 if role == "anonymous" and not _public(name) else 404
            if status != expected:
                failures.append(f"cross-strategy {name} {kwargs}: {status}, expected {expected}")
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_a_token_of_one_strategy_is_404_through_another(client, cast: Cast) -> None:
    _objects(cast.strategy, 100)
    url = reverse(
        "engagement:public-response-confirm", kwargs={"strategy_slug": cast.other_strategy.slug, "token": TOKEN}
    )
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 400
    assert ConsultationResponse.objects.get().status == ConsultationResponse.Status.UNCONFIRMED


@pytest.mark.django_db
def test_an_unpublished_strategy_hides_its_public_pages_from_the_public(client, cast: Cast) -> None:
    objects = _objects(cast.strategy, 100)
    Strategy.objects.filter(pk=cast.strategy.pk).update(is_published=False)
    url = reverse(
        "engagement:public-response-create", kwargs={"strategy_slug": cast.strategy.slug, "pk": objects["public"]}
    )
    assert client.get(url).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.partner)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_officers_post_offline_input(client, cast: Cast, role: str) -> None:
    objects = _objects(cast.strategy, 100)
    sign_in(client, cast, role)
    url = reverse(
        "engagement:offline-response-create", kwargs={"strategy_slug": cast.strategy.slug, "pk": objects["partners"]}
    )
    before = ConsultationResponse.objects.count()
    response = client.post(url, {"channel": "phone"})
    if role in OFFICERS:
        assert response.status_code == 200  # the form again, with its errors
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
    assert ConsultationResponse.objects.count() == before
