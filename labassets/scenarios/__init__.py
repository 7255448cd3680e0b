"""The scenario families of the DialogSum-style corpus, in a fixed order.

Each module holds a few related families (see :class:`base.Family` for what one contains).
"""

from labassets.scenarios import home_social, services, shopping, travel, work_school
from labassets.scenarios.base import Family, Maybe, Sentence, Turn, Value

FAMILIES: tuple[Family, ...] = (
    *shopping.FAMILIES,
    *travel.FAMILIES,
    *services.FAMILIES,
    *work_school.FAMILIES,
    *home_social.FAMILIES,
)

__all__ = ["FAMILIES", "Family", "Maybe", "Sentence", "Turn", "Value"]
