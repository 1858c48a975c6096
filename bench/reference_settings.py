"""Settings of the reference server (``bench/reference.py``): the project's own settings
(same databases, same connection reuse, ``DEBUG`` off), its URLconf, and no middleware."""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.reference"
MIDDLEWARE: list[str] = []
