import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `npm run screenshots`: the README's pictures, taken from a real state on lab hosts (not part of `npm test`).
export default defineConfig({ ...base, testDir: './e2e/screenshots', testMatch: '**/*.shots.ts' });
