import { describe, expect, it } from 'vitest';
import { unpackedPath } from '../../main/archive/zip-extract.js';

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
