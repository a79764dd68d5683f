import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TempRoot } from '../lib/cleanup.js';
import { spawnHost } from '../lib/host-process.js';
import { expectStatus, sleep } from '../lib/http.js';
import { readMemory, RssSampler } from '../lib/proc.js';
import { uploadMultipart } from '../lib/multipart.js';
import type { ResultRow } from '../lib/report.js';
import { MIB, msSince, round } from '../lib/stats.js';
import { makeLargeZip, sha256File } from '../lib/zip-fixtures.js';

/** Upload benchmark settings. */
export interface UploadBenchOptions {
  bytes: number;
  sampleEveryMs: number;
  goalGrowthMiB: number;
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
  const zip = await makeLargeZip(work, join(work, 'upload-200mb.zip'), options.bytes, 'upload');
  const dataDir = await temp.folder('upload-data');
  const host = await spawnHost({ dataDir, configHome });
  let before;
  let sampled;
  let after;
  let response;
  let elapsedMs;
  let savedSha256 = '';
  let savedBytes = 0;
  try {
    await expectStatus(200, 'GET', `${host.url}/ping`);
    await sleep(500);
    before = readMemory(host.pid);
    const sampler = new RssSampler(host.pid, options.sampleEveryMs);
    sampler.start();
    const start = process.hrtime.bigint();
    try {
      response = await uploadMultipart(`${host.url}/config/uploads`, 'uploadFile', zip.path);
    } finally {
      elapsedMs = msSince(start);
      sampled = sampler.stop();
    }
    after = readMemory(host.pid);
    if (response.status === 201) {
      savedBytes = (await stat(response.body)).size;
      savedSha256 = await sha256File(response.body);
    }
  } finally {
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
  const growth = (sampled.peakRss - before.rss) / MIB;
  const shaMatches = response.status === 201 && savedSha256 === zip.sha256;
  return {
    rows: [
      {
        name: `upload ${Math.round(options.bytes / MIB)} MB: host RSS growth`,
        measured: { value: growth, unit: 'MiB' },
        baseline: { value: before.rss / MIB, unit: 'MiB', label: 'idle host RSS' },
        ratio: sampled.peakRss / before.rss,
        goal: `< ${options.goalGrowthMiB} MiB`,
        pass: response.status === 201 && growth < options.goalGrowthMiB,
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
      status: response.status,
      answer: response.body.slice(0, 300),
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
