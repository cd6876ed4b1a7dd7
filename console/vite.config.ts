// The console is built, never served by Vite: the API serves dist/console/ at /console/. JSX goes
// through Vite's own transformer (Oxc, automatic runtime), so no React plugin is needed: there is no
// dev server whose hot reload it would serve.
/// <reference types="node" />
import { defineConfig } from 'vite';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  root: here,
  base: '/console/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.join(here, '..', 'dist', 'console'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      // React Query and React Router mark modules "use client" for server components; meaningless in a SPA.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
