import { defineConfig } from 'vite';

/**
 * The console's build: plain React with the automatic JSX runtime, no dev-server plugins, everything
 * bundled (nothing from a CDN), served by the API under /console (scripts/build-console.ts).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  logLevel: 'warn',
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
  },
});
