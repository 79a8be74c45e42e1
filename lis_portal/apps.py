from django.apps import AppConfig


class LisPortalConfig(AppConfig):
    name = "lis_portal"
    verbose_name = "LIS Portal"
