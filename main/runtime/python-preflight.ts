import { hostMessage } from '../../shared/host-messages.js';
import { execFile } from 'node:child_process';

/** The Python packages a plugin built on eKuiper's Python SDK imports. */
const SDK_MODULES = ['ekuiper', 'pynng'];

interface Probe {
  at: number;
  answer: Promise<PythonCheck>;
}

/** What the interpreter setting points at. */
export type PythonCheck =
  { ok: true; version: string; missingModules: string[] } | { ok: false; problem: string };

const probes = new Map<string, Probe>();
const PROBE_TTL_MS = 30_000;

const PROBE_SCRIPT =
  'import importlib.util, sys\n' +
  `missing = [m for m in ${JSON.stringify(SDK_MODULES)} if importlib.util.find_spec(m) is None]\n` +
  'print(sys.version.split()[0]); print(",".join(missing))';

/**
 * Runs the interpreter once to learn its version and which SDK packages it lacks. Cached briefly, since
 * installing a dozen plugins should not start Python a dozen times.
 */
export function checkPython(pythonBin: string): Promise<PythonCheck> {
  const cached = probes.get(pythonBin);
  if (cached !== undefined && Date.now() - cached.at < PROBE_TTL_MS) return cached.answer;
  const answer = new Promise<PythonCheck>((resolve) => {
    execFile(pythonBin, ['-c', PROBE_SCRIPT], { timeout: 15_000 }, (error, stdout) => {
      if (error !== null) {
        const code = (error as NodeJS.ErrnoException).code;
        resolve({
          ok: false,
          problem:
            code === 'ENOENT'
              ? hostMessage('pythonNotFound', { python: pythonBin })
              : hostMessage('pythonDoesNotRun', {
                  python: pythonBin,
                  reason: error.message.split('\n')[0] ?? '',
                }),
        });
        return;
      }
      const [version = '', missing = ''] = stdout.split(/\r?\n/);
      resolve({ ok: true, version, missingModules: missing === '' ? [] : missing.split(',') });
    });
  });
  probes.set(pythonBin, { at: Date.now(), answer });
  return answer;
}

/**
 * One line explaining why a Python plugin failed to start when its output shows a missing package, the way
 * eKuiper's documentation would have the user fix it.
 */
export function missingModuleHint(pythonBin: string, stderr: string, missing: string[]): string | undefined {
  const named = /No module named '([^'.]+)/.exec(stderr)?.[1];
  const modules = named !== undefined ? [named] : [];
  for (const module of missing)
    if (stderr.includes(module) && !modules.includes(module)) modules.push(module);
  if (modules.length === 0) return undefined;
  const sdk = modules.some((module) => SDK_MODULES.includes(module));
  return hostMessage(modules.length > 1 ? 'pythonPackagesMissing' : 'pythonPackageMissing', {
    modules: modules.join(', '),
    python: pythonBin,
    command: `${pythonBin} -m pip install ${sdk ? 'ekuiper pynng' : modules.join(' ')}`,
  });
}
