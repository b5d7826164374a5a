import { defineConfig } from "vite";

export default defineConfig({
  build: {
    target: "es2022",
    sourcemap: true,
  },
  server: {
    // The console must run on its own origin (DESIGN.md: portal and console are different sites).
    host: "127.0.0.1",
    port: 5174,
    strictPort: true,
  },
});
