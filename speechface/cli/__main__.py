"""``python -m speechface.cli``: the ``speechface`` command."""

from speechface.cli import main

raise SystemExit(main())
