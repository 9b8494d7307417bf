"""SQLAlchemy models, one module per model.

Importing this package registers every table on ``Base.metadata``, which
Alembic and the test suite rely on: each model module is imported below and
listed in ``__all__``; take ``Base`` from here wherever the complete metadata
matters.
"""

from app.core.database import Base
from app.models.api_key import ApiKey
from app.models.password_reset_token import PasswordResetToken
from app.models.refresh_token import RefreshToken
from app.models.user import User

__all__ = ["ApiKey", "Base", "PasswordResetToken", "RefreshToken", "User"]
