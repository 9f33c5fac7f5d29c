import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyForm } from './form-model';
import { calicoChoiceErrors, withCalico } from './tuning-model';

test('calico choices: both encapsulations on is named at the VXLAN select at once; one of them Never is fine', () => {
  const both = withCalico(emptyForm(), 'vxlanMode', 'CrossSubnet');
  assert.deepEqual([...calicoChoiceErrors(both)], [['network.calico.vxlanMode', 'IP-in-IP and VXLAN cannot both be on: set one of ipipMode / vxlanMode to Never']]);
  assert.equal(calicoChoiceErrors(withCalico(both, 'ipipMode', 'Never')).size, 0);
  assert.equal(calicoChoiceErrors(emptyForm()).size, 0);
  // a bad MTU is the text field's business: it shows when the step is left, not while typing
  assert.equal(calicoChoiceErrors(withCalico(emptyForm(), 'vethMTU', 5)).size, 0);
});
