import { describe, expect, it } from 'vitest';
import { builtWorkerPath, unpackedPath } from '../../main/archive/zip-extract.js';

describe('unpackedPath (the extraction worker in a packaged app)', () => {
  it('uses the copy beside app.asar when it exists', () => {
    const seen: string[] = [];
    const path = unpackedPath('/opt/App/resources/app.asar/out/main/extract-worker.js', (candidate) => {
      seen.push(candidate);
      return true;
    });
    expect(path).toBe('/opt/App/resources/app.asar.unpacked/out/main/extract-worker.js');
    expect(seen).toEqual([path]);
  });

  it('maps Windows paths too', () => {
    expect(unpackedPath('C:\\App\\resources\\app.asar\\out\\main\\extract-worker.js', () => true)).toBe(
      'C:\\App\\resources\\app.asar.unpacked\\out\\main\\extract-worker.js',
    );
  });

  it('keeps the path when there is no unpacked copy or no archive', () => {
    expect(unpackedPath('/opt/App/resources/app.asar/out/main/extract-worker.js', () => false)).toBe(
      '/opt/App/resources/app.asar/out/main/extract-worker.js',
    );
    expect(unpackedPath('/work/out/main/extract-worker.js', () => true)).toBe(
      '/work/out/main/extract-worker.js',
    );
    expect(unpackedPath('/work/app.asarx/extract-worker.js', () => true)).toBe(
      '/work/app.asarx/extract-worker.js',
    );
  });
});

describe('builtWorkerPath (where the bundled host finds the extraction worker)', () => {
  it('finds the worker beside the module, or one folder up when the module is a shared chunk', () => {
    const present = new Set(['/app/out/main/extract-worker.js']);
    const exists = (candidate: string): boolean => present.has(candidate);
    expect(builtWorkerPath('/app/out/main/serve.js', exists)).toBe('/app/out/main/extract-worker.js');
    expect(builtWorkerPath('/app/out/main/chunks/zip-extract-abc.js', exists)).toBe(
      '/app/out/main/extract-worker.js',
    );
  });

  it('finds it in app.asar.unpacked too, and falls back to beside the module when there is none', () => {
    const present = new Set(['/opt/r/app.asar.unpacked/out/main/extract-worker.js']);
    const exists = (candidate: string): boolean => present.has(candidate);
    expect(builtWorkerPath('/opt/r/app.asar/out/main/chunks/x.js', exists)).toBe(
      '/opt/r/app.asar/out/main/extract-worker.js',
    );
    expect(builtWorkerPath('/nowhere/chunks/x.js', () => false)).toBe('/nowhere/chunks/extract-worker.js');
  });
});
