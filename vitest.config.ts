import { defineConfig } from "vitest/config";

// One project per workspace package; each package's vitest.config.ts names it and resolves
// sibling packages to their TypeScript sources (the "source" export condition).
export default defineConfig({
  test: {
    projects: ["packages/*", "services/*"],
  },
});
