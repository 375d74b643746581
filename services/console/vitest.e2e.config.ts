import { defineConfig } from "vitest/config";

// Browser tests (npm run test:e2e): one all-in-one and one Chromium for the whole file, steps in
// order, so they run alone and slowly on purpose; `npm test` never includes them.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "console-e2e",
    root: import.meta.dirname,
    include: ["e2e/**/*.e2e.ts"],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
