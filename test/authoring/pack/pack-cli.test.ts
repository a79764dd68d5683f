import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/** `npm run pack` runs this entry; here it runs from source with tsx, as a user's shell would start it. */
const PROJECT = resolve(import.meta.dirname, '../../..');
const PACK_CLI = join(PROJECT, 'main/host/pack-cli.ts');
/** Each run starts node with tsx (about a second of CPU); on a loaded machine that can take much longer. */
const SPAWN_TIMEOUT = 90_000;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ekm-pack-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command line from `cwd` the way npm does: in the project, with the caller's folder in INIT_CWD. */
function pack(args: string[], cwd: string): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', PACK_CLI, ...args], {
    cwd: PROJECT,
    env: { ...process.env, INIT_CWD: cwd },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
}

async function plugin(name: string, files: Record<string, string>): Promise<string> {
  const folder = join(work, name);
  for (const [path, data] of Object.entries(files)) {
    await mkdir(join(folder, path, '..'), { recursive: true });
    await writeFile(join(folder, path), data);
  }
  return folder;
}

describe('npm run pack -- <folder> [-o plugin.zip]', () => {
  test(
    'prints what was left out, the zip path and its SHA-256; the default zip goes to dist/ beside the folder',
    async () => {
      await plugin('pyfn', {
        'pyfn.json': JSON.stringify({
          version: 'v2.0.0',
          language: 'python',
          executable: 'main.py',
          functions: ['f'],
        }),
        'main.py': 'print(1)\n',
        '__pycache__/main.cpython-311.pyc': 'x',
      });
      const run = await pack(['pyfn'], work);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const path = join(work, 'dist', 'pyfn-v2.0.0.zip');
      const zip = await readFile(path);
      const sha = createHash('sha256').update(zip).digest('hex');
      expect(run.stdout.split('\n')).toEqual([
        'left out: __pycache__/ (Python cache)',
        `packaged pyfn v2.0.0 (python): 2 files, ${zip.length} bytes`,
        path,
        `sha256 ${sha}`,
        '',
      ]);
      const again = await pack(['pyfn', '-o', 'out/again.zip'], work);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`sha256 ${sha}`);
      expect(
        createHash('sha256')
          .update(await readFile(join(work, 'out/again.zip')))
          .digest('hex'),
      ).toBe(sha);
    },
    SPAWN_TIMEOUT,
  );

  test(
    'exits 1 with each problem and its fix',
    async () => {
      await plugin('gofn', {
        'gofn.json': JSON.stringify({ language: 'go', executable: 'gofn', sources: ['s'] }),
      });
      const run = await pack(['gofn', '--target', 'linux/arm64'], work);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        "problem: missing gofn: the manifest names 'gofn' as the executable, but the zip has no such file (its root holds gofn.json)\n" +
          '  fix: build the executable into the folder, for example: GOOS=linux GOARCH=arm64 go build -o gofn .\n' +
          "problem: missing sources/s.yaml: every source the manifest declares needs its default configuration in the zip (add sources/s.yaml for the source 's')\n" +
          '  fix: create sources/s.yaml in the folder with a default section, for example: default: {}\n' +
          'gofn was not packaged.\n',
      );
    },
    SPAWN_TIMEOUT,
  );

  test(
    'exits 2 with the usage on a bad command line, and 1 when -o points inside the folder',
    async () => {
      const usage = await pack([], work);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(
        /^give exactly one plugin folder\n\nUsage: npm run pack -- <plugin folder>/,
      );
      const inside = await pack(['pyfn', '-o', 'pyfn/p.zip'], work);
      expect(inside.code).toBe(1);
      expect(inside.stderr).toMatch(/would be written inside the plugin folder/);
    },
    SPAWN_TIMEOUT,
  );
});
