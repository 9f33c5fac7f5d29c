import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureSpec } from '../testing/fixture-spec';
import { withEncapsulation } from './encapsulation';

// the relevant lines as upstream calico.yaml and kube-flannel.yml carry them
const CALICO = `data:\n  veth_mtu: "0"\n---\n            - name: CALICO_IPV4POOL_IPIP\n              value: "Always"\n            - name: CALICO_IPV4POOL_VXLAN\n              value: "Never"\n`;
const FLANNEL = `  net-conf.json: |\n    {\n      "Network": "10.244.0.0/16",\n      "Backend": {\n        "Type": "vxlan"\n      }\n    }\n`;

test('calico ipip/vxlan/MTU and flannel backend go into the manifests', () => {
  const base = fixtureSpec();
  const calico = withEncapsulation({ network: { ...base.network, plugin: 'calico', calico: { ipipMode: 'Never', vxlanMode: 'CrossSubnet', vethMTU: 1400 } } }, CALICO);
  assert.equal(calico, `data:\n  veth_mtu: "1400"\n---\n            - name: CALICO_IPV4POOL_IPIP\n              value: "Never"\n            - name: CALICO_IPV4POOL_VXLAN\n              value: "CrossSubnet"\n`);
  const flannel = withEncapsulation({ network: { ...base.network, plugin: 'flannel', flannel: { backendMode: 'host-gw' } } }, FLANNEL);
  assert.match(flannel, /"Type": "host-gw"/);
  assert.throws(() => withEncapsulation({ network: { ...base.network, plugin: 'calico', calico: { ipipMode: 'Always', vxlanMode: 'Never', vethMTU: 0 } } }, 'kind: x\n'), /no CALICO_IPV4POOL_IPIP setting/);
  assert.equal(withEncapsulation({ network: { ...base.network, plugin: 'calico' } }, 'anything'), 'anything');
});
