import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "endpoint",
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
