import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LeftOutFile } from '../../shared/pack-dto.js';
import { sizeText } from '../../shared/size-text.js';
import { packFolder, type PackTargetServer } from '../authoring/pack/pack-folder.js';
import { checkOutputPath, packFileName, writePackedZip } from '../authoring/pack/pack-output.js';

const usage = `Usage: npm run pack -- <plugin folder> [-o plugin.zip] [--target linux/arm64]

Checks a portable plugin folder with the host's install rules and writes the zip eKuiper accepts: files at the
root, exec bit on the executable, no caches, version control, virtualenvs or editor files, and the same bytes
for the same folder. The zip goes to -o, else to dist/<name>-<version>.zip beside the plugin folder.
--target compares a Go executable with the OS/architecture it must run on. Exits 1 when there are problems.`;

/** `npm run` starts scripts in the project folder; paths the user typed are relative to where they typed them. */
const callerFolder = (): string => process.env.INIT_CWD ?? process.cwd();

const LEFT_OUT_LABELS: Record<LeftOutFile['reason'], string> = {
  'python-cache': 'Python cache',
  git: 'version control',
  virtualenv: 'virtualenv',
  'node-modules': 'node_modules',
  editor: 'editor file',
  'os-file': 'OS file',
  'built-zip': 'earlier build',
  'folder-link': 'link to a folder',
  'special-file': 'not a regular file',
  unreadable: 'not readable by this user',
};

class UsageError extends Error {}

interface CliArgs {
  folder: string;
  output: string | undefined;
  target: PackTargetServer | undefined;
}

function parseCli(argv: string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      target: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    console.log(usage);
    process.exit(0);
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one plugin folder');
  let target: PackTargetServer | undefined;
  if (values.target !== undefined) {
    const match = /^([a-z0-9]+)\/([a-z0-9]+)$/.exec(values.target);
    if (match === null) throw new UsageError(`--target ${values.target} is not like linux/arm64`);
    target = { id: 'target', name: 'the target', os: match[1]!, arch: match[2]! };
  }
  const here = callerFolder();
  return {
    folder: resolve(here, positionals[0]!),
    output: values.output === undefined ? undefined : resolve(here, values.output),
    target,
  };
}

async function main(): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (args.output !== undefined) await checkOutputPath(args.output, args.folder);
  const packed = await packFolder(args.folder, { target: args.target });
  for (const file of packed.leftOut) {
    console.log(`left out: ${file.path} (${LEFT_OUT_LABELS[file.reason]})`);
  }
  for (const warning of packed.warnings) console.error(`warning: ${warning.message}`);
  const mismatch = packed.target?.matches === false;
  if (packed.zip === undefined || mismatch) {
    for (const problem of packed.problems)
      console.error(`problem: ${problem.message}\n  fix: ${problem.fix}`);
    console.error(`${basename(args.folder)} was not packaged.`);
    return 1;
  }
  const output =
    args.output ?? join(dirname(packed.folder), 'dist', packFileName(packed.name!, packed.version));
  const result = await writePackedZip(packed, await checkOutputPath(output, packed.folder));
  const binary = result.binary === undefined ? '' : `, built for ${result.binary.os}/${result.binary.arch}`;
  console.log(
    `packaged ${result.name} ${result.version ?? ''} (${result.language}${binary}): ` +
      `${result.files.length} files, ${sizeText(result.size)}`,
  );
  console.log(result.path);
  console.log(`sha256 ${result.sha256}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
