"""The `kiosk` command line: core commands here, feature commands registered by plugin modules."""
