import path from "path";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The app imports the SDK by its package name; in this repository that is the source root entry.
export default defineConfig({
  root: __dirname,
  plugins: [react()],
  resolve: {
    alias: { "treelion-contracts": path.resolve(__dirname, "../sdk/index.ts") },
  },
  build: {
    outDir: path.resolve(__dirname, "dist"),
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // the SDK and its TypeChain bindings are side-effect free: what a chunk does not use is left out of it
      treeshake: { moduleSideEffects: (id: string) => !/[\\/](sdk|typechain-types)[\\/]/.test(id) },
    },
  },
  server: { host: "127.0.0.1" },
});
