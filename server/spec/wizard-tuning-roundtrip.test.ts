import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { redactSpec } from '@/server/contracts/spec-secrets';
import { validateSpec } from '@/server/contracts/spec-validate';
import { exportKubeKey, importKubeKey } from './index';
import { emptyForm, emptyHost, fromPublicSpec, toSpecInput, type WizardForm } from '@/components/wizard/form-model';
import { hooksText, toHooks, toList, toNumber, withCalico, withCarried } from '@/components/wizard/tuning-model';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n';

function edited(): WizardForm {
  let f = emptyForm();
  f.name = 'tuned';
  f.hosts = [emptyHost({ name: 'n1', address: '10.0.0.1', roles: ['etcd', 'control-plane', 'worker'], useDefaults: false, privateKey: KEY })];
  // a field without an input, carried from an import
  f.carry = { kubernetes: { podPidsLimit: 4096 }, endpoint: {}, etcd: { heartbeatInterval: 250, electionTimeout: 2500 }, network: {}, registry: {} };
  f = withCarried(f, 'kubernetes', 'proxyMode', 'ipvs');
  f = withCarried(f, 'kubernetes', 'apiserverCertExtraSans', toList('api.example.com\n203.0.113.7'));
  f = withCarried(f, 'kubernetes', 'maxPods', toNumber('180'));
  f = withCarried(f, 'etcd', 'quotaBackendBytes', toNumber('8589934592'));
  f = withCarried(f, 'etcd', 'snapshotCount', toNumber('50000'));
  f = withCalico(f, 'ipipMode', 'Never');
  f = withCalico(f, 'vxlanMode', 'CrossSubnet');
  f = withCalico(f, 'vethMTU', toNumber('1400'));
  f = withCarried(f, 'system', 'ntpServers', toList('n1\nntp.example'));
  f = withCarried(f, 'system', 'timezone', 'Asia/Shanghai');
  return withCarried(f, 'system', 'preInstall', toHooks('mark: touch /tmp/marked\nnote: echo hi', undefined));
}

test('the tuning inputs set the spec; export writes them in KubeKey\'s shape and an import reads them back', () => {
  const checked = validateSpec(toSpecInput(edited()));
  assert.equal(checked.ok, true, JSON.stringify(checked.errors));
  if (!checked.ok) return;
  const yaml = exportKubeKey(redactSpec(checked.spec));
  const kk = parse(yaml).spec;
  assert.deepEqual([kk.kubernetes.proxyMode, kk.kubernetes.maxPods, kk.kubernetes.podPidsLimit], ['ipvs', 180, 4096]);
  assert.deepEqual(kk.kubernetes.apiserverCertExtraSans, ['api.example.com', '203.0.113.7']);
  assert.deepEqual([kk.etcd.quotaBackendBytes, kk.etcd.snapshotCount, kk.etcd.heartbeatInterval], [8589934592, 50000, 250]);
  assert.deepEqual(kk.network.calico, { ipipMode: 'Never', vxlanMode: 'CrossSubnet', vethMTU: 1400 });
  assert.deepEqual([kk.system.ntpServers, kk.system.timezone], [['n1', 'ntp.example'], 'Asia/Shanghai']);
  assert.deepEqual(kk.system.preInstall.map((h: { name: string; bash: string }) => [h.name, h.bash]), [['mark', 'touch /tmp/marked'], ['note', 'echo hi']]);

  const back = importKubeKey(yaml);
  assert.equal(back.ok, true, JSON.stringify(back.errors));
  const again = back.spec!;
  assert.equal(again.kubernetes.proxyMode, 'ipvs');
  assert.equal(again.kubernetes.maxPods, 180);
  assert.deepEqual(again.etcd.quotaBackendBytes, 8589934592);
  assert.deepEqual(again.network.calico, { ipipMode: 'Never', vxlanMode: 'CrossSubnet', vethMTU: 1400 });
  assert.equal(again.system?.timezone, 'Asia/Shanghai');
  // and into the form again: the same text in the inputs
  const form = fromPublicSpec(redactSpec(checked.spec));
  assert.equal(hooksText(form.carry?.system && (form.carry.system as { preInstall: unknown }).preInstall), 'mark: touch /tmp/marked\nnote: echo hi');
});

test('clearing an input removes the field; a bad number is named at its field; a renamed hook drops its materials', () => {
  let f = withCarried(edited(), 'kubernetes', 'maxPods', toNumber(''));
  assert.equal((f.carry?.kubernetes as Record<string, unknown>).maxPods, undefined);
  f = withCarried(f, 'etcd', 'snapshotCount', toNumber('12x'));
  const bad = validateSpec(toSpecInput(f));
  assert.equal(bad.ok, false);
  assert.ok(bad.errors.some((e) => e.path === 'etcd.snapshotCount'), JSON.stringify(bad.errors));
  const before = [{ name: 'mark', bash: 'sh m.sh', materials: [{ name: 'm.sh', content: 'x' }], role: 'worker' }];
  assert.deepEqual(toHooks('mark: sh m.sh --again', before)[0], { name: 'mark', bash: 'sh m.sh --again', materials: before[0]!.materials, role: 'worker' });
  assert.deepEqual(toHooks('renamed: sh m.sh', before)[0], { name: 'renamed', bash: 'sh m.sh' });
  const multi = [{ name: 'multi', bash: 'set -e\nmkdir -p /x\ntouch /x/y\n' }];
  assert.equal(hooksText(multi), 'multi: set -e; mkdir -p /x; touch /x/y');
  assert.deepEqual(toHooks(`${hooksText(multi)}\nadded: echo hi`, multi), [multi[0], { name: 'added', bash: 'echo hi' }], 'an untouched multi-line hook is kept exactly');
});
