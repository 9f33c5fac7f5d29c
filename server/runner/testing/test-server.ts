import { createRegistry } from '../../app-runner';
import { runServer } from '../../main';
import { TEST_PIPELINES } from './pipelines';

// The real server entry with the 'test:*' pipelines added: only tests start it (startServer({ testPipelines: true })).
runServer({ registry: createRegistry().registerAll(TEST_PIPELINES) });
