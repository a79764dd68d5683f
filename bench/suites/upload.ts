import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TempRoot } from '../lib/cleanup.js';
import { spawnHost, type HostProcess } from '../lib/host-process.js';
import { expectStatus, sleep } from '../lib/http.js';
import { readMemory, RssSampler, type MemoryReading, type RssSamples } from '../lib/proc.js';
import { uploadMultipart } from '../lib/multipart.js';
import type { ResultRow } from '../lib/report.js';
import { MIB, msSince, round } from '../lib/stats.js';
import { makeLargeZip, sha256File, type ZipFixture } from '../lib/zip-fixtures.js';

/** Upload benchmark settings. */
export interface UploadBenchOptions {
  bytes: number;
  sampleEveryMs: number;
  goalGrowthMiB: number;
}

interface UploadMeasurement {
  status: number;
  answer: string;
  elapsedMs: number;
  before: MemoryReading;
  after: MemoryReading;
  sampled: RssSamples;
  savedBytes: number;
  savedSha256: string;
}

/** Uploads `zipPath` to a running host while sampling its RSS, then reads back the file it saved. */
async function measureUpload(
  host: HostProcess,
  zipPath: string,
  sampleEveryMs: number,
): Promise<UploadMeasurement> {
  await expectStatus(200, 'GET', `${host.url}/ping`);
  await sleep(500);
  const before = readMemory(host.pid);
  const sampler = new RssSampler(host.pid, sampleEveryMs);
  sampler.start();
  const start = process.hrtime.bigint();
  let response;
  let sampled;
  try {
    response = await uploadMultipart(`${host.url}/config/uploads`, 'uploadFile', zipPath);
  } finally {
    sampled = sampler.stop();
  }
  const elapsedMs = msSince(start);
  const after = readMemory(host.pid);
  const saved = response.status === 201 ? response.body : undefined;
  return {
    status: response.status,
    answer: response.body.slice(0, 300),
    elapsedMs,
    before,
    after,
    sampled,
    savedBytes: saved === undefined ? 0 : (await stat(saved)).size,
    savedSha256: saved === undefined ? '' : await sha256File(saved),
  };
}

/**
 * Benchmark 4: streams a large zip to `POST /config/uploads` (multipart, field `uploadFile`) and samples the
 * host's VmRSS every `sampleEveryMs` during the upload: peak minus the idle host's RSS just before. The file
 * the host reports having saved must have the zip's sha256.
 */
export async function uploadBench(
  temp: TempRoot,
  configHome: string,
  options: UploadBenchOptions,
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const work = await temp.folder('upload-zip');
  const dataDir = await temp.folder('upload-data');
  let zip: ZipFixture;
  let measured: UploadMeasurement;
  try {
    zip = await makeLargeZip(work, join(work, 'upload-200mb.zip'), options.bytes, 'upload');
    const host = await spawnHost({ dataDir, configHome });
    try {
      measured = await measureUpload(host, zip.path, options.sampleEveryMs);
    } finally {
      await host.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
  const { before, after, sampled, elapsedMs, savedBytes, savedSha256 } = measured;
  const growth = (sampled.peakRss - before.rss) / MIB;
  const shaMatches = measured.status === 201 && savedSha256 === zip.sha256;
  return {
    rows: [
      {
        name: `upload ${Math.round(options.bytes / MIB)} MB: host RSS growth`,
        measured: { value: growth, unit: 'MiB' },
        baseline: { value: before.rss / MIB, unit: 'MiB', label: 'idle host RSS' },
        ratio: sampled.peakRss / before.rss,
        goal: `< ${options.goalGrowthMiB} MiB`,
        pass: measured.status === 201 && growth < options.goalGrowthMiB,
      },
      {
        name: `upload ${Math.round(options.bytes / MIB)} MB: saved file sha256`,
        measured: { value: savedBytes / MIB, unit: 'MiB' },
        baseline: { value: zip.bytes / MIB, unit: 'MiB', label: 'sent' },
        ratio: savedBytes / zip.bytes,
        goal: 'sha256 matches',
        pass: shaMatches,
      },
    ],
    details: {
      status: measured.status,
      answer: measured.answer,
      zipBytes: zip.bytes,
      zipSha256: zip.sha256,
      savedSha256,
      elapsedMs: round(elapsedMs),
      throughputMiBps: round(zip.bytes / MIB / (elapsedMs / 1000)),
      idleRssMiB: round(before.rss / MIB),
      peakRssMiB: round(sampled.peakRss / MIB),
      growthMiB: round(growth),
      afterRssMiB: round(after.rss / MIB),
      // The kernel's high-water mark includes start-up peaks, so it bounds the sampled peak from above.
      hwmBeforeMiB: round(before.hwm / MIB),
      hwmAfterMiB: round(after.hwm / MIB),
      samples: sampled.samples,
      maxSampleGapMs: round(sampled.maxGapMs),
    },
  };
}
