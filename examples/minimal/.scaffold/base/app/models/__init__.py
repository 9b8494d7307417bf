"""SQLAlchemy models, one module per model.

Importing this package registers every table on ``Base.metadata``, which
Alembic and the test suite rely on: each model module is imported below and
listed in ``__all__``; take ``Base`` from here wherever the complete metadata
matters.
"""

from app.core.database import Base

__all__ = ["Base"]
