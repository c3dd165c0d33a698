"""The few places where SQLite and PostgreSQL need different SQL, named once."""

from django.db import connection
from django.db.models import Expression, F
from django.db.models.functions import Collate


def byte_order(field: str | Expression) -> Expression | F:
    """Order by text in byte order: the order of PostgreSQL's "C" indexes (and SQLite's default)."""
    expression = F(field) if isinstance(field, str) else field
    return Collate(expression, "C") if connection.vendor == "postgresql" else expression
