import check from '../../../checks/python/unfinished-handler.js';
import { checkTable } from '../../helpers/check-tester.js';

const PRICING = [
  'from fastapi import APIRouter',
  '',
  'router = APIRouter(prefix="/pricing", tags=["pricing"])',
  '',
  '',
  '@router.get("/{material_id}")',
  'def get_price(material_id: int):',
  '    return {"material_id": material_id, "price": None}',
  '',
  '',
  '@router.post("/{material_id}")',
  'def update_price(material_id: int, price: float):',
  '    # TODO: Implement supplier authentication',
  '    # TODO: Implement pricing update logic',
  '    pass',
].join('\n');

const MAIN = 'from fastapi import FastAPI\nfrom api import pricing\napp = FastAPI()\napp.include_router(pricing.router, prefix="/api/v1")\n';

checkTable(check, {
  valid: [
    {
      name: 'a handler with real code next to a TODO',
      files: { 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/x")\ndef x():\n    # TODO: cache this\n    return compute()\n' },
    },
    {
      name: 'stubs that are not handlers: abstract methods, protocols, plain functions',
      files: {
        'svc.py': 'import abc\nclass Repo(abc.ABC):\n    @abc.abstractmethod\n    def get(self):\n        ...\ndef later():\n    pass\n@cache.get("key")\ndef not_a_route():\n    pass\n',
      },
    },
    {
      name: 'a docstring-only-looking handler that returns data',
      files: { 'app.py': 'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef index():\n    """Home."""\n    return {"status": "TODO list app"} if False else render()\n' },
    },
    {
      name: 'pass is deliberate when dependencies do the work or the answer is 204',
      files: {
        'app/auth.py': 'from fastapi import APIRouter, Depends, status\nrouter = APIRouter()\n@router.post("/logout", dependencies=[Depends(revoke_token)])\ndef logout():\n    pass\n@router.delete("/sessions/{id}", status_code=status.HTTP_204_NO_CONTENT)\ndef end(id: int, _=Depends(end_session)):\n    ...\n',
      },
    },
    {
      name: 'stub handlers in tests are fixtures',
      files: { 'tests/test_app.py': 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/boom")\ndef boom():\n    raise NotImplementedError\n' },
    },
  ],
  invalid: [
    {
      name: 'report 000: TODO comments and pass',
      files: { 'backend/main.py': MAIN, 'backend/api/__init__.py': '', 'backend/api/pricing.py': PRICING },
      errors: [{ file: 'backend/api/pricing.py', line: 13, severity: 'high', message: ['POST /api/v1/pricing/{material_id}', 'update_price', 'backend/api/pricing.py:12', 'Implement supplier authentication'] }],
    },
    {
      name: 'NotImplementedError, ellipsis, placeholder return and 501 (lower)',
      files: {
        'app/routes.py': [
          'from fastapi import APIRouter, HTTPException, status',
          'router = APIRouter()',
          '@router.delete("/items/{id}")',
          'async def delete_item(id: int):',
          '    """Delete an item."""',
          '    raise NotImplementedError("later")',
          '@router.put("/items/{id}")',
          'async def put_item(id: int): ...',
          '@router.get("/reports")',
          'def reports():',
          '    return {"message": "Not implemented yet"}',
          '@router.get("/export")',
          'def export():',
          '    raise HTTPException(status_code=status.HTTP_501_NOT_IMPLEMENTED)',
        ].join('\n'),
      },
      errors: [
        { file: 'app/routes.py', line: 6, message: ['DELETE /items/{id}', 'NotImplementedError'] },
        { file: 'app/routes.py', line: 8, message: ['PUT /items/{id}', '`...`'] },
        { file: 'app/routes.py', line: 11, message: ['GET /reports', 'placeholder'] },
        { file: 'app/routes.py', line: 14, severity: 'medium', message: ['GET /export', '501'] },
      ],
    },
    {
      name: 'Flask blueprint view with FIXME and pass',
      files: { 'app/views.py': 'from flask import Blueprint\nbp = Blueprint("admin", __name__)\n@bp.route("/admin/export", methods=["POST"])\ndef export():\n    pass  # FIXME: write the CSV\n' },
      errors: [{ file: 'app/views.py', line: 5, message: ['POST /admin/export', 'FIXME: write the CSV'] }],
    },
  ],
});
