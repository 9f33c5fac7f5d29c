import { stopAll } from './stop';

const stopped = await stopAll();
console.log(`stopped ${stopped} sshd`);
