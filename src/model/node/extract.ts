import { ts } from 'ts-morph';

/**
 * The TypeScript namespace ts-morph re-exports reads every member through a getter; copied once
 * into a plain object, `T.isIdentifier` is a plain property read. This halves extraction time on
 * large repositories. Types still come from `ts`.
 */
const T = { ...ts } as typeof ts;
import type {
  EnvReadRecord,
  ExportsInfo,
  ImportRecord,
  ListenRecord,
  NodeFileFacts,
  RouterFramework,
  RouterRecord,
  ServerFramework,
  ValueInfo,
} from './types.js';

export interface ExtractOptions {
  /** TypeScript source: imports used only as types are dropped by tsc. */
  typescript: boolean;
  /** emitDecoratorMetadata: constructor parameter types of decorated classes stay at runtime. */
  decoratorMetadata: boolean;
  /** .d.ts: declarations only, nothing reaches the runtime. */
  declaration: boolean;
}

type Binding = { spec: string; imported: string };

/** What an object in the file is, when it is created by a server framework we know. */
type ObjKind =
  | 'express-app'
  | 'express-router'
  | 'fastify-app'
  | 'koa-app'
  | 'koa-router'
  | 'http-server'
  | 'nest-app'
  | 'nest-fastify-app'
  | 'hono-app';

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'route']);
/** Methods whose call passes the router itself on (koa's `app.use(router.routes())`). */
const MOUNT_METHODS = new Set(['routes', 'middleware', 'allowedMethods']);
const NEST_ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head']);
const ENV_GATE = /NODE_ENV|\bis(?:Dev|Prod|Development|Production|Test|Local)\w*\b|\b(?:dev|development|production)Mode\b/;
const UPPER_ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const MAX_DEPTH = 1500;
const MAX_RESOLVE_DEPTH = 4;

interface RefUse {
  /** Uses other than as the receiver of its own methods or in an export. */
  uses: number;
  exportedAs: string[];
}

/**
 * Extracts the facts of one file in a few passes over its TypeScript syntax tree. No type checker:
 * bindings are tracked by name within the file, which is enough for the patterns server code uses
 * (`const app = express()`, `this.app.listen(...)`, `constructor(private config: ConfigService)`).
 */
export function extractFile(sf: ts.SourceFile, path: string, opts: ExtractOptions): NodeFileFacts {
  return new Extractor(sf, path, opts).run();
}

class Extractor {
  private readonly bindings = new Map<string, Binding>();
  private readonly imports: ImportRecord[] = [];
  private readonly valueRefs = new Set<string>();
  private readonly refUse = new Map<string, RefUse>();
  private readonly exportNames = new Set<string>();
  private readonly stars: string[] = [];
  private exportsOpen = false;
  private esm = false;
  private cjs = false;
  private readonly env: EnvReadRecord[] = [];
  private readonly envAliases = new Set<string>();
  /** Local name → env var, from `const { PORT = 3000 } = process.env`. */
  private readonly envLocals = new Map<string, { name: string; fallback?: string }>();
  private readonly configServiceNames = new Set<string>();
  /** Every `const x = <init>` by name; a name declared twice maps to undefined (ambiguous). */
  private readonly initializers = new Map<string, ts.Expression | undefined>();
  private readonly objects = new Map<string, ObjKind>();
  private readonly routers = new Map<string, RouterRecord>();
  private readonly listens: ListenRecord[] = [];
  private readonly migrations: { line: number; how: string }[] = [];
  private readonly fnStack: { fn: ts.SignatureDeclaration; param?: string; routes: string[] }[] = [];
  private dynamicLoad: { line: number; text: string } | undefined;
  /** > 0 inside a branch taken only when some env variable is set (an optional feature). */
  private envCondition = 0;
  private loadsDotenv = false;
  private readonly usesFastify: boolean;

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly path: string,
    private readonly opts: ExtractOptions,
  ) {
    this.usesFastify = sf.text.includes('fastify');
  }

  run(): NodeFileFacts {
    for (const st of this.sf.statements) this.topLevel(st);
    this.collectInitializers(this.sf);
    this.visit(this.sf, false, false, 0);
    return this.finish();
  }

  private line(node: ts.Node): number {
    return this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf)).line + 1;
  }

  // ---------------------------------------------------------------- imports and exports

  private topLevel(st: ts.Statement): void {
    if (T.isImportDeclaration(st) && T.isStringLiteral(st.moduleSpecifier)) {
      this.esm = true;
      const spec = st.moduleSpecifier.text;
      const clause = st.importClause;
      const rec = this.newImport(spec, st, clause ? 'import' : 'side-effect');
      if (clause) {
        rec.typeOnly = clause.isTypeOnly || this.opts.declaration;
        if (clause.name) {
          rec.bindings.push({ local: clause.name.text, imported: 'default' });
          rec.defaultImport = true;
        }
        const nb = clause.namedBindings;
        if (nb && T.isNamespaceImport(nb)) rec.bindings.push({ local: nb.name.text, imported: '*' });
        if (nb && T.isNamedImports(nb)) {
          let valueSpecifiers = 0;
          for (const el of nb.elements) {
            if (el.isTypeOnly) continue;
            valueSpecifiers++;
            const imported = (el.propertyName ?? el.name).text;
            rec.bindings.push({ local: el.name.text, imported });
            if (imported === 'default') rec.defaultImport = true;
            else rec.named.push({ name: imported, line: this.line(el) });
          }
          if (valueSpecifiers === 0 && !clause.name && nb.elements.length > 0) rec.typeOnly = true;
        }
        if (!rec.typeOnly) for (const b of rec.bindings) this.bindings.set(b.local, { spec, imported: b.imported });
        // `import { env } from 'node:process'` reads like process.env.
        if (spec === 'process' || spec === 'node:process') for (const b of rec.bindings) if (b.imported === 'env') this.envAliases.add(b.local);
      }
      this.imports.push(rec);
      return;
    }
    if (T.isImportEqualsDeclaration(st) && T.isExternalModuleReference(st.moduleReference)) {
      const e = st.moduleReference.expression;
      if (!T.isStringLiteral(e)) return;
      const rec = this.newImport(e.text, st, 'import-equals');
      rec.typeOnly = st.isTypeOnly || this.opts.declaration;
      rec.bindings.push({ local: st.name.text, imported: '*' });
      if (!rec.typeOnly) this.bindings.set(st.name.text, { spec: e.text, imported: '*' });
      if (hasModifier(st, T.SyntaxKind.ExportKeyword)) this.exportNames.add(st.name.text);
      this.imports.push(rec);
      return;
    }
    if (T.isExportDeclaration(st)) {
      this.esm = true;
      const typeOnly = st.isTypeOnly || this.opts.declaration;
      const spec = st.moduleSpecifier && T.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      const clause = st.exportClause;
      if (spec !== undefined) {
        if (!clause) {
          const rec = this.newImport(spec, st, 'reexport-star');
          rec.typeOnly = typeOnly;
          rec.used = true;
          this.imports.push(rec);
          if (!typeOnly) this.stars.push(spec);
          return;
        }
        const rec = this.newImport(spec, st, 'reexport');
        rec.typeOnly = typeOnly;
        rec.used = true;
        if (T.isNamespaceExport(clause)) {
          this.exportNames.add(clause.name.text);
        } else {
          let values = 0;
          for (const el of clause.elements) {
            this.exportNames.add(el.name.text);
            if (el.isTypeOnly) continue;
            values++;
            const imported = (el.propertyName ?? el.name).text;
            if (imported === 'default') rec.defaultImport = true;
            else rec.named.push({ name: imported, line: this.line(el) });
          }
          if (values === 0 && clause.elements.length > 0) rec.typeOnly = true;
        }
        this.imports.push(rec);
        return;
      }
      if (clause && T.isNamedExports(clause)) for (const el of clause.elements) this.exportNames.add(el.name.text);
      return;
    }
    if (T.isExportAssignment(st)) {
      this.esm = true;
      if (st.isExportEquals) {
        this.exportsOpen = true;
        this.cjs = true;
      } else this.exportNames.add('default');
      return;
    }
    if (!hasModifier(st, T.SyntaxKind.ExportKeyword)) return;
    this.esm = true;
    if (hasModifier(st, T.SyntaxKind.DefaultKeyword)) {
      this.exportNames.add('default');
      return;
    }
    if (T.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) for (const n of bindingNames(d.name)) this.exportNames.add(n);
      return;
    }
    const named = st as ts.Statement & { name?: ts.Node };
    if (named.name && (T.isIdentifier(named.name) || T.isStringLiteral(named.name))) this.exportNames.add(named.name.text);
  }

  private newImport(spec: string, node: ts.Node, kind: ImportRecord['kind']): ImportRecord {
    return {
      spec,
      line: this.line(node),
      kind,
      typeOnly: false,
      typeUsesOnly: false,
      named: [],
      defaultImport: false,
      bindings: [],
      guarded: false,
      used: kind === 'side-effect',
    };
  }

  /**
   * Records `const x = ...` initializers so identifiers can be followed to what they hold, and
   * the names typed ConfigService (constructor parameters may come after the methods using them).
   */
  private collectInitializers(root: ts.Node): void {
    const walk = (n: ts.Node, depth: number): void => {
      if (depth > MAX_DEPTH) return;
      if (T.isVariableDeclaration(n) && T.isIdentifier(n.name) && n.initializer) {
        const name = n.name.text;
        this.initializers.set(name, this.initializers.has(name) ? undefined : n.initializer);
      }
      if ((T.isParameter(n) || T.isPropertyDeclaration(n)) && n.type && typeName(n.type) === 'ConfigService') {
        const name = T.isParameter(n) ? (T.isIdentifier(n.name) ? n.name.text : undefined) : propName(n.name);
        if (name) this.configServiceNames.add(name);
      }
      T.forEachChild(n, (c) => walk(c, depth + 1));
    };
    walk(root, 0);
  }

  // ---------------------------------------------------------------- the main walk

  private visit(node: ts.Node, inType: boolean, guarded: boolean, depth: number): void {
    if (depth > MAX_DEPTH) throw new RangeError(`syntax tree deeper than ${MAX_DEPTH}`);
    const next = depth + 1;

    if (inType || this.isTypeContext(node)) {
      // Types never reach the runtime; only `typeof import('x')` and friends live here.
      if (!inType && this.opts.decoratorMetadata) this.decoratorMetadataRefs(node);
      T.forEachChild(node, (c) => this.visit(c, true, guarded, next));
      return;
    }

    switch (node.kind) {
      case T.SyntaxKind.Identifier:
        this.identifier(node as ts.Identifier);
        return;
      case T.SyntaxKind.TryStatement: {
        const t = node as ts.TryStatement;
        this.visit(t.tryBlock, false, true, next);
        if (t.catchClause) this.visit(t.catchClause, false, guarded, next);
        if (t.finallyBlock) this.visit(t.finallyBlock, false, guarded, next);
        return;
      }
      case T.SyntaxKind.IfStatement: {
        const s = node as ts.IfStatement;
        const gate = guarded || ENV_GATE.test(s.expression.getText(this.sf));
        this.visit(s.expression, false, guarded, next);
        this.underEnvCondition(s.expression, () => {
          this.visit(s.thenStatement, false, gate, next);
          if (s.elseStatement) this.visit(s.elseStatement, false, gate, next);
        });
        return;
      }
      case T.SyntaxKind.ConditionalExpression: {
        const c = node as ts.ConditionalExpression;
        const gate = guarded || ENV_GATE.test(c.condition.getText(this.sf));
        this.visit(c.condition, false, guarded, next);
        this.underEnvCondition(c.condition, () => {
          this.visit(c.whenTrue, false, gate, next);
          this.visit(c.whenFalse, false, gate, next);
        });
        return;
      }
      case T.SyntaxKind.ModuleDeclaration:
        // `declare module 'x' { ... }` and `declare global`: ambient, nothing runs.
        if (hasModifier(node, T.SyntaxKind.DeclareKeyword) || T.isStringLiteral((node as ts.ModuleDeclaration).name)) return;
        break;
      case T.SyntaxKind.CallExpression:
        this.call(node as ts.CallExpression, guarded);
        break;
      case T.SyntaxKind.NewExpression:
        break;
      case T.SyntaxKind.PropertyAccessExpression:
      case T.SyntaxKind.ElementAccessExpression:
        this.envAccess(node as ts.PropertyAccessExpression | ts.ElementAccessExpression);
        break;
      case T.SyntaxKind.VariableDeclaration:
        this.variable(node as ts.VariableDeclaration);
        break;
      case T.SyntaxKind.PropertyDeclaration:
        this.property(node as ts.PropertyDeclaration);
        break;
      case T.SyntaxKind.Parameter:
        this.parameter(node as ts.ParameterDeclaration);
        break;
      case T.SyntaxKind.BinaryExpression: {
        const bin = node as ts.BinaryExpression;
        this.binary(bin);
        const op = bin.operatorToken.kind;
        if (op === T.SyntaxKind.AmpersandAmpersandToken || op === T.SyntaxKind.BarBarToken || op === T.SyntaxKind.QuestionQuestionToken) {
          this.visit(bin.left, false, guarded, next);
          this.underEnvCondition(bin.left, () => this.visit(bin.right, false, guarded, next));
          return;
        }
        break;
      }
      case T.SyntaxKind.ClassDeclaration:
        this.nestController(node as ts.ClassDeclaration);
        break;
      case T.SyntaxKind.PropertyAssignment: {
        const p = node as ts.PropertyAssignment;
        const key = propName(p.name);
        if (key === 'migrationsRun' && p.initializer.kind === T.SyntaxKind.TrueKeyword) {
          this.migrations.push({ line: this.line(p), how: 'TypeORM migrationsRun: true' });
        }
        // @nestjs/config: ConfigModule.forRoot({ validationSchema: Joi.object({...}) })
        if (key === 'validationSchema') this.zodSchema(p.initializer, 'Joi validationSchema');
        break;
      }
      default:
        break;
    }

    if (T.isFunctionLike(node) && this.usesFastify) {
      const first = node.parameters[0];
      this.fnStack.push({ fn: node, param: first && T.isIdentifier(first.name) ? first.name.text : undefined, routes: [] });
      T.forEachChild(node, (c) => this.visit(c, false, guarded, next));
      const frame = this.fnStack.pop()!;
      if (frame.routes.length) this.fastifyPlugin(frame.fn, frame.routes);
      return;
    }
    T.forEachChild(node, (c) => this.visit(c, false, guarded, next));
  }

  /**
   * Runs `fn` with env reads counted as optional when `cond` itself reads the environment:
   * `if (process.env.SENTRY_DSN) init(process.env.SENTRY_ENV)` needs SENTRY_ENV only when the
   * feature is switched on.
   */
  private underEnvCondition(cond: ts.Expression, fn: () => void): void {
    const env = this.readsEnv(cond);
    if (env) this.envCondition++;
    try {
      fn();
    } finally {
      if (env) this.envCondition--;
    }
  }

  private readsEnv(e: ts.Node): boolean {
    let hit = false;
    const walk = (n: ts.Node, d: number): void => {
      if (hit || d > 40) return;
      if ((T.isPropertyAccessExpression(n) || T.isElementAccessExpression(n)) && this.isProcessEnv(n.expression)) {
        hit = true;
        return;
      }
      T.forEachChild(n, (c) => walk(c, d + 1));
    };
    walk(e, 0);
    return hit;
  }

  /** Type positions: annotations, interfaces, `implements`, `typeof X` in a type. */
  private isTypeContext(node: ts.Node): boolean {
    if (T.isInterfaceDeclaration(node) || T.isTypeAliasDeclaration(node)) return true;
    if (T.isHeritageClause(node)) {
      return node.token === T.SyntaxKind.ImplementsKeyword || T.isInterfaceDeclaration(node.parent);
    }
    if (T.isExpressionWithTypeArguments(node)) {
      // `class A extends B<T>`: B is a value; only its type arguments are types.
      const h = node.parent;
      return !(T.isHeritageClause(h) && h.token === T.SyntaxKind.ExtendsKeyword && !T.isInterfaceDeclaration(h.parent));
    }
    return T.isTypeNode(node);
  }

  /**
   * With emitDecoratorMetadata, tsc emits `design:paramtypes` for decorated classes: the class
   * named in a constructor parameter's type is referenced at runtime (Nest injection relies on it).
   */
  private decoratorMetadataRefs(typeNode: ts.Node): void {
    if (!T.isTypeReferenceNode(typeNode)) return;
    const holder = typeNode.parent;
    if (!(T.isParameter(holder) || T.isPropertyDeclaration(holder)) || holder.type !== typeNode) return;
    const cls = T.isParameter(holder) ? holder.parent?.parent : holder.parent;
    if (!cls || !T.isClassDeclaration(cls)) return;
    const decorated =
      (T.getDecorators(cls)?.length ?? 0) > 0 || (T.canHaveDecorators(holder) && (T.getDecorators(holder)?.length ?? 0) > 0);
    if (!decorated) return;
    let n: ts.EntityName = typeNode.typeName;
    while (T.isQualifiedName(n)) n = n.left;
    this.valueRefs.add(n.text);
  }

  private identifier(id: ts.Identifier): void {
    const p = id.parent;
    if (!p || !isReference(id, p)) return;
    const name = id.text;
    this.valueRefs.add(name);
    let u = this.refUse.get(name);
    if (!u) this.refUse.set(name, (u = { uses: 0, exportedAs: [] }));
    const exported = exportNameOfRef(id);
    if (exported !== undefined) u.exportedAs.push(exported);
    else if (T.isPropertyAccessExpression(p) && p.expression === id && !MOUNT_METHODS.has(p.name.text)) {
      // router.get(...), router.use(...): the router's own set-up, not a mount.
    } else u.uses++;
  }

  // ---------------------------------------------------------------- calls

  private call(c: ts.CallExpression, guarded: boolean): void {
    const callee = c.expression;
    const arg0 = c.arguments[0];
    // require('x') / import('x')
    if ((T.isIdentifier(callee) && callee.text === 'require') || callee.kind === T.SyntaxKind.ImportKeyword) {
      const dynamic = callee.kind === T.SyntaxKind.ImportKeyword;
      const spec = arg0 && stringValue(arg0);
      if (spec === undefined) {
        if (arg0) this.dynamicLoad ??= { line: this.line(c), text: c.getText(this.sf).slice(0, 80) };
        return;
      }
      const rec = this.newImport(spec, c, dynamic ? 'dynamic' : 'require');
      rec.guarded = guarded;
      this.requireBindings(c, rec, spec);
      if (spec === 'dotenv' || spec === 'dotenv/config' || spec === '@dotenvx/dotenvx') this.loadsDotenv = true;
      this.imports.push(rec);
      return;
    }

    if (T.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const recv = callee.expression;
      // process.env reads through @nestjs/config
      if ((method === 'get' || method === 'getOrThrow') && arg0 && this.isConfigService(recv)) {
        const key = stringValue(arg0);
        if (key && UPPER_ENV_NAME.test(key)) {
          const dflt = method === 'get' ? c.arguments[1] : undefined;
          const hasDefault = dflt !== undefined && !T.isObjectLiteralExpression(dflt);
          this.env.push({
            name: key,
            line: this.line(c),
            hasDefault,
            defaultValue: dflt ? literalText(dflt) : undefined,
            via: `ConfigService.${method}`,
          });
        }
      }
      if ((method === 'parse' || method === 'safeParse' || method === 'parseAsync' || method === 'safeParseAsync') && arg0 && this.isProcessEnv(arg0)) {
        this.zodSchema(recv, 'zod env schema');
      }
      if (method === 'runMigrations') this.migrations.push({ line: this.line(c), how: 'TypeORM runMigrations()' });
      if (method === 'latest' && T.isPropertyAccessExpression(recv) && recv.name.text === 'migrate') {
        this.migrations.push({ line: this.line(c), how: 'knex.migrate.latest()' });
      }
      if (method === 'up' && this.importsSpec('umzug')) this.migrations.push({ line: this.line(c), how: 'umzug up()' });
      if (method === 'config' && T.isIdentifier(recv) && this.bindings.get(recv.text)?.spec === 'dotenv') this.loadsDotenv = true;

      const root = rootReceiver(recv);
      const key = root ? this.objectKey(root) : undefined;
      const kind = (key !== undefined ? this.objects.get(key) : undefined) ?? this.creatorKind(recv);
      if (kind) this.objectCall(c, kind, method, key);
      else if (method === 'listen' && this.isImportedApp(recv)) this.listen(c, 'unknown');
      // fastify route plugins: `async function routes(fastify) { fastify.get('/x', ...) }`
      if (root && T.isIdentifier(root) && ROUTE_METHODS.has(method) && this.usesFastify && isRoutePath(c.arguments[0])) {
        for (let i = this.fnStack.length - 1; i >= 0; i--) {
          const f = this.fnStack[i]!;
          if (f.param === root.text) {
            f.routes.push(routeLabel(method, c.arguments[0]));
            break;
          }
        }
      }
    }

    if (T.isIdentifier(callee)) {
      const b = this.bindings.get(callee.text);
      if (callee.text === 'cleanEnv' || b?.imported === 'cleanEnv') this.envalid(c);
      if (b && /^@t3-oss\/env/.test(b.spec) && b.imported === 'createEnv') this.t3Env(c);
      if (b && /drizzle-orm\/.*migrator/.test(b.spec) && b.imported === 'migrate') {
        this.migrations.push({ line: this.line(c), how: 'drizzle migrate()' });
      }
      if (b && (b.spec === '@hono/node-server' && b.imported === 'serve') && arg0 && T.isObjectLiteralExpression(arg0)) {
        this.listens.push({
          line: this.line(c),
          framework: 'hono',
          port: this.valueOf(objectProp(arg0, 'port')),
          host: objectProp(arg0, 'hostname') ? this.valueOf(objectProp(arg0, 'hostname')) : undefined,
          text: this.callText(c),
        });
      }
    } else if (T.isPropertyAccessExpression(callee) && callee.name.text === 'cleanEnv') {
      this.envalid(c);
    }
    for (const a of c.arguments) {
      const s = stringValue(a);
      if (s && /\bprisma\s+migrate\s+deploy\b/.test(s)) this.migrations.push({ line: this.line(c), how: 'prisma migrate deploy (from code)' });
    }
  }

  /** Binds the names a require() call initialises: `const x = require()`, `const { a } = require()`. */
  private requireBindings(c: ts.CallExpression, rec: ImportRecord, spec: string): void {
    let p: ts.Node = c.parent;
    let imported = '*';
    while (T.isParenthesizedExpression(p) || T.isAwaitExpression(p)) p = p.parent;
    if (T.isPropertyAccessExpression(p) && p.expression !== undefined) {
      imported = p.name.text;
      p = p.parent;
    }
    if (T.isVariableDeclaration(p)) {
      if (T.isIdentifier(p.name)) rec.bindings.push({ local: p.name.text, imported });
      else if (T.isObjectBindingPattern(p.name)) {
        for (const el of p.name.elements) {
          if (!T.isIdentifier(el.name)) continue;
          const name = el.propertyName && T.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
          rec.bindings.push({ local: el.name.text, imported: name });
        }
      }
      for (const b of rec.bindings) this.bindings.set(b.local, { spec, imported: b.imported });
      return;
    }
    // A bare `require('x');` is for its side effects; anything else uses the module right there.
    rec.used = !T.isExpressionStatement(p);
  }

  private importsSpec(spec: string): boolean {
    return this.imports.some((i) => i.spec === spec);
  }

  // ---------------------------------------------------------------- env reads

  private isProcessEnv(e: ts.Expression): boolean {
    e = unwrap(e);
    if (T.isPropertyAccessExpression(e) && e.name.text === 'env') {
      const o = unwrap(e.expression);
      return T.isIdentifier(o) && o.text === 'process';
    }
    return T.isIdentifier(e) && this.envAliases.has(e.text);
  }

  private envAccess(n: ts.PropertyAccessExpression | ts.ElementAccessExpression): void {
    if (!this.isProcessEnv(n.expression)) return;
    // `process.env` itself inside `process.env.X`: only the outer access names a variable.
    let name: string | undefined;
    if (T.isPropertyAccessExpression(n)) name = n.name.text;
    else name = stringValue(n.argumentExpression);
    if (!name) return;
    // Assignments (`process.env.X = ...`) set, not read.
    const p = n.parent;
    if (T.isBinaryExpression(p) && p.left === n && isAssignment(p.operatorToken.kind)) return;
    if (T.isDeleteExpression(p)) return;
    const d = defaultOf(n);
    const optional = d.optional === true || (!d.has && (this.envCondition > 0 || optionalChained(n)));
    this.env.push({ name, line: this.line(n), hasDefault: d.has || optional, defaultValue: d.value, via: 'process.env', ...(optional ? { optional: true } : {}) });
  }

  private variable(d: ts.VariableDeclaration): void {
    const init = d.initializer && unwrap(d.initializer);
    if (!init) return;
    if (this.isProcessEnv(init)) {
      if (T.isIdentifier(d.name)) this.envAliases.add(d.name.text);
      else if (T.isObjectBindingPattern(d.name)) {
        for (const el of d.name.elements) {
          if (el.dotDotDotToken) continue;
          const key = el.propertyName ?? el.name;
          const name = T.isIdentifier(key) || T.isStringLiteral(key) ? key.text : undefined;
          if (!name) continue;
          const value = el.initializer ? literalText(el.initializer) : undefined;
          this.env.push({ name, line: this.line(el), hasDefault: !!el.initializer, defaultValue: value, via: 'process.env destructuring' });
          if (T.isIdentifier(el.name)) this.envLocals.set(el.name.text, { name, fallback: value });
        }
      }
      return;
    }
    if (T.isIdentifier(d.name)) {
      const kind = this.creatorKind(init);
      if (kind) this.defineObject(d.name.text, kind, d);
      if (T.isCallExpression(init) && T.isPropertyAccessExpression(init.expression) && init.expression.name.text === 'get') {
        const a = init.arguments[0];
        if (a && T.isIdentifier(a) && a.text === 'ConfigService') this.configServiceNames.add(d.name.text);
      }
      if (d.type && typeName(d.type) === 'ConfigService') this.configServiceNames.add(d.name.text);
    }
  }

  private property(p: ts.PropertyDeclaration): void {
    const name = propName(p.name);
    if (!name) return;
    if (p.type && typeName(p.type) === 'ConfigService') this.configServiceNames.add(name);
    const init = p.initializer && unwrap(p.initializer);
    const kind = init ? this.creatorKind(init) : this.annotatedKind(p.type);
    if (kind) this.defineObject(`this.${name}`, kind, p);
  }

  private parameter(p: ts.ParameterDeclaration): void {
    if (!T.isIdentifier(p.name)) return;
    const t = p.type && typeName(p.type);
    if (t === 'ConfigService') {
      this.configServiceNames.add(p.name.text);
      return;
    }
    const kind = this.annotatedKind(p.type);
    // A parameter-property (`constructor(private app: Express)`) is also reachable as this.app.
    if (kind) {
      this.objects.set(p.name.text, kind);
      if (p.modifiers?.length) this.objects.set(`this.${p.name.text}`, kind);
    }
  }

  private binary(b: ts.BinaryExpression): void {
    if (b.operatorToken.kind !== T.SyntaxKind.EqualsToken) return;
    const left = b.left;
    // module.exports = ..., exports.x = ..., module.exports.x = ...
    const target = cjsExportTarget(left);
    if (target !== undefined) {
      this.cjs = true;
      if (target === '') {
        const right = unwrap(b.right);
        if (T.isObjectLiteralExpression(right)) {
          for (const p of right.properties) {
            if (T.isSpreadAssignment(p)) this.exportsOpen = true;
            else {
              const n = p.name && propName(p.name);
              if (n) this.exportNames.add(n);
              else this.exportsOpen = true;
            }
          }
        } else {
          // `module.exports = router` / `= function...`: one value; ESM sees it as default.
          this.exportNames.add('default');
          this.exportsOpen = true;
        }
      } else this.exportNames.add(target);
      return;
    }
    const key = this.objectKey(left);
    if (key?.startsWith('this.')) {
      const kind = this.creatorKind(unwrap(b.right));
      if (kind) this.defineObject(key, kind, b);
    }
  }

  private isConfigService(recv: ts.Expression): boolean {
    const r = unwrap(recv);
    if (T.isIdentifier(r)) return this.configServiceNames.has(r.text);
    if (T.isPropertyAccessExpression(r) && r.expression.kind === T.SyntaxKind.ThisKeyword) return this.configServiceNames.has(r.name.text);
    return false;
  }

  /** `cleanEnv(process.env, { DB_URL: str(), PORT: port({ default: 3000 }) })` (envalid). */
  private envalid(c: ts.CallExpression): void {
    const spec = c.arguments[1];
    if (!spec || !T.isObjectLiteralExpression(spec)) return;
    for (const p of spec.properties) {
      if (!T.isPropertyAssignment(p)) continue;
      const name = propName(p.name);
      if (!name) continue;
      const v = unwrap(p.initializer);
      const opts = T.isCallExpression(v) ? v.arguments[0] : undefined;
      const dflt = opts && T.isObjectLiteralExpression(opts) ? objectProp(opts, 'default') : undefined;
      // devDefault applies only when NODE_ENV is not production, so production still needs the var.
      this.env.push({ name, line: this.line(p), hasDefault: !!dflt, defaultValue: dflt ? literalText(dflt) : undefined, via: 'envalid cleanEnv' });
    }
  }

  /** `createEnv({ server: { X: z.string() }, runtimeEnv: process.env })` (@t3-oss/env). */
  private t3Env(c: ts.CallExpression): void {
    const o = c.arguments[0];
    if (!o || !T.isObjectLiteralExpression(o)) return;
    for (const section of ['server', 'shared']) {
      const s = objectProp(o, section);
      if (s && T.isObjectLiteralExpression(s)) this.schemaProps(s, 't3 createEnv');
    }
  }

  /** Follows a zod or Joi schema expression to its object literal of variables. */
  private zodSchema(e: ts.Expression, via: string, depth = 0): void {
    if (depth > MAX_RESOLVE_DEPTH) return;
    e = unwrap(e);
    if (T.isIdentifier(e)) {
      const init = this.initializers.get(e.text);
      if (init) this.zodSchema(init, via, depth + 1);
      return;
    }
    if (!T.isCallExpression(e) || !T.isPropertyAccessExpression(e.expression)) return;
    const m = e.expression.name.text;
    const a = e.arguments[0];
    if ((m === 'object' || m === 'extend' || m === 'keys') && a && T.isObjectLiteralExpression(a)) this.schemaProps(a, via);
    if (m !== 'object') this.zodSchema(e.expression.expression, via, depth + 1);
  }

  private schemaProps(o: ts.ObjectLiteralExpression, via: string): void {
    for (const p of o.properties) {
      if (!T.isPropertyAssignment(p)) continue;
      const name = propName(p.name);
      if (!name) continue;
      const chain = methodChain(p.initializer);
      const dflt = chain.find((m) => m.name === 'default' || m.name === 'catch');
      // zod fields are required unless optional; Joi keys are optional unless required().
      const joi = via.startsWith('Joi');
      const optional = chain.some((m) => ['optional', 'nullish', 'allow', 'empty'].includes(m.name)) || (joi && !chain.some((m) => m.name === 'required'));
      const value = dflt?.args[0] ? literalText(dflt.args[0]) : undefined;
      this.env.push({ name, line: this.line(p), hasDefault: !!dflt || optional, defaultValue: value, via });
    }
  }

  // ---------------------------------------------------------------- HTTP servers and routers

  /** `Identifier` or `this.x` as a stable key for objects created in this file. */
  private objectKey(e: ts.Expression): string | undefined {
    e = unwrap(e);
    if (T.isIdentifier(e)) return e.text;
    if (T.isPropertyAccessExpression(e) && e.expression.kind === T.SyntaxKind.ThisKeyword) return `this.${e.name.text}`;
    return undefined;
  }

  /** What `express()`, `Router()`, `Fastify()`, `new Koa()`, `NestFactory.create()` create. */
  private creatorKind(e: ts.Expression): ObjKind | undefined {
    e = unwrap(e);
    if (T.isCallExpression(e)) {
      const callee = unwrap(e.expression);
      const from = this.calleeBinding(callee);
      if (from) {
        const { spec, imported } = from;
        if (spec === 'express') return imported === 'Router' ? 'express-router' : imported === 'default' || imported === '*' ? 'express-app' : undefined;
        if (spec === 'fastify') return 'fastify-app';
        if (/^(node:)?(http|https|http2)$/.test(spec) && /^create(Secure)?Server$/.test(imported)) return 'http-server';
      }
      if (T.isPropertyAccessExpression(callee)) {
        const base = this.calleeBinding(unwrap(callee.expression));
        const m = callee.name.text;
        if (base?.spec === 'express' && m === 'Router') return 'express-router';
        if (base && /^(node:)?(http|https|http2)$/.test(base.spec) && /^create(Secure)?Server$/.test(m)) return 'http-server';
        if (base?.spec === '@nestjs/core' && base.imported === 'NestFactory' && m === 'create') {
          const text = e.getText(this.sf);
          return /Fastify/.test(text) ? 'nest-fastify-app' : 'nest-app';
        }
      }
      return undefined;
    }
    if (T.isNewExpression(e)) {
      const from = this.calleeBinding(unwrap(e.expression));
      if (!from) return undefined;
      if (from.spec === 'koa') return 'koa-app';
      if (from.spec === '@koa/router' || from.spec === 'koa-router') return 'koa-router';
      if (from.spec === 'hono' && from.imported === 'Hono') return 'hono-app';
      if (from.spec === 'express' && from.imported === 'Router') return 'express-router';
    }
    return undefined;
  }

  /** The import a callee comes from: an imported name, `ns.name`, or an inline `require('x')`. */
  private calleeBinding(callee: ts.Expression): Binding | undefined {
    if (T.isIdentifier(callee)) return this.bindings.get(callee.text);
    if (T.isCallExpression(callee) && T.isIdentifier(callee.expression) && callee.expression.text === 'require') {
      const s = callee.arguments[0] && stringValue(callee.arguments[0]);
      return s ? { spec: s, imported: '*' } : undefined;
    }
    if (T.isPropertyAccessExpression(callee)) {
      const base = this.calleeBinding(unwrap(callee.expression));
      if (base && (base.imported === '*' || base.imported === 'default')) return { spec: base.spec, imported: callee.name.text };
    }
    return undefined;
  }

  /** `app: Express`, `fastify: FastifyInstance`, `app: INestApplication`. */
  private annotatedKind(t: ts.TypeNode | undefined): ObjKind | undefined {
    const n = t && typeName(t);
    if (!n) return undefined;
    const b = this.bindings.get(n) ?? this.typeBinding(n);
    const spec = b?.spec;
    if (spec === 'express') return n === 'Router' ? 'express-router' : n === 'Express' || n === 'Application' ? 'express-app' : undefined;
    if (spec === 'fastify' && n === 'FastifyInstance') return 'fastify-app';
    if (spec === 'koa') return 'koa-app';
    if (spec === '@nestjs/common' && n === 'INestApplication') return 'nest-app';
    if (spec === '@nestjs/platform-express' && n === 'NestExpressApplication') return 'nest-app';
    if (spec === '@nestjs/platform-fastify' && n === 'NestFastifyApplication') return 'nest-fastify-app';
    return undefined;
  }

  /** Type-only imports are not value bindings, but annotations may name them. */
  private typeBinding(name: string): Binding | undefined {
    for (const i of this.imports) for (const b of i.bindings) if (b.local === name) return { spec: i.spec, imported: b.imported };
    for (const st of this.sf.statements) {
      if (!T.isImportDeclaration(st) || !T.isStringLiteral(st.moduleSpecifier)) continue;
      const nb = st.importClause?.namedBindings;
      if (nb && T.isNamedImports(nb)) for (const el of nb.elements) if (el.name.text === name) return { spec: st.moduleSpecifier.text, imported: (el.propertyName ?? el.name).text };
    }
    return undefined;
  }

  private defineObject(key: string, kind: ObjKind, decl: ts.Node): void {
    this.objects.set(key, kind);
    if (kind !== 'express-router' && kind !== 'koa-router') return;
    const framework: RouterFramework = kind === 'express-router' ? 'express' : 'koa';
    const exportedAs: string[] = [];
    const stmt = decl.parent?.parent;
    if (T.isVariableDeclaration(decl) && stmt && T.isVariableStatement(stmt) && hasModifier(stmt, T.SyntaxKind.ExportKeyword)) exportedAs.push(key);
    if (!this.routers.has(key)) this.routers.set(key, { name: key, line: this.line(decl), framework, routes: [], exportedAs, usedLocally: false });
  }

  private objectCall(c: ts.CallExpression, kind: ObjKind, method: string, key: string | undefined): void {
    if (method === 'listen') {
      const fw: Record<ObjKind, ServerFramework | undefined> = {
        'express-app': 'express',
        'express-router': undefined,
        'fastify-app': 'fastify',
        'koa-app': 'koa',
        'koa-router': undefined,
        'http-server': 'http',
        'nest-app': 'nest',
        'nest-fastify-app': 'nest-fastify',
        'hono-app': undefined,
      };
      const f = fw[kind];
      if (f) this.listen(c, f);
      return;
    }
    if (key && ROUTE_METHODS.has(method)) {
      const r = this.routers.get(key);
      if (r && r.routes.length < 50) r.routes.push(routeLabel(method, c.arguments[0]));
    }
  }

  /**
   * An app built in another module of the project: `import app from './app'; app.listen(PORT)`, or
   * `const app = createApp(); app.listen(PORT)` with createApp imported from a local file.
   */
  private isImportedApp(recv: ts.Expression): boolean {
    const r = unwrap(recv);
    if (!T.isIdentifier(r) || !/^(app|server|application|httpServer)$/i.test(r.text)) return false;
    const local = (name: string): boolean => this.bindings.get(name)?.spec.startsWith('.') ?? false;
    if (local(r.text)) return true;
    const init = this.initializers.get(r.text);
    const call = init && unwrap(init);
    if (!call || !T.isCallExpression(call)) return false;
    const callee = unwrap(call.expression);
    return (T.isIdentifier(callee) && local(callee.text)) || (T.isPropertyAccessExpression(callee) && T.isIdentifier(callee.expression) && local(callee.expression.text));
  }

  private listen(c: ts.CallExpression, framework: ServerFramework): void {
    const [a0, a1] = c.arguments;
    let port: ValueInfo | undefined;
    let host: ValueInfo | undefined;
    if (a0 && T.isObjectLiteralExpression(unwrap(a0))) {
      const o = unwrap(a0) as ts.ObjectLiteralExpression;
      const p = objectProp(o, 'port');
      const h = objectProp(o, 'host');
      port = p ? this.valueOf(p) : undefined;
      host = h ? this.valueOf(h) : undefined;
    } else {
      if (a0 && !isFunctionLike(a0)) port = this.valueOf(a0);
      if (a1 && !isFunctionLike(a1) && !T.isNumericLiteral(a1)) host = this.valueOf(a1);
    }
    this.listens.push({ line: this.line(c), framework, port, host, text: this.callText(c) });
  }

  /** `app.listen(3000, () => {…})`: the call with function arguments elided, stable across edits of the callback. */
  private callText(c: ts.CallExpression): string {
    const args = c.arguments.map((a) => (isFunctionLike(a) ? '() => {…}' : clip(a.getText(this.sf))));
    return clip(`${c.expression.getText(this.sf)}(${args.join(', ')})`);
  }

  /** Follows a port or host expression to a literal or an env read, within this file. */
  private valueOf(e: ts.Expression | undefined, depth = 0): ValueInfo {
    if (!e) return { kind: 'unknown', text: '' };
    e = unwrap(e);
    const text = clip(e.getText(this.sf));
    if (depth > MAX_RESOLVE_DEPTH) return { kind: 'unknown', text };
    const lit = literalText(e);
    if (lit !== undefined) return { kind: 'literal', value: lit };
    const env = this.firstEnvRead(e, depth);
    if (env) return env;
    if (T.isIdentifier(e)) {
      const local = this.envLocals.get(e.text);
      if (local) return { kind: 'env', name: local.name, fallback: local.fallback };
      const init = this.initializers.get(e.text);
      if (init) return this.valueOf(init, depth + 1);
    }
    if (T.isPropertyAccessExpression(e) && T.isIdentifier(unwrap(e.expression))) {
      const init = this.initializers.get((unwrap(e.expression) as ts.Identifier).text);
      const obj = init && unwrap(init);
      if (obj && T.isObjectLiteralExpression(obj)) {
        const v = objectProp(obj, e.name.text);
        if (v) return this.valueOf(v, depth + 1);
      }
    }
    if (T.isCallExpression(e) && T.isIdentifier(e.expression) && ['Number', 'parseInt', 'String', 'parseFloat'].includes(e.expression.text)) {
      return this.valueOf(e.arguments[0], depth + 1);
    }
    if (T.isPrefixUnaryExpression(e) && e.operator === T.SyntaxKind.PlusToken) return this.valueOf(e.operand, depth + 1);
    if (T.isBinaryExpression(e) && [T.SyntaxKind.BarBarToken, T.SyntaxKind.QuestionQuestionToken].includes(e.operatorToken.kind)) {
      const left = this.valueOf(e.left, depth + 1);
      if (left.kind === 'env') return { ...left, fallback: left.fallback ?? literalText(unwrap(e.right)) };
      if (left.kind === 'unknown') return left;
    }
    return { kind: 'unknown', text };
  }

  /** The first env variable an expression reads (process.env.X, env alias, ConfigService.get). */
  private firstEnvRead(e: ts.Expression, depth: number): ValueInfo | undefined {
    let found: ValueInfo | undefined;
    const walk = (n: ts.Node, d: number): void => {
      if (found || d > 50) return;
      if ((T.isPropertyAccessExpression(n) || T.isElementAccessExpression(n)) && this.isProcessEnv(n.expression)) {
        const name = T.isPropertyAccessExpression(n) ? n.name.text : stringValue(n.argumentExpression);
        if (name) {
          found = { kind: 'env', name, fallback: defaultOf(n).value };
          return;
        }
      }
      if (T.isCallExpression(n) && T.isPropertyAccessExpression(n.expression) && ['get', 'getOrThrow'].includes(n.expression.name.text)) {
        const key = n.arguments[0] && stringValue(n.arguments[0]);
        if (key && this.isConfigService(n.expression.expression)) {
          found = { kind: 'env', name: key, fallback: n.arguments[1] ? literalText(n.arguments[1]) : undefined };
          return;
        }
      }
      if (T.isIdentifier(n) && depth < MAX_RESOLVE_DEPTH) {
        const local = this.envLocals.get(n.text);
        if (local) found = { kind: 'env', name: local.name, fallback: local.fallback };
      }
      T.forEachChild(n, (c) => walk(c, d + 1));
    };
    walk(e, 0);
    return found;
  }

  /** `@Controller('users') export class UsersController { @Get() list() {} }` (Nest). */
  private nestController(cls: ts.ClassDeclaration): void {
    if (!cls.name) return;
    const decorators = T.getDecorators(cls) ?? [];
    const isController = decorators.some((d) => {
      const e = d.expression;
      const id = T.isCallExpression(e) ? e.expression : e;
      return T.isIdentifier(id) && this.bindings.get(id.text)?.spec === '@nestjs/common' && this.bindings.get(id.text)?.imported === 'Controller';
    });
    if (!isController) return;
    const routes: string[] = [];
    for (const m of cls.members) {
      if (!T.canHaveDecorators(m)) continue;
      for (const d of T.getDecorators(m) ?? []) {
        const e = d.expression;
        if (!T.isCallExpression(e) || !T.isIdentifier(e.expression)) continue;
        const b = this.bindings.get(e.expression.text);
        if (b?.spec === '@nestjs/common' && NEST_ROUTE_DECORATORS.has(b.imported)) routes.push(routeLabel(b.imported.toLowerCase(), e.arguments[0]));
      }
    }
    const exportedAs: string[] = [];
    if (hasModifier(cls, T.SyntaxKind.ExportKeyword)) exportedAs.push(hasModifier(cls, T.SyntaxKind.DefaultKeyword) ? 'default' : cls.name.text);
    this.routers.set(`class:${cls.name.text}`, { name: cls.name.text, line: this.line(cls), framework: 'nest', routes, exportedAs, usedLocally: false });
  }

  /** A function that registers routes on the fastify instance it receives. */
  private fastifyPlugin(fn: ts.SignatureDeclaration, routes: string[]): void {
    // Climb through `fp(fn)` / `fastifyPlugin(fn)` wrappers to where the plugin is bound.
    let node: ts.Node = fn;
    while (T.isCallExpression(node.parent) && node.parent.arguments.includes(node as ts.Expression)) {
      const callee = node.parent.expression;
      const b = T.isIdentifier(callee) ? this.bindings.get(callee.text) : undefined;
      if (b?.spec !== 'fastify-plugin') return; // passed inline to register(): mounted right there
      node = node.parent;
    }
    const p = node.parent;
    let name: string | undefined;
    const exportedAs: string[] = [];
    if (T.isFunctionDeclaration(fn) && node === fn) {
      if (!fn.name && !hasModifier(fn, T.SyntaxKind.DefaultKeyword)) return;
      name = fn.name?.text ?? 'default export';
      if (hasModifier(fn, T.SyntaxKind.ExportKeyword)) exportedAs.push(hasModifier(fn, T.SyntaxKind.DefaultKeyword) ? 'default' : name);
    } else if (T.isVariableDeclaration(p) && T.isIdentifier(p.name)) {
      name = p.name.text;
      const stmt = p.parent?.parent;
      if (stmt && T.isVariableStatement(stmt) && hasModifier(stmt, T.SyntaxKind.ExportKeyword)) exportedAs.push(name);
    } else if (T.isExportAssignment(p)) {
      name = 'default export';
      exportedAs.push('default');
    } else if (T.isBinaryExpression(p) && p.right === node && cjsExportTarget(p.left) !== undefined) {
      name = 'module.exports';
      const t = cjsExportTarget(p.left)!;
      exportedAs.push(t === '' ? 'default' : t);
    } else return;
    this.routers.set(`fn:${name}`, { name, line: this.line(fn), framework: 'fastify', routes: routes.slice(0, 50), exportedAs, usedLocally: false });
  }

  // ---------------------------------------------------------------- result

  private finish(): NodeFileFacts {
    for (const rec of this.imports) {
      if (rec.kind === 'side-effect' || rec.kind === 'reexport' || rec.kind === 'reexport-star') continue;
      if (rec.bindings.length > 0) {
        const usedAsValue = rec.bindings.some((b) => this.valueRefs.has(b.local));
        rec.used ||= usedAsValue;
        if (this.opts.typescript && (rec.kind === 'import' || rec.kind === 'import-equals')) rec.typeUsesOnly = !usedAsValue;
      }
    }
    for (const [key, r] of this.routers) {
      const name = key.startsWith('class:') || key.startsWith('fn:') ? r.name : key;
      const u = this.refUse.get(name);
      if (u) {
        for (const e of u.exportedAs) if (!r.exportedAs.includes(e)) r.exportedAs.push(e);
        r.usedLocally = u.uses > 0;
      }
      if (key.startsWith('this.')) r.usedLocally = true; // class-held routers are wired by their class
    }
    const exports: ExportsInfo = {
      names: [...this.exportNames],
      stars: this.stars,
      open: this.exportsOpen,
      esm: this.esm,
      cjs: this.cjs,
    };
    const diags = (this.sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    return {
      path: this.path,
      imports: this.imports,
      exports,
      env: this.env,
      listens: this.listens,
      routers: [...this.routers.values()].filter((r) => r.routes.length > 0),
      dynamicLoad: this.dynamicLoad,
      migrationsInCode: this.migrations,
      loadsDotenv: this.loadsDotenv,
      syntaxErrorLine: diags[0] ? this.sf.getLineAndCharacterOfPosition(diags[0].start).line + 1 : undefined,
    };
  }
}

// ---------------------------------------------------------------- helpers

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return T.canHaveModifiers(node) && (T.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

function bindingNames(n: ts.BindingName): string[] {
  if (T.isIdentifier(n)) return [n.text];
  const out: string[] = [];
  for (const el of n.elements) if (!T.isOmittedExpression(el)) out.push(...bindingNames(el.name));
  return out;
}

function propName(n: ts.PropertyName): string | undefined {
  if (T.isIdentifier(n) || T.isStringLiteral(n) || T.isNumericLiteral(n) || T.isPrivateIdentifier(n)) return n.text;
  if (T.isComputedPropertyName(n)) return stringValue(n.expression);
  return undefined;
}

/** Strips parentheses, `await`, `as T`, `x!` and `satisfies T`. */
function unwrap(e: ts.Expression): ts.Expression {
  for (;;) {
    if (T.isParenthesizedExpression(e) || T.isAwaitExpression(e) || T.isAsExpression(e) || T.isNonNullExpression(e) || T.isSatisfiesExpression(e) || T.isTypeAssertionExpression(e)) e = e.expression;
    else return e;
  }
}

function stringValue(e: ts.Node): string | undefined {
  return T.isStringLiteral(e) || T.isNoSubstitutionTemplateLiteral(e) ? e.text : undefined;
}

/** The text of a literal (string, number, boolean), or undefined for anything computed. */
function literalText(e: ts.Expression): string | undefined {
  e = unwrap(e);
  if (T.isStringLiteral(e) || T.isNoSubstitutionTemplateLiteral(e) || T.isNumericLiteral(e)) return e.text;
  if (e.kind === T.SyntaxKind.TrueKeyword) return 'true';
  if (e.kind === T.SyntaxKind.FalseKeyword) return 'false';
  return undefined;
}

function isAssignment(k: ts.SyntaxKind): boolean {
  return k >= T.SyntaxKind.FirstAssignment && k <= T.SyntaxKind.LastAssignment;
}

function isFunctionLike(e: ts.Expression): boolean {
  const u = unwrap(e);
  return T.isArrowFunction(u) || T.isFunctionExpression(u);
}

function objectProp(o: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of o.properties) {
    if (T.isPropertyAssignment(p) && propName(p.name) === name) return p.initializer;
    if (T.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

function typeName(t: ts.TypeNode): string | undefined {
  if (!T.isTypeReferenceNode(t)) return undefined;
  const n = t.typeName;
  return T.isIdentifier(n) ? n.text : n.right.text;
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}

/** `'/users'` or `{ url: '/users', ... }`: a route registration rather than `client.get(key)`. */
function isRoutePath(a: ts.Expression | undefined): boolean {
  if (!a) return false;
  const s = stringValue(a);
  if (s !== undefined) return s.startsWith('/');
  return T.isObjectLiteralExpression(a) && objectProp(a, 'url') !== undefined;
}

function routeLabel(method: string, pathArg: ts.Expression | undefined): string {
  const p = pathArg ? stringValue(pathArg) : undefined;
  return `${method === 'route' ? 'ROUTE' : method.toUpperCase()} ${p ?? '/'}`.trim();
}

/** Walks `a.b().c().d()` down to `a`. */
function rootReceiver(e: ts.Expression): ts.Expression | undefined {
  let cur = unwrap(e);
  for (let i = 0; i < 50; i++) {
    if (T.isCallExpression(cur) && T.isPropertyAccessExpression(cur.expression)) cur = unwrap(cur.expression.expression);
    else return T.isIdentifier(cur) || (T.isPropertyAccessExpression(cur) && cur.expression.kind === T.SyntaxKind.ThisKeyword) ? cur : undefined;
  }
  return undefined;
}

/** Names of zod/Joi chain methods: `z.string().url().default('x')` → string, url, default. */
function methodChain(e: ts.Expression): { name: string; args: readonly ts.Expression[] }[] {
  const out: { name: string; args: readonly ts.Expression[] }[] = [];
  let cur = unwrap(e);
  for (let i = 0; i < 50; i++) {
    if (T.isCallExpression(cur) && T.isPropertyAccessExpression(cur.expression)) {
      out.push({ name: cur.expression.name.text, args: cur.arguments });
      cur = unwrap(cur.expression.expression);
    } else if (T.isPropertyAccessExpression(cur)) {
      out.push({ name: cur.name.text, args: [] });
      cur = unwrap(cur.expression);
    } else break;
  }
  return out;
}

/** `module.exports` → '', `exports.x` / `module.exports.x` → 'x'; undefined otherwise. */
function cjsExportTarget(e: ts.Expression): string | undefined {
  if (!T.isPropertyAccessExpression(e)) return undefined;
  const o = e.expression;
  if (T.isIdentifier(o) && o.text === 'module' && e.name.text === 'exports') return '';
  if (T.isIdentifier(o) && o.text === 'exports') return e.name.text;
  if (T.isPropertyAccessExpression(o) && T.isIdentifier(o.expression) && o.expression.text === 'module' && o.name.text === 'exports') return e.name.text;
  return undefined;
}

/** Where an identifier is exported: `export default x`, `export { x as y }`, `module.exports = x`. */
function exportNameOfRef(id: ts.Identifier): string | undefined {
  let n: ts.Node = id;
  let p = n.parent;
  while (T.isParenthesizedExpression(p) || T.isAsExpression(p)) {
    n = p;
    p = p.parent;
  }
  if (T.isExportAssignment(p)) return 'default';
  if (T.isExportSpecifier(p)) return p.name.text;
  if (T.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === T.SyntaxKind.EqualsToken) {
    const t = cjsExportTarget(p.left);
    if (t !== undefined) return t === '' ? 'default' : t;
  }
  if ((T.isShorthandPropertyAssignment(p) || (T.isPropertyAssignment(p) && p.initializer === n)) && T.isObjectLiteralExpression(p.parent)) {
    const o = p.parent.parent;
    if (T.isBinaryExpression(o) && o.operatorToken.kind === T.SyntaxKind.EqualsToken && cjsExportTarget(o.left) === '') {
      return p.name && (T.isIdentifier(p.name) || T.isStringLiteral(p.name)) ? p.name.text : undefined;
    }
  }
  return undefined;
}

/** Is this identifier a reference to a binding (not a declaration name or a property name)? */
function isReference(id: ts.Identifier, p: ts.Node): boolean {
  switch (p.kind) {
    case T.SyntaxKind.PropertyAccessExpression:
      return (p as ts.PropertyAccessExpression).expression === id;
    case T.SyntaxKind.QualifiedName:
      return (p as ts.QualifiedName).left === id;
    case T.SyntaxKind.PropertyAssignment:
    case T.SyntaxKind.PropertyDeclaration:
    case T.SyntaxKind.PropertySignature:
    case T.SyntaxKind.MethodDeclaration:
    case T.SyntaxKind.MethodSignature:
    case T.SyntaxKind.GetAccessor:
    case T.SyntaxKind.SetAccessor:
    case T.SyntaxKind.EnumMember:
    case T.SyntaxKind.JsxAttribute:
    case T.SyntaxKind.VariableDeclaration:
    case T.SyntaxKind.Parameter:
    case T.SyntaxKind.FunctionDeclaration:
    case T.SyntaxKind.FunctionExpression:
    case T.SyntaxKind.ClassDeclaration:
    case T.SyntaxKind.ClassExpression:
    case T.SyntaxKind.InterfaceDeclaration:
    case T.SyntaxKind.TypeAliasDeclaration:
    case T.SyntaxKind.EnumDeclaration:
    case T.SyntaxKind.ModuleDeclaration:
    case T.SyntaxKind.TypeParameter:
    case T.SyntaxKind.ImportEqualsDeclaration:
      return (p as ts.NamedDeclaration).name !== id;
    case T.SyntaxKind.BindingElement: {
      const b = p as ts.BindingElement;
      return b.name !== id && b.propertyName !== id;
    }
    case T.SyntaxKind.ImportClause:
    case T.SyntaxKind.NamespaceImport:
    case T.SyntaxKind.ImportSpecifier:
    case T.SyntaxKind.NamespaceExport:
    case T.SyntaxKind.LabeledStatement:
    case T.SyntaxKind.BreakStatement:
    case T.SyntaxKind.ContinueStatement:
    case T.SyntaxKind.MetaProperty:
      return false;
    case T.SyntaxKind.ExportSpecifier: {
      const s = p as ts.ExportSpecifier;
      if (s.isTypeOnly || s.parent.parent.moduleSpecifier) return false;
      return (s.propertyName ?? s.name) === id;
    }
    default:
      return true;
  }
}

/** `process.env.X?.split(',')`: the code itself expects the variable to be missing sometimes. */
function optionalChained(read: ts.Expression): boolean {
  const p = read.parent;
  return (T.isPropertyAccessExpression(p) || T.isElementAccessExpression(p) || T.isCallExpression(p)) && p.expression === read && !!p.questionDotToken;
}

/**
 * Whether an env read has a fallback: `?? 'x'`, `|| 3000`, a default in destructuring, or a use
 * that tolerates absence (`if (process.env.X)`, `process.env.X === 'true'`, `X ? a : b`).
 */
export function defaultOf(read: ts.Expression): { has: boolean; value?: string; optional?: boolean } {
  let n: ts.Node = read;
  let p = n.parent;
  for (let i = 0; i < 6 && p; i++) {
    if (T.isParenthesizedExpression(p) || T.isAsExpression(p) || T.isNonNullExpression(p)) {
      n = p;
      p = p.parent;
      continue;
    }
    if (T.isCallExpression(p) && p.arguments[0] === n && T.isIdentifier(p.expression) && ['Number', 'parseInt', 'parseFloat', 'String', 'Boolean'].includes(p.expression.text)) {
      n = p;
      p = p.parent;
      continue;
    }
    break;
  }
  if (!p) return { has: false };
  if (T.isBinaryExpression(p) && p.left === n) {
    const op = p.operatorToken.kind;
    if (op === T.SyntaxKind.QuestionQuestionToken || op === T.SyntaxKind.BarBarToken) return { has: true, value: literalText(p.right) };
    if ([T.SyntaxKind.EqualsEqualsEqualsToken, T.SyntaxKind.EqualsEqualsToken, T.SyntaxKind.ExclamationEqualsEqualsToken, T.SyntaxKind.ExclamationEqualsToken, T.SyntaxKind.AmpersandAmpersandToken].includes(op)) {
      return { has: true, optional: true };
    }
  }
  // Presence checks: the code runs either way, the variable switches something on or off.
  const presence = { has: true, optional: true };
  if (T.isBinaryExpression(p) && p.right === n && [T.SyntaxKind.EqualsEqualsEqualsToken, T.SyntaxKind.ExclamationEqualsEqualsToken].includes(p.operatorToken.kind)) return presence;
  if (T.isPrefixUnaryExpression(p) && p.operator === T.SyntaxKind.ExclamationToken) return presence;
  if (T.isConditionalExpression(p) && p.condition === n) return presence;
  if (T.isIfStatement(p) && p.expression === n) return presence;
  return { has: false };
}
