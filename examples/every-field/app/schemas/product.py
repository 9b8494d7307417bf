"""Request and response bodies of the ``/products`` endpoints."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema

from app.models.product import ProductPackaging
from app.schemas.common import (
    NO_NUL,
    DecimalText,
    Email,
    HttpUrlStr,
    IsoDate,
    JsonInteger,
    JsonObject,
    PageQuery,
    UtcDatetime,
    omittable,
)

SkuField = Annotated[
    str, Field(min_length=1, max_length=12, pattern="^[A-Z]{3}-[0-9]{4}$")
]
NameField = Annotated[str, Field(min_length=2, max_length=120, pattern=NO_NUL)]
DescriptionField = Annotated[str, Field(max_length=2000, pattern=NO_NUL)]
PriceField = Annotated[
    Decimal,
    Field(
        max_digits=10,
        decimal_places=2,
        ge=Decimal("0"),
        le=Decimal("100000"),
        allow_inf_nan=False,
    ),
    DecimalText(r"^(?:(?:0|[1-9][0-9]{0,4})(?:\.[0-9]{1,2})?|100000(?:\.(?:0|00))?)$"),
]
WeightKgField = Annotated[StrictFloat, Field(ge=0.0, le=1000.0, allow_inf_nan=False)]
StockField = Annotated[int, Field(ge=0, le=2147483647), JsonInteger]
ContactField = Annotated[Email, Field(max_length=320)]
HomepageField = Annotated[HttpUrlStr, Field(max_length=2083)]
WeightKgFilter = Annotated[float, Field(ge=0.0, le=1000.0, allow_inf_nan=False)]
StockFilter = Annotated[int, Field(ge=0, le=2147483647)]
ProductSort = Literal[
    "sku",
    "-sku",
    "name",
    "-name",
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
    active: StrictBool = True
    released_on: IsoDate | None = None
    restocked_at: UtcDatetime | None = None
    supplier_ref: UUID | None = None
    contact: ContactField | None = None
    homepage: HomepageField | None = None
    attributes: JsonObject | None = None
    packaging: ProductPackaging = ProductPackaging.MEDIUM


class ProductUpdate(BaseModel):
    """The body of ``PATCH /products/{id}``: every field may be left out.

    A field the product cannot lack may be left out, but not set to null.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    sku: SkuField | SkipJsonSchema[None] = omittable()
    name: NameField | SkipJsonSchema[None] = omittable()
    description: DescriptionField | None = None
    price: PriceField | SkipJsonSchema[None] = omittable()
    weight_kg: WeightKgField | None = None
    stock: StockField | SkipJsonSchema[None] = omittable()
    active: StrictBool | SkipJsonSchema[None] = omittable()
    released_on: IsoDate | None = None
    restocked_at: UtcDatetime | None = None
    supplier_ref: UUID | None = None
    contact: ContactField | None = None
    homepage: HomepageField | None = None
    attributes: JsonObject | None = None
    packaging: ProductPackaging | SkipJsonSchema[None] = omittable()

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

    sort: ProductSort | SkipJsonSchema[None] = omittable(
        description="Sort by a field, '-' first for descending; newest first if unset.",
    )
    q: (
        Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
        | SkipJsonSchema[None]
    ) = omittable(
        description="Case-insensitive search in name, description.",
    )
    sku: Annotated[list[SkuField], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only products whose sku is one of these values.")
    )
    name: Annotated[list[NameField], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only products whose name is one of these values.")
    )
    description__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only products without description; false: only with."
    )
    price__gte: PriceField | SkipJsonSchema[None] = omittable(
        description="Only products whose price is at least this."
    )
    price__lte: PriceField | SkipJsonSchema[None] = omittable(
        description="Only products whose price is at most this."
    )
    price__gt: PriceField | SkipJsonSchema[None] = omittable(
        description="Only products whose price is more than this."
    )
    price__lt: PriceField | SkipJsonSchema[None] = omittable(
        description="Only products whose price is less than this."
    )
    weight_kg__gte: WeightKgFilter | SkipJsonSchema[None] = omittable(
        description="Only products whose weight kg is at least this."
    )
    weight_kg__lte: WeightKgFilter | SkipJsonSchema[None] = omittable(
        description="Only products whose weight kg is at most this."
    )
    weight_kg__gt: WeightKgFilter | SkipJsonSchema[None] = omittable(
        description="Only products whose weight kg is more than this."
    )
    weight_kg__lt: WeightKgFilter | SkipJsonSchema[None] = omittable(
        description="Only products whose weight kg is less than this."
    )
    weight_kg__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only products without weight kg; false: only with."
    )
    stock__gte: StockFilter | SkipJsonSchema[None] = omittable(
        description="Only products whose stock is at least this."
    )
    stock__lte: StockFilter | SkipJsonSchema[None] = omittable(
        description="Only products whose stock is at most this."
    )
    stock__gt: StockFilter | SkipJsonSchema[None] = omittable(
        description="Only products whose stock is more than this."
    )
    stock__lt: StockFilter | SkipJsonSchema[None] = omittable(
        description="Only products whose stock is less than this."
    )
    active: bool | SkipJsonSchema[None] = omittable(
        description="Only products whose active equals this value."
    )
    released_on__gte: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only products whose released on is at least this."
    )
    released_on__lte: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only products whose released on is at most this."
    )
    released_on__gt: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only products whose released on is more than this."
    )
    released_on__lt: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only products whose released on is less than this."
    )
    released_on__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only products without released on; false: only with."
    )
    restocked_at__gte: UtcDatetime | SkipJsonSchema[None] = omittable(
        description="Only products whose restocked at is at least this."
    )
    restocked_at__lte: UtcDatetime | SkipJsonSchema[None] = omittable(
        description="Only products whose restocked at is at most this."
    )
    restocked_at__gt: UtcDatetime | SkipJsonSchema[None] = omittable(
        description="Only products whose restocked at is more than this."
    )
    restocked_at__lt: UtcDatetime | SkipJsonSchema[None] = omittable(
        description="Only products whose restocked at is less than this."
    )
    restocked_at__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only products without restocked at; false: only with."
    )
    supplier_ref__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only products without supplier ref; false: only with."
    )
    contact__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only products without contact; false: only with."
    )
    homepage__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only products without homepage; false: only with."
    )
    packaging: (
        Annotated[list[ProductPackaging], Field(max_length=100)] | SkipJsonSchema[None]
    ) = omittable(description="Only products whose packaging is one of these values.")
