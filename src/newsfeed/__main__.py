"""Run the command line as ``python -m newsfeed``."""

import sys

from newsfeed._cli.main import main

if __name__ == "__main__":
    sys.exit(main())
