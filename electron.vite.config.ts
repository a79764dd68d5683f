import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * The page's entry is a tiny script that asks the host for the plugin lists and then imports the app
 * (`renderer/src/main.tsx`). Left alone, the browser would only learn of the app's chunks once that script has run;
 * this names them in `index.html` (`modulepreload` for scripts, `preload` for stylesheets), so they download while the
 * entry runs, and the lists and the app arrive side by side.
 */
function preloadAppChunks(appChunkName: string): Plugin {
  return {
    name: 'preload-app-chunks',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const { bundle, chunk: entry } = context;
        if (bundle === undefined || entry === undefined) return [];
        const app = Object.values(bundle).find(
          (output) =>
            output.type === 'chunk' &&
            output.name === appChunkName &&
            entry.dynamicImports.includes(output.fileName),
        );
        if (app === undefined || app.type !== 'chunk')
          throw new Error(`the entry does not import the ${appChunkName} chunk`);
        const scripts = new Set<string>();
        const styles = new Set<string>();
        const visit = (fileName: string) => {
          const chunk = bundle[fileName];
          if (chunk === undefined || chunk.type !== 'chunk' || scripts.has(fileName)) return;
          scripts.add(fileName);
          for (const css of chunk.viteMetadata?.importedCss ?? []) styles.add(css);
          chunk.imports.forEach(visit);
        };
        visit(app.fileName);
        // The entry's own imports are already in the page.
        for (const fileName of [entry.fileName, ...entry.imports]) scripts.delete(fileName);
        return [
          ...[...styles].map((href) => ({
            tag: 'link',
            // Fetched now, applied when the app's chunk adds it: a stylesheet link here would hold back the entry
            // script (scripts wait for pending stylesheets), and with it the request for the lists.
            attrs: { rel: 'preload', as: 'style', crossorigin: true, href: `./${href}` },
            injectTo: 'head' as const,
          })),
          ...[...scripts].map((href) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `./${href}` },
            injectTo: 'head' as const,
          })),
        ];
      },
    },
  };
}

/**
 * The app's icon as the page's `favicon.ico`, beside `index.html`: browsers ask for `/favicon.ico` whatever the
 * page says, and the window's tab should carry the app's icon rather than a 404.
 */
function appFavicon(iconPath: string): Plugin {
  return {
    name: 'app-favicon',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'favicon.ico', source: readFileSync(iconPath) });
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/electron/index.ts'),
          serve: resolve(__dirname, 'main/host/serve.ts'),
          'pack-cli': resolve(__dirname, 'main/host/pack-cli.ts'),
          'extract-worker': resolve(__dirname, 'main/archive/extract-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // electron-vite leaves the renderer unminified by default; the page is also served to browsers.
      minify: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
        output: {
          // React and i18next in chunks of their own: every page needs them whole, they change less often than
          // the app, and the browser fetches them in parallel. Mantine is left to the bundler's own split, so the
          // components only dialogs, the drawer or the settings page use load with those (lazy) chunks rather
          // than before the first paint.
          codeSplitting: {
            groups: [
              { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 4 },
              { name: 'i18n', test: /node_modules[\\/](i18next|react-i18next)[\\/]/, priority: 3 },
            ],
          },
        },
      },
    },
    plugins: [react(), preloadAppChunks('app-root'), appFavicon(resolve(__dirname, 'assets/icon.ico'))],
  },
});
