"""revstory: content performance × closed revenue → attribution and a static report site."""

__version__ = "0.1.0"
