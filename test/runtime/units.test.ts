import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultSettings, validateSettingsPatch } from '../../shared/host-settings.js';
import type { PortableManifest } from '../../shared/portable-manifest.js';
import { LaunchError, launchPlan, prepareExecutable } from '../../main/runtime/launch-plan.js';
import { LOG_RING_LINES, PluginLog } from '../../main/runtime/plugin-log.js';
import { restartDelayMs } from '../../main/runtime/plugin-instance.js';
import { explainingLines } from '../../main/runtime/explaining-lines.js';

const manifest = (extra: Partial<PortableManifest>): PortableManifest => ({
  name: 'p',
  version: '1',
  language: 'go',
  executable: 'run',
  sources: [],
  sinks: [],
  functions: ['f'],
  ...extra,
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ekm-units-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("launch plans: eKuiper's command lines", () => {
  test('go: the executable itself with the JSON argument, in its folder', () => {
    expect(launchPlan(manifest({}), '/d/plugins/portable/p/run', 'python3')).toMatchObject({
      command: '/d/plugins/portable/p/run',
      args: ['{"sendTimeout":1000}'],
      cwd: '/d/plugins/portable/p',
    });
  });

  test('python: the interpreter setting with -u', () => {
    const plan = launchPlan(
      manifest({ language: 'python', executable: 'main.py' }),
      '/x/main.py',
      '/opt/py/bin/python3',
    );
    expect(plan).toMatchObject({
      command: '/opt/py/bin/python3',
      args: ['-u', '/x/main.py', '{"sendTimeout":1000}'],
    });
  });

  test('python in conda: conda run -n env, as eKuiper does (no -u)', () => {
    const plan = launchPlan(
      manifest({ language: 'python', executable: 'main.py', virtualEnvType: 'conda', env: 'edge' }),
      '/x/main.py',
      'python',
    );
    expect(plan).toMatchObject({
      command: 'conda',
      args: ['run', '-n', 'edge', 'python', '/x/main.py', '{"sendTimeout":1000}'],
    });
  });

  test('conda without env, and other environment types, are refused with the reason', () => {
    expect(() =>
      launchPlan(manifest({ language: 'python', virtualEnvType: 'conda' }), '/x/m.py', 'python'),
    ).toThrow('the manifest sets virtualEnvType "conda" but names no "env" to run in');
    expect(() =>
      launchPlan(manifest({ language: 'python', virtualEnvType: 'venv' }), '/x/m.py', 'python'),
    ).toThrow('virtualEnvType "venv" is not supported: eKuiper only runs "conda" environments');
  });
});

describe('executables are checked before they run', () => {
  const elf = (machine: number) => {
    const head = Buffer.alloc(64);
    head.writeUInt32BE(0x7f454c46, 0);
    head[4] = 2;
    head[5] = 1;
    head.writeUInt16LE(machine, 18);
    return head;
  };

  test('a program for this machine without its exec bit gets it', async () => {
    const file = join(dir, 'native');
    const machine = process.arch === 'arm64' ? 183 : 62;
    await writeFile(file, elf(machine), { mode: 0o644 });
    await prepareExecutable(file);
    expect((await stat(file)).mode & 0o111).not.toBe(0);
  });

  test('another architecture is refused with the GOARCH to build for', async () => {
    const file = join(dir, 'other-arch');
    await writeFile(file, elf(process.arch === 'arm64' ? 62 : 183), { mode: 0o755 });
    await expect(prepareExecutable(file)).rejects.toThrow(
      /^the executable is built for (arm64|amd64) and this machine is/,
    );
  });

  test.skipIf(process.platform === 'win32')('a Windows program is refused as such', async () => {
    const file = join(dir, 'win.exe');
    await writeFile(file, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62)]), { mode: 0o755 });
    await expect(prepareExecutable(file)).rejects.toThrow(LaunchError);
    await expect(prepareExecutable(file)).rejects.toThrow(
      'the executable is a Windows program and cannot run on',
    );
  });
});

describe('plugin logs', () => {
  test('lines split across chunks are joined; CRLF is a line end; stderr is kept apart', () => {
    const log = new PluginLog();
    log.write('stdout', 'hel');
    log.write('stdout', 'lo\r\nwor');
    log.write('stderr', 'oops\n');
    log.flush();
    expect(log.tail().map((line) => [line.stream, line.text])).toEqual([
      ['stdout', 'hello'],
      ['stderr', 'oops'],
      ['stdout', 'wor'],
    ]);
    expect(log.stderrSince(0)).toBe('oops');
  });

  test('the ring keeps the newest lines, and a line without newline cannot grow without bound', () => {
    const log = new PluginLog();
    for (let i = 0; i < LOG_RING_LINES + 10; i++) log.write('stdout', `line ${i}\n`);
    expect(log.tail().length).toBe(LOG_RING_LINES);
    expect(log.tail(1)[0]!.text).toBe(`line ${LOG_RING_LINES + 9}`);
    log.write('stdout', 'x'.repeat(40_000));
    expect(log.tail(2).map((line) => line.text.length)).toEqual([16_384, 16_384]);
  });

  test('followers get every new line until they unsubscribe', () => {
    const log = new PluginLog();
    const seen: string[] = [];
    const stop = log.subscribe((line) => seen.push(line.text));
    log.note('started');
    log.write('stdout', 'a\n');
    stop();
    log.write('stdout', 'b\n');
    expect(seen).toEqual(['started', 'a']);
  });
});

test('restart back-off doubles from 0.5 s up to 30 s', () => {
  expect([0, 1, 2, 3, 4, 10].map(restartDelayMs)).toEqual([0, 500, 1000, 2000, 4000, 30_000]);
});

test('the runtime settings are validated like every other', () => {
  const current = defaultSettings('/data');
  expect(current).toMatchObject({
    pythonBin: 'python3',
    portableInitTimeoutMs: 60_000,
    portableCallTimeoutMs: 5000,
  });
  const bad = validateSettingsPatch(
    { pythonBin: '', portableInitTimeoutMs: 5, portableCallTimeoutMs: 'x' },
    current,
  );
  expect(bad).toEqual({
    ok: false,
    problems: [
      'pythonBin must name a Python interpreter, such as python3 or /usr/bin/python3',
      'portableInitTimeoutMs must be a whole number from 100 to 600000 milliseconds (at most 10 minutes)',
      'portableCallTimeoutMs must be a whole number from 100 to 600000 milliseconds (at most 10 minutes)',
    ],
  });
  expect(
    validateSettingsPatch({ pythonBin: '/opt/conda/bin/python', portableInitTimeoutMs: 5000 }, current).ok,
  ).toBe(true);
});

describe('the lines that explain why a plugin ended', () => {
  test("eKuiper's Go SDK info logging explains nothing; its error lines and a panic do", () => {
    const info = 'time="2026-01-01" level=info msg="stopping rule1_op1_0_file" file="runtime/plugin.go:162"';
    expect(explainingLines([info, info])).toEqual([]);
    const error = 'time="2026-01-01" level=error msg="cannot receive from mangos Socket: object closed"';
    expect(explainingLines([info, error, info])).toEqual([error]);
    const panic = [info, "panic: can't dial on req socket", '', 'goroutine 1 [running]:', 'main.main()'];
    expect(explainingLines(panic)).toEqual(["panic: can't dial on req socket"]);
  });

  test("a Python traceback's last lines, ending with the exception", () => {
    const lines = [
      '2026-01-01 10:00:00 - /p/main.py[line:3] - INFO: starting plugin p',
      'Traceback (most recent call last):',
      '  File "/p/main.py", line 9, in <module>',
      '    connect()',
      'ConnectionRefusedError: [Errno 111] Connection refused',
    ];
    expect(explainingLines(lines)).toEqual([
      '  File "/p/main.py", line 9, in <module>',
      '    connect()',
      'ConnectionRefusedError: [Errno 111] Connection refused',
    ]);
  });

  test('Python logging at INFO is routine even when it names a failure; ERROR is not', () => {
    const info = '2026-01-01 - /p/x.py[line:1] - INFO: control channel cannot created, retrying';
    const error = '2026-01-01 - /p/x.py[line:2] - ERROR: the device refused the connection';
    expect(explainingLines([info])).toEqual([]);
    expect(explainingLines([info, error])).toEqual([error]);
    expect(explainingLines(['plain words', 'open /dev/x: permission denied'])).toEqual([
      'open /dev/x: permission denied',
    ]);
  });
});
