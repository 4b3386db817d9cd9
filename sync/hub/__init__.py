"""The reference hub: FastAPI app, storage (SQLite or PostgreSQL), admin CLI and an embedded runner."""
