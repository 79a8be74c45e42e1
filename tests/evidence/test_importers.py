"""The importers on the real files in ../shared/data, and on hostile ones: all or nothing, every
rejected row named with its number and reason, and a second import of the same file changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.exceptions import ApplicationError
from core.models import Area
from evidence.importers import ImportRejected, detect_layout, import_file, import_stream
from evidence.models import Indicator, Observation
from tests.evidence.conftest import BRES_FILE, GVA_ITL1_FILE, GVA_ITL3_FILE, IOD_FILE, PRODUCTIVITY_FILE, Places

pytestmark = pytest.mark.django_db

BRES_HEADER = "DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT\n"


def _import(text: str, layout: str = "bres", **options: object):
    return import_stream(io.BytesIO(text.encode("utf-8")), layout=layout, **options)  # type: ignore[arg-type]


def _rejected(text: str, layout: str = "bres", **options: object) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        _import(text, layout, **options)
    assert Observation.objects.count() == 0, "an import is all or nothing"
    return caught.value


# --- The real files ------------------------------------------------------------------------------


def test_bres_file_imports_every_row_and_creates_its_regions(places: Places) -> None:
    result = import_file(BRES_FILE, layout="bres")
    assert result.rows == 24_640 and result.observations == 24_640 and result.created == 24_640
    assert Observation.objects.filter(indicator__code="bres-employment").count() == 24_640
    # 40 NUTS 2 regions; Kent (UKJ4) existed already and is reused, the other 39 are created.
    assert len(result.areas_created) == 39 and "UKJ4" not in result.areas_created
    assert Area.objects.filter(code="UKH3", kind=Area.Kind.ITL_REGION, vintage="2016").exists()
    kent_retail_2021 = Observation.objects.get(geo_code="UKJ4", year=2021, industry_code="52")
    assert kent_retail_2021.value == 24_000 and kent_retail_2021.area == places.kent
    indicator = Indicator.objects.get(code="bres-employment")
    assert indicator.licence == "Open Government Licence v3.0" and "ITL2" in indicator.geography_note


def test_importing_the_same_file_again_changes_nothing(places: Places) -> None:
    import_file(BRES_FILE, layout="bres")
    before = list(Observation.objects.order_by("pk").values_list("pk", "value"))
    areas_before = Area.objects.count()
    again = import_file(BRES_FILE, layout="bres")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 24_640)
    assert again.areas_created == []
    assert list(Observation.objects.order_by("pk").values_list("pk", "value")) == before
    assert Area.objects.count() == areas_before


def test_a_changed_value_is_updated_in_place(places: Places) -> None:
    _import(BRES_HEADER + "2021,UKJ4,Kent,52,24000\n")
    result = _import(BRES_HEADER + "2021,UKJ4,Kent,52,25000\n2021,UKJ4,Kent,47,100\n")
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert Observation.objects.get(industry_code="52").value == 25_000


def test_gva_files_with_one_column_per_year(places: Places) -> None:
    itl1 = import_file(GVA_ITL1_FILE, layout="gva")
    assert itl1.rows == 1_712 and itl1.observations == 1_712 * 24
    # UK, UKX, TLB (England) and TLZ are national totals no Area kind holds: kept by code, no area.
    england = Observation.objects.get(geo_code="TLB", industry_code="Total", year=2021)
    assert england.area is None
    uk_2021 = Observation.objects.get(geo_code="UK", industry_code="Total", year=2021)
    assert uk_2021.value == 2_040_499
    itl3 = import_file(GVA_ITL3_FILE, layout="gva")
    assert itl3.rows == 2_368 and "TLJ41" in itl3.areas_created
    medway = Observation.objects.select_related("area").get(geo_code="TLJ41", industry_code="Total", year=2021)
    assert medway.area is not None and medway.area.name == "Medway"


def test_ons_local_statistics_rejects_places_the_portal_does_not_hold(places: Places) -> None:
    with pytest.raises(ImportRejected) as caught:
        import_file(PRODUCTIVITY_FILE, layout="ons_local")
    assert caught.value.errors[0] == {
        "row": 2,
        "message": "Unknown area code “E47000006”: it is not a code the portal can hold (not a district, county, "
        "unitary, ITL/NUTS region or LEP area code). Remove its rows, or import with “skip places the portal does "
        "not hold”.",
    }
    assert Observation.objects.count() == 0


def test_ons_local_statistics_with_skipping(places: Places) -> None:
    result = import_file(PRODUCTIVITY_FILE, layout="ons_local", skip_unknown_areas=True)
    assert result.rows == 13_062
    # Ashford, Medway and Reading (2 indicators × 22 years each at most) and the UK comparator are kept.
    kept = set(Observation.objects.values_list("geo_code", flat=True))
    assert kept == {"E07000105", "E06000035", "E06000038", "K99000002"}
    assert result.skipped == 13_062 - result.observations
    medway = Observation.objects.get(
        indicator__code="gross-value-added-per-hour-worked", geo_code="E06000035", period="2023"
    )
    assert medway.value == 39.16 and medway.year == 2023 and medway.area == places.medway
    assert Indicator.objects.get(code="gross-value-added-per-filled-job").unit == "£"


def test_iod_summaries(places: Places) -> None:
    result = import_file(IOD_FILE, layout="iod", skip_unknown_areas=True)
    assert result.rows == 3_170
    # Three districts × 10 indices and domains × 6 measures.
    assert result.observations == 3 * 10 * 6
    imd_rank = Observation.objects.get(
        indicator__code="iod2019-index-of-multiple-deprivation-rank-average-score", geo_code="E06000035"
    )
    assert 1 <= imd_rank.value <= 317
    assert Indicator.objects.filter(layout="iod").count() == 60


NESTA_SIC4_FILE = Path(BRES_FILE).with_name("bres_2018_employment_sic4_nuts2_2013_gb.csv")


def test_the_nesta_file_is_refused_as_nomis_bres_by_its_header() -> None:
    with pytest.raises(ImportRejected) as caught:
        import_file(NESTA_SIC4_FILE, layout="bres")
    assert caught.value.errors[0]["row"] == 1
    assert "missing the column(s) “DATE”" in caught.value.errors[0]["message"]


def test_the_nesta_sic4_layout_on_the_real_file(places: Places) -> None:
    result = import_file(NESTA_SIC4_FILE, layout="nesta_sic4")
    # 39 NUTS 2 areas × 525 SIC 2007 classes, 2018.
    assert (result.rows, result.observations, result.created) == (20_475, 20_475, 20_475)
    assert len(result.areas_created) == 38, "Kent (UKJ4) existed already"
    kent = Observation.objects.filter(indicator__code="bres-employment-sic4", geo_code="UKJ4")
    assert kent.count() == 525 and {o.area for o in kent[:5]} == {places.kent}
    assert kent.get(industry_code="0161").value == 450, "the class keeps its leading zero"
    assert sum(kent.values_list("value", flat=True)) == 711_265
    assert sum(Observation.objects.values_list("value", flat=True)) == 30_147_640
    # NUTS 2013's Scottish regions, which NUTS 2016 redrew, are created with their vintage.
    assert Area.objects.get(code="UKM2").vintage == "2013"
    indicator = Indicator.objects.get(code="bres-employment-sic4")
    assert indicator.unit == "people" and indicator.layout == "nesta_sic4" and "NUTS 2013" in indicator.source
    again = import_file(NESTA_SIC4_FILE, layout="nesta_sic4")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 20_475)


def test_the_nesta_sic4_layout_names_bad_classes(places: Places) -> None:
    header = "year,geo_type,geo_cd,geo_nm,SIC4,SIC2007_SECTION,value,cluster_name\n"
    error = _rejected(
        header + "2018,nuts 2013 level 2,UKJ4,Kent,161,A,450,food\n2018,nuts 2013 level 2,UKJ4,Kent,0162,A,x,food\n",
        "nesta_sic4",
    )
    assert error.errors == [
        {"row": 2, "message": "“SIC4” is “161”; enter a four-digit SIC 2007 class such as 0161."},
        {"row": 3, "message": "“value” is “x”, which is not a number."},
    ]


# --- Bad input -----------------------------------------------------------------------------------


def test_missing_and_extra_columns_in_the_header() -> None:
    error = _rejected("DATE,GEOGRAPHY_CODE,INDUSTRY_CODE,VALUE\n2021,UKJ4,52,1\n")
    messages = [e["message"] for e in error.errors]
    assert messages == [
        "The header is missing the column(s) “COUNT”.",
        "The header has column(s) this layout does not have: “VALUE”.",
    ]


def test_rows_with_missing_or_extra_columns_non_numbers_and_duplicates_are_all_reported(places: Places) -> None:
    text = (
        BRES_HEADER
        + "2021,UKJ4,Kent,52,24000\n"  # row 2: fine
        + "2021,UKJ4,Kent,47\n"  # row 3: a column short
        + "2021,UKJ4,Kent,47,10,extra\n"  # row 4: a column too many
        + "2021,UKJ4,Kent,46,lots\n"  # row 5: not a number
        + "2021,UKJ4,Kent,52,24000\n"  # row 6: the same as row 2
        + "21,UKJ4,Kent,45,3\n"  # row 7: not a year
        + "2021,UKJ4,Kent,44,\n"  # row 8: empty value
    )
    error = _rejected(text)
    assert error.errors == [
        {"row": 3, "message": "The row has 4 columns, fewer than the header’s 5."},
        {"row": 4, "message": "The row has 6 columns, more than the header’s 5."},
        {"row": 5, "message": "“COUNT” is “lots”, which is not a number."},
        {"row": 6, "message": "Duplicates row 2: UKJ4, 2021, industry 52 appears twice."},
        {"row": 7, "message": "“DATE” is “21”; enter a four-digit year such as 2021."},
        {"row": 8, "message": "“COUNT” is empty; enter a number."},
    ]
    assert error.message.startswith("Nothing was imported: 6 row(s) were rejected.")


def test_unknown_area_codes_are_named_on_every_row(places: Places) -> None:
    text = (
        BRES_HEADER + "2021,UKJ4,Kent,52,1\n2021,E07999999,Nowhere,52,2\n2021,E07999999,Nowhere,47,3\n2021,XX1,X,1,1\n"
    )
    error = _rejected(text)
    assert error.errors == [
        {
            "row": 3,
            "message": "Unknown area code “E07999999”: it is not an area in the portal. Add the area first, or "
            "import with “skip places the portal does not hold”.",
        },
        {"row": 4, "message": "Unknown area code “E07999999” (see row 3)."},
        {
            "row": 5,
            "message": "Unknown area code “XX1”: it is not a code the portal can hold (not a district, county, "
            "unitary, ITL/NUTS region or LEP area code). Remove its rows, or import with “skip places the portal "
            "does not hold”.",
        },
    ]
    assert not Area.objects.filter(code__in=["E07999999", "XX1"]).exists()


def test_a_bad_row_at_the_end_leaves_nothing_half_imported(places: Places) -> None:
    good = "".join(f"2021,UKJ4,Kent,{n:02d},{n}\n" for n in range(1, 90))
    error = _rejected(BRES_HEADER + good + "2021,UKJ9,Nowhere,01,x\n")
    assert error.errors == [{"row": 91, "message": "“COUNT” is “x”, which is not a number."}]
    assert not Area.objects.filter(code="UKJ9").exists(), "no area is created by a refused file"


def test_byte_order_mark_and_windows_line_endings(places: Places) -> None:
    text = "\ufeff" + BRES_HEADER.replace("\n", "\r\n") + "2021,UKJ4,Kent,52,24000\r\n2021,UKJ4,Kent,47,1\r\n"
    result = _import(text)
    assert result.created == 2
    assert Observation.objects.get(industry_code="52").value == 24_000


def test_a_file_that_is_not_utf8() -> None:
    with pytest.raises(ImportRejected, match="not UTF-8 text"):
        import_stream(io.BytesIO(BRES_HEADER.encode() + "2021,UKJ4,K\xf6ln,52,1\n".encode("latin-1")), layout="bres")


def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.write(BRES_HEADER.encode())
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    with pytest.raises(ImportRejected, match="The file is 200 MB; the largest file an import takes is 50 MB"):
        import_file(big, layout="bres")


def test_an_empty_file_and_a_header_only_file() -> None:
    assert "no header row" in _rejected("").message
    assert "no rows to import" in _rejected(BRES_HEADER).message


# --- The command ---------------------------------------------------------------------------------


def test_import_indicators_command(places: Places, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_indicators", str(BRES_FILE), "--layout", "bres", stdout=out, stderr=err)
    assert "24,640 rows, 24,640 observations (24,640 new, 0 changed, 0 unchanged" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(BRES_HEADER + "2021,UKJ4,Kent,52,many\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_indicators", str(bad), "--layout", "bres", stdout=out, stderr=err)
    assert "row 2: “COUNT” is “many”, which is not a number." in err.getvalue()


@pytest.mark.parametrize(
    ("path", "layout"),
    [(BRES_FILE, "bres"), (GVA_ITL3_FILE, "gva"), (IOD_FILE, "iod"), (NESTA_SIC4_FILE, "nesta_sic4")],
)
def test_the_layout_is_found_from_the_header(path: Path, layout: str) -> None:
    with Path(path).open("rb") as raw:
        assert detect_layout(raw) == layout


def test_a_header_of_no_layout_is_refused_naming_the_layouts() -> None:
    with pytest.raises(ApplicationError, match=r"matches no layout .* one of bres, gva, iod, nesta_sic4, ons_local"):
        detect_layout(io.BytesIO(b"year,place,value\n2021,E06000035,1\n"))


def test_the_command_finds_the_layout_when_none_is_named(places: Places) -> None:
    out = io.StringIO()
    call_command("import_indicators", str(BRES_FILE), stdout=out, stderr=io.StringIO())
    assert "The header is the “bres” layout." in out.getvalue()
    assert "24,640 rows, 24,640 observations" in out.getvalue()


# --- The write paths (ADR 21) ----------------------------------------------------------------------

ONS_HEADER = "areacd,indicator,period,observation\n"


def test_a_file_with_a_stored_and_a_new_indicator_is_merged(places: Places) -> None:
    first = _import(ONS_HEADER + "E06000035,Jobs density,2021-01-01/P1Y,0.81\n", "ons_local")
    assert (first.created, first.updated, first.unchanged) == (1, 0, 0)
    # One indicator has stored values now, so the whole file goes through the merge.
    second = _import(
        ONS_HEADER
        + "E06000035,Jobs density,2021-01-01/P1Y,0.81\n"
        + "E06000035,Jobs density,2022-01-01/P1Y,0.83\n"
        + "E06000035,Employment rate,2022-01-01/P1Y,74.5\n",
        "ons_local",
    )
    assert (second.created, second.updated, second.unchanged) == (2, 0, 1)
    assert Observation.objects.count() == 3


def test_deleting_keeps_the_rules_the_foreign_keys_kept(places: Places) -> None:
    """Django protects an area with observations and removes an indicator's observations with it
    (the database foreign keys stay too, ADR 24)."""
    from django.db.models import ProtectedError

    _import(BRES_HEADER + "2021,UKJ4,Kent,01,900\n2021,UKH3,Essex,01,100\n")
    with pytest.raises(ProtectedError):
        places.kent.delete()
    Indicator.objects.get(code="bres-employment").delete()
    assert Observation.objects.count() == 0


def test_an_area_deleted_during_an_import_fails_it_with_nothing_written(places: Places) -> None:
    from django.db import connection, transaction

    from core.exceptions import ApplicationError
    from evidence.importers import ImportResult, _write_postgresql

    if connection.vendor != "postgresql":
        pytest.skip("The COPY write path is PostgreSQL's; other databases use bulk_create.")
    indicator = Indicator.objects.create(
        code="x", name="X", unit="people", source="Test", licence="OGL", geography_note="NUTS 2"
    )
    gone = places.kent.pk + 1000
    with pytest.raises(ApplicationError, match="was deleted during the import"), transaction.atomic():
        _write_postgresql([(indicator.pk, gone, "UKJ4", "2021", 2021, "01", 1.0)], ImportResult())
    assert Observation.objects.count() == 0


# --- Plausible ranges (issue 13, item 8) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "“COUNT” is -5: a count of people in a place cannot be below 0."),
        ("1e32", "“COUNT” is 1e+32: a count of people in a place cannot be above 70,000,000."),
        ("1e308", "“COUNT” is 1e+308: a count of people in a place cannot be above 70,000,000."),
    ],
)
def test_an_impossible_count_is_refused_with_its_row_and_nothing_is_imported(
    places: Places, value: str, message: str
) -> None:
    good = BRES_HEADER + "2021,UKJ4,Kent,52,9000\n"
    _import(good, "bres")
    with pytest.raises(ImportRejected) as error:
        _import(BRES_HEADER + "2021,UKJ4,Kent,52,9100\n" + f"2021,UKJ4,Kent,62,{value}\n", "bres")
    assert {"row": 3, "message": message} in error.value.errors
    assert Observation.objects.get(geo_code="UKJ4", industry_code="52").value == 9000  # nothing half-imported


def test_a_percentage_above_100_is_refused(places: Places) -> None:
    with pytest.raises(ImportRejected) as error:
        _import(
            "areacd,indicator,period,observation,unit\nE06000035,Employment rate,2022-01-01/P1Y,174.5,%\n",
            "ons_local",
        )
    assert error.value.errors[0]["message"] == "“observation” is 174.5: a percentage cannot be above 100."
