import { defineFacts, type ProjectModel } from '../project.js';
import { definePyExtractor, pyFacts } from './files.js';
import { followName, resolvedImports, type NameTarget, type ResolvedImport } from './imports.js';
import { pythonModules, type ModuleTarget } from './modules.js';
import type { PyNode } from './parse.js';
import {
  argAt,
  assignmentOf,
  callArgs,
  callName,
  dottedName,
  endLineOf,
  isTestPath,
  lastName,
  lineOf,
  literalValue,
  statements,
  stringValue,
  templateParts,
  unwrapDecorated,
  walk,
  nodesOfType,
  type TemplatePart,
} from './pyast.js';
import { settingsClasses } from './settings.js';

/**
 * Web apps of the Python code: FastAPI/Starlette apps and APIRouters, Flask apps and blueprints,
 * their routes and websocket routes, which router is included where (through imports, re-exports
 * and prefixes), test-client calls in tests, and Django urlpatterns.
 */

export type WebObjectKind = 'fastapi' | 'starlette' | 'apirouter' | 'starlette-router' | 'flask' | 'blueprint' | 'quart';

/** An app or router object: `app = FastAPI()`, `router = APIRouter(prefix="/x")`, `bp = Blueprint(...)`. */
export interface WebObject {
  name: string;
  kind: WebObjectKind;
  line: number;
  /** `APIRouter(prefix=)`, `Blueprint(url_prefix=)`. */
  prefix?: TemplatePart[];
  /** The constructor got `routes=` the model could not read (a Starlette app built from a variable). */
  unknownRoutes?: boolean;
}

/** Why a handler looks unfinished. */
export interface HandlerStub {
  kind: 'pass' | 'ellipsis' | 'not-implemented' | 'status-501' | 'placeholder-return';
  /** The stub statement. */
  line: number;
  /** The first TODO/FIXME comment in the handler, if any. */
  todoLine?: number;
  todo?: string;
  endLine: number;
}

export interface PyRoute {
  /** The receiver as written (`router`, `app`, `api.router`). */
  owner: string;
  methods: string[];
  path: TemplatePart[];
  line: number;
  handler?: string;
  handlerLine?: number;
  websocket: boolean;
  stub?: HandlerStub;
}

/** `parent.include_router(child, prefix=)`, `register_blueprint`, `mount`, Starlette `Mount`. */
export interface PyInclude {
  parent: string;
  /** The included object as a dotted name, when it is one. */
  child?: string;
  childText: string;
  /** Undefined when there is no prefix; `unknown` marks a prefix the model cannot read. */
  prefix?: TemplatePart[];
  line: number;
  via: 'include_router' | 'register_blueprint' | 'mount';
  /** A mount of something that serves every path below the prefix (StaticFiles, WSGI app, GraphQL). */
  opaque: boolean;
}

/** A module-level function taking a `WebSocket` parameter without a route decorator. */
export interface WsFunction {
  name: string;
  line: number;
}

/** A call a test makes through a test client: `client.post("/api/v1/auth/login")`. */
export interface ClientCall {
  method: string;
  path: TemplatePart[];
  line: number;
  /** The test function mentions 404/405, so a missing route may be what it tests. */
  expectsMissing: boolean;
}

export interface DjangoUrl {
  path: string;
  line: number;
  include?: string;
}

/** A development server setting in code: `uvicorn.run(..., reload=True)`, `app.run(debug=True)`, `app.debug = True`. */
export interface DevServerCall {
  kind: 'uvicorn-reload' | 'run-debug' | 'debug-attr';
  line: number;
  text: string;
  /** Under `if __name__ == "__main__":` (runs only when the file is executed as a script). */
  inMain: boolean;
}

/** Starlette/FastAPI `CORSMiddleware` options. */
export interface CorsConfig {
  line: number;
  /** `["*"]` / `"*"` literally, a literal list of origins, or an expression (settings field...). */
  origins: 'any' | 'list' | 'expr';
  originsExpr?: string;
  /** `allow_origin_regex=".*"` */
  anyRegex: boolean;
  credentials: boolean;
}

export interface PyWebFile {
  /**
   * The file registers routes in ways the model does not list (flask-restful/restx `add_resource`,
   * connexion's OpenAPI-driven `add_api`, `Namespace`s): route-missing stays silent.
   */
  dynamicRoutes: boolean;
  devServer: DevServerCall[];
  cors: CorsConfig[];
  objects: WebObject[];
  routes: PyRoute[];
  includes: PyInclude[];
  wsFunctions: WsFunction[];
  clientCalls: ClientCall[];
  /** Module-level `NAME = "literal"` strings (prefix constants). */
  constants: Record<string, string>;
  djangoUrls?: DjangoUrl[];
}

const CONSTRUCTORS: Record<string, WebObjectKind> = {
  FastAPI: 'fastapi',
  Starlette: 'starlette',
  APIRouter: 'apirouter',
  Router: 'starlette-router',
  Flask: 'flask',
  Blueprint: 'blueprint',
  Quart: 'quart',
  APIFlask: 'flask',
  APIBlueprint: 'blueprint',
};

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace']);
const ROUTE_DECORATORS = new Set([...HTTP_METHODS, 'api_route', 'route', 'websocket', 'websocket_route']);
const CLIENT_METHODS = new Set([...HTTP_METHODS, 'websocket_connect', 'request']);
const CLIENT_NAMES = /^(client|test_client|async_client|api_client|app_client|http_client|ac|aclient|authorized_client|auth_client|logged_in_client|admin_client|superuser_client)$/i;
const CLIENT_CTORS = /(^|\.)(TestClient|AsyncClient|test_client|Client)$/;

function pathParts(n: PyNode | undefined): TemplatePart[] | undefined {
  if (!n) return undefined;
  const t = templateParts(n);
  if (t) return t;
  const d = dottedName(n);
  return [{ expr: d ?? n.text }];
}

function methodsOf(method: string, args: ReturnType<typeof callArgs>): string[] {
  if (HTTP_METHODS.has(method)) return [method.toUpperCase()];
  if (method === 'websocket' || method === 'websocket_route') return ['WEBSOCKET'];
  const m = literalValue(args.keywords.get('methods'));
  if (Array.isArray(m)) return m.filter((x): x is string => typeof x === 'string').map((x) => x.toUpperCase());
  return method === 'route' ? ['GET'] : ['*'];
}

const COMMENT_NODES = new Set(['comment', 'string']);
const CALL_NODES = ['call'];
const DEV_NODES = ['call', 'assignment'];

const TODO = /\b(TODO|FIXME|XXX|HACK)\b|not\s+implemented|implement\s+me/i;
const PLACEHOLDER = /\b(TODO|FIXME|not\s+(yet\s+)?implemented|coming\s+soon|placeholder|stub)\b/i;

function isDocstring(stmt: PyNode): boolean {
  return stmt.type === 'expression_statement' && stmt.namedChildren[0]?.type === 'string';
}

/** Looks at a handler body: is it nothing but `pass`, `...`, NotImplementedError, a 501 or a placeholder? */
function stubOf(def: PyNode): HandlerStub | undefined {
  const body = def.childForFieldName('body');
  if (!body) return undefined;
  const stmts = statements(body).filter((s, i) => !(i === 0 && isDocstring(s)));
  if (stmts.length === 0 || stmts.length > 2) return undefined;
  let stub: HandlerStub | undefined;
  for (const s of stmts) {
    const line = lineOf(s);
    const endLine = endLineOf(def);
    if (s.type === 'pass_statement') stub ??= { kind: 'pass', line, endLine };
    else if (s.type === 'expression_statement' && s.namedChildren[0]?.type === 'ellipsis') stub ??= { kind: 'ellipsis', line, endLine };
    else if (s.type === 'raise_statement') {
      const e = s.namedChildren[0];
      const name = e ? lastName((e.type === 'call' ? callName(e) : dottedName(e)) ?? '') : '';
      if (name === 'NotImplementedError') stub = { kind: 'not-implemented', line, endLine };
      else if (e?.type === 'call' && /Exception$/.test(name)) {
        const code = argAt(callArgs(e), 'status_code', 0);
        if (code && (code.text === '501' || /NOT_IMPLEMENTED/.test(code.text))) stub = { kind: 'status-501', line, endLine };
        else return undefined;
      } else return undefined;
    } else if (s.type === 'return_statement') {
      const v = s.namedChildren[0];
      if (!v) return undefined;
      const lit = v.type === 'dictionary' || v.type === 'string' ? v.text : undefined;
      if (lit && PLACEHOLDER.test(lit) && !/\{[^}]*\}/.test(v.type === 'string' ? '' : lit.replace(/^\{|\}$/g, ''))) stub = { kind: 'placeholder-return', line, endLine };
      else return undefined;
    } else return undefined;
  }
  if (!stub) return undefined;
  walk(def, (n) => {
    if (n.type === 'comment' && !stub!.todoLine && TODO.test(n.text)) {
      stub!.todoLine = lineOf(n);
      stub!.todo = n.text.replace(/^#\s*/, '').slice(0, 120);
    }
    return n.type !== 'string';
  }, COMMENT_NODES);
  return stub;
}

function hasWebSocketParam(def: PyNode): boolean {
  for (const p of def.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p || (p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter')) continue;
    const t = p.childForFieldName('type')?.text ?? '';
    if (/^(fastapi\.|starlette\.websockets\.)?WebSocket$/.test(t)) return true;
  }
  return false;
}

interface Collect {
  out: PyWebFile;
  source: string;
  test: boolean;
  clientVars: Set<string>;
}

function readConstructor(name: string, call: PyNode, c: Collect): void {
  const ctor = lastName(callName(call) ?? '');
  const kind = CONSTRUCTORS[ctor];
  if (!kind) return;
  // `Router` is too generic a name unless it comes with Starlette-style `routes=`.
  const args = callArgs(call);
  if (kind === 'starlette-router' && !args.keywords.has('routes')) return;
  const obj: WebObject = { name, kind, line: lineOf(call) };
  const prefix = kind === 'blueprint' ? args.keywords.get('url_prefix') : kind === 'apirouter' ? args.keywords.get('prefix') : undefined;
  const p = pathParts(prefix);
  if (p) obj.prefix = p;
  const routes = args.keywords.get('routes');
  if (routes) {
    if (routes.type === 'list') readRouteList(name, routes, [], c);
    else obj.unknownRoutes = true;
  }
  c.out.objects.push(obj);
}

/** Starlette `routes=[Route("/", home), WebSocketRoute("/ws", ws), Mount("/api", routes=[...])]`. */
function readRouteList(owner: string, list: PyNode, prefix: TemplatePart[], c: Collect): void {
  for (const item of list.namedChildren) {
    if (item?.type !== 'call') continue;
    const fn = lastName(callName(item) ?? '');
    const args = callArgs(item);
    const path = pathParts(argAt(args, 'path', 0)) ?? [];
    if (fn === 'Route' || fn === 'WebSocketRoute') {
      const endpoint = argAt(args, 'endpoint', 1);
      const methods = fn === 'WebSocketRoute' ? ['WEBSOCKET'] : methodsOf('api_route', args);
      const r: PyRoute = { owner, methods, path: [...prefix, ...path], line: lineOf(item), websocket: fn === 'WebSocketRoute' };
      const h = dottedName(endpoint);
      if (h) r.handler = h;
      c.out.routes.push(r);
    } else if (fn === 'Mount' || fn === 'Host') {
      const inner = args.keywords.get('routes');
      if (inner?.type === 'list') readRouteList(owner, inner, [...prefix, ...path], c);
      else {
        const child = argAt(args, 'app', 1);
        const d = dottedName(child);
        const inc: PyInclude = { parent: owner, childText: child?.text ?? '', prefix: [...prefix, ...path], line: lineOf(item), via: 'mount', opaque: !d };
        if (d) inc.child = d;
        c.out.includes.push(inc);
      }
    }
  }
}

function readCallStatement(call: PyNode, c: Collect): void {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const receiver = dottedName(fn.childForFieldName('object'));
  if (!receiver) return;
  const args = callArgs(call);
  if (method === 'include_router' || method === 'register_blueprint') {
    const child = argAt(args, method === 'include_router' ? 'router' : 'blueprint', 0);
    const prefixNode = args.keywords.get(method === 'include_router' ? 'prefix' : 'url_prefix');
    const d = dottedName(child);
    const inc: PyInclude = { parent: receiver, childText: child?.text ?? '', line: lineOf(call), via: method, opaque: false };
    if (d) inc.child = d;
    const p = pathParts(prefixNode);
    if (p) inc.prefix = p;
    c.out.includes.push(inc);
  } else if (method === 'mount') {
    const child = argAt(args, 'app', 1);
    const d = dottedName(child);
    const inc: PyInclude = { parent: receiver, childText: child?.text ?? '', prefix: pathParts(argAt(args, 'path', 0)) ?? [], line: lineOf(call), via: 'mount', opaque: !d };
    if (d) inc.child = d;
    c.out.includes.push(inc);
  } else if (method === 'add_api_route' || method === 'add_route' || method === 'add_url_rule' || method === 'add_api_websocket_route' || method === 'add_websocket_route') {
    const path = pathParts(argAt(args, method === 'add_url_rule' ? 'rule' : 'path', 0));
    if (!path) return;
    const endpoint = method === 'add_url_rule' ? args.keywords.get('view_func') ?? args.positional[2] : argAt(args, 'endpoint', 1);
    const ws = method.includes('websocket');
    // A class-based view (`X.as_view("name")`) answers every method it defines.
    const m = ws ? ['WEBSOCKET'] : /as_view/.test(endpoint?.text ?? '') && !args.keywords.has('methods') ? ['*'] : methodsOf(method === 'add_url_rule' ? 'route' : 'api_route', args);
    const r: PyRoute = { owner: receiver, methods: m, path, line: lineOf(call), websocket: ws };
    const h = dottedName(endpoint);
    if (h) r.handler = h;
    c.out.routes.push(r);
  }
}

function readDecoratedDef(node: PyNode, c: Collect, moduleLevel: boolean): void {
  const { def, decorators } = unwrapDecorated(node);
  if (def.type !== 'function_definition' && def.type !== 'class_definition') return;
  const isClass = def.type === 'class_definition';
  const name = def.childForFieldName('name')?.text ?? '';
  let routed = false;
  for (const d of decorators) {
    if (d.type !== 'call') continue;
    const fn = d.childForFieldName('function');
    if (fn?.type !== 'attribute') continue;
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const owner = dottedName(fn.childForFieldName('object'));
    if (!owner || !ROUTE_DECORATORS.has(method)) continue;
    const args = callArgs(d);
    const pathNode = argAt(args, method === 'route' ? 'rule' : 'path', 0);
    const path = pathParts(pathNode);
    if (!path) continue;
    // A literal path must look like one; `cache.get("key")` is not a route.
    const lit = stringValue(pathNode);
    if (lit !== undefined && lit !== '' && !lit.startsWith('/')) continue;
    routed = true;
    const ws = method === 'websocket' || method === 'websocket_route';
    // A decorated class (flask-smorest / Starlette HTTPEndpoint style) serves the methods it defines.
    const methods = isClass && !args.keywords.has('methods') ? ['*'] : methodsOf(method, args);
    const r: PyRoute = { owner, methods, path, line: lineOf(d), handler: name, handlerLine: lineOf(def), websocket: ws };
    const stub = isClass ? undefined : stubOf(def);
    // `pass` is deliberate when the work happens in dependencies or the answer is 204 No Content.
    const deliberate =
      args.keywords.has('dependencies') ||
      /^(204|status\.HTTP_204_NO_CONTENT|HTTPStatus\.NO_CONTENT)$/.test(args.keywords.get('status_code')?.text ?? '') ||
      /=\s*(Depends|Security)\(/.test(def.childForFieldName('parameters')?.text ?? '');
    if (stub && !(deliberate && !stub.todoLine && (stub.kind === 'pass' || stub.kind === 'ellipsis'))) r.stub = stub;
    c.out.routes.push(r);
  }
  if (!routed && !isClass && moduleLevel && hasWebSocketParam(def)) c.out.wsFunctions.push({ name, line: lineOf(def) });
}

/** Walks statements (module, function and class bodies, control flow), never expressions. */
function visitBlock(block: PyNode, c: Collect, moduleLevel: boolean): void {
  for (const s of statements(block)) {
    switch (s.type) {
      case 'expression_statement': {
        const a = assignmentOf(s);
        if (a) {
          const left = a.childForFieldName('left');
          const right = a.childForFieldName('right');
          if (left?.type === 'identifier' && right?.type === 'call') {
            readConstructor(left.text, right, c);
            if (c.test && CLIENT_CTORS.test(callName(right) ?? '')) c.clientVars.add(left.text);
          }
          if (moduleLevel && left?.type === 'identifier') {
            const v = stringValue(right);
            if (v !== undefined) c.out.constants[left.text] = v;
          }
          if (left?.type === 'identifier' && left.text === 'urlpatterns' && right?.type === 'list') readDjangoUrls(right, c);
        } else {
          const e = s.namedChildren[0];
          if (e?.type === 'call') readCallStatement(e, c);
          else if (e?.type === 'await') {
            const inner = e.namedChildren[0];
            if (inner?.type === 'call') readCallStatement(inner, c);
          }
        }
        break;
      }
      case 'decorated_definition':
      case 'function_definition': {
        readDecoratedDef(s, c, moduleLevel);
        const { def } = unwrapDecorated(s);
        const body = def.childForFieldName('body');
        if (body) visitBlock(body, c, false);
        break;
      }
      case 'class_definition': {
        const body = s.childForFieldName('body');
        if (body) visitBlock(body, c, false);
        break;
      }
      case 'if_statement':
      case 'try_statement':
      case 'with_statement':
      case 'for_statement':
      case 'while_statement': {
        for (const ch of s.namedChildren) {
          if (!ch) continue;
          if (ch.type === 'block') visitBlock(ch, c, moduleLevel);
          else if (/_clause$/.test(ch.type)) {
            for (const b of ch.namedChildren) if (b?.type === 'block') visitBlock(b, c, moduleLevel);
          }
        }
        break;
      }
      default:
        break;
    }
  }
}

function readDjangoUrls(list: PyNode, c: Collect): void {
  const urls: DjangoUrl[] = (c.out.djangoUrls ??= []);
  for (const item of list.namedChildren) {
    if (item?.type !== 'call') continue;
    const fn = lastName(callName(item) ?? '');
    if (fn !== 'path' && fn !== 're_path' && fn !== 'url') continue;
    const args = callArgs(item).positional;
    const p = stringValue(args[0]);
    if (p === undefined) continue;
    const u: DjangoUrl = { path: p, line: lineOf(item) };
    const target = args[1];
    if (target?.type === 'call' && lastName(callName(target) ?? '') === 'include') {
      const inc = stringValue(callArgs(target).positional[0]);
      u.include = inc ?? target.text.slice(0, 120);
    }
    urls.push(u);
  }
}

/** Test-client calls: `client.get("/x")` where `client` is a TestClient, an httpx client or a pytest fixture. */
function readClientCalls(root: PyNode, c: Collect): void {
  const missing = new Map<number, boolean>();
  for (const n of nodesOfType(root, CALL_NODES)) {
    // A test function that mentions 404/405 may be testing exactly that the route is missing.
    let fn: PyNode | null = n.parent;
    while (fn && fn.type !== 'function_definition') fn = fn.parent;
    let expectsMissing = false;
    if (fn) {
      const known = missing.get(fn.id);
      expectsMissing = known ?? /\b40[45]\b|NOT_FOUND|METHOD_NOT_ALLOWED/.test(fn.childForFieldName('body')?.text ?? '');
      missing.set(fn.id, expectsMissing);
    }
    readClientCall(n, c, expectsMissing);
  }
}

function readClientCall(call: PyNode, c: Collect, expectsMissing: boolean): void {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  if (!CLIENT_METHODS.has(method)) return;
  const recv = dottedName(fn.childForFieldName('object'));
  if (!recv) return;
  const last = lastName(recv);
  if (!c.clientVars.has(recv) && !CLIENT_NAMES.test(last)) return;
  const args = callArgs(call);
  const pathNode = method === 'request' ? argAt(args, 'url', 1) : argAt(args, 'url', 0);
  const parts = templateParts(pathNode);
  if (!parts || parts.length === 0) return;
  const first = parts[0]!;
  // Only paths of this app: "/api/...", or f"{settings.API_V1_STR}/...".
  if ('text' in first && !first.text.startsWith('/')) return;
  const httpMethod = method === 'request' ? (stringValue(args.positional[0]) ?? '*').toUpperCase() : method === 'websocket_connect' ? 'WEBSOCKET' : method.toUpperCase();
  c.out.clientCalls.push({ method: httpMethod, path: parts, line: lineOf(call), expectsMissing });
}

const DEV_HINT = /reload\s*=\s*True|debug\s*=\s*True|DEBUG['"]?\]?\s*=\s*True|CORSMiddleware/;

function inMainBlock(n: PyNode): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'if_statement' && /__name__\s*==\s*['"]__main__['"]/.test(p.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}

function readCors(call: PyNode, args: ReturnType<typeof callArgs>, out: PyWebFile): void {
  const origins = args.keywords.get('allow_origins');
  const lit = literalValue(origins);
  const cfg: CorsConfig = {
    line: lineOf(call),
    origins: !origins ? 'list' : lit === '*' || (Array.isArray(lit) && lit.includes('*')) ? 'any' : lit !== undefined ? 'list' : 'expr',
    anyRegex: ['.*', '.+', '^.*$', 'https?://.*'].includes(String(literalValue(args.keywords.get('allow_origin_regex')) ?? '')),
    credentials: literalValue(args.keywords.get('allow_credentials')) === true,
  };
  if (cfg.origins === 'expr' && origins) cfg.originsExpr = origins.text.slice(0, 120);
  out.cors.push(cfg);
}

/** Development-server switches and CORS settings, wherever they are in the file. */
function readDevAndCors(root: PyNode, out: PyWebFile): void {
  for (const n of nodesOfType(root, DEV_NODES)) {
    if (n.type === 'call') {
      const fn = callName(n) ?? '';
      const args = callArgs(n);
      const first = args.positional[0];
      if (/(^|\.)add_middleware$|(^|\.)Middleware$/.test(fn) && first && lastName(dottedName(first) ?? '') === 'CORSMiddleware') readCors(n, args, out);
      else if (/(^|\.)uvicorn\.run$|^run$/.test(fn) && literalValue(args.keywords.get('reload')) === true && (fn !== 'run' || /uvicorn/.test(n.text)))
        out.devServer.push({ kind: 'uvicorn-reload', line: lineOf(n), text: n.text.slice(0, 120), inMain: inMainBlock(n) });
      else if (/\.run$/.test(fn) && !/uvicorn|asyncio|subprocess|loop|anyio|trio/.test(fn) && literalValue(args.keywords.get('debug')) === true)
        out.devServer.push({ kind: 'run-debug', line: lineOf(n), text: n.text.slice(0, 120), inMain: inMainBlock(n) });
    } else if (n.type === 'assignment') {
      const left = n.childForFieldName('left')?.text ?? '';
      if (/^\w+\.debug$|^\w+\.config\[['"]DEBUG['"]\]$/.test(left) && literalValue(n.childForFieldName('right')) === true)
        out.devServer.push({ kind: 'debug-attr', line: lineOf(n), text: n.text.slice(0, 120), inMain: inMainBlock(n) });
    }
  }
}

/** A client-looking call with a path literal (or an f-string) as its first argument. */
const CLIENT_CALL_HINT = /\.(get|post|put|patch|delete|head|options|request|websocket_connect)\(\s*(["'][A-Za-z]+["']\s*,\s*)?f?["'](\/|\{)/;

const DYNAMIC_ROUTES = /\.add_resource\(|\.add_api\(|\bconnexion\b|flask_restx|flask_restplus|flask_restful|\.add_namespace\(/;

const WEB_HINT = /FastAPI|APIRouter|Starlette|Flask|Blueprint|Quart|include_router|register_blueprint|add_url_rule|add_api_route|WebSocket|urlpatterns|\.route\(|\.get\(|\.post\(/;

export const pyWebExtractor = definePyExtractor<PyWebFile>('python-web', (root, ctx) => {
  const out: PyWebFile = { dynamicRoutes: DYNAMIC_ROUTES.test(ctx.source), devServer: [], cors: [], objects: [], routes: [], includes: [], wsFunctions: [], clientCalls: [], constants: {} };
  const test = isTestPath(ctx.path);
  if (DEV_HINT.test(ctx.source)) readDevAndCors(root, out);
  if (!WEB_HINT.test(ctx.source) && !test) return out;
  const c: Collect = { out, source: ctx.source, test, clientVars: new Set() };
  visitBlock(root, c, true);
  if (test && CLIENT_CALL_HINT.test(ctx.source)) readClientCalls(root, c);
  return out;
});

/** Per-file web facts (path → facts). */
export function pyWebFiles(model: ProjectModel): Map<string, PyWebFile> {
  return pyFacts(model, pyWebExtractor);
}

// ---------------------------------------------------------------------------------------------
// Project-wide: resolve owners and includes, compute full paths.

/** `file#name`. */
export type WebObjectKey = string;

export interface ResolvedWebObject extends WebObject {
  key: WebObjectKey;
  file: string;
  isApp: boolean;
}

export interface FullRoute extends PyRoute {
  file: string;
  /** The object the route is registered on, when resolved. */
  ownerKey?: WebObjectKey;
  /**
   * The full path: prefixes of every include on the way from an app, with `{param}` kept and
   * `\u0000` standing for a piece the model cannot read (an unresolved prefix).
   */
  fullPath: string;
  /** Reached from an app through includes the model followed. */
  reachable: boolean;
}

export interface ResolvedInclude extends PyInclude {
  file: string;
  parentKey?: WebObjectKey;
  childKey?: WebObjectKey;
  prefixText: string;
}

export interface WebModel {
  objects: ResolvedWebObject[];
  routes: FullRoute[];
  includes: ResolvedInclude[];
  /** Path prefixes (`\u0000` = unknown) under which something the model cannot list answers. */
  opaquePrefixes: string[];
  /** Routers/blueprints reached from an app. */
  reachable: Set<WebObjectKey>;
  /**
   * Objects that may be included in ways the model does not follow: put in a list, passed to a
   * function, included by an object it cannot name, or below one of those.
   */
  referencedElsewhere: Set<WebObjectKey>;
}

export const UNKNOWN = '\u0000';

/**
 * `followName`, plus one case it leaves as an import binding: `from . import views` in a package
 * `__init__` binds the submodule, so `pkg.views.blueprint` continues into views.py.
 */
function follow(model: ProjectModel, target: ModuleTarget, name: string): NameTarget {
  const nt = followName(model, target, name);
  if (nt.kind !== 'binding') return nt;
  const b = nt.bindings;
  if (b.length === 1 && b[0]!.kind === 'import' && b[0]!.import?.name === nt.name) {
    const sub = model.get(pythonModules).resolveModule(nt.file, nt.name, 1)[0];
    if (sub && (sub.kind === 'module' || sub.kind === 'package')) return { kind: 'module', target: sub };
  }
  return nt;
}

/** Files and names a local name in `file` is bound to by an import (any scope). */
function importsOf(model: ProjectModel, file: string): ResolvedImport[] {
  return model.get(resolvedImports).get(file) ?? [];
}

type Resolved = { kind: 'object'; file: string; name: string } | { kind: 'module'; target: ModuleTarget } | undefined;

/**
 * Resolves a dotted expression written in `file` (`router`, `pricing.router`, `api.v1.router`)
 * to a module-level name of some repo file, following imports and re-exports.
 */
export function resolveDotted(model: ProjectModel, file: string, dotted: string): Resolved {
  const parts = dotted.split('.');
  const head = parts[0]!;
  const web = pyWebFiles(model).get(file);
  if (web?.objects.some((o) => o.name === head) && parts.length === 1) return { kind: 'object', file, name: head };
  let cur: Resolved;
  let rest: string[] = [];
  for (const imp of importsOf(model, file)) {
    if (imp.origin !== 'local' || !imp.targets[0]) continue;
    if (imp.kind === 'from' && (imp.alias ?? imp.name) === head && imp.name && imp.name !== '*') {
      const nt = follow(model, imp.targets[0], imp.name);
      if (nt.kind === 'module') cur = { kind: 'module', target: nt.target };
      else if (nt.kind === 'binding') cur = { kind: 'object', file: nt.file, name: nt.name };
      rest = parts.slice(1);
      break;
    }
    if (imp.kind === 'import') {
      if (imp.alias === head) {
        cur = { kind: 'module', target: imp.targets[0] };
        rest = parts.slice(1);
        break;
      }
      // `import app.api.pricing` then `app.api.pricing.router`
      const modParts = imp.module.split('.');
      if (!imp.alias && modParts.length <= parts.length && modParts.every((p, i) => parts[i] === p)) {
        cur = { kind: 'module', target: imp.targets[0] };
        rest = parts.slice(modParts.length);
        break;
      }
    }
  }
  if (!cur) return parts.length === 1 ? { kind: 'object', file, name: head } : undefined;
  for (const attr of rest) {
    if (cur?.kind !== 'module') return undefined;
    const nt = follow(model, cur.target, attr);
    if (nt.kind === 'module') cur = { kind: 'module', target: nt.target };
    else if (nt.kind === 'binding') cur = { kind: 'object', file: nt.file, name: nt.name };
    else return undefined;
  }
  return cur;
}

/** Resolves a prefix expression: a literal, a module constant, or a settings field with a literal default. */
function prefixText(model: ProjectModel, file: string, parts: TemplatePart[] | undefined): string {
  if (!parts) return '';
  let out = '';
  for (const p of parts) {
    if ('text' in p) out += p.text;
    else out += resolveConstant(model, file, p.expr) ?? UNKNOWN;
  }
  return out;
}

/** The string value of a constant expression (`API_V1_STR`, `settings.API_V1_STR`, `config.PREFIX`), if the code gives one. */
export function resolveConstant(model: ProjectModel, file: string, expr: string): string | undefined {
  const files = pyWebFiles(model);
  if (/^[A-Za-z_]\w*$/.test(expr)) {
    const local = files.get(file)?.constants[expr];
    if (local !== undefined) return local;
  }
  const r = /^[\w.]+$/.test(expr) ? resolveDotted(model, file, expr) : undefined;
  if (r?.kind === 'object') {
    const v = files.get(r.file)?.constants[r.name];
    if (v !== undefined) return v;
  }
  // settings.API_V1_STR: a settings field with one literal default across the project.
  const attr = lastName(expr);
  if (expr.includes('.')) {
    const values = new Set<string>();
    for (const cls of model.get(settingsClasses)) {
      for (const f of cls.allFields) if (f.name === attr && f.defaultValue !== undefined) values.add(f.defaultValue);
    }
    if (values.size === 1) return [...values][0];
  }
  return undefined;
}

/** The path a test-client call requests, constants resolved, query string dropped; `\u0000` for pieces the model cannot read. */
export function clientCallPath(model: ProjectModel, file: string, parts: TemplatePart[]): string {
  let out = '';
  for (const p of parts) {
    if ('text' in p) out += p.text;
    else out += resolveConstant(model, file, p.expr) ?? UNKNOWN;
  }
  return out.split('?')[0]!.split('#')[0]!;
}

function joinPaths(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return a.replace(/\/+$/, '') + (b.startsWith('/') ? b : `/${b}`);
}

export const webModel = defineFacts('python-web-model', (model): WebModel => {
  const files = pyWebFiles(model);
  const objects = new Map<WebObjectKey, ResolvedWebObject>();
  for (const [file, f] of files) {
    for (const o of f.objects) {
      const key = `${file}#${o.name}`;
      if (!objects.has(key)) objects.set(key, { ...o, key, file, isApp: o.kind === 'fastapi' || o.kind === 'starlette' || o.kind === 'flask' || o.kind === 'quart' });
    }
  }
  const keyOf = (file: string, dotted: string): WebObjectKey | undefined => {
    const r = resolveDotted(model, file, dotted);
    if (r?.kind !== 'object') return undefined;
    const k = `${r.file}#${r.name}`;
    return objects.has(k) ? k : undefined;
  };

  const includes: ResolvedInclude[] = [];
  for (const [file, f] of files) {
    for (const inc of f.includes) {
      const r: ResolvedInclude = { ...inc, file, prefixText: prefixText(model, file, inc.prefix) };
      const pk = keyOf(file, inc.parent);
      if (pk) r.parentKey = pk;
      const ck = inc.child ? keyOf(file, inc.child) : undefined;
      if (ck) r.childKey = ck;
      includes.push(r);
    }
  }

  // Prefixes from each app down to each object (an object may be reached along several paths).
  const prefixes = new Map<WebObjectKey, Set<string>>();
  const queue: WebObjectKey[] = [];
  for (const o of objects.values()) {
    if (o.isApp && !includes.some((i) => i.childKey === o.key)) {
      prefixes.set(o.key, new Set(['']));
      queue.push(o.key);
    }
  }
  const opaquePrefixes: string[] = [];
  const MAX_PREFIXES = 16;
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    const k = queue[i]!;
    for (const inc of includes) {
      if (inc.parentKey !== k) continue;
      for (const base of prefixes.get(k) ?? []) {
        if (!inc.childKey) {
          // Something included that the model cannot list (a GraphQL router, StaticFiles, a name it cannot resolve).
          opaquePrefixes.push(joinPaths(base, inc.prefixText) || '/');
          continue;
        }
        const child = objects.get(inc.childKey)!;
        const own = child.kind === 'apirouter' && child.prefix ? prefixText(model, child.file, child.prefix) : '';
        // Flask: register_blueprint(url_prefix=) replaces the blueprint's own url_prefix.
        const bpOwn = child.kind === 'blueprint' ? (inc.prefix ? '' : prefixText(model, child.file, child.prefix)) : '';
        const p = joinPaths(joinPaths(base, inc.prefixText), own || bpOwn);
        const set = prefixes.get(child.key) ?? new Set<string>();
        if (!set.has(p) && set.size < MAX_PREFIXES) {
          set.add(p);
          prefixes.set(child.key, set);
          queue.push(child.key);
        }
      }
    }
  }

  const routes: FullRoute[] = [];
  for (const [file, f] of files) {
    for (const r of f.routes) {
      const ownerKey = keyOf(file, r.owner);
      const path = prefixText(model, file, r.path);
      const reached = ownerKey ? prefixes.get(ownerKey) : undefined;
      if (reached && reached.size) {
        for (const base of reached) routes.push({ ...r, file, ownerKey, fullPath: joinPaths(base, path) || '/', reachable: true });
      } else {
        const owner = ownerKey ? objects.get(ownerKey) : undefined;
        const own = owner?.prefix ? prefixText(model, owner.file, owner.prefix) : '';
        const fr: FullRoute = { ...r, file, fullPath: UNKNOWN + joinPaths(own, path), reachable: false };
        if (ownerKey) fr.ownerKey = ownerKey;
        routes.push(fr);
      }
    }
  }
  for (const o of objects.values()) if (o.unknownRoutes && prefixes.has(o.key)) opaquePrefixes.push(UNKNOWN);

  // Possibly included: used in ways the model does not follow, or included by something it cannot
  // name (`def setup(app): app.include_router(r)` with `app` a parameter), and everything below those.
  const maybe = referencedElsewhere(model, objects, includes);
  for (const inc of includes) if (inc.childKey && !inc.parentKey) maybe.add(inc.childKey);
  const queue2 = [...maybe];
  for (let i = 0; i < queue2.length && i < 10_000; i++) {
    for (const inc of includes) {
      if (inc.parentKey === queue2[i] && inc.childKey && !maybe.has(inc.childKey)) {
        maybe.add(inc.childKey);
        queue2.push(inc.childKey);
      }
    }
  }
  return { objects: [...objects.values()], routes, includes, opaquePrefixes, reachable: new Set(prefixes.keys()), referencedElsewhere: maybe };
});

/**
 * Objects whose name is used somewhere other than as a route decorator, an include's receiver
 * or an include the model resolved: `routers = [a.router, b.router]`, `register(app, bp)`. The
 * model does not follow those, so rules treat such objects as possibly included.
 */
function referencedElsewhere(model: ProjectModel, objects: Map<WebObjectKey, ResolvedWebObject>, includes: ResolvedInclude[]): Set<WebObjectKey> {
  const out = new Set<WebObjectKey>();
  const files = pyWebFiles(model);
  const resolvedIncludeLines = new Map<string, Set<number>>();
  for (const inc of includes) {
    if (!inc.childKey) continue;
    const s = resolvedIncludeLines.get(inc.file) ?? new Set<number>();
    for (let l = inc.line; l <= inc.line + 3; l++) s.add(l);
    resolvedIncludeLines.set(inc.file, s);
  }
  const routeLines = new Map<string, Set<number>>();
  for (const [file, f] of files) routeLines.set(file, new Set([...f.routes.map((r) => r.line), ...f.includes.map((i) => i.line), ...f.objects.map((o) => o.line)]));

  const byFile = new Map<string, ResolvedWebObject[]>();
  for (const o of objects.values()) byFile.set(o.file, [...(byFile.get(o.file) ?? []), o]);

  const usedBeyond = (file: string, pattern: RegExp, skip: Set<number>): boolean => {
    const lines = model.lines(file);
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (skip.has(i + 1) || /^\s*(from|import)\s/.test(l) || /^\s*#/.test(l)) continue;
      if (pattern.test(l)) return true;
    }
    return false;
  };

  // Same file: the object's name used beyond its definition, routes and includes.
  for (const [file, objs] of byFile) {
    const skip = new Set([...(routeLines.get(file) ?? []), ...(resolvedIncludeLines.get(file) ?? [])]);
    for (const o of objs) {
      const re = new RegExp(`(^|[^\\w.])${o.name}(?![\\w])(?!\\s*\\.\\s*(get|post|put|patch|delete|head|options|api_route|route|websocket|include_router|register_blueprint|mount|add_api_route|add_url_rule|add_middleware|exception_handler|middleware|on_event|errorhandler|before_request|after_request|teardown_request|context_processor|add_exception_handler|state|dependency_overrides|openapi|title|version|routes|tags|prefix)\\b)`);
      if (usedBeyond(file, re, skip)) out.add(o.key);
    }
  }
  // Other files: a name imported from the object's module and used outside a resolved include.
  for (const [file, imps] of model.get(resolvedImports)) {
    const skip = new Set([...(routeLines.get(file) ?? []), ...(resolvedIncludeLines.get(file) ?? [])]);
    for (const imp of imps) {
      if (imp.origin !== 'local') continue;
      for (const t of imp.targets) {
        // The module the objects live in, and how this file spells the way to them.
        let moduleFile = t.path;
        let spelled: string | undefined;
        let direct = false;
        if (imp.kind === 'import') spelled = imp.alias ?? imp.module;
        else if (imp.name === '*') direct = true;
        else if (imp.name) {
          const nt = follow(model, t, imp.name);
          if (nt.kind === 'module') {
            moduleFile = nt.target.path;
            spelled = imp.alias ?? imp.name;
          } else if (nt.kind === 'binding') {
            moduleFile = nt.file;
            direct = true;
          }
        }
        const objs = byFile.get(moduleFile);
        if (!objs) continue;
        for (const o of objs) {
          let re: RegExp | undefined;
          if (direct && imp.name === '*') re = new RegExp(`(^|[^\\w.])${o.name}(?![\\w])`);
          else if (direct && imp.name === o.name) {
            // A module-level `__init__` re-export keeps the name alive for whoever imports the package.
            if (file.endsWith('__init__.py') && imp.scope === 'module') {
              out.add(o.key);
              continue;
            }
            re = new RegExp(`(^|[^\\w.])${imp.alias ?? imp.name}(?![\\w])`);
          } else if (spelled) re = new RegExp(`(^|[^\\w.])${spelled.replace(/\./g, '\\.')}\\.${o.name}(?![\\w])`);
          if (re && usedBeyond(file, re, skip)) out.add(o.key);
        }
      }
    }
  }
  // Includes whose child the model could not resolve may be any object with that name.
  for (const inc of includes) {
    if (inc.childKey || !inc.child) continue;
    const last = lastName(inc.child);
    for (const o of objects.values()) {
      const stem = o.file.slice(o.file.lastIndexOf('/') + 1).replace(/\.py$/, '');
      if (o.name === last || inc.child.includes(stem)) out.add(o.key);
    }
  }
  return out;
}

/** Splits a path into a regex: `{id}` / `<int:id>` match one segment, `{p:path}` / `<path:p>` and unknown pieces anything. */
export function routeRegex(fullPath: string, anchoredStart = true): RegExp {
  let re = '';
  let i = 0;
  const s = fullPath.replace(/\/+$/, '') || '/';
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === UNKNOWN) {
      re += '.*';
      i++;
    } else if (ch === '{' || ch === '<') {
      const close = s.indexOf(ch === '{' ? '}' : '>', i);
      if (close < 0) {
        re += escape(ch);
        i++;
        continue;
      }
      const inner = s.slice(i + 1, close);
      re += /(^|:)path$|^path:/.test(inner) ? '.*' : '[^/]+';
      i = close + 1;
    } else {
      re += escape(ch);
      i++;
    }
  }
  return new RegExp(`${anchoredStart ? '^' : ''}${re}/?$`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Seg = { lit: string } | { one: true } | { many: true };

function segments(path: string, leadingUnknownIsMany: boolean): Seg[] {
  const parts = path.split('?')[0]!.split('#')[0]!.split('/').filter((s) => s !== '');
  return parts.map((p, i): Seg => {
    if (p.includes(UNKNOWN)) return p === UNKNOWN || i === 0 || leadingUnknownIsMany ? { many: true } : { one: true };
    if (/\{[^}]*:path\}|<path:[^>]*>/.test(p)) return { many: true };
    if (/\{[^}]*\}|<[^>]*>/.test(p)) return { one: true };
    return { lit: p };
  });
}

/**
 * True when a request path can reach a route: `{id}` / `<int:id>` match one segment, `{p:path}` and
 * pieces the model could not read (`\u0000`) any number, on either side. Trailing slashes and
 * query strings do not matter (FastAPI redirects `/x` to `/x/`, TestClient follows).
 */
export function pathMatches(routePath: string, requestPath: string): boolean {
  const a = segments(routePath, true);
  const b = segments(requestPath, true);
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * 1000 + j;
    const m = memo.get(key);
    if (m !== undefined) return m;
    let r: boolean;
    const x = a[i];
    const y = b[j];
    if (!x && !y) r = true;
    else if (x && 'many' in x) r = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (y && 'many' in y) r = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else if (!x || !y) r = false;
    else if ('lit' in x && 'lit' in y) r = x.lit === y.lit && go(i + 1, j + 1);
    else r = go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return a.length < 1000 && b.length < 1000 && go(0, 0);
}
