import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * Zips with one large entry, written to disk block by block so that neither the test process nor the zip
 * builder holds the entry: `test/support/zip-writer.ts` builds whole zips in memory, which is fine up to a
 * few MB but not for the 200 MB entries the streaming extractor is tested with.
 */
export interface LargeEntryOptions {
  /** Real size of the entry, in MiB. */
  sizeMiB: number;
  method: 'store' | 'deflate';
  name?: string;
  /** Uncompressed size to write in the headers instead of the real one. */
  declaredSize?: number;
  /** CRC-32 to write in the headers instead of the real one. */
  crc32?: number;
  /** Flips a byte of this 1 MiB block's data in the zip (raw or deflated), after the CRC was computed. */
  flipInBlock?: number;
}

/** What the zip holds, for checking the extracted file without reading it into memory. */
export interface LargeZip {
  size: number;
  crc32: number;
  sha256: string;
  compressedSize: number;
}

const MIB = 1024 * 1024;
const BLOCK_KINDS = 8;

let blocks: { raw: Buffer; deflated: Buffer }[] | undefined;

/**
 * Eight different 1 MiB blocks of low-entropy bytes (16 letters, so Deflate halves them and really has to
 * work), each deflated once on its own with a sync flush: such segments end on a byte boundary and refer
 * only to themselves, so any sequence of them followed by an empty final block is a valid Deflate stream.
 * That makes a 200 MB deflated entry cost milliseconds to build instead of seconds.
 */
function blockKinds(): { raw: Buffer; deflated: Buffer }[] {
  if (blocks !== undefined) return blocks;
  let seed = 0x2545f491;
  blocks = Array.from({ length: BLOCK_KINDS }, () => {
    const raw = Buffer.allocUnsafe(MIB);
    for (let at = 0; at < MIB; at++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      raw[at] = 0x61 + (seed & 0x0f);
    }
    const deflated = deflateRawSync(raw, { level: 1, finishFlush: constants.Z_SYNC_FLUSH });
    return { raw, deflated };
  });
  return blocks;
}

/** Block `index` of an entry: a sequence that is not periodic in a short cycle, so misordered chunks show. */
function blockAt(index: number): { raw: Buffer; deflated: Buffer } {
  return blockKinds()[(index * 3 + (index >> 3) + (index >> 6)) % BLOCK_KINDS]!;
}

/** Writes a zip holding one entry of `sizeMiB` MiB to `path`; returns its real size, CRC and SHA-256. */
export function writeLargeZip(path: string, options: LargeEntryOptions): LargeZip {
  const name = Buffer.from(options.name ?? 'model.bin', 'utf8');
  const count = options.sizeMiB;
  const size = count * MIB;
  let crc = 0;
  const hash = createHash('sha256');
  let compressedSize = 0;
  for (let index = 0; index < count; index++) {
    const block = blockAt(index);
    crc = crc32(block.raw, crc);
    hash.update(block.raw);
    compressedSize += options.method === 'store' ? MIB : block.deflated.length;
  }
  const finalBlock = Buffer.from([0x03, 0x00]);
  if (options.method === 'deflate') compressedSize += finalBlock.length;
  if (compressedSize >= 0xffffffff || size >= 0xffffffff) throw new Error('writeLargeZip: no ZIP64 support');

  const fields = {
    method: options.method === 'store' ? 0 : 8,
    crc: options.crc32 ?? crc,
    compressedSize,
    declaredSize: options.declaredSize ?? size,
  };
  const fd = openSync(path, 'w');
  try {
    const local = localHeader(name, fields);
    writeAll(fd, local);
    for (let index = 0; index < count; index++) {
      const block = blockAt(index);
      let data = options.method === 'store' ? block.raw : block.deflated;
      if (index === options.flipInBlock) {
        data = Buffer.from(data);
        data[data.length >> 1]! ^= 0x01;
      }
      writeAll(fd, data);
    }
    if (options.method === 'deflate') writeAll(fd, finalBlock);
    const directoryOffset = local.length + compressedSize;
    const central = centralHeader(name, fields);
    writeAll(fd, central);
    writeAll(fd, endRecord(central.length, directoryOffset));
  } finally {
    closeSync(fd);
  }
  return { size, crc32: crc, sha256: hash.digest('hex'), compressedSize };
}

interface Fields {
  method: number;
  crc: number;
  compressedSize: number;
  declaredSize: number;
}

function localHeader(name: Buffer, fields: Fields): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(fields.method, 8);
  header.writeUInt32LE(fields.crc, 14);
  header.writeUInt32LE(fields.compressedSize, 18);
  header.writeUInt32LE(fields.declaredSize, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name]);
}

function centralHeader(name: Buffer, fields: Fields): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE((3 << 8) | 20, 4);
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(fields.method, 10);
  header.writeUInt32LE(fields.crc, 16);
  header.writeUInt32LE(fields.compressedSize, 20);
  header.writeUInt32LE(fields.declaredSize, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  return Buffer.concat([header, name]);
}

function endRecord(directorySize: number, directoryOffset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(directoryOffset, 16);
  return end;
}

function writeAll(fd: number, data: Buffer): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done);
}
