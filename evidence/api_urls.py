"""The open data API under /api/: evidence items, indicators, observations, and the OpenAPI schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .api import EvidenceItemViewSet, IndicatorViewSet, ObservationViewSet

router = DefaultRouter()
router.register("evidence-items", EvidenceItemViewSet, basename="api-evidence-item")
router.register("indicators", IndicatorViewSet, basename="api-indicator")
router.register("observations", ObservationViewSet, basename="api-observation")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include(router.urls)),
]
