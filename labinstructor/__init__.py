"""Instructor tooling: learner notebooks and autograder tests from the masters (`exercises`)
and grading of submitted notebooks in isolated boxes (`grading`).

Learners never import this package; it imports the runtime package `labsupport`, never the
reverse (tests/test_layout.py checks both).
"""
