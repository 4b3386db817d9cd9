"""Entry point of the one-folder bundle (`dist/kiosk/kiosk`): the same `kiosk` command as the installed one."""

from kiosk.cli.main import main

raise SystemExit(main())
