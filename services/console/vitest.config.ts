import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: { name: "console", include: ["src/**/*.test.ts", "web/src/**/*.test.ts"] },
});
