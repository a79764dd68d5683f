import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const PROJECT = resolve(import.meta.dirname, '../..');
const ASSETS = join(PROJECT, 'assets');
const require = createRequire(join(PROJECT, 'package.json'));

interface BuilderConfig {
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
}

function builderConfig(): BuilderConfig {
  const yaml = require('js-yaml') as { load(text: string): unknown };
  return yaml.load(readFileSync(join(PROJECT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
    true,
  );
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  test("passes electron-builder's own schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(builderConfig(), new DebugLogger(false))).resolves.toBeUndefined();
    // The check can fail: a misspelt option is refused.
    await expect(
      validateConfiguration({ ...builderConfig(), electronFuse: {} }, new DebugLogger(false)),
    ).rejects.toThrow(/electronFuse/);
  });

  test('targets each platform, keeps the extraction worker outside the archive and sets the fuses', () => {
    const config = builderConfig();
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['out/main/extract-worker.js', 'out/main/chunks/**']),
    );
    // The JavaScript-function sandbox's worker imports QuickJS from the real file system too.
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        'node_modules/quickjs-emscripten/**',
        'node_modules/quickjs-emscripten-core/**',
        'node_modules/@jitl/**',
      ]),
    );
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});

describe('icons', () => {
  test('PNGs at every size Linux asks for, and a 1024 master', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(readFileSync(join(ASSETS, 'icons', `${size}x${size}.png`)))).toEqual({
        width: size,
        height: size,
      });
    }
    expect(pngSize(readFileSync(join(ASSETS, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
  });

  test('the Windows .ico lists PNG images from 16 to 256 that match their entries', () => {
    const ico = readFileSync(join(ASSETS, 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let index = 0; index < count; index++) {
      const entry = 6 + 16 * index;
      const declared = ico.readUInt8(entry) || 256;
      const length = ico.readUInt32LE(entry + 8);
      const offset = ico.readUInt32LE(entry + 12);
      const image = pngSize(ico.subarray(offset, offset + length));
      expect(image).toEqual({ width: declared, height: declared });
      sizes.push(declared);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  test('the macOS .icns holds PNG chunks up to 1024 with consistent lengths', () => {
    const icns = readFileSync(join(ASSETS, 'icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const chunks = new Map<string, number>();
    for (let offset = 8; offset < icns.length;) {
      const type = icns.toString('ascii', offset, offset + 4);
      const length = icns.readUInt32BE(offset + 4);
      chunks.set(type, pngSize(icns.subarray(offset + 8, offset + length)).width);
      offset += length;
    }
    expect(Object.fromEntries(chunks)).toMatchObject({
      ic07: 128,
      ic08: 256,
      ic09: 512,
      ic10: 1024,
      ic14: 512,
    });
  });
});
