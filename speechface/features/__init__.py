"""Feature transformers that turn audio into fixed-width arrays."""

from speechface.features.mfcc import MFCCTransformer

__all__ = ["MFCCTransformer"]
