import { pyNamesExtractor } from '../../../src/model/python/bindings.js';
import { extract } from './helpers.js';

const undefinedNames = async (src: string) =>
  (await extract(pyNamesExtractor, src)).undefinedNames.map((u) => `${u.name}:${u.line}:${u.reason}`);

describe('undefined-name analysis', () => {
  test('reports a name bound nowhere', async () => {
    expect(await undefinedNames('def f():\n    return os.getenv("X")\n')).toEqual(['os:2:unbound']);
  });
  test('a module binding after the function counts', async () => {
    expect(await undefinedNames('def f():\n    return os.getenv("X")\nimport os\n')).toEqual([]);
  });
  test('import only under __main__ is main-only', async () => {
    expect(await undefinedNames('def f():\n    return os.getenv("X")\nif __name__ == "__main__":\n    import os\n    f()\n')).toEqual(['os:2:main-only']);
  });
  test('comprehension variables, lambda params, walrus, except-as, with-as', async () => {
    const src = [
      'xs = [y * 2 for y in range(3) if y]',
      'd = {k: v for k, v in {}.items()}',
      'g = (a for a in xs for b in a)',
      'f = lambda q, *r, s=1, **t: (q, r, s, t)',
      'if (n := 10) > 5: print(n)',
      'try:\n    pass\nexcept Exception as e:\n    print(e)',
      'with open("x") as (fh, other):\n    fh.read()',
      'def h(a, /, b: int = 2, *args, c, **kw) -> None:\n    return [a, b, args, c, kw, [z for z in args if (w := z)], w]',
    ].join('\n');
    expect(await undefinedNames(src)).toEqual([]);
  });
  test('class scope is not visible from methods or nested comprehensions', async () => {
    const src = 'class A:\n    X = 1\n    Y = X + 1\n    def m(self):\n        return X\n    Z = [X for _ in range(3)]\n    W = [i for i in range(X)]\n';
    expect(await undefinedNames(src)).toEqual(['X:5:unbound', 'X:6:unbound']);
  });
  test('star import, globals() and exec make names unknown', async () => {
    expect(await undefinedNames('from x import *\nprint(foo)\n')).toEqual([]);
    expect(await undefinedNames('globals()["foo"] = 1\nprint(foo)\n')).toEqual([]);
    expect(await undefinedNames('def f():\n    exec("a = 1")\n    return a\n')).toEqual([]);
  });
  test('global declarations bind module names', async () => {
    expect(await undefinedNames('def init():\n    global CLIENT\n    CLIENT = 1\ndef use():\n    return CLIENT\n')).toEqual([]);
  });
  test('try/except NameError guards a use', async () => {
    expect(await undefinedNames('try:\n    unicode\nexcept NameError:\n    unicode = str\n')).toEqual([]);
    expect(await undefinedNames('try:\n    x = long_name\nexcept NameError:\n    x = 1\n')).toEqual([]);
  });
  test('conditional definitions and TYPE_CHECKING imports count', async () => {
    const src = 'from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from a import B\nif X := 1:\n    def g(): pass\ndef f(b: "B") -> None:\n    g()\n';
    expect(await undefinedNames(src)).toEqual([]);
  });
  test('match patterns bind; class pattern names are uses', async () => {
    const src = 'def f(p):\n    match p:\n        case Point(x=0, y=yy) | [1, *rest] as whole:\n            return yy, rest, whole\n        case {"k": vv, **others}:\n            return vv, others\n';
    expect(await undefinedNames(src)).toEqual(['Point:3:unbound']);
  });
  test('future annotations skip annotation names', async () => {
    expect(await undefinedNames('from __future__ import annotations\ndef f(x: Missing) -> Other:\n    pass\n')).toEqual([]);
    expect(await undefinedNames('def f(x: Missing):\n    pass\n')).toEqual(['Missing:1:unbound']);
  });
  test('f-strings, decorators, defaults and keyword names', async () => {
    expect(await undefinedNames('@deco\ndef f(a=dflt):\n    return f"{a!r:>{width}}", dict(key=1)\n')).toEqual(['deco:1:unbound', 'dflt:2:unbound', 'width:3:unbound']);
  });
  test('python 2 files and syntax errors are skipped', async () => {
    expect(await undefinedNames('print "hi"\nfoo()\n')).toEqual([]);
    expect(await undefinedNames('def f(:\n  foo()\n')).toEqual([]);
  });
  test('PEP 695 type parameters', async () => {
    expect(await undefinedNames('def f[T](x: T) -> T:\n    return x\nclass C[K]:\n    pass\ntype Alias[V] = list[V]\n')).toEqual([]);
  });
  test('a generator as the only call argument', async () => {
    expect(await undefinedNames('total = sum(x * 2 for x in range(3))\nany(k for k, v in {}.items() if v)\n')).toEqual([]);
  });
  test('typed *args and **kwargs', async () => {
    expect(await undefinedNames('def f(*args: int, **kwargs: str) -> None:\n    return args, kwargs\n')).toEqual([]);
  });
  test('nonlocal and nested functions', async () => {
    expect(await undefinedNames('def outer():\n    n = 0\n    def inner():\n        nonlocal n\n        n += 1\n        return n\n    return inner\n')).toEqual([]);
  });
});

describe('top-level bindings and refs', () => {
  test('kinds, decorators, __all__, __getattr__', async () => {
    const src = 'import os.path\nfrom .cfg import get as g\n@lru_cache\ndef settings(): pass\nclass A: pass\nX = 1\n__all__ = ["A", "X"]\ndef __getattr__(n): pass\n';
    const r = await extract(pyNamesExtractor, src);
    expect(r.bindings.os?.[0]).toMatchObject({ kind: 'import', import: { module: 'os' } });
    expect(r.bindings.g?.[0]).toMatchObject({ kind: 'import', import: { module: 'cfg', level: 1, name: 'get' } });
    expect(r.bindings.settings?.[0]).toMatchObject({ kind: 'def', decorators: ['lru_cache'] });
    expect(r.all).toEqual(['A', 'X']);
    expect(r.hasGetattr).toBe(true);
  });
  test('refs carry attribute chains and call keywords', async () => {
    const src = 'import numpy as np\nfrom urllib3.util.retry import Retry\ndef f():\n    a = np.float_\n    r = Retry(total=3, method_whitelist=["GET"])\n';
    const r = await extract(pyNamesExtractor, src);
    expect(r.refs).toEqual(
      expect.arrayContaining([
        { name: 'np', attrs: ['float_'], line: 4 },
        { name: 'Retry', attrs: [], line: 5, call: { kwargs: ['total', 'method_whitelist'], args: 0, decorator: false } },
      ]),
    );
  });
  test('a local shadowing an import is not a ref', async () => {
    const r = await extract(pyNamesExtractor, 'from config import settings\ndef f():\n    settings = load()\n    return settings.X\n');
    expect(r.refs.filter((x) => x.name === 'settings')).toEqual([]);
  });
});
