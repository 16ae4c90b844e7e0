"""Importing contact files: reading CSV, XLSX and vCard, recognising headers, checking rows."""

from pressdesk.contacts.importing.reading import ReadError
from pressdesk.contacts.importing.runner import ImportOptions, ImportResult, run_import
from pressdesk.contacts.importing.source import Source, open_source

__all__ = ["ImportOptions", "ImportResult", "ReadError", "Source", "open_source", "run_import"]
