import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubeconfigCredentials } from '../services/clusters/kubeconfig';
import { createRedactor, REDACTED } from '../secrets/redact';

test('the credentials of a kubeconfig are found and redacted; its other lines are kept', () => {
  const kubeconfig = [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    '    certificate-authority-data: Q0EtREFUQQ==',
    '    server: https://198.51.100.11:6443',
    'users:',
    '- name: admin',
    '  user:',
    '    client-certificate-data: Q0VSVA==',
    '    client-key-data: S0VZLURBVEEtc2VjcmV0LTEyMzQ=',
    '- name: robot',
    '  user:',
    '    token: "abcdef.0123456789abcdef"',
    "    password: 'p@ss w0rd'",
    '    token: bare-token-with-$-and-\'',
    '',
  ].join('\n');
  assert.deepEqual(kubeconfigCredentials(kubeconfig), ['S0VZLURBVEEtc2VjcmV0LTEyMzQ=', 'abcdef.0123456789abcdef', 'p@ss w0rd', "bare-token-with-$-and-'"]);
  const redact = createRedactor(kubeconfigCredentials(kubeconfig));
  const out = redact(kubeconfig);
  assert.match(out, new RegExp(`client-key-data: \\${REDACTED}`));
  assert.ok(out.includes('client-certificate-data: Q0VSVA==') && out.includes('server: https://198.51.100.11:6443'));
  assert.ok(!out.includes('abcdef.0123456789abcdef') && !out.includes('p@ss w0rd') && !out.includes('bare-token'));
  assert.deepEqual(kubeconfigCredentials('apiVersion: v1\n'), []);
});
