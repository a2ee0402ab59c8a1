"""Hardening shared by every app: rate limits, Content-Security-Policy, upload checks."""
