import { lightHosts } from './light-hosts/state';
import { openRaw, execRaw, closeRaw } from './lib/raw-ssh';
const { hosts, clientKey } = await lightHosts(1);
const c = await openRaw(hosts[0]!, clientKey);
await new Promise((r) => setTimeout(r, 1500));
const ts: number[] = [];
for (let i = 0; i < 5; i++) { const t = performance.now(); await execRaw(c, 'true'); ts.push(Math.round(performance.now() - t)); }
console.log(ts.join(' '));
await closeRaw(c);
