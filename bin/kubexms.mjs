#!/usr/bin/env node
// The CLI is TypeScript run through tsx, like the server; tsconfig is the repo's, wherever the command is started.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../server/cli/bin.ts');
