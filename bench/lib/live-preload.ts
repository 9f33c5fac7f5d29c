import { writeFileSync } from 'node:fs';
import { RunBus } from '../../server/runner/bus';
import { PipelineRegistry } from '../../server/runner/registry';
import { LIVE_PIPELINE, liveParamsFromEnv, livePipeline } from './live-pipeline';

// Loaded with `--import` before server/index.ts: the real, unmodified server gains the bench pipeline (same module instance).
const params = liveParamsFromEnv();
const get = PipelineRegistry.prototype.get;
PipelineRegistry.prototype.get = function (this: PipelineRegistry, name: string) {
  return name === LIVE_PIPELINE ? (spec) => livePipeline(spec, params) : get.call(this, name);
};

// event → committed and handed to socket.io, inside the server: the part of the server share spent before the socket
const emitOut = process.env.KX_BENCH_LIVE_EMIT_OUT;
if (emitOut) {
  const latencies: [number, number][] = [];
  const events = RunBus.prototype.events;
  RunBus.prototype.events = function (this: RunBus, runId, batch) {
    const now = Date.now();
    for (const e of batch) if (e.type === 'step.status') latencies.push([e.ts, now - e.ts]);
    events.call(this, runId, batch);
  };
  process.on('exit', () => writeFileSync(emitOut, JSON.stringify(latencies)));
}
