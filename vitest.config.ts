import { defineConfig } from "vitest/config";

// Two projects: `unit` (pure code, beside the sources) and `e2e` (against a real control plane,
// brought up by test/e2e/globalSetup.ts). `npm test` runs both.
export default defineConfig({
  test: {
    reporters: ["default", "./test/summaryReporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["controllers/**/*.test.ts", "hack/**/*.test.ts", "bench/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/e2e/globalSetup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One live cluster: e2e files run one at a time so they do not fight over nodes.
          fileParallelism: false,
        },
      },
    ],
  },
});
