"""Demo and reference data loaded by ``manage.py seed_demo``: the service catalogue with one
``sop-portal/1`` document per service (``sops/``, see :mod:`.catalogue`) and the demo users
(:mod:`.users`)."""
