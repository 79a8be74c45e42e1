"""The five foundations of productivity and the four grand challenges: fixed vocabulary every
strategy shares, so it ships as data. The grand challenges are described in the councillors'
guide's own words; the guide only names the foundations, so their sentences are the portal's."""

from django.db import migrations

GUIDE = "SEEC, Engaging with Local Industrial Strategies: A Guide for Councillors (2018), p. 3"
PORTAL = "The portal's own summary (the seed documents name this foundation without describing it)"

THEMES = [
    (
        "ideas",
        "Ideas",
        "foundation",
        1,
        PORTAL,
        "Research, development and innovation, and turning ideas into products and services that businesses sell.",
    ),
    (
        "people",
        "People",
        "foundation",
        2,
        PORTAL,
        "Skills, education and good jobs, so that people across the area can contribute to and share in growth.",
    ),
    (
        "infrastructure",
        "Infrastructure",
        "foundation",
        3,
        PORTAL,
        "Transport, digital, energy and housing infrastructure that lets businesses and communities grow.",
    ),
    (
        "business-environment",
        "Business environment",
        "foundation",
        4,
        PORTAL,
        "The conditions in which businesses start, scale up and invest, including support, finance and sector deals.",
    ),
    (
        "places",
        "Places",
        "foundation",
        5,
        PORTAL,
        "Prosperous communities throughout the area, each making the most of its distinctive strengths.",
    ),
    (
        "ai-and-data",
        "Artificial intelligence and data",
        "grand_challenge",
        1,
        GUIDE,
        "Putting the UK at the forefront of the artificial intelligence and data revolution.",
    ),
    (
        "clean-growth",
        "Clean growth",
        "grand_challenge",
        2,
        GUIDE,
        "Maximising the advantages for UK industry by helping support the global shift to clean growth.",
    ),
    (
        "future-of-mobility",
        "Future of mobility",
        "grand_challenge",
        3,
        GUIDE,
        "Being a world leader in shaping the future of mobility.",
    ),
    (
        "ageing-society",
        "Ageing society",
        "grand_challenge",
        4,
        GUIDE,
        "Harnessing the power of innovation to help meet the needs of an ageing society.",
    ),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("core", "Theme")
    for slug, name, kind, order, source, description in THEMES:
        Theme.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "order": order,
                "description": description,
                "description_source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
