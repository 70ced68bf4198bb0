import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/**
 * Writes a brotli and a gzip copy beside each script, style sheet and SVG of the build, compressed once
 * at their best settings, for the server to send to a browser that accepts them (@fastify/static's
 * preCompressed) instead of compressing the same bytes on every request, or not at all.
 */
function precompress(): Plugin {
  return {
    name: "kaohe-precompress",
    apply: "build",
    writeBundle(options) {
      const dir = join(options.dir!, "assets");
      for (const name of readdirSync(dir).filter((n) => /\.(js|css|svg)$/.test(n))) {
        const bytes = readFileSync(join(dir, name));
        if (bytes.length < 1024) continue;
        writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes, { level: 9 }));
        writeFileSync(
          join(dir, `${name}.br`),
          brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

// The web application (src/web) builds into dist/web, which `kaohe serve` serves at `/`.
export default defineConfig({
  root: "src/web",
  plugins: [react(), precompress()],
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
