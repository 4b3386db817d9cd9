"""The kiosk's screens, one class each; they ask the session what to show and tell the window what was done."""
