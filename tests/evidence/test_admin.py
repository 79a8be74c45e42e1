"""The admin pages of the evidence base answer administrators; import jobs are read only there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import Cast
from tests.evidence.conftest import make_item

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["evidenceitem", "indicator", "importjob", "evidencenarrative", "evidencecontributor"]
)
def test_admin_lists(client, cast: Cast, model: str) -> None:
    make_item(cast.strategy)
    client.force_login(cast.admin)
    assert client.get(reverse(f"admin:evidence_{model}_changelist")).status_code == 200
    add = client.get(reverse(f"admin:evidence_{model}_add")).status_code
    assert add == (403 if model == "importjob" else 200)
