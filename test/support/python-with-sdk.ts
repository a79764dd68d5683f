import { chmodSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PYTHON_SDK } from './python-sdk-plugin-zip.js';

const SUPPORT = import.meta.dirname;

/**
 * An interpreter for the `pythonBin` setting that has what a user's Python has after `pip install ekuiper
 * pynng`: eKuiper's real Python SDK and, since pynng cannot be installed here, the tests' stand-in over libnng.
 * Plugins the host builds itself (the AI generator's trial) then run unchanged, without vendoring anything.
 * Bytecode is not written, so the shared fixtures stay as they are.
 */
export function pythonWithSdk(folder: string): string {
  const path = join(folder, 'python-with-sdk');
  const paths = [dirname(PYTHON_SDK), join(SUPPORT, 'pynng-standin'), join(SUPPORT, 'python-plugin')];
  writeFileSync(
    path,
    `#!/bin/sh\nPYTHONPATH='${paths.join(':')}' PYTHONDONTWRITEBYTECODE=1 exec python3 "$@"\n`,
  );
  chmodSync(path, 0o755);
  return path;
}
