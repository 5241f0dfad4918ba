import { ConfigError, DEFAULT_CONFIG, parseConfig } from '../../src/engine/config.js';

const known = new Set(['env/committed-dotenv', 'docs/missing-referenced-file']);

function errorOf(text: string): ConfigError {
  try {
    parseConfig(text, '.github/readiness.yml', known);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  test('an empty file is the default config', () => {
    expect(parseConfig('', 'c.yml', known)).toEqual(DEFAULT_CONFIG);
  });

  test('reads every key', () => {
    const cfg = parseConfig(
      'fail_on: high\nignore:\n  - "legacy/**"\nrules:\n  env/committed-dotenv: off\n  docs/missing-referenced-file: low\ncomment: always\ngate: new\nfail_on_error: true\n',
      'c.yml',
      known,
    );
    expect(cfg).toEqual({
      failOn: 'high',
      ignore: ['legacy/**'],
      rules: { 'env/committed-dotenv': 'off', 'docs/missing-referenced-file': 'low' },
      comment: 'always',
      gate: 'new',
      failOnError: true,
    });
  });

  test('an unknown key names the key and its line', () => {
    const e = errorOf('fail_on: high\nfail-on: low\n');
    expect(e.line).toBe(2);
    expect(e.message).toContain('unknown key "fail-on"');
  });

  test('a bad severity names the rule and the line', () => {
    const e = errorOf('rules:\n  env/committed-dotenv: urgent\n');
    expect(e.line).toBe(2);
    expect(e.message).toContain('rules.env/committed-dotenv');
  });

  test('an unknown rule id is rejected', () => {
    expect(errorOf('rules:\n  env/nope: off\n').message).toContain('unknown rule "env/nope"');
  });

  test('invalid YAML is a config error with a line', () => {
    const e = errorOf('fail_on: [high\n');
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toContain('not valid YAML');
  });

  test('an alias bomb is bounded, not expanded', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    expect(() => parseConfig(bomb.join('\n'), 'c.yml', known)).toThrow(ConfigError);
  });
});
