"""Offline build: turn ../shared/data-raw into the committed geo/ and data/ files."""

from cartohdf.build.run import build_all

__all__ = ["build_all"]
