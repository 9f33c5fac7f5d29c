// The bench's bare socket.io client (see node-watcher.ts), plain JS: a worker thread's entry does not go through tsx.
import { parentPort, workerData } from 'node:worker_threads';
import { io } from 'socket.io-client';

const { url, cookie, runId } = workerData;
const latencies = [];
const socket = io(url, { transports: ['websocket'], extraHeaders: { cookie, origin: url } });
socket.on('connect', () => socket.emit('run:watch', { runId }, () => {}));
socket.on('run:events', (batch) => {
  const now = Date.now();
  for (const e of batch.events) if (e.type === 'step.status') latencies.push(now - e.ts);
});
parentPort.once('message', () => {
  socket.close();
  parentPort.postMessage(latencies);
});
