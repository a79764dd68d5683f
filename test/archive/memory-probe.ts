/**
 * Child-process probe for the extractor's memory use (run by zip-extract-large.test.ts with
 * `node --import tsx`). The extraction worker is a thread of this process, so the kernel's peak resident
 * set (VmHWM in /proc/self/status) counts everything it allocates, whatever the allocator or V8 reports.
 * A warm-up extraction of a small zip first brings in the code, a worker's isolate and zlib, so the
 * difference between the peak before and after the large extraction is what the large entry cost.
 * Prints one JSON line: { baselineKiB, peakKiB, bytesWritten } or { error: { code, message } }.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractEntries } from '../../main/archive/zip-extract.js';
import { readZipDirectory } from '../../main/archive/zip-reader.js';

interface ProbeArguments {
  warmZipPath: string;
  zipPath: string;
  root: string;
  maxInflatedBytes: number;
}

function peakKiB(): number {
  const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (line === null) throw new Error('no VmHWM line in /proc/self/status');
  return Number(line[1]);
}

async function extractAll(zipPath: string, root: string, maxInflatedBytes: number): Promise<number> {
  const entries = await readZipDirectory(zipPath);
  const items = entries.map((entry) => ({ entry, destinations: [join(root, entry.name)] }));
  const { bytesWritten } = await extractEntries(zipPath, items, { root, maxInflatedBytes });
  return bytesWritten;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ProbeArguments;
  await extractAll(args.warmZipPath, join(args.root, 'warm-up'), args.maxInflatedBytes);
  const baselineKiB = peakKiB();
  try {
    const bytesWritten = await extractAll(args.zipPath, join(args.root, 'out'), args.maxInflatedBytes);
    console.log(JSON.stringify({ baselineKiB, peakKiB: peakKiB(), bytesWritten }));
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    console.log(JSON.stringify({ baselineKiB, peakKiB: peakKiB(), error: { code, message } }));
  }
}

void main();
