"""SQLAlchemy models, one module per model.

Importing this package registers every table on ``Base.metadata``, which
Alembic and the test suite rely on: add one import per model module below and
take ``Base`` from here wherever the complete metadata matters.
"""

from app.core.database import Base as Base
