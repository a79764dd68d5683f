import { hostMessage } from '../../shared/host-messages.js';
import type { AiSettings, AiSettingsInput } from '../../shared/ai-dto.js';
import { PluginError } from '../plugins/plugin-error.js';
import { readJsonFile, writeJsonAtomic } from '../servers/json-file.js';
import { memorySecretStore, type SecretStore } from '../servers/secret-store.js';

/**
 * The AI endpoint's key in the secret store the servers use. Server ids are slugs (`[a-z0-9-]`), so an id with a
 * colon can never be a server's.
 */
export const AI_SECRET_ID = 'ai:endpoint';

/** Everything the chat client needs, key included: only ever handed to the client, never answered. */
export interface AiEndpoint {
  baseUrl: string;
  model: string;
  apiKey?: string;
}

const MAX_MODEL_LENGTH = 200;
const FILE_VERSION = 1;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function validBaseUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === ''
    );
  } catch {
    return false;
  }
}

/** `http://host:11434/v1/` and `http://host:11434/v1` are one endpoint: paths are joined to it without a slash. */
function normalBaseUrl(text: string): string {
  return text.trim().replace(/\/+$/, '');
}

/**
 * Checks a `PUT /manager/ai/settings` body: only the three keys, each well-formed, every problem said at once.
 * Answers the patch with the base URL normalised.
 */
export function validateAiSettingsInput(body: unknown): AiSettingsInput {
  if (!isRecord(body)) throw new PluginError('invalid AI settings body: must be a JSON object');
  const problems: string[] = [];
  const input: AiSettingsInput = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'baseUrl') {
      if (typeof value === 'string' && (value.trim() === '' || validBaseUrl(value.trim()))) {
        input.baseUrl = normalBaseUrl(value);
      } else problems.push(hostMessage('aiBaseUrlInvalid', { value: JSON.stringify(value) }));
    } else if (key === 'model') {
      // eslint-disable-next-line no-control-regex
      if (typeof value === 'string' && value.length <= MAX_MODEL_LENGTH && !/[\u0000-\u001f]/.test(value)) {
        input.model = value.trim();
      } else problems.push(hostMessage('aiModelInvalid'));
    } else if (key === 'apiKey') {
      // eslint-disable-next-line no-control-regex
      if (value === null || (typeof value === 'string' && /^[^\s\u0000-\u001f\u007f]+$/.test(value))) {
        input.apiKey = value;
      } else problems.push(hostMessage('aiKeyInvalid'));
    } else if (key !== 'hasKey') {
      problems.push(hostMessage('aiSettingsUnknown', { key }));
    }
  }
  if (problems.length > 0) throw new PluginError(problems.join('; '));
  return input;
}

/**
 * The AI endpoint's settings: base URL and model in a small JSON file of their own (beside servers.json; in
 * memory without one), the API key in the secret store — the servers' store, under its own id, so the desktop
 * app seals it with the keychain and the headless host keeps it in the user-only file. Nothing here answers or
 * logs the key; `publicSettings` says only whether one is stored.
 */
export class AiSettingsStore {
  private stored: { baseUrl: string; model: string } | undefined;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: { file?: string; secrets?: SecretStore; log?: (message: string) => void },
    private readonly secrets: SecretStore = options.secrets ?? memorySecretStore(),
  ) {}

  /** What routes answer: the endpoint and `hasKey`. */
  async publicSettings(): Promise<AiSettings> {
    const { baseUrl, model } = await this.load();
    const { token } = await this.secrets.read(AI_SECRET_ID);
    return { baseUrl, model, hasKey: token !== undefined && token !== '' };
  }

  /** The endpoint with its key, for the chat client; `input` overrides what is stored (a check before saving). */
  async endpoint(input: AiSettingsInput = {}): Promise<AiEndpoint> {
    const stored = await this.load();
    const baseUrl = input.baseUrl ?? stored.baseUrl;
    const model = input.model ?? stored.model;
    if (baseUrl === '') throw new PluginError(hostMessage('aiNotConfigured'));
    if (model === '') throw new PluginError(hostMessage('aiNoModel'));
    const apiKey = input.apiKey === undefined ? (await this.secrets.read(AI_SECRET_ID)).token : input.apiKey;
    return apiKey === undefined || apiKey === null || apiKey === ''
      ? { baseUrl, model }
      : { baseUrl, model, apiKey };
  }

  /** Applies a validated patch: the file first, then the key, one change at a time. */
  async update(input: AiSettingsInput): Promise<AiSettings> {
    const next = this.writes.then(async () => {
      const current = await this.load();
      const settings = {
        baseUrl: input.baseUrl ?? current.baseUrl,
        model: input.model ?? current.model,
      };
      if (settings.baseUrl !== current.baseUrl || settings.model !== current.model) {
        if (this.options.file !== undefined) {
          await writeJsonAtomic(this.options.file, { version: FILE_VERSION, ...settings });
        }
        this.stored = settings;
      }
      if (input.apiKey === null) await this.secrets.delete(AI_SECRET_ID);
      else if (input.apiKey !== undefined) await this.secrets.write(AI_SECRET_ID, { token: input.apiKey });
    });
    this.writes = next.catch(() => {});
    await next;
    return this.publicSettings();
  }

  private async load(): Promise<{ baseUrl: string; model: string }> {
    if (this.stored !== undefined) return this.stored;
    let settings = { baseUrl: '', model: '' };
    if (this.options.file !== undefined) {
      const read = await readJsonFile(this.options.file);
      if (read.state === 'unreadable') {
        this.options.log?.(`AI endpoint: ${this.options.file} was not used because ${read.reason}`);
      }
      if (read.state === 'read' && isRecord(read.value)) {
        const { baseUrl, model } = read.value;
        settings = {
          baseUrl: typeof baseUrl === 'string' && validBaseUrl(baseUrl) ? normalBaseUrl(baseUrl) : '',
          model: typeof model === 'string' ? model : '',
        };
      }
    }
    this.stored = settings;
    return settings;
  }
}
