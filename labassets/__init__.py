"""Builders of the bundled offline assets: the dialogue corpus and the tiny T5."""
