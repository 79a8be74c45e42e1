"""Engagement models arrive with their issue; the app exists now so its URLs and landing page do."""
