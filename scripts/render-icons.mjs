#!/usr/bin/env node
// Renders assets/icon.svg into the icons electron-builder packs: PNGs at every size the platforms ask for
// (assets/icons/NxN.png for Linux, assets/icon.png at 1024), a Windows .ico and a macOS .icns, both made of
// PNG images (supported since Windows Vista and macOS 10.7). Uses Chromium through playwright-core, which the
// tests already need, so no image library is added. Run: node scripts/render-icons.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const assets = resolve(dirname(fileURLToPath(import.meta.url)), '../assets');
const svg = readFileSync(join(assets, 'icon.svg'), 'utf8');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

async function renderAll() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const pngs = new Map();
  try {
    for (const size of SIZES) {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
      const sized = svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`);
      await page.setContent(
        `<style>html,body{margin:0;background:transparent}svg{display:block}</style>${sized}`,
      );
      pngs.set(size, await page.screenshot({ omitBackground: true, type: 'png' }));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return pngs;
}

/** ICO: a directory of PNG images; width and height 0 mean 256. */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const [size, png] of images) {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2);
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...images.map(([, png]) => png)]);
}

/** ICNS: big-endian chunks of (type, length including the 8-byte header, PNG data). */
function icns(chunks) {
  const parts = chunks.map(([type, png]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

const pngs = await renderAll();
mkdirSync(join(assets, 'icons'), { recursive: true });
for (const [size, png] of pngs) {
  if (size <= 512) writeFileSync(join(assets, 'icons', `${size}x${size}.png`), png);
}
writeFileSync(join(assets, 'icon.png'), pngs.get(1024));
writeFileSync(
  join(assets, 'icon.ico'),
  ico([16, 24, 32, 48, 64, 128, 256].map((size) => [size, pngs.get(size)])),
);
writeFileSync(
  join(assets, 'icon.icns'),
  icns([
    ['icp4', pngs.get(16)],
    ['icp5', pngs.get(32)],
    ['icp6', pngs.get(64)],
    ['ic07', pngs.get(128)],
    ['ic08', pngs.get(256)],
    ['ic09', pngs.get(512)],
    ['ic10', pngs.get(1024)],
    ['ic11', pngs.get(32)],
    ['ic12', pngs.get(64)],
    ['ic13', pngs.get(256)],
    ['ic14', pngs.get(512)],
  ]),
);
console.log(`icons written to ${assets}`);
