import { PipelineRegistry } from '../../server/runner/registry';
import { LIVE_PIPELINE, liveParamsFromEnv, livePipeline } from './live-pipeline';

// Loaded with `--import` before server/index.ts: the real, unmodified server gains the bench pipeline (same module instance).
const params = liveParamsFromEnv();
const get = PipelineRegistry.prototype.get;
PipelineRegistry.prototype.get = function (this: PipelineRegistry, name: string) {
  return name === LIVE_PIPELINE ? (spec) => livePipeline(spec, params) : get.call(this, name);
};
