export { SshConnector } from './ssh-connector';
export { probeHost, parseFacts } from './ssh-probe';
export type { HostFacts, ProbeResult } from './ssh-probe';
export { HostKeyError, ensureSuccess } from './ssh-errors';
export { SSH_DEFAULTS, describeTarget } from './ssh-target';
export type { SshTarget } from './ssh-target';
