import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { raw, sh, shellQuote } from './shell-quote';

const PIECES: (string | number[])[] = [
  "'", '"', '$(', ')', '`', '\n', '\r', '\t', ' ', '\\', '$', '${HOME}', '$((1+1))', '-', '--', '-n', '-e', '%s', '%b',
  '*', '?', '~', '!', '{', '}', ';', '&', '|', '<', '>', '#', '=', 'a', 'Z', '0', 'é', '日本', '😀', "'\\''",
  [0x80], [0xff], [0xfe, 0xfe], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0xe2, 0x82],
];

function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

function randomValue(rand: (n: number) => number): Buffer {
  const parts: Buffer[] = [];
  const count = rand(12);
  for (let i = 0; i < count; i++) {
    if (rand(6) === 0) {
      parts.push(Buffer.from([1 + rand(255)]));
      continue;
    }
    const piece = PIECES[rand(PIECES.length)]!;
    parts.push(typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece));
  }
  return Buffer.concat(parts);
}

function roundTrip(shell: string, values: (string | Buffer)[]): Buffer[] {
  const script = values.map((v) => `printf %s ${shellQuote(v)}; printf '\\000'`).join('\n');
  const res = spawnSync(shell, ['-c', script], { maxBuffer: 64 * 1024 * 1024 });
  assert.equal(res.status, 0, `${shell} failed: ${res.stderr}`);
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < res.stdout.length; i++) {
    if (res.stdout[i] === 0) {
      out.push(res.stdout.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

function fuzz(shell: string, seed: number, total: number) {
  const rand = prng(seed);
  const values = Array.from({ length: total }, () => randomValue(rand));
  values.push(Buffer.from(''), Buffer.from('-n'), Buffer.from('--'), Buffer.from('\n\n'), Buffer.from([0xff, 0x0a, 0x0a]));
  let batch: Buffer[] = [];
  let size = 0;
  const check = () => {
    const got = roundTrip(shell, batch);
    assert.equal(got.length, batch.length);
    batch.forEach((v, i) => assert.deepEqual(got[i], v, `seed ${seed}: ${JSON.stringify(v.toString('latin1'))} → ${shellQuote(v)}`));
    batch = [];
    size = 0;
  };
  for (const v of values) {
    batch.push(v);
    size += shellQuote(v).length + 30;
    if (size > 60_000) check();
  }
  if (batch.length > 0) check();
}

test('shellQuote fuzz: 5000 random byte strings come back byte for byte through sh -c printf', () => {
  fuzz('sh', 20240611, 5000);
});

test('shellQuote fuzz through bash as well', () => {
  fuzz('/bin/bash', 7, 1500);
});

test('shellQuote on strings: quotes, substitutions and unicode survive', () => {
  const values = ["it's", '$(rm -rf /)', '`id`', 'a\nb\n', '-rf', '', '日本 😀', "'''", '\\\\'];
  const got = roundTrip('sh', values);
  assert.deepEqual(got.map((b) => b.toString('utf8')), values);
});

test('shellQuote refuses NUL bytes and lone surrogates', () => {
  assert.throws(() => shellQuote('a\0b'), TypeError);
  assert.throws(() => shellQuote(Buffer.from([0x61, 0, 0x62])), TypeError);
  assert.throws(() => shellQuote('\ud800x'), TypeError);
});

test('sh quotes every value, joins arrays, passes raw fragments through', () => {
  const file = "my file's.txt";
  const cmd = sh`printf '%s|' ${['a b', '$x']} ${file} ${3}${raw(' && printf done')}`;
  assert.equal(cmd, `printf '%s|' 'a b' '$x' 'my file'\\''s.txt' '3' && printf done`);
  const res = spawnSync('sh', ['-c', cmd]);
  assert.equal(res.stdout.toString(), `a b|$x|my file's.txt|3|done`);
  assert.equal(sh`ls ${[]}`, 'ls ');
});

test('sh refuses values that would print as garbage', () => {
  assert.throws(() => sh`echo ${undefined}`, TypeError);
  assert.throws(() => sh`echo ${null}`, TypeError);
  assert.throws(() => sh`echo ${{ a: 1 }}`, TypeError);
  assert.throws(() => sh`echo ${true}`, TypeError);
  assert.throws(() => sh`echo ${Number.NaN}`, TypeError);
});
