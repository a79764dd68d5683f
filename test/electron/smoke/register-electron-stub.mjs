// Node `--import` hook for the smoke test: maps the bare `electron` specifier to the stand-in beside this file,
// so the built main bundle runs under plain Node with every other import resolved as Node resolves it.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
      const stub = ${JSON.stringify(new URL('./electron-stub.mjs', import.meta.url).href)};
      export async function resolve(specifier, context, next) {
        if (specifier === 'electron') return { url: stub, shortCircuit: true };
        return next(specifier, context);
      }
    `),
);
