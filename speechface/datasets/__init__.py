"""Loaders for the RAVDESS speech and FER-2013 face datasets."""

from speechface.datasets.ravdess import load_ravdess, parse_ravdess_filename

__all__ = ["load_ravdess", "parse_ravdess_filename"]
