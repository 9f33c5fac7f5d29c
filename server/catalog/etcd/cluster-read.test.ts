import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEndpointHealth, parseMemberList, parseSnapshotStatus } from './cluster-read';

test('endpoint health lines map each URL to healthy or not', () => {
  const text = [
    'https://198.51.100.44:2379 is healthy: successfully committed proposal: took = 9.1ms',
    'https://198.51.100.45:2379 is unhealthy: failed to commit proposal: context deadline exceeded',
    'Error: unhealthy cluster',
  ].join('\n');
  assert.deepEqual([...parseEndpointHealth(text)], [['https://198.51.100.44:2379', true], ['https://198.51.100.45:2379', false]]);
});

test('member list and snapshot status JSON of etcdctl 3.4', () => {
  const members = '{"header":{"cluster_id":17237436991929493444,"member_id":9372538179322589801,"raft_term":2},"members":[{"ID":9372538179322589801,"name":"n1","peerURLs":["https://198.51.100.44:2380"],"clientURLs":["https://198.51.100.44:2379"]}]}';
  assert.deepEqual(parseMemberList(members), [{ name: 'n1', peerUrls: ['https://198.51.100.44:2380'], clientUrls: ['https://198.51.100.44:2379'] }]);
  assert.deepEqual(parseSnapshotStatus('{"hash":3700338015,"revision":23,"totalKey":27,"totalSize":24608}'), { hash: 3700338015, revision: 23, totalKeys: 27, totalSize: 24608 });
  assert.throws(() => parseSnapshotStatus('{"hash":1,"totalKey":2,"totalSize":3}'), /no valid revision/);
});
