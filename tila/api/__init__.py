"""The public REST API, /v1/: a superset of the 6Aika resource reservation specification."""
