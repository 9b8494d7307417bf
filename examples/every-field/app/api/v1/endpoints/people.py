"""The ``/people`` endpoints: thin handlers over :class:`PersonService`."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, status

from app.api.deps import SessionDep, get_current_user, require_admin
from app.models.person import Person
from app.schemas.common import Page, error_responses
from app.schemas.person import PersonCreate, PersonQuery, PersonRead, PersonUpdate
from app.services.person import PersonService


async def get_person_service(session: SessionDep) -> PersonService:
    """Provide the person service for one request."""
    return PersonService(session)


PersonServiceDep = Annotated[PersonService, Depends(get_person_service)]


async def get_person(
    person_id: Annotated[int, Path(ge=1, le=2_147_483_647)], service: PersonServiceDep
) -> Person:
    """Load the person a route's ``person_id`` names, or answer 404."""
    return await service.get(person_id)


_CREATED_LINKS: dict[str, Any] = {
    "GetPerson": {
        "operationId": "people-get",
        "parameters": {"person_id": "$response.body#/id"},
    },
    "ReplacePerson": {
        "operationId": "people-replace",
        "parameters": {"person_id": "$response.body#/id"},
    },
    "UpdatePerson": {
        "operationId": "people-update",
        "parameters": {"person_id": "$response.body#/id"},
    },
    "DeletePerson": {
        "operationId": "people-delete",
        "parameters": {"person_id": "$response.body#/id"},
    },
}
"""OpenAPI links: where the ids in a created person lead."""

router = APIRouter(prefix="/people", tags=["people"], responses=error_responses(422))


@router.get(
    "",
    name="list",
    summary="List people",
    dependencies=[Depends(get_current_user)],
    responses=error_responses(401),
)
async def list_people(
    query: Annotated[PersonQuery, Query()], service: PersonServiceDep
) -> Page[PersonRead]:
    """List people a page at a time, filtered, searched and sorted."""
    return await service.list(query)


@router.post(
    "",
    name="create",
    summary="Create a person",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_admin)],
    responses={201: {"links": _CREATED_LINKS}, **error_responses(400, 401, 403, 409)},
)
async def create_person(data: PersonCreate, service: PersonServiceDep) -> PersonRead:
    """Create a person and return it with its id."""
    return PersonRead.model_validate(await service.create(data))


@router.get(
    "/{person_id}",
    name="get",
    summary="Get a person",
    dependencies=[Depends(get_current_user)],
    responses=error_responses(401, 404),
)
async def read_person(person: Annotated[Person, Depends(get_person)]) -> PersonRead:
    """Return one person."""
    return PersonRead.model_validate(person)


@router.put(
    "/{person_id}",
    name="replace",
    summary="Replace a person",
    dependencies=[Depends(require_admin)],
    responses=error_responses(400, 401, 403, 404, 409),
)
async def replace_person(
    person: Annotated[Person, Depends(get_person)],
    data: PersonCreate,
    service: PersonServiceDep,
) -> PersonRead:
    """Replace every field of a person."""
    return PersonRead.model_validate(await service.replace(person, data))


@router.patch(
    "/{person_id}",
    name="update",
    summary="Update a person",
    dependencies=[Depends(require_admin)],
    responses=error_responses(400, 401, 403, 404, 409),
)
async def update_person(
    person: Annotated[Person, Depends(get_person)],
    data: PersonUpdate,
    service: PersonServiceDep,
) -> PersonRead:
    """Change the fields of a person that the body sets."""
    return PersonRead.model_validate(await service.update(person, data))


@router.delete(
    "/{person_id}",
    name="delete",
    summary="Delete a person",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(require_admin)],
    responses=error_responses(401, 403, 404, 409),
)
async def delete_person(
    person: Annotated[Person, Depends(get_person)], service: PersonServiceDep
) -> None:
    """Delete a person."""
    await service.delete(person)
