"""folio: the generator and content tools of LLM Systems Notes."""

__version__ = "0.1.0"
