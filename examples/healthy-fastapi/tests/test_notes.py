from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_health():
    assert client.get("/health").status_code == 200


def test_missing_note():
    assert client.get("/api/notes/999").status_code in (404, 500)
