from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from app.db import get_session
from app.models import Note

router = APIRouter(prefix="/notes", tags=["notes"])


@router.get("/{note_id}")
def read_note(note_id: int, session: Session = Depends(get_session)):
    note = session.get(Note, note_id)
    if note is None:
        raise HTTPException(status_code=404, detail="note not found")
    return {"id": note.id, "title": note.title, "body": note.body}


@router.post("/", status_code=201)
def create_note(title: str, body: str | None = None, session: Session = Depends(get_session)):
    note = Note(title=title, body=body)
    session.add(note)
    session.commit()
    return {"id": note.id}
