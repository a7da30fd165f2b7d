import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores on CI machines: keep ffmpeg-heavy files from starving each other.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
