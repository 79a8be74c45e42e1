"""Every evidence URL and every API endpoint × every role × two strategies, as data.

Open pages (the library, indicators, specialisms, productivity, open data) answer everybody, with
only the items each person may see. The evidence home and the gaps answer people taking part;
imports, contributors and the narrative answer officers. Everybody else: 404, and anonymous
visitors are sent to sign in. Items: open to all, partners-level to people taking part,
officers-level to officers; in the other strategy only its open items show."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from evidence.models import EvidenceItem, ImportJob, Sharing
from tests.conftest import Cast
from tests.evidence.conftest import Places, make_item
from tests.permissions import ROLES, WHICH, page_failures, sign_in, strategy_of

EVERYBODY = set(ROLES)
MEMBERS = {"councillor", "officer", "partner", "admin"}
OFFICERS = {"officer", "admin"}

# (url name, which object it needs, who may GET it in their own strategy)
PAGES = [
    ("index", None, MEMBERS),
    ("item-list", None, EVERYBODY),
    ("item-create", None, OFFICERS),
    ("item-detail", "open", EVERYBODY),
    ("item-detail", "partners", MEMBERS),
    ("item-detail", "officers", OFFICERS),
    ("item-download", "open", EVERYBODY),
    ("item-download", "partners", MEMBERS),
    ("item-download", "officers", OFFICERS),
    # Editing and removing: officers (an invited partner's own items: tests/evidence/test_item_edit.py).
    ("item-edit", "open", OFFICERS),
    ("item-edit", "partners", OFFICERS),
    ("item-edit", "officers", OFFICERS),
    ("item-delete", "open", OFFICERS),
    ("item-delete", "partners", OFFICERS),
    ("item-delete", "officers", OFFICERS),
    ("contributor-list", None, OFFICERS),
    ("indicator-list", None, EVERYBODY),
    ("specialisms", None, EVERYBODY),
    ("productivity", None, EVERYBODY),
    ("gaps", None, MEMBERS),
    ("narrative-edit", "theme", OFFICERS),
    ("import-list", None, OFFICERS),
    ("import-detail", "job", OFFICERS),
    ("import-progress", "job", OFFICERS),
    ("open-data", None, EVERYBODY),
    ("open-items-csv", None, EVERYBODY),
    ("open-items-json", None, EVERYBODY),
    ("open-indicators-csv", None, EVERYBODY),
    ("open-indicators-json", None, EVERYBODY),
]

# POST-only actions: officers are redirected; everybody else is refused.
ACTIONS = ["import-start", "contributor-remove"]


def _objects(strategy, officer) -> dict[str, object]:
    objects: dict[str, object] = {}
    for level in (Sharing.OPEN, Sharing.PARTNERS, Sharing.OFFICERS):
        objects[level] = make_item(strategy, sharing=level, title=f"{level} item", pdf=True).pk
    job = ImportJob(strategy=strategy, layout="bres", file_name="bres.csv", created_by=officer)
    job.file.save("import.csv", ContentFile(b"DATE,GEOGRAPHY_CODE,INDUSTRY_CODE,COUNT\n"))
    objects["job"] = job.pk
    objects["theme"] = "people"
    return objects


def _kwargs(strategy, needs: str | None, objects: Mapping[str, object]) -> dict[str, object]:
    kwargs: dict[str, object] = {"strategy_slug": strategy.slug}
    if needs == "theme":
        kwargs["theme_slug"] = objects["theme"]
    elif needs:
        kwargs["pk"] = objects[needs]
    return kwargs


def _expected(role: str, allowed: set[str], *, own: bool) -> int:
    if role in allowed and (own or role == "admin" or allowed is EVERYBODY):
        return 200
    return 302 if role == "anonymous" and allowed is not EVERYBODY else 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_evidence_pages(client, cast: Cast, places: Places, role: str, which: str, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    strategy = strategy_of(cast, which)
    officer = cast.officer if which == "own" else cast.other_officer
    objects = _objects(strategy, officer)
    sign_in(client, cast, role)
    failures = page_failures(
        client,
        namespace="evidence",
        pages=PAGES,
        strategy=strategy,
        objects=objects,
        role=role,
        own=which == "own",
        expected=_expected,
        url_kwargs=_kwargs,
    )
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_the_library_lists_only_what_each_person_may_see(client, cast: Cast, role: str, which: str) -> None:
    strategy = cast.strategy if which == "own" else cast.other_strategy
    for level in (Sharing.OPEN, Sharing.PARTNERS, Sharing.OFFICERS):
        make_item(strategy, sharing=level, title=f"The {level}-level report")
    sign_in(client, cast, role)
    page = client.get(reverse("evidence:item-list", kwargs={"strategy_slug": strategy.slug})).content.decode()
    own = which == "own" or role == "admin"
    expected = {"open"}
    if own and role in MEMBERS:
        expected.add("partners")
    if own and role in OFFICERS:
        expected.add("officers")
    shown = {level for level in ("open", "partners", "officers") if f"The {level}-level report" in page}
    assert shown == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ACTIONS)
def test_evidence_actions(client, cast: Cast, role: str, name: str, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    from evidence.models import EvidenceContributor

    job = ImportJob(
        strategy=cast.strategy,
        layout="bres",
        file_name="bres.csv",
        created_by=cast.officer,
        preview={"problems": ["The header is wrong."]},
    )
    job.file.save("import.csv", ContentFile(b"x\n"))
    contributor = EvidenceContributor.objects.create(strategy=cast.strategy, user=cast.partner)
    pk = job.pk if name == "import-start" else contributor.pk
    url = reverse(f"evidence:{name}", kwargs={"strategy_slug": cast.strategy.slug, "pk": pk})
    sign_in(client, cast, role)
    assert client.get(url).status_code in (302 if role == "anonymous" else 405, 405)
    response = client.post(url)
    if role in OFFICERS:
        assert response.status_code == 302
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.PENDING
        assert EvidenceContributor.objects.filter(pk=contributor.pk).exists()


# --- The API: non-open items never appear, whoever asks ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_serves_open_items_only(client, cast: Cast, role: str) -> None:
    for strategy in (cast.strategy, cast.other_strategy):
        for level in (Sharing.OPEN, Sharing.PARTNERS, Sharing.OFFICERS):
            make_item(strategy, sharing=level, title=f"{strategy.slug} {level}")
    hidden = EvidenceItem.objects.exclude(sharing=Sharing.OPEN)
    sign_in(client, cast, role)
    listing = client.get("/api/evidence-items/?page_size=1000").json()
    assert sorted(item["title"] for item in listing["results"]) == ["berkshire open", "kent open"]
    assert {item["sharing"] for item in listing["results"]} == {"open"}
    for item in hidden:
        assert client.get(f"/api/evidence-items/{item.pk}/").status_code == 404
        assert client.get(f"/api/evidence-items/?search={item.title.split()[1]}").json()["count"] <= 2
    for path in ("/api/", "/api/indicators/", "/api/observations/", "/api/schema/"):
        assert client.get(path).status_code == 200, path
    # Writes are refused to everybody: the API is read-only.
    open_item = EvidenceItem.objects.filter(sharing=Sharing.OPEN).first()
    assert open_item is not None
    assert client.post("/api/evidence-items/", {"title": "x"}).status_code in (403, 405)
    assert client.delete(f"/api/evidence-items/{open_item.pk}/").status_code in (403, 405)
    assert EvidenceItem.objects.count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_only_officers_post_edits_and_removals(client, cast: Cast, role: str, which: str) -> None:
    strategy = cast.strategy if which == "own" else cast.other_strategy
    item = make_item(strategy, sharing=Sharing.OPEN, title="Open report")
    sign_in(client, cast, role)
    kwargs = {"strategy_slug": strategy.slug, "pk": item.pk}
    edit = client.post(reverse("evidence:item-edit", kwargs=kwargs), {"title": "Defaced", "version": 1})
    remove = client.post(reverse("evidence:item-delete", kwargs=kwargs), {"version": 1})
    allowed = role == "admin" or (role == "officer" and which == "own")
    if allowed:
        assert edit.status_code == 200, "an incomplete form is shown again with its errors"
        assert remove.status_code == 302
        assert not EvidenceItem.objects.filter(pk=item.pk).exists()
    else:
        assert {edit.status_code, remove.status_code} == {302 if role == "anonymous" else 404}
        item.refresh_from_db()
        assert item.title == "Open report"
