"""`python -m labsupport.grading`: see the package docstring."""

import sys

from labsupport.grading.cli import main

sys.exit(main())
