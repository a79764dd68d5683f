import { hostMessage } from '../../../shared/host-messages.js';
import type { PackProblem } from '../../../shared/pack-dto.js';
import {
  cleanRelativePath,
  planPortableZip,
  type PortableManifest,
} from '../../../shared/portable-manifest.js';
import type { ZipEntryInfo } from '../../../shared/zip-layout.js';

export interface PlanProblemContext {
  /** The manifest's file name, for the fixes. */
  file: string;
  /** A source configuration to suggest. */
  example: string;
  /** The server the build is meant for: the Go build command names its OS and architecture. */
  target?: { os: string; arch: string };
}

/** The most problems one folder reports: past this, the first ones are enough to start with. */
const MAX_PROBLEMS = 50;

/**
 * Every problem the host's `planPortableZip` finds in the files, each with what to do in the folder. The host
 * stops at the first; here each is noted, its file counted as added (or the stray file as removed), and the
 * plan run again, so the user sees all of them at once, each still in the host's words.
 */
export function planProblems(
  manifest: PortableManifest,
  infos: readonly ZipEntryInfo[],
  context: PlanProblemContext,
): PackProblem[] {
  const problems: PackProblem[] = [];
  let entries = [...infos];
  const executable = cleanRelativePath(manifest.executable);
  while (problems.length < MAX_PROBLEMS) {
    const planned = planPortableZip(manifest, entries);
    if (planned.ok) break;
    const message = planned.problem;
    const sourceConfig = /^missing (sources\/[^:]+\.yaml): /.exec(message)?.[1];
    const foreign = entries.find((entry) => message.startsWith(`${entry.name} does not belong to`));
    if (message.startsWith(`missing ${executable}: `)) {
      const fix =
        manifest.language === 'go'
          ? hostMessage('packFixGoExecutable', {
              os: context.target?.os || 'linux',
              arch: context.target?.arch || 'amd64',
              executable,
            })
          : hostMessage('packFixPythonExecutable', { executable, file: context.file });
      problems.push({ code: 'executable-missing', message, fix });
      entries.push({ name: executable, isDirectory: false, size: 0 });
    } else if (sourceConfig !== undefined) {
      problems.push({
        code: 'source-config-missing',
        message,
        fix: hostMessage('packFixSourceConfig', { config: sourceConfig, example: context.example }),
      });
      entries.push({ name: sourceConfig, isDirectory: false, size: 0 });
    } else if (foreign !== undefined) {
      const base = foreign.name.slice(foreign.name.indexOf('/') + 1);
      problems.push({
        code: 'foreign-symbol-file',
        message,
        fix: hostMessage('packFixForeignSymbolFile', {
          symbol: base.replace(/\.[^.]*$/, ''),
          file: context.file,
          entry: foreign.name,
        }),
      });
      entries = entries.filter((entry) => entry !== foreign);
    } else {
      problems.push({ code: 'zip-rule', message, fix: hostMessage('packFixZipRule') });
      break;
    }
  }
  return problems;
}
