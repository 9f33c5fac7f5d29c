import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

export const E2E_PORT = Number(process.env.KUBEXMS_E2E_PORT ?? 3199);
export const E2E_DATA_DIR = process.env.KUBEXMS_E2E_DATA_DIR ?? path.join(os.tmpdir(), `kubexms-e2e-${process.pid}`);
export const E2E_ADMIN_PASSWORD = 'e2e-admin-password-1';

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    },
  },
  webServer: {
    command: `${process.execPath} --import tsx server/index.ts`,
    url: `http://127.0.0.1:${E2E_PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      HOST: '127.0.0.1',
      PORT: String(E2E_PORT),
      KUBEXMS_DATA_DIR: E2E_DATA_DIR,
      KUBEXMS_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      // the specs count runs; day-2 specs ask for status runs themselves
      KUBEXMS_STATUS_AFTER_RUN: '0',
    },
  },
});
