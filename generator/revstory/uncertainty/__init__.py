"""Uncertainty stage: bootstrap intervals, spread across models, touched-vs-untouched figures.

All three live in ``intervals``.
"""
