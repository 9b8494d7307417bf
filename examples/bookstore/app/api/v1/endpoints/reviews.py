"""The ``/reviews`` endpoints: thin handlers over :class:`ReviewService`."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, status

from app.api.deps import CurrentUser, SessionDep, get_current_user
from app.models.review import Review
from app.schemas.common import CursorPage, error_responses
from app.schemas.review import ReviewCreate, ReviewQuery, ReviewRead, ReviewUpdate
from app.services.review import ReviewService


async def get_review_service(session: SessionDep, caller: CurrentUser) -> ReviewService:
    """Provide the review service of the signed-in user for one request."""
    return ReviewService(session, caller)


ReviewServiceDep = Annotated[ReviewService, Depends(get_review_service)]


async def get_review(review_id: UUID, service: ReviewServiceDep) -> Review:
    """Load the review a route's ``review_id`` names, or answer 404."""
    return await service.get(review_id)


_CREATED_LINKS: dict[str, Any] = {
    "GetReview": {
        "operationId": "reviews-get",
        "parameters": {"review_id": "$response.body#/id"},
    },
    "ReplaceReview": {
        "operationId": "reviews-replace",
        "parameters": {"review_id": "$response.body#/id"},
    },
    "UpdateReview": {
        "operationId": "reviews-update",
        "parameters": {"review_id": "$response.body#/id"},
    },
    "DeleteReview": {
        "operationId": "reviews-delete",
        "parameters": {"review_id": "$response.body#/id"},
    },
    "GetBook": {
        "operationId": "books-get",
        "parameters": {"book_id": "$response.body#/book_id"},
    },
    "ListBookReviews": {
        "operationId": "reviews-list-by-book",
        "parameters": {"book_id": "$response.body#/book_id"},
    },
}
"""OpenAPI links: where the ids in a created review lead."""

router = APIRouter(prefix="/reviews", tags=["reviews"], responses=error_responses(422))


@router.get(
    "",
    name="list",
    summary="List reviews",
    dependencies=[Depends(get_current_user)],
    responses=error_responses(401),
)
async def list_reviews(
    query: Annotated[ReviewQuery, Query()], service: ReviewServiceDep
) -> CursorPage[ReviewRead]:
    """List reviews a page at a time, filtered, searched and sorted."""
    return await service.list(query)


@router.post(
    "",
    name="create",
    summary="Create a review",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(get_current_user)],
    responses={201: {"links": _CREATED_LINKS}, **error_responses(400, 401, 409)},
)
async def create_review(data: ReviewCreate, service: ReviewServiceDep) -> ReviewRead:
    """Create a review and return it with its id."""
    return ReviewRead.model_validate(await service.create(data))


@router.get(
    "/{review_id}",
    name="get",
    summary="Get a review",
    dependencies=[Depends(get_current_user)],
    responses=error_responses(401, 404),
)
async def read_review(review: Annotated[Review, Depends(get_review)]) -> ReviewRead:
    """Return one review."""
    return ReviewRead.model_validate(review)


@router.put(
    "/{review_id}",
    name="replace",
    summary="Replace a review",
    dependencies=[Depends(get_current_user)],
    responses=error_responses(400, 401, 403, 404, 409),
)
async def replace_review(
    review: Annotated[Review, Depends(get_review)],
    data: ReviewCreate,
    service: ReviewServiceDep,
) -> ReviewRead:
    """Replace every field of a review."""
    return ReviewRead.model_validate(await service.replace(review, data))


@router.patch(
    "/{review_id}",
    name="update",
    summary="Update a review",
    dependencies=[Depends(get_current_user)],
    responses=error_responses(400, 401, 403, 404, 409),
)
async def update_review(
    review: Annotated[Review, Depends(get_review)],
    data: ReviewUpdate,
    service: ReviewServiceDep,
) -> ReviewRead:
    """Change the fields of a review that the body sets."""
    return ReviewRead.model_validate(await service.update(review, data))


@router.delete(
    "/{review_id}",
    name="delete",
    summary="Delete a review",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(get_current_user)],
    responses=error_responses(401, 403, 404, 409),
)
async def delete_review(
    review: Annotated[Review, Depends(get_review)], service: ReviewServiceDep
) -> None:
    """Delete a review."""
    await service.delete(review)


nested_router = APIRouter(tags=["reviews"], responses=error_responses(422))
"""Routes that list reviews under the resources they refer to."""


@nested_router.get(
    "/books/{book_id}/reviews",
    name="list-by-book",
    summary="List the reviews of a book",
    dependencies=[Depends(get_current_user)],
    responses=error_responses(401, 404),
)
async def list_reviews_by_book(
    book_id: UUID, query: Annotated[ReviewQuery, Query()], service: ReviewServiceDep
) -> CursorPage[ReviewRead]:
    """List the reviews of one book, a page at a time.

    Answers 404 when the book does not exist.
    """
    return await service.list_by_book(book_id, query)
