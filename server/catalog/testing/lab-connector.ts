import type { Connector, ExecOptions, ExecResult, UploadOptions, UploadResult } from '../../connectors/connector';
import { ConnectorError } from '../../connectors/connector';
import { LocalConnector } from '../../connectors/local';
import { sh } from '../../connectors/shell-quote';
import type { ConnectorFactory } from '../../engine';
import { sha256Hex } from '../common/files';
import type { SpecHost } from '../common/types';
import { labControl } from '../../../e2e/hosts/fixture';

// Stopgap until server/connectors/ssh.ts lands: OpenSSH as root with the lab key, host keys checked against the lab's known_hosts.
class LabCliConnector implements Connector {
  readonly #local = new LocalConnector();
  constructor(readonly target: string) {}

  #ssh(remote: string): string {
    const { key, knownHosts } = labControl.paths();
    return sh`ssh -F /dev/null -i ${key} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${knownHosts} -o ConnectTimeout=5 -- ${`root@${this.target}`} ${remote}`;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const res = await this.#local.exec(this.#ssh(command), { ...options, sudo: false });
    if (res.exitCode === 255) throw new ConnectorError('unreachable', `ssh to ${this.target} failed: ${res.stderr.trim()}`, { exitCode: 255, stderrTail: res.stderr });
    return res;
  }

  async upload(source: Buffer | string | { path: string }, remotePath: string, options: UploadOptions = {}): Promise<UploadResult> {
    if (typeof source === 'object' && !Buffer.isBuffer(source)) throw new Error('LabCliConnector uploads buffers only');
    const data = Buffer.isBuffer(source) ? source : Buffer.from(source);
    const sha256 = sha256Hex(data);
    const mode = (options.mode ?? 0o644).toString(8);
    const tmp = `${remotePath}.kxms-upload`;
    const cmd = sh`cat > ${tmp} && install -m ${mode} -- ${tmp} ${remotePath}; rc=$?; rm -f -- ${tmp}; exit $rc`;
    const res = await this.exec(cmd, { stdin: data, signal: options.signal });
    if (res.exitCode !== 0) throw new ConnectorError('command', `upload to ${remotePath} failed: ${res.stderr.trim()}`, { exitCode: res.exitCode });
    return { skipped: false, sha256, bytes: data.length };
  }

  async download(remotePath: string, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
    const res = await this.exec(sh`cat -- ${remotePath}`, { signal: options.signal });
    if (res.exitCode !== 0) throw new ConnectorError('command', `cannot read ${remotePath}: ${res.stderr.trim()}`);
    return Buffer.from(res.stdout);
  }

  async close(): Promise<void> {}
}

export function labConnectorFactory(): ConnectorFactory<SpecHost> {
  return (host) => new LabCliConnector(host.address);
}
