/**
 * THE authorization table (DESIGN §12): every tRPC procedure, socket.io event and HTTP route has exactly one entry.
 * Enforced in one place per transport (server/trpc/init.ts, server/auth/socket-auth.ts, server/auth/http-gate.ts);
 * anything without an entry is refused, and server/auth/access.test.ts fails for a procedure without a rule.
 * The browser reads the same table to hide or disable what a role may not use.
 *
 * Rules: 'public' (no login), 'viewer' (any signed-in user: reads, and self-service on one's own account),
 * 'operator' (clusters, host keys, runs), 'admin' (users and settings). Viewers never receive a secret.
 */
import type { ClientToServerEvents } from './socket';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Rule = 'public' | Role;

export const PROCEDURE_RULES = {
  'auth.login': 'public',
  'auth.me': 'public',
  'auth.sso': 'public',
  'auth.logout': 'viewer',
  'auth.changePassword': 'viewer',
  'auth.logoutEverywhere': 'viewer',
  'auth.sessions': 'viewer',
  'auth.revokeSession': 'viewer',
  'auth.tokens': 'viewer',
  'auth.createToken': 'viewer',
  'auth.revokeToken': 'viewer',
  'system.info': 'viewer',
  'audit.list': 'viewer',
  'audit.facets': 'viewer',
  'clusters.list': 'viewer',
  'clusters.get': 'viewer',
  'clusters.exportKubeKey': 'viewer',
  'clusters.create': 'operator',
  'clusters.update': 'operator',
  'clusters.saveDraft': 'operator',
  'clusters.delete': 'operator',
  'clusters.importKubeKey': 'operator',
  'clusters.status': 'viewer',
  // a kubeconfig is cluster-admin on that cluster: a secret, so only for roles that may change the cluster (audited)
  'clusters.kubeconfig': 'operator',
  'clusters.addNodes': 'operator',
  'hosts.probe': 'operator',
  'hosts.probeAll': 'operator',
  'hosts.acceptKey': 'operator',
  'hosts.forgetKey': 'operator',
  'runs.get': 'viewer',
  'runs.list': 'viewer',
  'runs.deletedClusters': 'viewer',
  'runs.pipelines': 'viewer',
  'runs.compare': 'viewer',
  'runs.estimate': 'viewer',
  'runs.preflightReport': 'viewer',
  'runs.start': 'operator',
  'runs.cancel': 'operator',
  'runs.retry': 'operator',
  'runs.rerunFailed': 'operator',
  'etcd.backups': 'viewer',
  'etcd.certificates': 'viewer',
  'etcd.schedule': 'viewer',
  'etcd.setSchedule': 'operator',
  'etcd.backup': 'operator',
  'etcd.restore': 'operator',
  'etcd.renewCerts': 'operator',
  'etcd.roll': 'operator',
  'logs.page': 'viewer',
  'preview.spec': 'operator',
  'preview.files': 'operator',
  'users.list': 'admin',
  'users.create': 'admin',
  'users.update': 'admin',
  'users.resetPassword': 'admin',
  'users.delete': 'admin',
  'users.sessions': 'admin',
  'users.revokeSession': 'admin',
  'users.tokens': 'admin',
  'users.createToken': 'admin',
  'users.revokeToken': 'admin',
} as const satisfies Record<string, Rule>;
export type ProcedurePath = keyof typeof PROCEDURE_RULES;

/** Client → server socket.io events. Server → client broadcasts carry only what a viewer may read. */
export const SOCKET_EVENT_RULES = {
  'clock:watch': 'viewer',
  'run:watch': 'viewer',
  'run:unwatch': 'viewer',
  // every client event of contracts/socket.ts, and nothing else: a new event without a rule fails the typecheck
} as const satisfies Record<keyof ClientToServerEvents, Rule>;

/**
 * HTTP routes outside tRPC and the pages. To add one: an entry here (id, methods, path pattern, rule), then route it in
 * server/index.ts; the gate refuses any /api/ path that matches no entry and any caller below the rule.
 */
export const HTTP_ROUTE_RULES = [
  { id: 'oidc.start', methods: ['GET'], pattern: /^\/api\/auth\/oidc\/start$/, rule: 'public' },
  { id: 'oidc.callback', methods: ['GET'], pattern: /^\/api\/auth\/oidc\/callback$/, rule: 'public' },
  { id: 'logs.download', methods: ['GET', 'HEAD'], pattern: /^\/api\/runs\/\d{1,15}\/logs\.txt$/, rule: 'viewer' },
] as const satisfies ReadonlyArray<{ id: string; methods: readonly string[]; pattern: RegExp; rule: Rule }>;
export type HttpRouteId = (typeof HTTP_ROUTE_RULES)[number]['id'];

const RANK: Record<Rule, number> = { public: 0, viewer: 1, operator: 2, admin: 3 };

/** Whether a caller (null = not signed in) satisfies a rule. */
export function allows(role: Role | null, rule: Rule): boolean {
  if (rule === 'public') return true;
  return role !== null && RANK[role] >= RANK[rule];
}

export function procedureRule(path: string): Rule | undefined {
  return (PROCEDURE_RULES as Record<string, Rule>)[path];
}

export function socketEventRule(event: string): Rule | undefined {
  return (SOCKET_EVENT_RULES as Record<string, Rule>)[event];
}

export function httpRoute(pathname: string): (typeof HTTP_ROUTE_RULES)[number] | undefined {
  return HTTP_ROUTE_RULES.find((r) => r.pattern.test(pathname));
}

export function canCall(role: Role | null, path: ProcedurePath): boolean {
  return allows(role, PROCEDURE_RULES[path]);
}

/** The reason shown next to a control the user's role may not use. */
export function deniedReason(path: ProcedurePath): string {
  const rule = PROCEDURE_RULES[path] as Rule;
  return rule === 'admin' ? 'only an admin may do this' : `needs the ${rule} role`;
}

/** Procedures a user whose password must be changed may still call. */
export const WHILE_PASSWORD_EXPIRED: ReadonlySet<string> = new Set(['auth.me', 'auth.sso', 'auth.logout', 'auth.changePassword']);
