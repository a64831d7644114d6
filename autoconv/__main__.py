"""``python -m autoconv`` behaves exactly like the ``autoconv`` command."""
import sys

from autoconv.cli import main

sys.exit(main())
