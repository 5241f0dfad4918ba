import { defineCheck, type Report } from '../../src/engine/check.js';
import { MODULE_MAP_FILES } from '../../src/model/python/modules.js';
import { isAuxiliaryPath } from '../../src/model/python/reach.js';
import { UNKNOWN, webModel, type HandlerStub } from '../../src/model/python/web.js';

const WHAT: Record<HandlerStub['kind'], string> = {
  pass: 'its body is only `pass`, so it answers 200 with `null` and does nothing',
  ellipsis: 'its body is only `...`, so it answers 200 with `null` and does nothing',
  'not-implemented': 'it raises NotImplementedError, so every call is a 500',
  'status-501': 'it answers 501 Not Implemented',
  'placeholder-return': 'it returns a placeholder instead of doing the work',
};

export default defineCheck({
  id: 'python/unfinished-handler',
  title: 'Request handler that is still a stub',
  severity: 'high',
  files: [...MODULE_MAP_FILES],
  docs:
    'A route handler (FastAPI/Starlette decorator, `add_api_route`, Flask `@bp.route`) whose body, apart from its ' +
    'docstring and comments, is only `pass`, `...`, `raise NotImplementedError`, an HTTP 501, or a return of a ' +
    'placeholder (`{"message": "TODO"}`). The endpoint is in the API docs and the client calls it, but it does nothing: ' +
    '`pass` answers 200 with `null`, which is worse than an error because callers believe it worked. A TODO/FIXME ' +
    'comment in the handler is quoted in the message. Handlers with real code next to a TODO are not reported.',
  fix: 'Implement the handler, or remove the route (and its client) until it exists; raise `HTTPException(status_code=501)` meanwhile so callers see it is missing.',
  effort: 120,
  example: '@router.post("/{material_id}")\ndef update_price(material_id: int, price: float):\n    # TODO: Implement pricing update logic\n    pass',
  run(model) {
    const out: Report[] = [];
    const seen = new Set<string>();
    for (const r of model.get(webModel).routes) {
      if (!r.stub || !r.handler || isAuxiliaryPath(r.file)) continue;
      const id = `${r.file}#${r.handler}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const path = r.fullPath.split(UNKNOWN).join('');
      out.push({
        file: r.file,
        line: r.stub.todoLine ?? r.stub.line,
        endLine: r.stub.endLine,
        key: r.handler,
        severity: r.stub.kind === 'status-501' ? 'medium' : 'high',
        message:
          `${r.methods.join('/')} ${path} is served by \`${r.handler}\` (${r.file}:${r.handlerLine ?? r.line}), which is unfinished: ${WHAT[r.stub.kind]}` +
          (r.stub.todo ? ` (“${r.stub.todo}”).` : '.'),
        fix: `Implement \`${r.handler}\`${r.stub.todo ? ` (${r.stub.todo})` : ''}, or take the route out until it works; until then \`raise HTTPException(status_code=501, detail="not implemented")\` instead of \`${r.stub.kind === 'ellipsis' ? '...' : r.stub.kind === 'not-implemented' ? 'raise NotImplementedError' : r.stub.kind === 'pass' ? 'pass' : 'the placeholder'}\`.`,
      });
    }
    return out;
  },
});
