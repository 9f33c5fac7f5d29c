import type { ClientChannel } from 'ssh2';
import { ConnectorError } from './connector';
import { tailLines } from './ssh-errors';
import { sh } from './shell-quote';

export type SudoMode = { kind: 'none' } | { kind: 'nopass' } | { kind: 'password'; password: string };

export type ChannelIo = {
  /** `attach` runs synchronously when the channel opens: ssh2 emits 'exit' only once, possibly in the same tick */
  open(command: string, attach: (channel: ClientChannel) => void, signal?: AbortSignal): Promise<void>;
  onLost(listener: (error: ConnectorError) => void): () => void;
  /** kills every process of a remote session (the command's session id) over another channel */
  killSession(sid: number, sudo: SudoMode): Promise<void>;
  /** kills the session of a command run with `tag` (no session id line), found among this connection's sessions */
  killTagged(tag: string): Promise<void>;
  /** the login shell ($SHELL, set by sshd) as a wrapped command without sudo saw it */
  onLoginShell?(shell: string): void;
  where: string;
  username: string;
};

export type RunRequest = {
  command: string;
  sudo: SudoMode;
  stdin?: string | Buffer;
  signal?: AbortSignal;
  /** a second signal that stops the command as `signal` does (the connector's own, aborted when it is closed) */
  stopSignal?: AbortSignal;
  timeoutMs?: number;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** runs the command straight in the login shell (which must be a POSIX sh), marked with this tag for abort; no sudo */
  tag?: string;
};

export type RawResult = { exitCode: number | null; signal: string | null; stdout: Buffer; stderr: string };

const PROMPT = '\u001eKXMS-SUDO-PROMPT:';
const SID_LINE = /^\u001eKXMS-SID (\d*)(?: (.*))?$/;
// OpenSSH ignores "signal" requests on sessions without a pty, so abort kills the command's session (sshd gives each
// channel its own) over a second channel. Under sudo, and for the first command on a connection, the wrapper reports the
// session id (and the login shell) and runs the command in the same shell: eval saves one exec per command. Later
// commands without sudo take the direct form below.
// A non-root login PATH (Debian: /usr/local/bin:/usr/bin:/bin:/usr/games) has no sbin, and sudo's secure_path may lack
// /usr/local/bin (RHEL): every command gets both, after the user's own directories.
export const REMOTE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const PATH_PREFIX = `PATH="$PATH:${REMOTE_PATH}"; export PATH;`;
const PREFIX = `${PATH_PREFIX} read -r kx1 kx2 kx3 kx4 kx5 kxsid kx7 </proc/$$/stat 2>/dev/null; printf '\\036KXMS-SID %s %s\\n' "$kxsid" "\${SHELL-}" >&2; kxcmd=$1; shift;`;
const WRAPPER = `${PREFIX} eval "$kxcmd"`;
// Without input the command reads /dev/null, so the client need not send EOF (one packet less per command).
const WRAPPER_NO_STDIN = `${PREFIX} eval "$kxcmd" </dev/null`;
const STOP_GRACE_MS = 3000;

export function wrapCommand(command: string, sudo: SudoMode, stdin = true): string {
  const inner = sh`sh -c ${stdin ? WRAPPER : WRAPPER_NO_STDIN} kxms ${command}`;
  if (sudo.kind === 'nopass') return `sudo -n -- ${inner}`;
  if (sudo.kind === 'password') return sh`sudo -S -p ${PROMPT} -- ` + inner;
  return inner;
}

const TAG = /^[0-9a-z]+\.[0-9]+\.$/;

/**
 * The fast path (no sudo, POSIX login shell): one process image per command, as with a bare `ssh host cmd`, and no
 * session id line. The exported tag is in the login shell's argv while it runs and in the environment of whatever it
 * execs (bash and dash exec the last command in place), which is how killTaggedCommand finds the session.
 */
export function directCommand(command: string, tag: string, stdin = true): string {
  if (!TAG.test(tag)) throw new Error(`bad command tag ${tag}`);
  return `${PATH_PREFIX} KXMS_TAG=${tag}; export KXMS_TAG; ${stdin ? '' : 'exec </dev/null; '}${command}`;
}

/** login shells that run the fast path's command text exactly as `sh -c` would */
export function isPosixShell(shell: string | undefined): boolean {
  return !!shell && /^(sh|bash|dash|ash)$/.test(shell.slice(shell.lastIndexOf('/') + 1));
}

const KILL_SID = `if command -v pkill >/dev/null; then pkill -TERM -s $kxs; i=0; while pgrep -s $kxs >/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done; pkill -KILL -s $kxs; else kill -TERM -- -$kxs; sleep 1; kill -KILL -- -$kxs; fi 2>/dev/null; true`;

export function killCommand(sid: number): string {
  return `kxs=${Math.trunc(sid)}; ${KILL_SID}`;
}

/**
 * Run on the same connection as the tagged command: sshd starts every session as its own child (a session leader, so
 * its pid is the session id), so the killer looks among its own parent's children for the one whose argv or
 * environment holds the tag, waiting up to 3 s for a command that is still starting. The tag is split in the script
 * so that the killer's own argv never matches.
 */
export function killTaggedCommand(tag: string): string {
  if (!TAG.test(tag)) throw new Error(`bad command tag ${tag}`);
  return `kxt=KXMS_TAG=""${tag}; kxs=; kxi=0; while [ -z "$kxs" ] && [ $kxi -lt 30 ]; do for kxd in /proc/[0-9]*; do [ "\${kxd#/proc/}" != "$$" ] || continue; read -r kxl <"$kxd/stat" 2>/dev/null || continue; kxl=\${kxl##*) }; set -- $kxl; [ "$2" = "$PPID" ] || continue; if grep -qsF "$kxt" "$kxd/environ" "$kxd/cmdline"; then kxs=$4; break; fi; done; [ -n "$kxs" ] || sleep 0.1; kxi=$((kxi+1)); done; [ -n "$kxs" ] || exit 0; ${KILL_SID}`;
}

/** Splits sudo's prompt and the session-id line off stderr; everything before the command starts is sudo's own output. */
class Preamble {
  private buf = '';
  started = false;
  constructor(
    private readonly emit: (text: string) => void,
    private readonly onPrompt: () => void,
    private readonly onStart: (sid: number | null, shell: string | undefined) => void,
  ) {}
  push(text: string) {
    if (this.started) return this.emit(text);
    this.buf += text;
    for (;;) {
      const p = this.buf.indexOf(PROMPT);
      const nl = this.buf.indexOf('\n');
      if (p !== -1 && (nl === -1 || p < nl)) {
        if (p > 0) this.emit(this.buf.slice(0, p));
        this.buf = this.buf.slice(p + PROMPT.length);
        this.onPrompt();
        continue;
      }
      if (nl === -1) return;
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      const m = SID_LINE.exec(line);
      if (!m) {
        this.emit(`${line}\n`);
        continue;
      }
      this.started = true;
      this.onStart(m[1] ? Number(m[1]) : null, m[2]);
      const rest = this.buf;
      this.buf = '';
      if (rest) this.emit(rest);
      return;
    }
  }
  flush() {
    if (this.buf) this.emit(this.buf);
    this.buf = '';
  }
}

function sudoError(io: ChannelIo, sudo: SudoMode, stderr: string): ConnectorError {
  const tail = tailLines(stderr, 5);
  if (sudo.kind === 'nopass' && /password is required|terminal is required|askpass/i.test(stderr)) {
    return new ConnectorError(
      'auth',
      `sudo on ${io.where} needs a password for ${io.username}, and none was given: add the sudo password to this host's credentials, or allow NOPASSWD sudo for ${io.username}`,
      { stderrTail: tail },
    );
  }
  return new ConnectorError('auth', `sudo failed for ${io.username} on ${io.where}${tail ? `: ${tail}` : ''}`, { stderrTail: tail });
}

function needsInput(req: RunRequest): boolean {
  return req.sudo.kind === 'password' || (req.stdin !== undefined && req.stdin.length > 0);
}

export function runOnChannel(io: ChannelIo, req: RunRequest): Promise<RawResult> {
  if (req.signal?.aborted || req.stopSignal?.aborted) return Promise.reject(new ConnectorError('cancelled', 'command cancelled before it started'));
  if (req.tag !== undefined && req.sudo.kind !== 'none') return Promise.reject(new Error('a tagged command runs without sudo'));
  const command = req.tag !== undefined ? directCommand(req.command, req.tag, needsInput(req)) : wrapCommand(req.command, req.sudo, needsInput(req));
  return new Promise<RawResult>((resolve, reject) => {
    io.open(command, (channel) => new ChannelRun(io, req, channel, resolve, reject), req.signal).catch(reject);
  });
}

/**
 * One command on its channel, from open to close. A class rather than a closure per handler: this is the per-command
 * hot path (a bench runs thousands a second), and its methods are created once, not on every command.
 */
class ChannelRun {
  private readonly out: Buffer[] = [];
  private stderr = '';
  private outDecoder: TextDecoder | null = null;
  private errDecoder: TextDecoder | null = null;
  private exitCode: number | null = null;
  private exitSignal: string | null = null;
  private sid: number | null = null;
  private prompts = 0;
  private failure: ConnectorError | null = null;
  private done = false;
  private timers: NodeJS.Timeout[] | null = null;
  private afterStart: (() => void)[] | null = null;
  private readonly preamble: Preamble;
  private readonly offLost: () => void;
  private readonly onAbort: () => void;

  constructor(
    private readonly io: ChannelIo,
    private readonly req: RunRequest,
    private readonly channel: ClientChannel,
    private readonly resolve: (r: RawResult) => void,
    private readonly reject: (e: unknown) => void,
  ) {
    this.preamble = new Preamble(
      (text) => this.emitErr(text),
      () => this.onPrompt(),
      (sid, shell) => this.onStart(sid, shell),
    );
    if (req.tag !== undefined) this.preamble.started = true;
    if (req.sudo.kind !== 'password' && needsInput(req)) this.sendInput();
    this.onAbort = () => this.stop(new ConnectorError('cancelled', 'command cancelled'));
    req.signal?.addEventListener('abort', this.onAbort, { once: true });
    req.stopSignal?.addEventListener('abort', this.onAbort, { once: true });
    // aborted while the channel was opening: no abort event is coming
    if (req.signal?.aborted || req.stopSignal?.aborted) this.onAbort();
    if (req.timeoutMs) this.later(() => this.stop(new ConnectorError('timeout', `command timed out after ${req.timeoutMs} ms on ${io.where}`)), req.timeoutMs);
    this.offLost = io.onLost((error) => {
      if (!this.failure || this.failure.kind !== 'cancelled') this.failure = error;
      this.finish();
    });
    channel.on('data', (chunk: Buffer) => this.onData(chunk));
    channel.stderr.on('data', (chunk: Buffer) => {
      this.errDecoder ??= new TextDecoder();
      this.preamble.push(this.errDecoder.decode(chunk, { stream: true }));
    });
    channel.on('exit', (code: number | null, signalName?: string) => {
      if (typeof code === 'number') this.exitCode = code;
      else this.exitSignal = signalName ?? null;
    });
    channel.on('error', () => {});
    channel.on('close', () => this.finish());
  }

  private later(fn: () => void, ms: number) {
    (this.timers ??= []).push(setTimeout(fn, ms));
  }

  private onData(chunk: Buffer) {
    this.out.push(chunk);
    if (!this.req.onStdout) return;
    this.outDecoder ??= new TextDecoder();
    this.req.onStdout(this.outDecoder.decode(chunk, { stream: true }));
  }

  private emitErr(text: string) {
    this.stderr += text;
    this.req.onStderr?.(text);
  }

  private sendInput() {
    try {
      if (this.req.stdin !== undefined && this.req.stdin.length > 0) this.channel.write(this.req.stdin);
      this.channel.end();
    } catch {
      // channel already gone: close/lost handling reports it
    }
  }

  private onPrompt() {
    const { sudo } = this.req;
    if (sudo.kind !== 'password') return;
    this.prompts += 1;
    try {
      if (this.prompts === 1) this.channel.write(`${sudo.password}\n`);
      else {
        this.failure ??= new ConnectorError('auth', `sudo rejected the password for ${this.io.username} on ${this.io.where}: check the sudo password in this host's credentials`);
        this.channel.end();
      }
    } catch {
      // channel already gone: close/lost handling reports it
    }
  }

  private onStart(sid: number | null, shell: string | undefined) {
    this.sid = sid;
    if (this.req.sudo.kind === 'none' && shell) this.io.onLoginShell?.(shell);
    if (this.req.sudo.kind === 'password') this.sendInput();
    for (const f of this.afterStart?.splice(0) ?? []) f();
  }

  private closeSoon() {
    if (this.done) return;
    try {
      this.channel.close();
    } catch {
      // already closed
    }
    this.later(() => this.finish(), STOP_GRACE_MS);
  }

  private stop(reason: ConnectorError) {
    if (this.done || this.failure) return;
    this.failure = reason;
    const kill = () => {
      if (this.req.tag !== undefined) return void this.io.killTagged(this.req.tag).catch(() => {}).finally(() => this.closeSoon());
      if (this.sid === null) return this.closeSoon();
      this.io
        .killSession(this.sid, this.req.sudo)
        .catch(() => {})
        .finally(() => this.closeSoon());
    };
    if (this.preamble.started) kill();
    else {
      (this.afterStart ??= []).push(kill);
      this.later(() => this.closeSoon(), STOP_GRACE_MS);
    }
  }

  private finish() {
    if (this.done) return;
    this.done = true;
    for (const t of this.timers ?? []) clearTimeout(t);
    this.req.signal?.removeEventListener('abort', this.onAbort);
    this.req.stopSignal?.removeEventListener('abort', this.onAbort);
    this.offLost();
    const restOut = this.outDecoder?.decode();
    if (restOut) this.req.onStdout?.(restOut);
    if (this.errDecoder) this.preamble.push(this.errDecoder.decode());
    this.preamble.flush();
    const { failure, req } = this;
    if (failure) this.reject(new ConnectorError(failure.kind, failure.message, { exitCode: this.exitCode, stderrTail: tailLines(this.stderr) }));
    else if (req.sudo.kind !== 'none' && !this.preamble.started) this.reject(sudoError(this.io, req.sudo, this.stderr));
    else this.resolve({ exitCode: this.exitCode, signal: this.exitSignal, stdout: this.out.length === 1 ? this.out[0]! : Buffer.concat(this.out), stderr: this.stderr });
  }
}
