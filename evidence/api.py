"""The read-only open data API (Django REST framework, OpenAPI schema by drf-spectacular).

Evidence items: open items of published strategies only, whoever asks (signed in or not, officer
or not): the queryset itself is open_item_list(), so no parameter can widen it. Indicators and
observations are open data."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from .geography import code_label, equivalent_code, level_of
from .importers import LAYOUTS
from .models import EvidenceItem, Indicator, Observation
from .selectors import open_item_list, search


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class EvidenceItemSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "strategy",
            "title",
            "kind",
            "summary",
            "publisher",
            "published_on",
            "link",
            "download_url",
            "file_type",
            "licence",
            "sharing",
            "themes",
            "areas",
            "quality_note",
        ]

    def get_download_url(self, item: EvidenceItem) -> str | None:
        if not item.file:
            return None
        request = self.context.get("request")
        path = item.get_absolute_url() + "download/"
        return request.build_absolute_uri(path) if request is not None else path


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "source", "source_url", "licence", "geography_note"]


class ObservationSerializer(serializers.ModelSerializer):
    """`geo_code` is the code the figure is stored under, as its source gave it; `stored_as` names
    its system and level ("UKJ4 (NUTS 2)"), `geo_level` the level in words, `equivalent_geo_code`
    the same place in the other system (NUTS ↔ ITL), and `matched`, when `geo_code` was asked for,
    whether the figure was found under that code ("exact") or its equivalent ("equivalent")."""

    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", default=None, read_only=True)
    stored_as = serializers.SerializerMethodField()
    geo_level = serializers.SerializerMethodField()
    equivalent_geo_code = serializers.SerializerMethodField()
    matched = serializers.SerializerMethodField()

    class Meta:
        model = Observation
        fields = [
            "indicator",
            "geo_code",
            "stored_as",
            "geo_level",
            "equivalent_geo_code",
            "matched",
            "area_name",
            "period",
            "year",
            "industry_code",
            "value",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_stored_as(self, observation: Observation) -> str:
        return code_label(observation.geo_code)

    @extend_schema_field(OpenApiTypes.STR)
    def get_geo_level(self, observation: Observation) -> str:
        return level_of(observation.geo_code)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_equivalent_geo_code(self, observation: Observation) -> str | None:
        return equivalent_code(observation.geo_code)

    @extend_schema_field({"type": "string", "enum": ["exact", "equivalent"], "nullable": True})
    def get_matched(self, observation: Observation) -> str | None:
        asked = self.context.get("geo_code")
        if not asked:
            return None
        return "exact" if observation.geo_code == asked else "equivalent"


class _ReadOnly:
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    pagination_class = Pagination


def _param(name: str, description: str, kind: Any = OpenApiTypes.STR) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=False, description=description)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            _param("strategy", "A strategy's slug, e.g. south-east."),
            _param("kind", "report, dataset, statistic, case_study or consultation_output."),
            _param("theme", "A theme's slug, e.g. people."),
            _param("area", "An area's code, e.g. E07000105."),
            _param("published_after", "Published on or after this date (YYYY-MM-DD).", OpenApiTypes.DATE),
            _param("published_before", "Published on or before this date (YYYY-MM-DD).", OpenApiTypes.DATE),
            _param("search", "Words to search for in the title, summary and publisher."),
        ]
    )
)
class EvidenceItemViewSet(_ReadOnly, viewsets.ReadOnlyModelViewSet):
    """Open evidence items. Items shared with partners or officers only never appear here."""

    serializer_class = EvidenceItemSerializer

    def get_queryset(self) -> QuerySet[EvidenceItem]:
        items = open_item_list()
        params = self.request.query_params
        _refuse_bad_filters(
            params, dates=("published_after", "published_before"), choices={"kind": EvidenceItem.Kind.values}
        )
        if params.get("strategy"):
            items = items.filter(strategy__slug=params["strategy"])
        if params.get("kind"):
            items = items.filter(kind=params["kind"])
        if params.get("theme"):
            items = items.filter(themes__slug=params["theme"])
        if params.get("area"):
            items = items.filter(areas__code=params["area"])
        if params.get("published_after"):
            items = items.filter(published_on__gte=params["published_after"])
        if params.get("published_before"):
            items = items.filter(published_on__lte=params["published_before"])
        if params.get("search"):
            items = search(items, params["search"])
        return items.distinct() if not params.get("search") else items


def _refuse_bad_filters(
    params: Any, *, dates: tuple[str, ...] = (), ints: tuple[str, ...] = (), choices: dict[str, list[str]] | None = None
) -> None:
    """400, naming each filter that cannot mean anything, rather than ignore it and answer with
    everything (issue 13, item 11): dates as YYYY-MM-DD, whole numbers, one of the known values."""
    errors: dict[str, str] = {}
    for name in dates:
        value = params.get(name)
        try:
            if value:
                date.fromisoformat(value)
        except ValueError:
            errors[name] = f"“{value}” is not a date: give it as YYYY-MM-DD, e.g. 2021-03-31."
    for name in ints:
        value = params.get(name)
        if value and not value.strip().isdigit():
            errors[name] = f"“{value}” is not a whole number."
    for name, allowed in (choices or {}).items():
        value = params.get(name)
        if value and value not in allowed:
            errors[name] = f"“{value}” is not one of: {', '.join(sorted(allowed))}."
    if errors:
        raise ValidationError(errors)


@extend_schema_view(list=extend_schema(parameters=[_param("layout", "bres, gva, ons_local or iod.")]))
class IndicatorViewSet(_ReadOnly, viewsets.ReadOnlyModelViewSet):
    """Indicators, with their unit, source, licence and level of geography."""

    serializer_class = IndicatorSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Indicator]:
        indicators = Indicator.objects.order_by("code")
        _refuse_bad_filters(self.request.query_params, choices={"layout": sorted(LAYOUTS)})
        if self.request.query_params.get("layout"):
            indicators = indicators.filter(layout=self.request.query_params["layout"])
        return indicators


@extend_schema_view(
    list=extend_schema(
        parameters=[
            _param("indicator", "An indicator's code, e.g. bres-employment."),
            _param(
                "geo_code",
                "A place's code, e.g. UKJ4 or E06000035. A NUTS region's code also finds figures stored "
                "under its ITL equivalent and the other way round (UKJ4 = TLJ4); each result says the "
                "code it is stored under.",
            ),
            _param("year", "A year, e.g. 2021.", OpenApiTypes.INT),
            _param("industry_code", "A SIC 2007 code, e.g. 47."),
        ]
    )
)
class ObservationViewSet(_ReadOnly, viewsets.ReadOnlyModelViewSet):
    """Values of indicators by place, period and industry."""

    serializer_class = ObservationSerializer

    def _geo_code(self) -> str:
        return (self.request.query_params.get("geo_code") or "").strip().upper()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "geo_code": self._geo_code()}

    def get_queryset(self) -> QuerySet[Observation]:
        observations = Observation.objects.select_related("indicator", "area").order_by("pk")
        params = self.request.query_params
        _refuse_bad_filters(params, ints=("year",))
        if params.get("indicator"):
            observations = observations.filter(indicator__code=params["indicator"])
        if geo_code := self._geo_code():
            # NUTS and ITL name the same region (UKJ4 = TLJ4): either code finds figures stored under both.
            codes = {geo_code, equivalent_code(geo_code)} - {None}
            observations = observations.filter(geo_code__in=codes)
        if params.get("year"):
            observations = observations.filter(year=int(params["year"]))
        if params.get("industry_code"):
            observations = observations.filter(industry_code=params["industry_code"])
        return observations
