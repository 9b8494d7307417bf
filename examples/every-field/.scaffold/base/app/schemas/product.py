"""Request and response bodies of the ``/products`` endpoints."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    PlainSerializer,
    field_validator,
)

from app.models.product import ProductPackaging
from app.schemas.common import PageQuery, UtcDatetime

HttpUrlStr = Annotated[HttpUrl, PlainSerializer(str, return_type=str)]
"""A URL, validated on the way in and stored and returned as text."""
SkuField = Annotated[str, Field(max_length=12, pattern="^[A-Z]{3}-[0-9]{4}$")]
NameField = Annotated[str, Field(min_length=2, max_length=120)]
DescriptionField = Annotated[str, Field(max_length=2000)]
PriceField = Annotated[
    Decimal,
    Field(
        max_digits=10,
        decimal_places=2,
        ge=Decimal("0"),
        le=Decimal("100000"),
        allow_inf_nan=False,
    ),
]
WeightKgField = Annotated[float, Field(ge=0.0, le=1000.0, allow_inf_nan=False)]
StockField = Annotated[int, Field(ge=0, le=2147483647)]
ContactField = Annotated[EmailStr, Field(max_length=320)]
HomepageField = Annotated[HttpUrlStr, Field(max_length=2083)]
ProductSort = Literal[
    "sku",
    "-sku",
    "name",
    "-name",
    "description",
    "-description",
    "price",
    "-price",
    "weight_kg",
    "-weight_kg",
    "stock",
    "-stock",
    "active",
    "-active",
    "released_on",
    "-released_on",
    "restocked_at",
    "-restocked_at",
    "supplier_ref",
    "-supplier_ref",
    "contact",
    "-contact",
    "homepage",
    "-homepage",
    "packaging",
    "-packaging",
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
]

_EXAMPLE: dict[str, Any] = {
    "sku": "ADY-1746",
    "name": "Name 0",
    "description": "Description 0",
    "price": "1.00",
    "weight_kg": 1.5,
    "stock": 0,
    "active": True,
    "released_on": "2025-01-01",
    "restocked_at": "2025-01-01T12:00:00Z",
    "supplier_ref": "00000000-0000-4000-8000-000000000000",
    "contact": "user0@example.com",
    "homepage": "https://example.com/products/0",
    "attributes": {"n": 0},
    "packaging": "small",
}


class ProductCreate(BaseModel):
    """The body of ``POST /products`` and ``PUT /products/{id}``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    sku: SkuField
    name: NameField
    description: DescriptionField | None = None
    price: PriceField
    weight_kg: WeightKgField | None = None
    stock: StockField = 0
    active: bool = True
    released_on: date | None = None
    restocked_at: UtcDatetime | None = None
    supplier_ref: UUID | None = None
    contact: ContactField | None = None
    homepage: HomepageField | None = None
    attributes: dict[str, Any] | None = None
    packaging: ProductPackaging = ProductPackaging.MEDIUM


class ProductUpdate(BaseModel):
    """The body of ``PATCH /products/{id}``: every field may be left out."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    sku: SkuField | None = None
    name: NameField | None = None
    description: DescriptionField | None = None
    price: PriceField | None = None
    weight_kg: WeightKgField | None = None
    stock: StockField | None = None
    active: bool | None = None
    released_on: date | None = None
    restocked_at: UtcDatetime | None = None
    supplier_ref: UUID | None = None
    contact: ContactField | None = None
    homepage: HomepageField | None = None
    attributes: dict[str, Any] | None = None
    packaging: ProductPackaging | None = None

    @field_validator("sku", "name", "price", "stock", "active", "packaging")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Refuse an explicit ``null`` for a field the product cannot lack."""
        if value is None:
            raise ValueError("may be left out, but not set to null")
        return value


class ProductRead(BaseModel):
    """A product as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    sku: str
    name: str
    description: str | None
    price: Decimal
    weight_kg: float | None
    stock: int
    active: bool
    released_on: date | None
    restocked_at: datetime | None
    supplier_ref: UUID | None
    contact: str | None
    homepage: str | None
    attributes: dict[str, Any] | None
    packaging: ProductPackaging
    created_at: datetime
    updated_at: datetime


class ProductQuery(PageQuery):
    """The query parameters of ``GET /products``: paging, filters, search, order."""

    model_config = ConfigDict(extra="forbid")

    sort: ProductSort | None = Field(
        None,
        description="Sort by a field, '-' first for descending; newest first if unset.",
    )
    q: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="Case-insensitive search in name, description.",
    )
    sku: SkuField | None = Field(
        None, description="Only products whose sku equals this value."
    )
    name: NameField | None = Field(
        None, description="Only products whose name equals this value."
    )
    active: bool | None = Field(
        None, description="Only products whose active equals this value."
    )
    packaging: ProductPackaging | None = Field(
        None, description="Only products whose packaging equals this value."
    )
