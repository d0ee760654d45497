import { defineConfig } from 'vitest/config'

// Two projects: `unit` (pure rules, fast, parallel) and `e2e` (against ONE production build made by
// tests/setup/global-e2e.ts). Run one with `npx vitest run --project unit`.
export default defineConfig({
  test: {
    // Stopping the servers and Chromium of the last e2e file.
    teardownTimeout: 30_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/setup/global-e2e.ts'],
          // Only 2 cores: the e2e files each start servers (and one starts Chromium); run them one at a time.
          fileParallelism: false,
          testTimeout: 60_000,
          // Starting servers and Chromium in beforeAll is slow on a loaded machine.
          hookTimeout: 240_000,
        },
      },
    ],
  },
})
