"""Offline outbox delivery, the sync client and the reference hub server."""
