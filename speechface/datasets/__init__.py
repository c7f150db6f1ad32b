"""Loaders for the RAVDESS speech and FER-2013 face datasets."""

from speechface.datasets.fer2013 import load_fer2013
from speechface.datasets.ravdess import load_ravdess, parse_ravdess_filename

__all__ = ["load_fer2013", "load_ravdess", "parse_ravdess_filename"]
