"""The ``/notes`` endpoints: thin handlers over :class:`NoteService`."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, status

from app.api.deps import SessionDep
from app.models.note import Note
from app.schemas.common import Page, error_responses
from app.schemas.note import NoteCreate, NoteQuery, NoteRead, NoteUpdate
from app.services.note import NoteService


async def get_note_service(session: SessionDep) -> NoteService:
    """Provide the note service for one request."""
    return NoteService(session)


NoteServiceDep = Annotated[NoteService, Depends(get_note_service)]


async def get_note(note_id: UUID, service: NoteServiceDep) -> Note:
    """Load the note a route's ``note_id`` names, or answer 404."""
    return await service.get(note_id)


_CREATED_LINKS: dict[str, Any] = {
    "GetNote": {
        "operationId": "notes-get",
        "parameters": {"note_id": "$response.body#/id"},
    },
    "ReplaceNote": {
        "operationId": "notes-replace",
        "parameters": {"note_id": "$response.body#/id"},
    },
    "UpdateNote": {
        "operationId": "notes-update",
        "parameters": {"note_id": "$response.body#/id"},
    },
    "DeleteNote": {
        "operationId": "notes-delete",
        "parameters": {"note_id": "$response.body#/id"},
    },
}
"""OpenAPI links: where the ids in a created note lead."""

router = APIRouter(prefix="/notes", tags=["notes"], responses=error_responses(422))


@router.get(
    "",
    name="list",
    summary="List notes",
)
async def list_notes(
    query: Annotated[NoteQuery, Query()], service: NoteServiceDep
) -> Page[NoteRead]:
    """List notes a page at a time, filtered, searched and sorted."""
    return await service.list(query)


@router.post(
    "",
    name="create",
    summary="Create a note",
    status_code=status.HTTP_201_CREATED,
    responses={201: {"links": _CREATED_LINKS}, **error_responses(400, 409)},
)
async def create_note(data: NoteCreate, service: NoteServiceDep) -> NoteRead:
    """Create a note and return it with its id."""
    return NoteRead.model_validate(await service.create(data))


@router.get(
    "/{note_id}",
    name="get",
    summary="Get a note",
    responses=error_responses(404),
)
async def read_note(note: Annotated[Note, Depends(get_note)]) -> NoteRead:
    """Return one note."""
    return NoteRead.model_validate(note)


@router.put(
    "/{note_id}",
    name="replace",
    summary="Replace a note",
    responses=error_responses(400, 404, 409),
)
async def replace_note(
    note: Annotated[Note, Depends(get_note)], data: NoteCreate, service: NoteServiceDep
) -> NoteRead:
    """Replace every field of a note."""
    return NoteRead.model_validate(await service.replace(note, data))


@router.patch(
    "/{note_id}",
    name="update",
    summary="Update a note",
    responses=error_responses(400, 404, 409),
)
async def update_note(
    note: Annotated[Note, Depends(get_note)], data: NoteUpdate, service: NoteServiceDep
) -> NoteRead:
    """Change the fields of a note that the body sets."""
    return NoteRead.model_validate(await service.update(note, data))


@router.delete(
    "/{note_id}",
    name="delete",
    summary="Delete a note",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(404, 409),
)
async def delete_note(
    note: Annotated[Note, Depends(get_note)], service: NoteServiceDep
) -> None:
    """Delete a note."""
    await service.delete(note)
