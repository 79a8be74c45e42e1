"""Local development: debug on, email to the console, everything else as base."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# The demo accounts sign in without a code here, and every page says so (core/two_factor.py).
TWO_FACTOR_DEMO_EXEMPT = DEBUG

# Serve static files straight from the finders (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
