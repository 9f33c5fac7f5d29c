import { APISERVER_BIND_PORT } from '../../contracts/cluster-spec';
import type { ClusterSpec } from '../../contracts/cluster-spec';
import { hostsByRole } from '../../contracts/spec-hosts';

export const HAPROXY_PATHS = {
  bin: '/usr/local/sbin/haproxy',
  dir: '/etc/kubexms/haproxy',
  config: '/etc/kubexms/haproxy/haproxy.cfg',
  unit: '/etc/systemd/system/kube-haproxy.service',
} as const;
export const HAPROXY_UNIT = 'kube-haproxy.service';
export const HAPROXY_HEALTH_PORT = 8081;
export const HAPROXY_VERSION = 'v2.6.12';

type LbSpec = Pick<ClusterSpec, 'hosts' | 'kubernetes'>;

/** As KubeKey: the local load balancer runs on every node that is a worker and not a control plane. */
export function runsLoadBalancer(spec: Pick<ClusterSpec, 'kubernetes'>, host: { roles: readonly string[] }): boolean {
  return spec.kubernetes.controlPlaneEndpoint.internalLoadbalancer === 'haproxy' && host.roles.includes('worker') && !host.roles.includes('control-plane');
}

/**
 * KubeKey's haproxy.cfg (cmd/kk/pkg/loadbalancer/templates/haproxyConfig.go, itself Kubespray's) in tcp mode
 * throughout so `haproxy -c` has nothing to warn about: 127.0.0.1:<endpoint port> in front of every control plane's
 * API server, each health-checked with GET /healthz over TLS; a failed connect is retried on another server
 * (option redispatch). Client timeout 5m as Kubespray's loadbalancer_apiserver_keepalive_timeout, for watches.
 */
export function renderHaproxyConfig(spec: LbSpec): string {
  const servers = hostsByRole(spec as ClusterSpec)['control-plane'].map(
    (h) => `  server ${h.name} ${hostPort(h.internalAddress ?? h.address, APISERVER_BIND_PORT)} check check-ssl verify none`,
  );
  return `global
  maxconn 4000
  log 127.0.0.1 local0

defaults
  mode tcp
  log global
  option tcplog
  option dontlognull
  option redispatch
  retries 5
  timeout queue 5m
  timeout connect 30s
  timeout client 5m
  timeout server 15m
  timeout check 30s
  maxconn 4000

frontend healthz
  bind *:${HAPROXY_HEALTH_PORT}
  mode http
  monitor-uri /healthz

frontend kube_api_frontend
  bind 127.0.0.1:${spec.kubernetes.controlPlaneEndpoint.port}
  default_backend kube_api_backend

backend kube_api_backend
  balance leastconn
  default-server inter 15s downinter 15s rise 2 fall 2 slowstart 60s maxconn 1000 maxqueue 256 weight 100
  option httpchk GET /healthz
  http-check expect status 200
${servers.join('\n')}
`;
}

const hostPort = (address: string, port: number) => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);

export function renderHaproxyUnit(): string {
  const cfg = HAPROXY_PATHS.config;
  return `[Unit]
Description=haproxy in front of the Kubernetes API servers (installed by kubexms)
Wants=network-online.target
After=network-online.target

[Service]
Type=notify
ExecStartPre=${HAPROXY_PATHS.bin} -c -q -f ${cfg}
ExecStart=${HAPROXY_PATHS.bin} -Ws -f ${cfg}
ExecReload=${HAPROXY_PATHS.bin} -c -q -f ${cfg}
ExecReload=/bin/kill -USR2 $MAINPID
KillMode=mixed
Restart=always
RestartSec=2

[Install]
WantedBy=multi-user.target
`;
}
