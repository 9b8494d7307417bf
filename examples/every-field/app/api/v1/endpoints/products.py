"""The ``/products`` endpoints: thin handlers over :class:`ProductService`."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, status

from app.api.deps import SessionDep, get_current_user, require_admin
from app.models.product import Product
from app.schemas.common import Page, error_responses
from app.schemas.product import ProductCreate, ProductQuery, ProductRead, ProductUpdate
from app.services.product import ProductService


async def get_product_service(session: SessionDep) -> ProductService:
    """Provide the product service for one request."""
    return ProductService(session)


ProductServiceDep = Annotated[ProductService, Depends(get_product_service)]


async def get_product(
    product_id: Annotated[int, Path(ge=1, le=2_147_483_647)], service: ProductServiceDep
) -> Product:
    """Load the product a route's ``product_id`` names, or answer 404."""
    return await service.get(product_id)


_CREATED_LINKS: dict[str, Any] = {
    "GetProduct": {
        "operationId": "products-get",
        "parameters": {"product_id": "$response.body#/id"},
    },
    "ReplaceProduct": {
        "operationId": "products-replace",
        "parameters": {"product_id": "$response.body#/id"},
    },
    "UpdateProduct": {
        "operationId": "products-update",
        "parameters": {"product_id": "$response.body#/id"},
    },
    "DeleteProduct": {
        "operationId": "products-delete",
        "parameters": {"product_id": "$response.body#/id"},
    },
}
"""OpenAPI links: where the ids in a created product lead."""

router = APIRouter(
    prefix="/products", tags=["products"], responses=error_responses(422)
)


@router.get(
    "",
    name="list",
    summary="List products",
    dependencies=[Depends(get_current_user)],
    responses=error_responses(401),
)
async def list_products(
    query: Annotated[ProductQuery, Query()], service: ProductServiceDep
) -> Page[ProductRead]:
    """List products a page at a time, filtered, searched and sorted."""
    return await service.list(query)


@router.post(
    "",
    name="create",
    summary="Create a product",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_admin)],
    responses={201: {"links": _CREATED_LINKS}, **error_responses(400, 401, 403, 409)},
)
async def create_product(
    data: ProductCreate, service: ProductServiceDep
) -> ProductRead:
    """Create a product and return it with its id."""
    return ProductRead.model_validate(await service.create(data))


@router.get(
    "/{product_id}",
    name="get",
    summary="Get a product",
    dependencies=[Depends(get_current_user)],
    responses=error_responses(401, 404),
)
async def read_product(
    product: Annotated[Product, Depends(get_product)],
) -> ProductRead:
    """Return one product."""
    return ProductRead.model_validate(product)


@router.put(
    "/{product_id}",
    name="replace",
    summary="Replace a product",
    dependencies=[Depends(require_admin)],
    responses=error_responses(400, 401, 403, 404, 409),
)
async def replace_product(
    product: Annotated[Product, Depends(get_product)],
    data: ProductCreate,
    service: ProductServiceDep,
) -> ProductRead:
    """Replace every field of a product."""
    return ProductRead.model_validate(await service.replace(product, data))


@router.patch(
    "/{product_id}",
    name="update",
    summary="Update a product",
    dependencies=[Depends(require_admin)],
    responses=error_responses(400, 401, 403, 404, 409),
)
async def update_product(
    product: Annotated[Product, Depends(get_product)],
    data: ProductUpdate,
    service: ProductServiceDep,
) -> ProductRead:
    """Change the fields of a product that the body sets."""
    return ProductRead.model_validate(await service.update(product, data))


@router.delete(
    "/{product_id}",
    name="delete",
    summary="Delete a product",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(require_admin)],
    responses=error_responses(401, 403, 404, 409),
)
async def delete_product(
    product: Annotated[Product, Depends(get_product)], service: ProductServiceDep
) -> None:
    """Delete a product."""
    await service.delete(product)
