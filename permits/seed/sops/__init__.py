"""One ``sop-portal/1`` document per demo service (``<SERVICE-CODE>.json``), kept in the normal
form that ``permits.interchange.export_document`` writes. A package only so that the JSON files
ship as package data."""
