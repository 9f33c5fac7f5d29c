import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAnsi, stripAnsi } from './ansi';

test('colours, bold and reset become styled segments', () => {
  const { segments, end } = parseAnsi('a\x1b[1;31mred\x1b[0m b \x1b[38;5;46mg\x1b[38;2;1;2;3mt');
  assert.deepEqual(segments.map((s) => s.text), ['a', 'red', ' b ', 'g', 't']);
  assert.deepEqual(segments[1]?.style, { bold: true, fg: '#cd3131' });
  assert.deepEqual(segments[2]?.style, {});
  assert.equal(segments[3]?.style.fg, 'rgb(0,255,0)');
  assert.equal(end.fg, 'rgb(1,2,3)');
});

test('style carries across lines and non-colour escapes are dropped', () => {
  const first = parseAnsi('\x1b[32mok');
  const second = parseAnsi('still\x1b[2K\x1b]0;title\x07 green', first.end);
  assert.deepEqual(second.segments.map((s) => s.text), ['still', ' green']);
  assert.equal(second.segments[1]?.style.fg, '#0dbc79');
  assert.equal(stripAnsi('\x1b[1mx\x1b[0m\x1b[?25l'), 'x');
});
