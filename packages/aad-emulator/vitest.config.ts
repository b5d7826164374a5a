import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "aad-emulator",
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
