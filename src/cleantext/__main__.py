"""``python -m cleantext``."""
from cleantext.cli import main

raise SystemExit(main())
