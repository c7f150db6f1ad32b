"""Conditional face generation: the GAN modules, ConditionalFaceGenerator and its model files."""

from speechface.faces.generator import ConditionalFaceGenerator
from speechface.faces.persistence import load_generator, save_generator

__all__ = ["ConditionalFaceGenerator", "load_generator", "save_generator"]
