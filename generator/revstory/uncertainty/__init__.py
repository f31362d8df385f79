"""Uncertainty stage: bootstrap intervals, the spread across models, touched-vs-untouched
comparisons (``intervals``).
"""
