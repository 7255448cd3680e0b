"""`python -m labinstructor.grading`: see the package docstring."""

import sys

from labinstructor.grading.cli import main

sys.exit(main())
