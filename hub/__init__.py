"""The hub: the Starlette application, its settings and the ``hub`` command line."""

from hub.app import create_app
from hub.settings import Settings

__all__ = ["Settings", "create_app"]
