from fastapi import FastAPI

from app.api import notes

app = FastAPI(title="Ledger Notes")
app.include_router(notes.router, prefix="/api")


@app.get("/health")
def health():
    return {"status": "ok"}
