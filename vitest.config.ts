import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['sidecar/**/*.test.ts', 'operator/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests open real loopback sockets; run files in separate forks.
    pool: 'forks',
  },
});
