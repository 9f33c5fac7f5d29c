import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { fingerprintOf, fingerprintOfPublicKeyLine, normalizeFingerprint, sameFingerprint } from './known-hosts';

const run = promisify(execFile);

test('fingerprints match what ssh-keygen prints, for every key type', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kxms-fp-'));
  try {
    for (const type of ['ed25519', 'ecdsa', 'rsa']) {
      const key = join(dir, type);
      await run('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', key]);
      const { stdout } = await run('ssh-keygen', ['-lf', `${key}.pub`]);
      const line = await readFile(`${key}.pub`, 'utf8');
      assert.equal(fingerprintOfPublicKeyLine(line), stdout.split(' ')[1]);
      assert.equal(fingerprintOf(Buffer.from(line.split(' ')[1]!, 'base64')), stdout.split(' ')[1]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('normalize and compare fingerprints', () => {
  const fp = 'SHA256:QcJexlDHjuuUFrsFgili/I2r9KbEso/rtKsuUT5M64k';
  assert.equal(normalizeFingerprint(` ${fp} `), fp);
  assert.equal(normalizeFingerprint('sha256:QcJexlDHjuuUFrsFgili/I2r9KbEso/rtKsuUT5M64k='), fp);
  assert.equal(normalizeFingerprint('QcJexlDHjuuUFrsFgili/I2r9KbEso/rtKsuUT5M64k'), fp);
  assert.equal(normalizeFingerprint('MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48'), null);
  assert.equal(normalizeFingerprint(''), null);
  assert.ok(sameFingerprint(fp, 'QcJexlDHjuuUFrsFgili/I2r9KbEso/rtKsuUT5M64k='));
  assert.ok(!sameFingerprint(fp, 'SHA256:QcJexlDHjuuUFrsFgili/I2r9KbEso/rtKsuUT5M64K'));
  assert.ok(!sameFingerprint('garbage', 'garbage'));
  assert.throws(() => fingerprintOfPublicKeyLine('not a key'), TypeError);
});
