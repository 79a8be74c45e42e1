"""Importers of indicator observations from the CSV layouts of the shared public data.

Layouts (docs/evidence.md), one module each:
- ``bres`` (`bres.py`): Nomis BRES extracts — DATE, GEOGRAPHY_CODE, [GEOGRAPHY_NAME], INDUSTRY_CODE, COUNT.
- ``gva`` (`gva.py`): ONS regional GVA by industry — ITL region code, ITL region name, SIC07 code,
  SIC07 description, then one column per year.
- ``ons_local`` (`ons_local.py`): ONS local statistics — areacd, areanm, geography, indicator, period,
  observation, measure, unit, lci_95, uci_95, status, notes.
- ``iod`` (`iod.py`): Indices of Deprivation 2019 district summaries — lad19cd, lad19nm, index_domain
  and six measures.
- ``nesta_sic4`` (`nesta_sic4.py`): Nesta's BRES extract by SIC 2007 class — year, geo_type, geo_cd,
  geo_nm, SIC4, SIC2007_SECTION, value, cluster_name.

What they share is in `layout.py` (the base class, the indicator spec, the cell readers); the
check-then-copy machinery every layout goes through, and the registry `LAYOUTS`, in `pipeline.py`.

An import is all or nothing: the whole file is read and checked first, and only a file with no
rejected row is written, in one transaction. Every rejected row is reported with its row number
(the header is row 1) and the reason. Importing the same file again changes nothing: observations
are keyed on (indicator, place, period, industry), and only changed values are written.

Callers import from this package; the names below are the ones they use.
"""

from .layout import IndicatorSpec, Layout, Record
from .pipeline import (
    LAYOUTS,
    MAX_IMPORT_BYTES,
    ImportRejected,
    ImportResult,
    Parsed,
    _row_triggers_can_be_skipped,
    _write_postgresql,
    check_size,
    count_rows,
    detect_layout,
    import_file,
    import_stream,
    parse,
    read_preview,
    resolve_areas,
)

__all__ = [
    "LAYOUTS",
    "MAX_IMPORT_BYTES",
    "ImportRejected",
    "ImportResult",
    "IndicatorSpec",
    "Layout",
    "Parsed",
    "Record",
    "_row_triggers_can_be_skipped",
    "_write_postgresql",
    "check_size",
    "count_rows",
    "detect_layout",
    "import_file",
    "import_stream",
    "parse",
    "read_preview",
    "resolve_areas",
]
