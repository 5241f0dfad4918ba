from fastapi.testclient import TestClient

from main import app

client = TestClient(app)


def test_login():
    response = client.post("/api/v1/auth/login", json={"email": "a@b.c", "password": "x"})
    assert response.status_code == 200


def test_price():
    assert client.get("/api/v1/pricing/1").status_code == 200
