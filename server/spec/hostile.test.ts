import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { importKubeKey, validateSpec } from './index';
import { hostileSpecCases } from './fixtures/hostile/cases';
import { type Loose, validDraft } from './fixtures/valid-spec';

const dir = new URL('./fixtures/hostile/', import.meta.url);
const get = (o: unknown, path: string) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

describe('hostile corpus', () => {
  const cases = hostileSpecCases();
  it('has at least 50 spec cases and 25 YAML files', () => {
    assert.ok(cases.length >= 50);
    assert.ok(readdirSync(dir).filter((f) => f.endsWith('.yaml')).length >= 25);
  });

  it('rejects each hostile spec at its field or carries the value unchanged', () => {
    for (const c of cases) {
      const r = validateSpec(c.spec);
      if (c.expect === 'reject') {
        assert.equal(r.ok, false, `${c.id} was accepted`);
        assert.ok(r.errors.some((e) => e.path === c.field), `${c.id}: no error at ${c.field}: ${JSON.stringify(r.errors).slice(0, 300)}`);
      } else {
        assert.equal(r.ok, true, `${c.id}: ${JSON.stringify(r.errors).slice(0, 300)}`);
        assert.equal(get(r.spec, c.field), c.value, `${c.id} changed`);
      }
    }
  });

  it('drops __proto__ keys without touching prototypes', () => {
    const spec = validDraft() as Loose;
    spec.hosts[0].labels = JSON.parse('{"__proto__": {"polluted": "1"}, "a": "b"}');
    const r = validateSpec(spec);
    assert.ok(r.ok);
    assert.deepEqual(Object.keys(r.spec.hosts[0]!.labels), ['a']);
    assert.equal(Object.getPrototypeOf(r.spec.hosts[0]!.labels), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    it(`YAML ${file}`, () => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const [, verdict, where, value] = /^# expect: (reject|carry)(?: (\S+))?(?: (.+))?$/m.exec(text) ?? [];
      assert.ok(verdict, 'fixture needs an "# expect:" header');
      const r = importKubeKey(text);
      if (verdict === 'reject') {
        assert.equal(r.ok, false, 'accepted');
        assert.ok(r.errors.length > 0);
        if (where) assert.ok(r.errors.some((e) => e.source === where), `no error at ${where}: ${JSON.stringify(r.errors).slice(0, 400)}`);
        assert.ok(r.errors.every((e) => e.source === '' || e.line !== undefined), 'error without a line');
      } else {
        assert.equal(r.ok, true, JSON.stringify(r.errors));
        assert.equal(get(r.spec, where!), JSON.parse(value!));
      }
    });
  }
});
