"""Tila: a city's open booking service for spaces and equipment."""

__version__ = "0.1.0"
