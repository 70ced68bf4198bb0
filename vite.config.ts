import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The web application (src/web) builds into dist/web, which `kaohe serve` serves at `/`.
export default defineConfig({
  root: "src/web",
  plugins: [react()],
  // The server puts a fresh nonce here in every index.html it sends, and allows styles with it in that
  // response's Content-Security-Policy: antd's CSS-in-JS inserts its styles with the nonce.
  html: { cspNonce: "KAOHE_CSP_NONCE" },
  build: {
    outDir: "../../dist/web",
    emptyOutDir: true,
    // Hashed file names: the server caches /assets/* for a year and index.html never.
    assetsDir: "assets",
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
});
