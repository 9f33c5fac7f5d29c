import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import { linkSignals } from './linked-signal';
import { ConnectorError } from './connector';
import type { ConnectProgress, Connector, ExecOptions, ExecResult, UploadOptions, UploadResult } from './connector';
import { isPosixShell, killCommand, killTaggedCommand, runOnChannel } from './ssh-channel';
import type { ChannelIo, RawResult, RunRequest, SudoMode } from './ssh-channel';
import { connectSsh } from './ssh-connect';
import type { SshConnection } from './ssh-connect';
import { lostError } from './ssh-errors';
import { downloadFile, uploadFile } from './ssh-files';
import type { FileOps } from './ssh-files';
import { Slots } from './ssh-slots';
import { address, describeTarget, isRootUser, settings } from './ssh-target';
import type { SshTarget } from './ssh-target';

const cancelled = () => new ConnectorError('cancelled', 'cancelled');
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function raceSignal<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** One SSH connection per host, opened on first use and shared by every command; a channel per command. */
export class SshConnector implements Connector {
  readonly target: string;
  private pending: Promise<SshConnection> | null = null;
  private readonly slots: Slots;
  private readonly killSlots = new Slots(1);
  private readonly life = new AbortController();
  private closed = false;
  private readonly inflight = new Set<Promise<unknown>>();
  /** connections whose login shell is a POSIX sh: commands without sudo run there directly (see directCommand) */
  private readonly posixLogin = new WeakSet<SshConnection>();
  private readonly tagPrefix = randomBytes(4).toString('hex');
  private tags = 0;
  private readonly connectWatchers = new Set<(progress: ConnectProgress | null) => void>();
  private progress: ConnectProgress | null = null;
  /** the connection once open (the fast path of every later command), until it is lost or closed */
  private ready: SshConnection | null = null;
  private readonly ios = new WeakMap<SshConnection, ChannelIo>();

  /** `connection` is for probeHost, which has already connected (accepting the key it is about to report). */
  constructor(
    private readonly ssh: SshTarget,
    internal: { connection?: SshConnection } = {},
  ) {
    this.target = describeTarget(ssh);
    this.slots = new Slots(settings(ssh).maxChannels);
    // every running or queued command listens to it: no "possible leak" warning past 10
    setMaxListeners(0, this.life.signal);
    if (internal.connection) {
      this.ready = internal.connection;
      this.pending = Promise.resolve(this.track(internal.connection));
    }
  }

  private track(connection: SshConnection): SshConnection {
    connection.onLost(() => {
      if (this.ready === connection) this.ready = null;
      void this.pending?.then((c) => {
        if (c === connection) this.pending = null;
      });
    });
    return connection;
  }

  onConnecting(listener: (progress: ConnectProgress | null) => void): () => void {
    this.connectWatchers.add(listener);
    if (this.progress) listener(this.progress);
    return () => this.connectWatchers.delete(listener);
  }

  private report(progress: ConnectProgress | null) {
    this.progress = progress;
    for (const watcher of [...this.connectWatchers]) watcher(progress);
  }

  private connection(signal?: AbortSignal): Promise<SshConnection> {
    if (this.closed) return Promise.reject(new ConnectorError('cancelled', `the connection to ${this.target} was closed`));
    if (!this.pending) {
      const p = connectSsh(this.ssh, { signal: this.life.signal, onAttempt: (a) => this.report(a) }).then((c) => {
        this.report(null);
        if (this.pending === p) this.ready = c;
        return this.track(c);
      });
      p.catch(() => {
        this.progress = null;
        if (this.pending === p) this.pending = null;
      });
      this.pending = p;
    }
    return raceSignal(this.pending, signal);
  }

  /** The open connection, or a new one (the caller's signal and close() both end the wait). */
  private async connected(signal?: AbortSignal): Promise<SshConnection> {
    const ready = this.ready;
    if (ready && !ready.closed && !this.closed) return ready;
    const linked = linkSignals(signal, this.life.signal);
    try {
      return await this.connection(linked.signal);
    } finally {
      linked.dispose();
    }
  }

  private async openChannel(conn: SshConnection, command: string, attach: (ch: ClientChannel) => void, signal: AbortSignal | undefined, slots: Slots): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      // kill commands (own slots) must still start while close() stops the others
      const release = await slots.acquire(signal, slots === this.slots ? this.life.signal : undefined);
      try {
        await new Promise<void>((resolve, reject) =>
          conn.client.exec(command, (err, channel) => {
            if (err) return reject(err);
            channel.once('close', release);
            attach(channel);
            resolve();
          }),
        );
        return;
      } catch (e) {
        release();
        const msg = (e as Error).message;
        if (conn.closed) throw lostError(this.ssh, msg);
        if (attempt >= 4 || !/open failed|open failure/i.test(msg)) throw new ConnectorError('unreachable', `cannot open an SSH channel on ${this.target}: ${msg}`, { cause: e });
        await delay(100 * (attempt + 1));
      }
    }
  }

  /** The channel operations of one connection; made once per connection, commands pass their own signal. */
  private io(conn: SshConnection, slots = this.slots): ChannelIo {
    const cached = slots === this.slots ? this.ios.get(conn) : undefined;
    if (cached) return cached;
    const io: ChannelIo = {
      open: (command, attach, signal) => this.openChannel(conn, command, attach, signal, slots),
      onLost: (listener) => conn.onLost(listener),
      killSession: (sid, sudo) => this.killSession(conn, sid, sudo),
      killTagged: (tag) => this.killTagged(conn, tag),
      onLoginShell: (shell) => {
        if (isPosixShell(shell)) this.posixLogin.add(conn);
      },
      where: address(this.ssh),
      username: this.ssh.username,
    };
    if (slots === this.slots) this.ios.set(conn, io);
    return io;
  }

  private async killSession(conn: SshConnection, sid: number, sudo: SudoMode): Promise<void> {
    await runOnChannel(this.io(conn, this.killSlots), { command: killCommand(sid), sudo, timeoutMs: 15_000 });
  }

  private async killTagged(conn: SshConnection, tag: string): Promise<void> {
    await runOnChannel(this.io(conn, this.killSlots), { command: killTaggedCommand(tag), sudo: { kind: 'none' }, tag: this.nextTag(), timeoutMs: 15_000 });
  }

  private nextTag(): string {
    this.tags += 1;
    return `${this.tagPrefix}.${this.tags}.`;
  }

  private sudoMode(sudo: boolean | undefined): SudoMode {
    if (!sudo || isRootUser(this.ssh)) return { kind: 'none' };
    return this.ssh.sudoPassword !== undefined ? { kind: 'password', password: this.ssh.sudoPassword } : { kind: 'nopass' };
  }

  /** the caller's signal, also aborted by close(): closing must not leave commands running on the host */
  private signalFor(signal?: AbortSignal) {
    return linkSignals(signal, this.life.signal);
  }

  // The per-command hot path: no linked signal (the command listens to the caller's and the connector's own), the
  // connection taken as is once open.
  private async run(command: string, options: ExecOptions): Promise<RawResult> {
    const conn = await this.connected(options.signal);
    const sudo = this.sudoMode(options.sudo);
    const { stdin, signal, timeoutMs, onStdout, onStderr } = options;
    const req: RunRequest = { command, sudo, stdin, signal, stopSignal: this.life.signal, timeoutMs, onStdout, onStderr };
    if (sudo.kind === 'none' && this.posixLogin.has(conn)) req.tag = this.nextTag();
    const running = runOnChannel(this.io(conn), req);
    this.inflight.add(running);
    running.then(
      () => this.inflight.delete(running),
      () => this.inflight.delete(running),
    );
    return running;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const res = await this.run(command, options);
    return { exitCode: res.exitCode, signal: res.signal, stdout: res.stdout.toString('utf8'), stderr: res.stderr };
  }

  private async withSftp<T>(fn: (sftp: SFTPWrapper) => Promise<T>, callerSignal?: AbortSignal): Promise<T> {
    const { signal, dispose } = this.signalFor(callerSignal);
    try {
      return await this.sftpSession(fn, signal);
    } finally {
      dispose();
    }
  }

  private async sftpSession<T>(fn: (sftp: SFTPWrapper) => Promise<T>, signal: AbortSignal): Promise<T> {
    const conn = await this.connection(signal);
    const release = await this.slots.acquire(signal);
    try {
      const sftp = await new Promise<SFTPWrapper>((resolve, reject) => conn.client.sftp((err, s) => (err ? reject(err) : resolve(s)))).catch((e: Error) => {
        throw conn.closed ? lostError(this.ssh, e.message) : new ConnectorError('unreachable', `cannot start SFTP on ${this.target}: ${e.message}`, { cause: e });
      });
      const onAbort = () => sftp.end();
      signal?.addEventListener('abort', onAbort, { once: true });
      const onLost = conn.onLost(() => sftp.end());
      try {
        return await fn(sftp);
      } catch (e) {
        if (signal?.aborted) throw new ConnectorError('cancelled', 'transfer cancelled');
        if (conn.closed) throw lostError(this.ssh, (e as Error).message);
        throw e;
      } finally {
        signal?.removeEventListener('abort', onAbort);
        onLost();
        sftp.end();
      }
    } finally {
      release();
    }
  }

  private fileOps(): FileOps {
    return {
      run: (command, options) => this.run(command, options),
      withSftp: (fn, signal) => this.withSftp(fn, signal),
      where: address(this.ssh),
      isRoot: isRootUser(this.ssh),
    };
  }

  upload(source: Buffer | string | { path: string }, remotePath: string, options: UploadOptions = {}): Promise<UploadResult> {
    return uploadFile(this.fileOps(), source, remotePath, options);
  }

  download(remotePath: string, options: { signal?: AbortSignal; sudo?: boolean } = {}): Promise<Buffer> {
    return downloadFile(this.fileOps(), remotePath, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ready = null;
    this.life.abort();
    await Promise.race([Promise.allSettled([...this.inflight]), delay(10_000)]);
    const pending = this.pending;
    this.pending = null;
    const conn = await pending?.catch(() => null);
    conn?.close();
  }
}
