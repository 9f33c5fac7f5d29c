import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cell, MAX_LOG_LINE } from './cell';
import { RunEmitter, type EngineEvent } from './events';
import { noopLogger } from './runtime';

function cell() {
  const emitter = new RunEmitter('1', noopLogger);
  const lines: string[] = [];
  emitter.on((e: EngineEvent) => void (e.type === 'log' && lines.push(e.text)));
  const c = new Cell(emitter, { moduleId: '0', taskId: '0.0', stepId: '0.0.0' }, 's', 'h1');
  c.start();
  return { c, lines };
}

test('output split across chunks becomes whole lines; the last partial line is flushed at the end', () => {
  const { c, lines } = cell();
  c.log('a', 'stdout');
  c.log('b\nc\n\nd', 'stdout');
  assert.deepEqual(lines, ['ab', 'c', '']);
  c.finish('succeeded');
  assert.deepEqual(lines, ['ab', 'c', '', 'd']);
});

test('a line longer than MAX_LOG_LINE is cut, says how much was dropped, and the next line is whole', () => {
  const { c, lines } = cell();
  const chunk = 'x'.repeat(64 * 1024);
  const chunks = Math.ceil((MAX_LOG_LINE * 1.5) / chunk.length);
  for (let i = 0; i < chunks; i++) c.log(chunk, 'stderr');
  c.log('tail\nnext line\n', 'stderr');
  const dropped = chunks * chunk.length + 'tail'.length - MAX_LOG_LINE;
  assert.equal(lines.length, 2);
  assert.equal(lines[0], `${'x'.repeat(MAX_LOG_LINE)} [kubexms: line cut at ${MAX_LOG_LINE} characters, ${dropped} more dropped]`);
  assert.equal(lines[1], 'next line');
});
