import { ProjectModel } from '../../../src/model/project.js';
import { prepareParsers } from '../../../src/model/parsers.js';
import { pathMatches, pyWebFiles, routeRegex, UNKNOWN, webModel } from '../../../src/model/python/web.js';

async function model(files: Record<string, string>): Promise<ProjectModel> {
  await prepareParsers(Object.keys(files));
  return ProjectModel.fromFiles(files);
}

const paths = (m: ProjectModel) =>
  m
    .get(webModel)
    .routes.map((r) => `${r.methods.join(',')} ${r.fullPath.replace(UNKNOWN, '?')}${r.reachable ? '' : ' (unreached)'}`)
    .sort();

describe('python web model', () => {
  test('FastAPI: include_router prefixes through module imports, router prefix, settings prefix', async () => {
    const m = await model({
      'backend/app/core/config.py': 'from pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    API_V1_STR: str = "/api/v1"\nsettings = Settings()\n',
      'backend/app/api/routes/items.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/items")\n@router.get("/{id}")\ndef read(id: int):\n    return {}\n',
      'backend/app/api/routes/login.py': 'from fastapi import APIRouter\nrouter = APIRouter()\n@router.post("/login/access-token")\ndef login():\n    return {}\n',
      'backend/app/api/main.py': 'from fastapi import APIRouter\nfrom app.api.routes import items, login\napi_router = APIRouter()\napi_router.include_router(login.router)\napi_router.include_router(items.router, tags=["items"])\n',
      'backend/app/main.py': [
        'from fastapi import FastAPI',
        'from app.api.main import api_router',
        'from app.core.config import settings',
        'app = FastAPI()',
        'app.include_router(api_router, prefix=settings.API_V1_STR)',
        '@app.websocket("/ws/{channel}")',
        'async def ws(websocket, channel: str):',
        '    pass',
      ].join('\n'),
    });
    expect(paths(m)).toEqual(['GET /api/v1/items/{id}', 'POST /api/v1/login/access-token', 'WEBSOCKET /ws/{channel}']);
    const wm = m.get(webModel);
    expect(wm.reachable.size).toBe(4);
  });

  test('router defined but never included is unreached; websocket function without a route', async () => {
    const m = await model({
      'backend/main.py': 'from fastapi import FastAPI\nfrom api import pricing\napp = FastAPI()\napp.include_router(pricing.router, prefix="/api/v1")\n',
      'backend/api/__init__.py': '',
      'backend/api/pricing.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/pricing")\n@router.post("/{material_id}")\ndef update(material_id: int):\n    # TODO: implement\n    pass\n',
      'backend/api/auth.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/auth")\n@router.post("/login")\ndef login():\n    return {}\n',
      'backend/websocket.py': 'from fastapi import WebSocket\nasync def websocket_endpoint(websocket: WebSocket, channel: str):\n    await websocket.accept()\n',
    });
    expect(paths(m)).toEqual(['POST /api/v1/pricing/{material_id}', 'POST ?/auth/login (unreached)']);
    const files = pyWebFiles(m);
    expect(files.get('backend/websocket.py')?.wsFunctions).toEqual([{ name: 'websocket_endpoint', line: 2 }]);
    const stub = files.get('backend/api/pricing.py')?.routes[0]?.stub;
    expect(stub).toMatchObject({ kind: 'pass', line: 6, todoLine: 5 });
    expect(m.get(webModel).referencedElsewhere.size).toBe(0);
  });

  test('Flask blueprints with url_prefix, factory app, routers collected in a list', async () => {
    const m = await model({
      'app/__init__.py': [
        'from flask import Flask',
        'def create_app():',
        '    app = Flask(__name__)',
        '    from .auth import bp as auth_bp',
        '    app.register_blueprint(auth_bp, url_prefix="/auth")',
        '    from .main import bp',
        '    app.register_blueprint(bp)',
        '    return app',
      ].join('\n'),
      'app/auth.py': 'from flask import Blueprint\nbp = Blueprint("auth", __name__, url_prefix="/ignored")\n@bp.route("/login", methods=["GET", "POST"])\ndef login():\n    return "x"\n',
      'app/main.py': 'from flask import Blueprint\nbp = Blueprint("main", __name__, url_prefix="/m")\n@bp.route("/")\ndef index():\n    return "x"\n',
      'svc/main.py': 'from fastapi import FastAPI\nfrom svc import a, b\napp = FastAPI()\nfor r in [a.router, b.router]:\n    app.include_router(r)\n',
      'svc/a.py': 'from fastapi import APIRouter\nrouter = APIRouter()\n@router.get("/a")\ndef a():\n    return 1\n',
      'svc/b.py': 'from fastapi import APIRouter\nrouter = APIRouter()\n@router.get("/b")\ndef b():\n    return 1\n',
    });
    expect(paths(m)).toEqual(['GET ?/a (unreached)', 'GET ?/b (unreached)', 'GET /m/', 'GET,POST /auth/login'].sort());
    const wm = m.get(webModel);
    expect([...wm.referencedElsewhere].sort()).toEqual(['svc/a.py#router', 'svc/b.py#router']);
  });

  test('test-client calls and route regexes', async () => {
    const m = await model({
      'tests/test_api.py': [
        'from fastapi.testclient import TestClient',
        'from main import app',
        'c = TestClient(app)',
        'def test_login():',
        '    r = c.post("/api/v1/auth/login?x=1", json={})',
        'def test_missing(client):',
        '    assert client.get(f"/items/{item.id}").status_code == 404',
        'def test_other(redis):',
        '    redis.get("/not-a-client")',
      ].join('\n'),
    });
    const calls = pyWebFiles(m).get('tests/test_api.py')?.clientCalls.map((c) => [c.method, c.line, c.expectsMissing]);
    expect(calls).toEqual([
      ['POST', 5, false],
      ['GET', 7, true],
    ]);
    expect(routeRegex('/api/v1/items/{id}').test('/api/v1/items/1')).toBe(true);
    expect(routeRegex('/static/{p:path}').test('/static/a/b.css')).toBe(true);
    expect(routeRegex('/users/<int:id>/').test('/users/3')).toBe(true);
    expect(routeRegex(`${UNKNOWN}/auth/login`).test('/api/auth/login')).toBe(true);
    expect(routeRegex('/api/v1/pricing/{id}').test('/api/v1/auth/login')).toBe(false);
    expect(pathMatches('/api/v1/items/{id}', '/api/v1/items/1/')).toBe(true);
    expect(pathMatches('/api/v1/pricing/{id}', '/api/v1/auth/login')).toBe(false);
    expect(pathMatches(`${UNKNOWN}/auth/login`, '/api/auth/login')).toBe(true);
    expect(pathMatches('/api/v1/login/access-token', `${UNKNOWN}/login/access-token`)).toBe(true);
    expect(pathMatches('/static/{p:path}', '/static/a/b.css?v=1')).toBe(true);
    expect(pathMatches('/', '/')).toBe(true);
    expect(pathMatches('/health', '/')).toBe(false);
  });
});
