"""Test doubles for outside services (Paytrail, …)."""
