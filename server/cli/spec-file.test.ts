import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { CliError } from './errors';
import { loadSpecFile } from './spec-file';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubexms-cli-spec-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
const keyFile = path.join(dir, 'id_test');
fs.writeFileSync(keyFile, KEY, { mode: 0o600 });

function write(name: string, hosts: string, extra = ''): string {
  const file = path.join(dir, name);
  const text = `apiVersion: kubekey.kubesphere.io/v1alpha2
kind: Cluster
metadata:
  name: demo
spec:
  hosts:
${hosts}
  roleGroups:
    etcd: [node1]
    control-plane: [node1]
    worker: ["node[1:3]"]
  kubernetes:
    version: v1.31.4
${extra}`;
  fs.writeFileSync(file, text);
  return file;
}

test('a KubeKey file with a host range: the key of privateKeyPath is read, the password kept, the range expanded', () => {
  const file = write(
    'ok.yaml',
    [
      `  - {name: node1, address: 10.0.0.1, user: root, privateKeyPath: "${keyFile}"}`,
      '  - {name: node2, address: 10.0.0.2, user: ops, password: "s3cret"}',
      `  - {name: node3, address: 10.0.0.3, privateKeyPath: "${keyFile}"}`,
    ].join('\n'),
  );
  const s = loadSpecFile(file);
  assert.deepEqual(s.unresolved, []);
  assert.equal(s.keysRead.length, 2);
  const [n1, n2, n3] = s.spec.hosts;
  assert.deepEqual(n1?.auth, { type: 'key', privateKey: KEY });
  assert.deepEqual(n2?.auth, { type: 'password', password: 's3cret' });
  assert.equal(n2?.sudoPassword, 's3cret');
  assert.deepEqual(n3?.roles, ['worker']);
  assert.deepEqual(n1?.roles.sort(), ['control-plane', 'etcd', 'worker']);
});

test('an unreadable privateKeyPath is reported with file, line and field, not thrown: a stored key may cover it', () => {
  const file = write('nokey.yaml', ['  - {name: node1, address: 10.0.0.1, privateKeyPath: "/nonexistent/id_rsa"}', '  - {name: node2, address: 10.0.0.2, password: x}', '  - {name: node3, address: 10.0.0.3, password: x}'].join('\n'));
  const s = loadSpecFile(file);
  assert.equal(s.unresolved.length, 1);
  assert.equal(s.unresolved[0]?.required, true);
  assert.equal(s.unresolved[0]?.problem, `${file}:7: hosts.node1.privateKeyPath: cannot read /nonexistent/id_rsa: ENOENT`);
});

test('spec errors: exit 2 with file:line:col and the KubeKey field of each', () => {
  const file = write('bad.yaml', ['  - {name: node1, address: 10.0.0.1, port: 70000, password: x}', '  - {name: node2, address: 10.0.0.2, password: x}', '  - {name: node3, address: 10.0.0.3, password: x}'].join('\n'), '  network:\n    plugin: cilium\n');
  assert.throws(
    () => loadSpecFile(file),
    (err: unknown) => {
      assert.ok(err instanceof CliError);
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /2 errors; nothing was saved or run/);
      assert.deepEqual(err.details, [`${file}:7:44: spec.hosts[0].port: must be between 1 and 65535`, `${file}:17:13: spec.network.plugin: must be one of: calico, flannel`]);
      return true;
    },
  );
});

test('malformed YAML and a missing file are bad input too', () => {
  const file = path.join(dir, 'broken.yaml');
  fs.writeFileSync(file, 'apiVersion: x\nspec:\n  hosts: [\n');
  assert.throws(() => loadSpecFile(file), (err: unknown) => err instanceof CliError && err.exitCode === 2 && err.details.some((d) => d.startsWith(`${file}:`)));
  assert.throws(() => loadSpecFile(path.join(dir, 'absent.yaml')), (err: unknown) => err instanceof CliError && err.exitCode === 2 && /ENOENT/.test(err.message));
});
