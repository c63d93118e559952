"""Types the API's operations share.

``Id`` is the one integer id type, for path, query and body alike. It is bounded so that a number the
database cannot hold (2^63 and more overflow SQLite's and PostgreSQL's 64-bit integers) is refused with a 422
naming the parameter, instead of reaching a query and failing there. The bound is 2^53 - 1, the largest
integer a JSON number carries exactly; every id the database hands out lies far below it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_ID = 2**53 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID, description="An id (a whole number from 1).")]
