from django.urls import path

from .views import analysis, imports, library, opendata

app_name = "evidence"

urlpatterns = [
    # The library: open items for everybody, more for people taking part and officers.
    path("", library.index, name="index"),
    path("items/", library.item_list, name="item-list"),
    path("items/new/", library.item_create, name="item-create"),
    path("items/<int:pk>/", library.item_detail, name="item-detail"),
    path("items/<int:pk>/download/", library.item_download, name="item-download"),
    path("items/<int:pk>/edit/", library.item_edit, name="item-edit"),
    path("items/<int:pk>/delete/", library.item_delete, name="item-delete"),
    path("contributors/", library.contributor_list, name="contributor-list"),
    path("contributors/<int:pk>/remove/", library.contributor_remove, name="contributor-remove"),
    # Indicators and what they show (open data: everybody).
    path("indicators/", analysis.indicators, name="indicator-list"),
    path("specialisms/", analysis.specialisms, name="specialisms"),
    path("productivity/", analysis.productivity_view, name="productivity"),
    # Coverage of the evidence, and the narrative (people taking part; officers write).
    path("gaps/", analysis.gaps, name="gaps"),
    path("narrative/<slug:theme_slug>/", analysis.narrative_edit, name="narrative-edit"),
    # Imports (officers).
    path("imports/", imports.import_list, name="import-list"),
    path("imports/<int:pk>/", imports.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import-progress"),
    path("imports/<int:pk>/start/", imports.import_start, name="import-start"),
    # Open data downloads.
    path("open-data/", opendata.open_data, name="open-data"),
    path("open-data/items.csv", opendata.items_csv, name="open-items-csv"),
    path("open-data/items.json", opendata.items_json, name="open-items-json"),
    path("open-data/indicators.csv", opendata.indicators_csv, name="open-indicators-csv"),
    path("open-data/indicators.json", opendata.indicators_json, name="open-indicators-json"),
    path("open-data/indicators/<slug:code>.csv", opendata.observations_csv, name="open-observations-csv"),
]
