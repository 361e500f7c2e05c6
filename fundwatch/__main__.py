import sys

from fundwatch.cli import main

sys.exit(main())
