# The sample submissions are broken on purpose (syntax error, endless loop, ...): they are
# inputs for tests/test_grading.py, not notebooks for `pytest --nbval-lax` to run.
collect_ignore_glob = ["submissions/*.ipynb"]
