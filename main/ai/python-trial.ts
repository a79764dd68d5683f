import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostMessage } from '../../shared/host-messages.js';
import type { AiExample, AiTryAnswer } from '../../shared/ai-dto.js';
import { KeyedMutex } from '../plugins/keyed-mutex.js';
import { PluginError, errorText } from '../plugins/plugin-error.js';
import type { PluginManager } from '../plugins/plugin-manager.js';
import { tryFunction } from '../runtime/try-function.js';
import type { SettingsSource } from '../settings/host-settings.js';
import { allFailed, runExamples } from './example-run.js';
import { scaffoldZip } from '../authoring/scaffold/scaffold-zip.js';
import { pythonFunctionPluginFiles } from './python-plugin.js';

/** The trial plugin's name: one at a time, clearly not the user's, removed after each run. */
export const TRIAL_PLUGIN = 'ai_trial';
/**
 * A file only the trial plugin has: a plugin the user named `ai_trial` themselves lacks it, and is never removed
 * to make room for a trial.
 */
const TRIAL_MARKER = 'AI_TRIAL.txt';
const TRIAL_MARKER_TEXT =
  'A temporary plugin made by eKuiper Extension Manager to run the examples of an AI-generated function.\n' +
  'It is removed when the run ends; if it is left behind, deleting it is safe.\n';
/** The function's name inside the trial plugin: never the SQL name, which an installed plugin may already own. */
export const trialSymbol = (name: string): string => `ai_trial_${name}`;

/**
 * Runs the examples against generated Python code on this app's own host, the way the user's servers will run
 * it: the code becomes a portable plugin (`ai_trial`, its function `ai_trial_<name>`), installed as any plugin
 * is, called through the host's function Try it (Validate, then Exec), and removed afterwards. One trial at a
 * time. A plugin that does not install or start fails every example with the host's reason.
 */
export class PythonTrial {
  private readonly lock = new KeyedMutex();

  constructor(
    private readonly manager: PluginManager,
    private readonly settings: SettingsSource,
  ) {}

  run(name: string, code: string, examples: AiExample[]): Promise<AiTryAnswer> {
    return this.lock.run([TRIAL_PLUGIN], () => this.runAlone(name, code, examples));
  }

  private async runAlone(name: string, code: string, examples: AiExample[]): Promise<AiTryAnswer> {
    const symbol = trialSymbol(name);
    let zip: Uint8Array;
    try {
      zip = scaffoldZip([
        ...pythonFunctionPluginFiles({ plugin: TRIAL_PLUGIN, symbol, code, installScript: false }),
        { path: TRIAL_MARKER, data: TRIAL_MARKER_TEXT },
      ]);
    } catch (error) {
      if (error instanceof PluginError) return allFailed(examples, error.message);
      throw error;
    }
    // A trial the host did not finish (it stopped mid-run) goes first; a plugin of the user's refuses the run.
    await this.removeTrial();
    const zipPath = join(this.manager.layout.uploadsDir, `${TRIAL_PLUGIN}.zip`);
    await mkdir(this.manager.layout.uploadsDir, { recursive: true });
    await writeFile(zipPath, zip);
    try {
      try {
        await this.manager.createPortable({
          name: TRIAL_PLUGIN,
          file: pathToFileURL(zipPath).href,
          shellParas: [],
        });
      } catch (error) {
        return allFailed(examples, hostMessage('aiTrialInstallFailed', { reason: errorText(error) }));
      }
      const instance = this.manager.runtime.get(TRIAL_PLUGIN);
      if (instance === undefined) {
        return allFailed(
          examples,
          hostMessage('aiTrialInstallFailed', { reason: 'the plugin is not running' }),
        );
      }
      const timeoutMs = this.settings.read().portableCallTimeoutMs;
      return await runExamples(examples, async (args) => {
        const trial = await tryFunction(instance, symbol, args, timeoutMs);
        return trial.ok
          ? { ok: true, result: trial.result }
          : { ok: false, error: (trial.error ?? '').trim() };
      });
    } finally {
      await this.removeTrial();
      await rm(zipPath, { force: true });
    }
  }

  /**
   * Removes the trial plugin if one is installed (left by a run the host did not finish); a plugin of that name
   * without the marker is the user's, and stays.
   */
  private async removeTrial(): Promise<void> {
    if (!this.manager.listPortables().some((plugin) => plugin.name === TRIAL_PLUGIN)) return;
    if (!existsSync(join(this.manager.layout.portableDir, TRIAL_PLUGIN, TRIAL_MARKER))) {
      throw new PluginError(hostMessage('aiTrialNameTaken', { name: TRIAL_PLUGIN }));
    }
    await this.manager.deletePortable(TRIAL_PLUGIN);
  }
}
