import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldWords, messageWords } from './issue-words';

const hosts = [{ name: 'n21' }, { name: 'n22' }, { name: '' }];

test('host paths read as the host a person sees, other fields as their labels', () => {
  assert.equal(fieldWords('hosts.1.name', hosts), 'Host 2 (n22): the name');
  assert.equal(fieldWords('hosts.2.auth.privateKey', hosts), 'Host 3: the private key');
  assert.equal(fieldWords('hosts.0', hosts), 'Host 1 (n21)');
  assert.equal(fieldWords('network.podCidr', hosts), 'Pod CIDR');
  assert.equal(fieldWords('registry.mirrors.1', hosts), 'Registry mirrors (1)');
  assert.equal(fieldWords('something.new', hosts), 'something.new');
});

test('messages that point at other hosts by index name them', () => {
  assert.equal(messageWords('duplicate host name (same as hosts.0)', hosts), 'duplicate host name (same as host 1 (n21))');
  assert.equal(messageWords('no hosts here', hosts), 'no hosts here');
});
