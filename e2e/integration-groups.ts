// The integration groups of `npm run test:integration` (e2e/run-integration.ts). A file runs in the FIRST group whose
// `match` fits its path, so put a specific group above the broader ones. To add a group: one line here with lab host
// indices of your own (1..40, never the demo's 21–23). Groups whose hosts are disjoint run at the same time; groups that
// share a host wait for each other.
export type IntegrationGroup = { name: string; hosts: string; match: RegExp };

export const GROUPS: IntegrationGroup[] = [
  { name: 'createCluster as root, kxuser, kxnopw', hosts: '13,14,15', match: /^server\/runner\/catalog-run\.itest/ },
  { name: 'runner killed (SIGKILL) between write and restart', hosts: '16,17,18', match: /^server\/cli\/crash-restart\.itest/ },
  { name: 'ssh connector', hosts: '1,2,3', match: /^server\/connectors\// },
  { name: 'catalog: preflight, kernel, pipelines', hosts: '4,5,6', match: /^server\/catalog\/(testing|preflight|kernel|pipelines)/ },
  { name: 'etcd day 2: backup, restore, certificates, rolling', hosts: '34,35,36', match: /^server\/catalog\/etcd\/etcd-day2/ },
  { name: 'kubekey parity: etcd tuning, system, spec render', hosts: '25,26,27', match: /^server\/catalog\/(etcd\/etcd-tuning|system\/|render\/)/ },
  { name: 'day 2: status, remove nodes', hosts: '30,31,32,33', match: /^server\/(catalog\/(status|remove-nodes)|services\/day2)\// },
  { name: 'catalog: load balancer', hosts: '19,20,24', match: /^server\/catalog\/loadbalancer\// },
  { name: 'catalog: etcd, containerd, kubernetes', hosts: '7,8,9', match: /^server\/catalog\// },
  { name: 'delete a cluster after resetting its hosts', hosts: '4,5,6', match: /^server\/services\/clusters\/delete-after-reset\.itest/ },
  { name: 'runner, realtime, clusters, cli', hosts: '10,11,12', match: /^server\/(runner|realtime|services|cli)\// },
  { name: 'everything else', hosts: '1,2,3', match: /./ },
];
