import assert from 'node:assert/strict';
import { test } from 'node:test';
import { osFamily, parseOsRelease } from './os-release';
import { parseUnitShow } from './systemd';
import { allowOnExistingNodes, isAllowedOnExistingNodes } from './add-nodes';

test('parseOsRelease reads quoted, single-quoted and bare values and ignores comments', () => {
  const os = parseOsRelease(
    ['# comment', 'PRETTY_NAME="Ubuntu 22.04.4 LTS"', 'NAME="Ubuntu"', 'VERSION_ID="22.04"', 'ID=ubuntu', 'ID_LIKE=debian', "VERSION_CODENAME='jammy'", 'BAD LINE'].join('\n'),
  );
  assert.deepEqual(os, { id: 'ubuntu', idLike: ['debian'], versionId: '22.04', prettyName: 'Ubuntu 22.04.4 LTS', versionCodename: 'jammy' });
  assert.equal(osFamily(os), 'debian');
});

test('parseOsRelease unescapes and handles Rocky and a missing VERSION_ID', () => {
  const rocky = parseOsRelease('NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky \\"Blue\\" Onyx"\n');
  assert.equal(rocky.id, 'rocky');
  assert.deepEqual(rocky.idLike, ['rhel', 'centos', 'fedora']);
  assert.equal(rocky.versionId, '9.3');
  assert.equal(rocky.prettyName, 'Rocky "Blue" Onyx');
  assert.equal(osFamily(rocky), 'rhel');
  const sid = parseOsRelease('PRETTY_NAME="Debian GNU/Linux trixie/sid"\nID=debian\n');
  assert.equal(sid.versionId, '');
  assert.equal(osFamily(parseOsRelease('ID=arch\n')), 'other');
  assert.equal(parseOsRelease('').id, 'linux');
});

test('parseUnitShow maps systemctl show output', () => {
  assert.deepEqual(parseUnitShow('LoadState=loaded\nActiveState=active\nUnitFileState=enabled\n'), {
    loaded: true, active: true, enabled: true, activeState: 'active', unitFileState: 'enabled',
  });
  const missing = parseUnitShow('LoadState=not-found\nActiveState=inactive\nUnitFileState=\n');
  assert.equal(missing.loaded, false);
  assert.equal(missing.active, false);
  assert.equal(missing.enabled, false);
  assert.equal(parseUnitShow('LoadState=loaded\nActiveState=failed\nUnitFileState=disabled').active, false);
});

test('allowOnExistingNodes marks exactly the tasks given', () => {
  const a = allowOnExistingNodes({ name: 'token', steps: [] });
  assert.equal(isAllowedOnExistingNodes(a), true);
  assert.equal(isAllowedOnExistingNodes({ name: 'token', steps: [] }), false);
});
