"""A question's tests: split into public and hidden phases, canaries added, results scored."""

from __future__ import annotations

import ast
import builtins
import doctest
import random
import re
import string
from dataclasses import dataclass, field

from otter.test_files.abstract_test import TestCaseResult
from otter.test_files.ok_test import OKTestFile

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CANARIES_PER_QUESTION = (1, 2)  # how many, drawn per question and submission


@dataclass
class QuestionResult:
    score: float
    possible: float
    failures: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """What one submission's box gets for one question, and how to read the answers back."""

    question: str
    spec: dict  # the master's spec: all real cases, in order
    public: list[int]  # indices of the public cases, in the order sent
    hidden: list[int | None]  # indices of hidden cases as sent; None marks a canary
    # per canary, in the order sent: the case it is a changed copy of (None: it fails alone)
    canary_sources: list[int | None] = field(default_factory=list)

    def public_spec(self) -> dict:
        return phase_spec(self.spec, [self.cases[i]["code"] for i in self.public])

    def hidden_spec(self, canaries: list[str]) -> dict:
        codes, canary = [], iter(canaries)
        for i in self.hidden:
            codes.append(next(canary) if i is None else self.cases[i]["code"])
        return phase_spec(self.spec, codes)

    @property
    def cases(self) -> list[dict]:
        return self.spec["suites"][0]["cases"]


def phase_spec(spec: dict, codes: list[str]) -> dict:
    """A spec the kernel runs: only code, every case marked hidden, no points or messages."""
    return {"name": spec["name"], "points": len(codes) or 1,
            "suites": [{"cases": [{"code": c, "hidden": True, "locked": False} for c in codes],
                        "scored": True, "setup": "", "teardown": "", "type": "doctest"}]}


def plan(question: str, spec: dict, rng: random.Random) -> tuple[Plan, dict, dict]:
    """Plan one question for one submission: (plan, public spec, hidden spec with canaries)."""
    cases = spec["suites"][0]["cases"]
    public = [i for i, c in enumerate(cases) if not c.get("hidden", True)]
    hidden: list[int | None] = [i for i, c in enumerate(cases) if c.get("hidden", True)]
    canaries = [canary(cases, hidden, rng) for _ in range(rng.randint(*CANARIES_PER_QUESTION))]
    for _ in canaries:
        hidden.insert(rng.randint(0, len(hidden)), None)
    p = Plan(question, spec, public, hidden, [source for _, source in canaries])
    return p, p.public_spec(), p.hidden_spec([code for code, _ in canaries])


def canary(cases: list[dict], hidden: list, rng: random.Random) -> tuple[str, int | None]:
    """A test case made to look like a hidden one, and the case it was copied from.

    It is a copy of one of the question's hidden cases (public ones are in the learner's
    notebook, so a changed copy of one would stand out) with one `assert x == <literal>` (or
    `is True/False/None`) changed to a different value, its message changed to match. An
    honest runner never reports both the copy and its original passed (the same expression
    cannot equal both values), though a wrong answer may pass the copy alone: so only both
    passed counts as tampering (`score`). Where no such line exists, the case is copied with
    two assertions of that shape and different values appended about a name it uses, which no
    answer passes: its source is None.
    """
    pool = [i for i in hidden if i is not None] or list(range(len(cases)))
    source = rng.choice(pool) if pool else None
    code = cases[source]["code"] if source is not None else ">>> assert True\n"
    examples = doctest.DocTestParser().get_examples(code)
    candidates = [n for n, e in enumerate(examples) if _mutable(e.source)]
    if candidates:
        chosen = rng.choice(candidates)
        lines = []
        for n, example in enumerate(examples):
            text = _mutate(example.source, rng) if n == chosen else example.source
            lines.append(_as_doctest(text, example.want))
        return "".join(lines), source
    names = sorted({node.id for e in examples for node in _walk(e.source)
                    if isinstance(node, ast.Name) and node.id not in dir(builtins)})
    name = rng.choice(names) if names else "answer"
    value = rng.randint(2, 9999)
    extra = "".join(_as_doctest(f"assert {name} == {v}, '{name} should be {v}'\n", "")
                    for v in (value, value + rng.randint(1, 9)))
    return code + extra, None


def _walk(source: str):
    try:
        return list(ast.walk(ast.parse(source)))
    except SyntaxError:
        return []


def _as_doctest(source: str, want: str) -> str:
    lines = source.rstrip("\n").split("\n")
    text = ">>> " + lines[0] + "\n" + "".join(f"... {line}\n" for line in lines[1:])
    return text + want


def _target(source: str):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assert):
        return None
    test = tree.body[0].test
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(
        test.comparators[0], ast.Constant
    ):
        value = test.comparators[0].value
        if isinstance(test.ops[0], ast.Eq) and type(value) in (int, float, str):
            return tree, test.comparators[0]
        if isinstance(test.ops[0], ast.Is) and value in (True, False, None):
            return tree, test.comparators[0]
    return None


def _mutable(source: str) -> bool:
    return _target(source) is not None


def _mutate(source: str, rng: random.Random) -> str:
    tree, constant = _target(source)
    old = constant.value
    if old is None:
        new = rng.choice([True, False])
    elif isinstance(old, bool):
        new = not old
    elif isinstance(old, int):
        new = old + rng.choice([-1, 1]) * rng.randint(1, max(3, abs(old)))
    elif isinstance(old, float):
        new = round(old + rng.choice([-1, 1]) * rng.uniform(0.1, max(1.0, abs(old))), 4)
    else:
        alphabet = string.ascii_lowercase if old.islower() or not old else string.ascii_letters
        new = old
        while new == old:
            new = "".join(rng.choice(alphabet) for _ in range(max(1, len(old))))
    constant.value = new
    message = tree.body[0].msg
    if isinstance(message, ast.Constant) and isinstance(message.value, str):
        message.value = message.value.replace(repr(old), repr(new)).replace(str(old), str(new))
    return ast.unparse(tree) + "\n"


# --- scoring -----------------------------------------------------------------------------------


def short(message: str) -> str:
    """Otter's doctest report cut to the failing line and the error it raised."""
    lines = [line.strip() for line in ANSI.sub("", message).splitlines() if line.strip()]
    if "Failed example:" in lines and "Exception raised:" in lines:
        return f"`{lines[lines.index('Failed example:') + 1]}` raised {lines[-1]}"
    return "\n".join(lines)


def possible(spec: dict) -> float:
    return OKTestFile.from_spec(spec).possible


def score(p: Plan, public_rows, hidden_rows) -> tuple[QuestionResult, bool]:
    """Score with otter's own TestFile; also say whether the results were tampered with: a
    canary reported passed together with the case it copies (or one that fails alone).

    ``public_rows`` is [[passed, message], ...] per public case (or a string: why none ran);
    ``hidden_rows`` is [[passed, ""], ...] per case sent in the hidden phase. Anything of the
    wrong length or shape counts as failed. Hidden cases are named, with the master's
    failure_message if it has one; nothing the kernel said about them is repeated.
    """
    test = OKTestFile.from_spec(p.spec)
    passed = [False] * len(test.test_cases)
    messages = [""] * len(test.test_cases)
    notes = []
    if isinstance(public_rows, list) and len(public_rows) == len(p.public):
        for i, row in zip(p.public, public_rows):
            passed[i], messages[i] = row[0] is True, short(str(row[1]))
    elif p.public:
        why = public_rows if isinstance(public_rows, str) else "no result"
        notes.append(f"public tests: {why}")
    canaries_passed = []  # the source of each canary reported passed
    if isinstance(hidden_rows, list) and len(hidden_rows) == len(p.hidden):
        sources = iter(p.canary_sources)
        for i, row in zip(p.hidden, hidden_rows):
            if i is None:
                source = next(sources)
                if row[0] is True:
                    canaries_passed.append(source)
            else:
                passed[i] = row[0] is True
    elif p.hidden:
        notes.append("hidden tests: no result")
    test.test_case_results = [
        TestCaseResult(test_case=case, message=messages[i], passed=passed[i])
        for i, case in enumerate(test.test_cases)
    ]
    failures = []
    for i, r in enumerate(test.test_case_results):
        if r.passed:
            continue
        if r.test_case.hidden:
            description = r.test_case.failure_message
            failures.append(f"{r.test_case.name} (hidden test) failed"
                            + (f": {description}" if description else ""))
        else:
            failures.append(f"{r.test_case.name}: {r.message or 'did not run'}")
    # A canary and its original both passed: no answer does that under an honest runner.
    tampered = any(source is None or passed[source] for source in canaries_passed)
    return QuestionResult(test.score, test.possible, notes + failures), tampered
