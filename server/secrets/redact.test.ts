import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shellQuote } from '../connectors/shell-quote';
import { createRedactor, createStreamRedactor, REDACTED } from './redact';

const pw = "pa'ss w$rd";

test('redacts the raw value, its shell-quoted form and its base64 forms', () => {
  const r = createRedactor([pw, 'other-secret']);
  const b64 = Buffer.from(pw).toString('base64');
  const b64nl = Buffer.from(`${pw}\n`).toString('base64');
  const out = r(`a ${pw} b ${shellQuote(pw)} c ${b64} d ${b64nl} e other-secret f`);
  assert.equal(out, `a ${REDACTED} b ${REDACTED} c ${REDACTED} d ${REDACTED} e ${REDACTED} f`);
  assert.equal(r('nothing here'), 'nothing here');
  assert.equal(createRedactor([])('x'), 'x');
  assert.equal(createRedactor([''])('x'), 'x');
});

test('regex metacharacters in a secret are matched literally', () => {
  const r = createRedactor(['a.b*c']);
  assert.equal(r('aXbbbc a.b*c'), `aXbbbc ${REDACTED}`);
});

test('each long line of a multi-line secret (a private key) is redacted on its own', () => {
  const key = '-----BEGIN KEY-----\nAAAAB3NzaC1yc2EAAAADAQABAAABAQC7\nQ2VydGlmaWNhdGUgYm9keSBsaW5lIHR3bw==\n-----END KEY-----\n';
  const out = createRedactor([key])('line: Q2VydGlmaWNhdGUgYm9keSBsaW5lIHR3bw== end');
  assert.equal(out, `line: ${REDACTED} end`);
});

function streamed(values: string[], text: string, size: number): string {
  const s = createStreamRedactor(values);
  let out = '';
  for (let i = 0; i < text.length; i += size) out += s.push(text.slice(i, i + size));
  return out + s.flush();
}

test('the stream redactor matches the one-shot redactor for every chunk size', () => {
  const values = [pw, 'tok3n-value-xyz', 'tok3n'];
  const text = `start ${pw}|${shellQuote(pw)}|tok3n-value-xyz|tok3n|${Buffer.from(pw).toString('base64')}|tok3n-value-x end ${pw}`;
  const expected = createRedactor(values)(text);
  assert.ok(!expected.includes('w$rd') && !expected.includes('tok3n|'));
  for (let size = 1; size <= text.length; size++) assert.equal(streamed(values, text, size), expected, `chunk size ${size}`);
});

test('a secret split across two chunks never appears in the output, even partially at the cut', () => {
  const s = createStreamRedactor(['hunter2-secret']);
  const first = s.push('sudo password is hunter2-se');
  assert.equal(first.includes('hunter'), false);
  const second = s.push('cret, done');
  assert.equal(first + second + s.flush(), `sudo password is ${REDACTED}, done`);
});

test('without secrets the stream passes chunks through unchanged', () => {
  const s = createStreamRedactor([]);
  assert.equal(s.push('abc'), 'abc');
  assert.equal(s.flush(), '');
});
