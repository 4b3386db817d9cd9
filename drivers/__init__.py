"""Hardware drivers: ID-card readers, code scanners and printers; Qt-free, on worker threads."""
