"""The ``Person`` model: one row of the ``people`` table."""

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Enum, Index, Numeric, String, column, func
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin, enum_values


class PersonStatus(StrEnum):
    """The values ``Person.status`` can take."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    BANNED = "banned"


class Person(TimestampMixin, Base):
    """A person stored in the ``people`` table."""

    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint(
            func.length(column("full_name")) >= 1, name="full_name_min_length"
        ),
        CheckConstraint(column("score") >= -100, name="score_min"),
        CheckConstraint(column("score") <= 100, name="score_max"),
        CheckConstraint(column("discount") >= 0, name="discount_min"),
        Index("ix_people_created_at", "created_at", "id"),
        Index(
            "ix_people_email_trgm",
            "email",
            postgresql_using="gin",
            postgresql_ops={"email": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_people_full_name_trgm",
            "full_name",
            postgresql_using="gin",
            postgresql_ops={"full_name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_people_initial_trgm",
            "initial",
            postgresql_using="gin",
            postgresql_ops={"initial": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date | None]
    status: Mapped[PersonStatus] = mapped_column(
        Enum(
            PersonStatus,
            name="person_status",
            native_enum=False,
            create_constraint=True,
            length=8,
            values_callable=enum_values,
        ),
        default=PersonStatus.ACTIVE,
    )
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    initial: Mapped[str | None] = mapped_column(String(1))
    discount: Mapped[Decimal | None] = mapped_column(Numeric(2, 2))
    updated_on: Mapped[dt.datetime | None]
