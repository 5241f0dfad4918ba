import check from '../../../checks/python/router-not-included.js';
import { checkTable } from '../../helpers/check-tester.js';

const router = (prefix: string, path = '/x') => `from fastapi import APIRouter\nrouter = APIRouter(prefix="${prefix}")\n@router.get("${path}")\ndef handler():\n    return {}\n`;

checkTable(check, {
  valid: [
    {
      name: 'routers included through module imports, an __init__ re-export and a nested router',
      files: {
        'app/main.py': 'from fastapi import FastAPI\nfrom app.api import api_router\napp = FastAPI()\napp.include_router(api_router, prefix="/api")\n',
        'app/api/__init__.py': 'from .main import api_router\n',
        'app/api/main.py': 'from fastapi import APIRouter\nfrom app.api.routes import items, users\napi_router = APIRouter()\napi_router.include_router(items.router)\napi_router.include_router(users.router)\n',
        'app/api/routes/__init__.py': '',
        'app/api/routes/items.py': router('/items'),
        'app/api/routes/users.py': router('/users'),
      },
    },
    {
      name: 'routers registered in a loop or through a helper are followed no further, and stay silent',
      files: {
        'main.py': 'from fastapi import FastAPI\nfrom routes import a, b\napp = FastAPI()\nfor r in (a.router, b.router):\n    app.include_router(r)\n',
        'routes/a.py': router('/a'),
        'routes/b.py': router('/b'),
      },
    },
    {
      name: 'Flask factory registers blueprints imported inside the function',
      files: {
        'app/__init__.py': 'from flask import Flask\ndef create_app():\n    app = Flask(__name__)\n    from .auth import bp as auth_bp\n    app.register_blueprint(auth_bp)\n    return app\n',
        'app/auth.py': 'from flask import Blueprint\nbp = Blueprint("auth", __name__)\n@bp.route("/login")\ndef login():\n    return "x"\n',
      },
    },
    {
      name: 'included by a helper that receives the app as a parameter, with a nested router below',
      files: {
        'app/main.py': 'from fastapi import FastAPI\nfrom app.routing import setup_routes\napp = FastAPI()\nsetup_routes(app)\n',
        'app/routing.py': 'from app.api import v1\ndef setup_routes(application):\n    application.include_router(v1.router, prefix="/v1")\n',
        'app/api/v1.py': 'from fastapi import APIRouter\nfrom app.api import users\nrouter = APIRouter()\nrouter.include_router(users.router)\n@router.get("/ping")\ndef ping():\n    return 1\n',
        'app/api/users.py': router('/users'),
      },
    },
    {
      name: 'a library without an app object',
      files: { 'lib/routes.py': router('/lib') },
    },
    {
      name: 'websocket handler registered with add_api_websocket_route, and one called from a route',
      files: {
        'main.py': 'from fastapi import FastAPI, WebSocket\nfrom ws import handler, other\napp = FastAPI()\napp.add_api_websocket_route("/ws", handler)\n@app.websocket("/ws2")\nasync def ws2(websocket: WebSocket):\n    await other(websocket)\n',
        'ws.py': 'from fastapi import WebSocket\nasync def handler(websocket: WebSocket):\n    await websocket.accept()\nasync def other(websocket: WebSocket):\n    await websocket.accept()\n',
      },
    },
  ],
  invalid: [
    {
      name: 'report 000: websocket endpoint never wired; an auth router never included',
      files: {
        'backend/main.py': 'from fastapi import FastAPI\nfrom api import pricing\napp = FastAPI()\napp.include_router(pricing.router, prefix="/api/v1")\n',
        'backend/api/__init__.py': '',
        'backend/api/pricing.py': router('/pricing', '/{id}'),
        'backend/api/auth.py': router('/auth', '/login'),
        'backend/websocket.py': 'from fastapi import WebSocket\n\n\nasync def websocket_endpoint(websocket: WebSocket, channel: str):\n    await websocket.accept()\n',
        'tests/test_auth.py': 'from fastapi.testclient import TestClient\nfrom main import app\nclient = TestClient(app)\ndef test_login():\n    client.get("/api/v1/auth/login")\n',
      },
      errors: [
        { file: 'backend/api/auth.py', line: 2, severity: 'high', message: ['router', 'GET /auth/login', 'no app includes it', 'tests/test_auth.py:5'], fix: ['from api import auth', 'app.include_router(auth.router, prefix="/api/v1")'] },
        { file: 'backend/websocket.py', line: 4, message: ['websocket_endpoint', 'no route registers it'], fix: ['@app.websocket("/ws/{channel}")', 'from websocket import websocket_endpoint'] },
      ],
    },
    {
      name: 'a blueprint nobody registers, and a router only included by an orphan router',
      files: {
        'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
        'admin.py': 'from flask import Blueprint\nadmin = Blueprint("admin", __name__, url_prefix="/admin")\n@admin.route("/")\ndef index():\n    return "x"\n',
        'api/main.py': 'from fastapi import FastAPI, APIRouter\nfrom api import v2\napp = FastAPI()\norphan = APIRouter()\norphan.include_router(v2.router)\n',
        'api/v2.py': router('/v2'),
      },
      errors: [
        { file: 'admin.py', line: 2, message: ['blueprint', 'admin', 'registers'] },
        { file: 'api/v2.py', line: 2, message: ['GET /v2/x'] },
      ],
    },
  ],
});
