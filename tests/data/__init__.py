"""Test documents: ``sop_valid.json`` is a complete, valid ``sop-portal/1`` document in normal
form (export gives it back unchanged); failing variants are built from copies of it."""

import copy
import json
from pathlib import Path

DATA_DIR = Path(__file__).parent
VALID_PATH = DATA_DIR / "sop_valid.json"
_VALID = json.loads(VALID_PATH.read_text(encoding="utf-8"))


def valid_document() -> dict:
    """A fresh copy of the valid example (service DISHUB-ASK, 7 steps)."""
    return copy.deepcopy(_VALID)
