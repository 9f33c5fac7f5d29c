import { Worker } from 'node:worker_threads';

/**
 * A bare socket.io client watching the run: event → arrival there, i.e. the server's share of the latency. It runs in a
 * worker thread of its own (latency-worker.mjs): the bench's main thread also handles every WebSocket frame Playwright
 * relays from the page (38 MB in a 200 × 40 run), and that work would be counted as the server's.
 */
export function watchLatency(url: string, cookie: string, runId: number): { stop(): Promise<number[]> } {
  const worker = new Worker(new URL('./latency-worker.mjs', import.meta.url), { workerData: { url, cookie, runId } });
  const result = new Promise<number[]>((resolve, reject) => {
    worker.once('message', (latencies: number[]) => resolve(latencies));
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const latencies = await result;
      await worker.terminate();
      return latencies;
    },
  };
}
