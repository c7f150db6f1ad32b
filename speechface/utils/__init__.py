"""Small helpers shared by the torch-based estimators."""

from speechface.utils.device import resolve_device

__all__ = ["resolve_device"]
