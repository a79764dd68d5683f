import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scaffoldFiles } from '../../../main/authoring/scaffold/scaffold-files.js';
import { scaffoldZip } from '../../../main/authoring/scaffold/scaffold-zip.js';
import type { ScaffoldFile, ScaffoldRequest } from '../../../shared/scaffold-dto.js';
import { fileUrl, startTestHost, type TestHost } from '../../support/host-harness.js';
import { uniqueName } from '../../support/node-plugin-bundle.js';
import { sdkVendorEntries } from '../../support/python-sdk-plugin-zip.js';

/**
 * Every mix of Python scaffold really runs on this app's host, on eKuiper's real Python SDK (vendored into the
 * zip with the tests' pynng stand-in, since pynng cannot be installed here): installed from the scaffold's
 * zip — its install.sh included, which finds the SDK and pynng and installs nothing — then every function
 * called, every source sampled and every sink fed, untouched from the templates.
 */

let t: TestHost;

beforeAll(async () => {
  t = await startTestHost({ portableInitTimeoutMs: 15_000 });
});
afterAll(async () => {
  await t.close();
});

/** Symbol names are unique per run: the SDK names function channels after the symbol alone. */
const mixes: Array<{ title: string; sources: number; sinks: number; functions: number }> = [
  { title: 'a function alone', sources: 0, sinks: 0, functions: 1 },
  { title: 'a source alone', sources: 1, sinks: 0, functions: 0 },
  { title: 'a sink alone', sources: 0, sinks: 1, functions: 0 },
  { title: 'one of each', sources: 1, sinks: 1, functions: 1 },
  { title: 'several of each kind', sources: 2, sinks: 2, functions: 3 },
];

const names = (prefix: string, count: number) => Array.from({ length: count }, () => uniqueName(prefix));

/** The scaffold's zip with the SDK and the stand-in vendored beside its files. */
function runnableZip(files: ScaffoldFile[]): Uint8Array {
  const vendored = sdkVendorEntries().map((entry) => ({
    path: entry.name,
    data: new Uint8Array(entry.data),
  }));
  return scaffoldZip([...files, ...vendored]);
}

describe.each(mixes)('a Python scaffold with $title', (mix) => {
  const request: ScaffoldRequest = {
    language: 'python',
    name: uniqueName('py_scaffold_'),
    sources: names('src_', mix.sources),
    sinks: names('out_', mix.sinks),
    functions: names('fn_', mix.functions),
  };
  const base = () => `/manager/portables/${request.name}`;

  test('installs from its zip (install.sh run) and is running', async () => {
    const zip = join(t.tempDir, `${request.name}.zip`);
    await writeFile(zip, runnableZip(scaffoldFiles(request)));
    const response = await t.request('POST', '/plugins/portables', {
      name: request.name,
      file: fileUrl(zip),
    });
    expect(response.text).toBe(`portable plugin ${request.name} is created`);
    const status = (await t.request('GET', `/plugins/portables/${request.name}/status`)).json<{
      status: string;
    }>();
    expect(status.status).toBe('running');
  });

  test.runIf(mix.functions > 0)('every function answers its argument and refuses two', async () => {
    for (const fn of request.functions) {
      const call = await t.request('POST', `${base()}/functions/${fn}/call`, {
        args: [{ temperature: 21.5 }],
      });
      expect(call.json()).toMatchObject({ ok: true, stage: 'exec', result: { temperature: 21.5 } });
      const refused = await t.request('POST', `${base()}/functions/${fn}/call`, { args: [1, 2] });
      expect(refused.json()).toMatchObject({
        ok: false,
        stage: 'validate',
        error: `${fn} takes 1 argument but got 2`,
      });
    }
  });

  test.runIf(mix.sources > 0)(
    'every source emits readings with its data source, at its interval',
    async () => {
      for (const source of request.sources) {
        const response = await t.request('POST', `${base()}/sources/${source}/sample`, {
          dataSource: 'room/1',
          config: { interval: 20 },
          maxMessages: 3,
          durationMs: 20_000,
        });
        expect(response.status).toBe(200);
        const body = response.json<{
          messages: Array<{ message: Record<string, unknown>; meta: unknown }>;
        }>();
        expect(body.messages.map((event) => event.message.count)).toEqual([1, 2, 3]);
        for (const event of body.messages) {
          expect(event.message).toMatchObject({ datasource: 'room/1', ts: expect.any(Number) as unknown });
          expect(event.meta).toEqual({ source });
        }
      }
    },
  );

  test.runIf(mix.sources > 0)(
    "a source refuses an interval that is not a positive number, with the template's words",
    async () => {
      const source = request.sources[0]!;
      const response = await t.request('POST', `${base()}/sources/${source}/sample`, {
        dataSource: 'room/1',
        config: { interval: -5 },
        maxMessages: 1,
        durationMs: 5_000,
      });
      expect(response.text).toContain(
        `source ${source}: interval must be a positive number of milliseconds, got -5`,
      );
    },
  );

  test.runIf(mix.sinks > 0)(
    'every sink writes what it is fed to its file and acknowledges each row',
    async () => {
      for (const sink of request.sinks) {
        const path = join(t.tempDir, `${sink}.jsonl`);
        const rows = [{ a: 1 }, { b: 'two' }, { c: [3] }];
        const response = await t.request('POST', `${base()}/sinks/${sink}/feed`, {
          config: { path },
          rows,
          requireAck: true,
          ackTimeoutMs: 5000,
        });
        expect(response.status).toBe(200);
        const body = response.json<{ rows: Array<{ status: string }> }>();
        expect(body.rows.map((row) => row.status)).toEqual(['ok', 'ok', 'ok']);
        const written = (await readFile(path, 'utf8'))
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as unknown);
        expect(written).toEqual(rows);
      }
    },
  );

  test.runIf(mix.sinks > 0)('without a path a sink writes to the plugin log', async () => {
    const sink = request.sinks[0]!;
    const response = await t.request('POST', `${base()}/sinks/${sink}/feed`, {
      config: {},
      rows: [{ logged: 'yes' }],
      requireAck: true,
      ackTimeoutMs: 5000,
    });
    expect(response.json<{ rows: Array<{ status: string }> }>().rows[0]!.status).toBe('ok');
    const log = (await t.request('GET', `${base()}/log?lines=2000`)).json<{
      lines: Array<{ text: string }>;
    }>();
    expect(log.lines.map((line) => line.text).join('\n')).toContain(`sink ${sink} got {"logged": "yes"}`);
  });

  test('nothing went wrong in the plugin: no traceback in its log', async () => {
    const log = (await t.request('GET', `${base()}/log?lines=2000`)).json<{
      lines: Array<{ text: string }>;
    }>();
    expect(log.lines.map((line) => line.text).join('\n')).not.toContain('Traceback');
  });
});
