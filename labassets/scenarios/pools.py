"""Shared slot pools (names, places, days, times) and slot source helpers.

Titles are written without a full stop ("Mr Lee", "Dr Khan") and clock times as
"7:30 pm", so that a summary never contains ". " inside a sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random

FIRST_NAMES = (
    "Anna", "Ben", "Carlos", "Diana", "Emma", "Frank", "Grace", "Hiro", "Isabel", "Jack",
    "Karen", "Leo", "Maria", "Nina", "Oliver", "Paula", "Rosa", "Sam", "Tom", "Uma",
    "Victor", "Wendy", "Yusuf", "Zoe", "Daniel", "Lucy", "Mark", "Sarah", "Peter", "Julia",
    "Kevin", "Helen", "Amir", "Mei", "Tariq", "Chloe", "Ivan", "Priya", "Omar", "Lena",
)
SURNAMES = (
    "Smith", "Brown", "Garcia", "Chen", "Miller", "Wilson", "Taylor", "Lee", "Martin",
    "Clark", "Walker", "Young", "King", "Wright", "Lopez", "Hill", "Green", "Adams", "Baker",
    "Nelson", "Carter", "Patel", "Kim", "Murphy", "Evans", "Turner", "Novak", "Khan",
)
CITIES = (
    "Boston", "Chicago", "Denver", "Seattle", "Toronto", "Dublin", "Edinburgh", "Madrid",
    "Lisbon", "Berlin", "Vienna", "Prague", "Sydney", "Tokyo", "Singapore", "Vancouver",
    "Montreal", "Rome", "Paris", "Amsterdam", "Oslo", "Athens",
)
STREETS = (
    "Oak Street", "Park Road", "King Street", "Maple Avenue", "Station Road", "Church Lane",
    "Hill Street", "River Road", "Elm Street", "Market Street", "Bridge Street", "Green Lane",
    "Queen Street", "Mill Road", "Victoria Avenue", "Lake Drive",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WORKDAYS = WEEKDAYS[:5]
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)


def person(title: bool = False) -> Callable[[Random], str]:
    """A first name, or with ``title`` a title and surname such as "Ms Novak"."""
    def draw(r: Random) -> str:
        if title:
            return f"{r.choice(('Mr', 'Ms', 'Mrs'))} {r.choice(SURNAMES)}"
        return r.choice(FIRST_NAMES)
    return draw


def full_name(r: Random) -> str:
    """A first name and a surname such as "Lucy Turner"."""
    return f"{r.choice(FIRST_NAMES)} {r.choice(SURNAMES)}"


def doctor(r: Random) -> str:
    """A doctor's name such as "Dr Patel"."""
    return f"Dr {r.choice(SURNAMES)}"


def money(low: int, high: int, step: int = 5, cents: str = "") -> Callable[[Random], str]:
    """A dollar amount between ``low`` and ``high`` in steps, e.g. "$45" or "$12.99"."""
    def draw(r: Random) -> str:
        return f"${r.randrange(low, high + 1, step):,}{cents}"
    return draw


def clock(first_hour: int, last_hour: int, quarters: bool = True) -> Callable[[Random], str]:
    """A clock time between two hours (24-hour input), written like "9:30 am" or "2 pm"."""
    def draw(r: Random) -> str:
        hour = r.randint(first_hour, last_hour)
        minute = r.choice((0, 15, 30, 45) if quarters else (0, 30))
        suffix = "am" if hour < 12 else "pm"
        shown = hour if hour <= 12 else hour - 12
        return f"{shown}:{minute:02d} {suffix}" if minute else f"{shown} {suffix}"
    return draw


def date(r: Random) -> str:
    """A calendar date such as "May 14"."""
    return f"{r.choice(MONTHS)} {r.randint(1, 28)}"


def number(low: int, high: int) -> Callable[[Random], str]:
    """A whole number as digits."""
    def draw(r: Random) -> str:
        return str(r.randint(low, high))
    return draw


def words(low: int, high: int) -> Callable[[Random], str]:
    """A small whole number written as a word ("two" to "ten")."""
    names = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve")

    def draw(r: Random) -> str:
        return names[r.randint(low, high)]
    return draw
