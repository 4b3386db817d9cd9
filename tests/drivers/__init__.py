"""Card-reader driver tests: pty SAM emulator, private pcscd with vpcd, virtual cards."""
