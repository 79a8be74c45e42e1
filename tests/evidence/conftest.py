"""Places and items for the evidence tests: the cast's strategy covers two real districts (Ashford,
Medway) inside Kent (UKJ4, NUTS 2); the other strategy covers one district of its own."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from core.models import Area, Strategy, Theme
from evidence.models import EvidenceItem, Sharing
from tests.conftest import Cast

DATA = Path(settings.SHARED_DATA_DIR)
BRES_FILE = DATA / "bres_employment_sic2digit_nuts2_2016_gb_2015_2021.csv"
GVA_ITL1_FILE = DATA / "gva_current_prices_by_industry_itl1_uk_1998_2021.csv"
GVA_ITL3_FILE = DATA / "gva_current_prices_by_industry_itl3_east_southeast_1998_2021.csv"
PRODUCTIVITY_FILE = DATA / "gva_per_hour_and_per_filled_job_lad_england_2002_2023.csv"
IOD_FILE = DATA / "iod2019_lad_summaries_england.csv"


@dataclass
class Places:
    kent: Area
    ashford: Area
    medway: Area
    reading: Area


@pytest.fixture
def places(cast: Cast) -> Places:
    return make_places(cast)


def make_places(cast: Cast) -> Places:
    kent = Area.objects.create(code="UKJ4", name="Kent", kind=Area.Kind.ITL_REGION, vintage="2018")
    ashford = Area.objects.create(code="E07000105", name="Ashford", kind=Area.Kind.DISTRICT, vintage="2019")
    medway = Area.objects.create(code="E06000035", name="Medway", kind=Area.Kind.UNITARY, vintage="2019")
    reading = Area.objects.create(code="E06000038", name="Reading", kind=Area.Kind.UNITARY, vintage="2019")
    assert cast.strategy.area is not None and cast.other_strategy.area is not None
    for district in (ashford, medway):
        district.parents.set([cast.strategy.area, kent])
    reading.parents.set([cast.other_strategy.area])
    return Places(kent=kent, ashford=ashford, medway=medway, reading=reading)


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


def make_item(
    strategy: Strategy,
    *,
    sharing: str = Sharing.OPEN,
    title: str = "Kent and Medway skills audit",
    themes: list[Theme] | None = None,
    areas: list[Area] | None = None,
    pdf: bool = False,
    **fields: Any,
) -> EvidenceItem:
    values: dict[str, Any] = {
        "kind": EvidenceItem.Kind.REPORT,
        "summary": "Skills shortages in construction and digital occupations across the county.",
        "publisher": "Kent County Council",
        "published_on": date(2019, 3, 1),
        "link": "https://example.org/skills-audit",
        "licence": "Open Government Licence v3.0",
    }
    values.update(fields)
    item = EvidenceItem(strategy=strategy, title=title, sharing=sharing, **values)
    if pdf:
        item.link, item.file_type, item.file_name, item.file_size = "", "pdf", f"{title}.pdf", len(pdf_bytes())
        item.file.save("evidence.pdf", ContentFile(pdf_bytes()), save=False)
    item.save()
    item.themes.set(themes or [])
    item.areas.set(areas or [])
    return item


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def office_bytes(kind: str) -> bytes:
    part = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr(part, '<?xml version="1.0"?><root/>')
    return buffer.getvalue()


def zip_bomb_bytes(megabytes: int = 40) -> bytes:
    """A package that looks like an XLSX and inflates `megabytes` of zeros from a few tens of KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("xl/workbook.xml", '<?xml version="1.0"?><root/>')
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                sheet.write(chunk)
    return buffer.getvalue()
