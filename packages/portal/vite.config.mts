import { defineConfig } from "vite";

export default defineConfig({
  build: {
    target: "es2022",
    sourcemap: true,
    rolldownOptions: {
      // index.html: the portal; redirect.html: MSAL's redirect bridge for popups and the hidden iframe.
      input: {
        main: decodeURIComponent(new URL("index.html", import.meta.url).pathname),
        redirect: decodeURIComponent(new URL("redirect.html", import.meta.url).pathname),
      },
    },
  },
  optimizeDeps: {
    // Pre-bundled up front, else the first popup triggers a re-optimise and a reload mid-flow.
    include: ["@azure/msal-browser", "@azure/msal-browser/redirect-bridge"],
  },
  server: {
    host: "localhost",
    port: 5173,
    strictPort: true,
  },
});
