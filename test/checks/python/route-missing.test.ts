import check from '../../../checks/python/route-missing.js';
import { checkTable } from '../../helpers/check-tester.js';

const MAIN_000 = 'from fastapi import FastAPI\nfrom api import pricing\napp = FastAPI()\napp.include_router(pricing.router, prefix="/api/v1")\n@app.get("/health")\ndef health():\n    return {}\n';
const PRICING = 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/pricing")\n@router.get("/{material_id}")\ndef get_price(material_id: int):\n    return {}\n';
const TEST_000 = [
  'from fastapi.testclient import TestClient',
  '',
  'from main import app',
  '',
  'client = TestClient(app)',
  '',
  '',
  'def test_login():',
  '    response = client.post("/api/v1/auth/login", json={"email": "a@b.c", "password": "x"})',
  '    assert response.status_code == 200',
  '',
  '',
  'def test_price():',
  '    assert client.get("/api/v1/pricing/1").status_code == 200',
].join('\n');

checkTable(check, {
  valid: [
    {
      name: 'every call is served, with settings prefixes, f-strings, trailing slashes, query strings and docs',
      files: {
        'backend/app/core/config.py': 'from pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    API_V1_STR: str = "/api/v1"\nsettings = Settings()\n',
        'backend/app/main.py': 'from fastapi import FastAPI\nfrom app.api.routes import items\nfrom app.core.config import settings\napp = FastAPI()\napp.include_router(items.router, prefix=settings.API_V1_STR)\n',
        'backend/app/api/routes/items.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/items")\n@router.get("/")\ndef list_items():\n    return []\n@router.post("/")\ndef create():\n    return {}\n@router.get("/{id}")\ndef read(id: int):\n    return {}\n',
        'backend/app/tests/api/test_items.py': [
          'from app.core.config import settings',
          'def test_items(client):',
          '    client.get(f"{settings.API_V1_STR}/items/")',
          '    client.get(f"{settings.API_V1_STR}/items/{item.id}?full=1")',
          '    client.post(f"{settings.API_V1_STR}/items", json={})',
          '    client.get("/docs")',
          '    client.get("https://example.com/elsewhere")',
        ].join('\n'),
      },
    },
    {
      name: 'tests asserting 404, unknown mounts and Flask blueprints',
      files: {
        'app.py': 'from flask import Flask\nfrom views import bp\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix="/v")\n',
        'views.py': 'from flask import Blueprint\nbp = Blueprint("v", __name__)\n@bp.route("/users/<int:id>")\ndef user(id):\n    return "x"\n',
        'tests/test_views.py': 'def test_user(client):\n    assert client.get("/v/users/3").status_code == 200\n    assert client.get("/static/app.css").status_code == 200\ndef test_missing(client):\n    assert client.get("/nope").status_code == 404\n',
      },
    },
    {
      name: 'a path under a GraphQL mount the model cannot list',
      files: {
        'main.py': 'from fastapi import FastAPI\nfrom strawberry.fastapi import GraphQLRouter\napp = FastAPI()\napp.include_router(GraphQLRouter(schema), prefix="/graphql")\n',
        'tests/test_gql.py': 'from fastapi.testclient import TestClient\nfrom main import app\nc = TestClient(app)\ndef test_q():\n    c.post("/graphql/batch", json={})\n',
      },
    },
    {
      name: 'flask-restful resources and class-based views the model cannot list by method',
      files: {
        'app.py': 'from flask import Flask\nfrom flask_restful import Api\nfrom res import Todo\napp = Flask(__name__)\napi = Api(app)\napi.add_resource(Todo, "/todos/<id>")\n',
        'tests/test_todo.py': 'def test_todo(client):\n    client.put("/todos/1", json={})\n',
      },
    },
    {
      name: 'MethodView registered with add_url_rule answers every method it defines',
      files: {
        'app.py': 'from flask import Flask\nfrom views import UserAPI\napp = Flask(__name__)\napp.add_url_rule("/users/<int:id>", view_func=UserAPI.as_view("user"))\n',
        'tests/test_users.py': 'def test_user(client):\n    client.delete("/users/3")\n',
      },
    },
    {
      name: 'Django projects are not judged',
      files: {
        'proj/urls.py': 'from django.urls import path\nurlpatterns = [path("admin/", admin.site.urls)]\n',
        'app/api.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
        'tests/test_x.py': 'def test_x(client):\n    client.get("/accounts/login/")\n',
      },
    },
  ],
  invalid: [
    {
      name: 'report 000: the test logs in at /api/v1/auth/login, which no router defines',
      files: { 'backend/main.py': MAIN_000, 'backend/api/__init__.py': '', 'backend/api/pricing.py': PRICING, 'tests/test_api.py': TEST_000 },
      errors: [{ file: 'tests/test_api.py', line: 9, severity: 'high', message: ['POST /api/v1/auth/login', '404', 'GET /api/v1/pricing/{material_id}'], fix: ['@router.post("/login")', 'prefix="/api/v1"'] }],
    },
    {
      name: 'a method the route does not accept (the call into a router nobody includes is router-not-included\'s)',
      files: {
        'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/items")\ndef items():\n    return []\n',
        'auth.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/auth")\n@router.post("/login")\ndef login():\n    return {}\n',
        'tests/test_a.py': 'from fastapi.testclient import TestClient\nfrom main import app\nclient = TestClient(app)\ndef test_a():\n    client.post("/auth/login")\n    client.delete("/items")\n',
      },
      errors: [{ file: 'tests/test_a.py', line: 6, message: ['DELETE /items', '405', 'GET'] }],
    },
  ],
});
