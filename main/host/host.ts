import { isPortFree } from './port-probe.js';
import type { FastifyInstance } from 'fastify';
import { DataFolderBusyError } from '../plugins/data-folder-lock.js';
import { JsFunctionManager } from '../javascript/js-function-manager.js';
import { JsFunctionStore } from '../javascript/js-function-store.js';
import { JsSandbox } from '../javascript/js-sandbox.js';
import { ServiceManager } from '../services/service-manager.js';
import { FunctionNamespace } from './function-namespace.js';
import { PluginManager } from '../plugins/plugin-manager.js';
import { isLoopbackAddress } from '../rest/access-guard.js';
import { createRestServer } from '../rest/rest-server.js';
import { goArch } from '../plugins/prebuilt-plugins.js';
import { AiSettingsStore } from '../ai/ai-settings.js';
import { PythonTrial } from '../ai/python-trial.js';
import { memorySecretStore, type SecretStore } from '../servers/secret-store.js';
import { ServerRegistry } from '../servers/server-registry.js';
import type { SettingsSource } from '../settings/host-settings.js';

export interface HostOptions {
  settings: SettingsSource;
  rendererDir?: string;
  log?: (message: string) => void;
  /** Called after answering `DELETE …?stop=1`; the headless host exits, the app quits. */
  onStopRequested?: () => void;
  /**
   * Where the servers the window manages are kept: servers.json and the store for their secrets. Without it the
   * list lives in memory (tests, the e2e host).
   */
  servers?: { file?: string; secrets?: SecretStore; healthIntervalMs?: number };
  /**
   * The AI endpoint's settings file (base URL and model; in memory without it) and how long a chat may take. Its
   * API key goes to the servers' secret store, under its own id.
   */
  ai?: { file?: string; chatTimeoutMs?: number };
}

export interface RunningHost {
  url: string;
  port: number;
  manager: PluginManager;
  /** External services (`/services`); Try it resolves a service function here. */
  services: ServiceManager;
  /** The servers the window manages, `local` first: the forwarding route and the fleet reach them here. */
  servers: ServerRegistry;
  server: FastifyInstance;
  close(): Promise<void>;
}

/** A start-up failure the user can act on, worded for them (port taken, unsafe bind address). */
export class HostStartError extends Error {}

/** The answer to EADDRINUSE: most often eKuiper itself, or NeuronEX, holds 9081. */
function portInUse(host: string, port: number): HostStartError {
  return new HostStartError(
    `port ${port} on ${host} is already in use — is eKuiper or NeuronEX running ` +
      `on this machine? Stop it, or choose another port (--port or the restPort setting)`,
  );
}

/**
 * Takes the port and lets it go again, so a host that cannot listen fails before it opens the data folder:
 * opening it recovers unfinished installs, and those may be the running host's installs in progress.
 */
async function checkPortFree(host: string, port: number): Promise<void> {
  if (port !== 0 && !(await isPortFree(host, port))) throw portInUse(host, port);
}

/**
 * Starts the plugin manager and the REST endpoint in this process: the Electron main process and the
 * headless `serve` command both call this, so they behave the same.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const settings = options.settings.read();
  const log = options.log ?? (() => {});
  if (!isLoopbackAddress(settings.restHost) && settings.token === '') {
    throw new HostStartError(
      `refusing to listen on ${settings.restHost} without a token: anyone on the network could install ` +
        `plugins that run on this machine. Set a token (--token or the token setting), or bind to 127.0.0.1`,
    );
  }
  await checkPortFree(settings.restHost, settings.restPort);
  let manager: PluginManager;
  try {
    manager = await PluginManager.open(options.settings, log);
  } catch (error) {
    if (error instanceof DataFolderBusyError) throw new HostStartError(error.message);
    throw error;
  }
  const sandbox = new JsSandbox();
  // Plugin, JavaScript and service functions share SQL's one namespace: each refuses the others' names.
  const names = new FunctionNamespace();
  let functions: JsFunctionManager;
  let services: ServiceManager;
  try {
    functions = new JsFunctionManager(
      JsFunctionStore.open(manager.layout.scriptsDir, log),
      sandbox,
      names.outside('javascript'),
    );
    services = await ServiceManager.open(manager.layout, options.settings, log);
  } catch (error) {
    await manager.close();
    throw error;
  }
  names.provide('plugin', (name) => manager.functionNameOwner(name));
  names.provide('javascript', (name) => functions.functionNameOwner(name));
  names.provide('service', (name) => services.functionNameOwner(name));
  manager.useOtherFunctions(names.outside('plugin'));
  services.useOtherFunctions(names.outside('service'));
  const startedAt = Date.now();
  // One store for every secret: the servers' tokens and passwords, and the AI endpoint's key.
  const secrets = options.servers?.secrets ?? memorySecretStore();
  const servers = await ServerRegistry.open({
    ...options.servers,
    secrets,
    log,
    localInfo: () => ({
      version: options.settings.read().ekuiperVersion,
      os: process.platform,
      arch: goArch(),
      upTimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
    }),
  });
  const server = await createRestServer({
    manager,
    functions,
    services,
    settings: options.settings,
    servers,
    onStopRequested: options.onStopRequested ?? (() => {}),
    ai: {
      settings: new AiSettingsStore({
        ...(options.ai?.file === undefined ? {} : { file: options.ai.file }),
        secrets,
        log,
      }),
      python: new PythonTrial(manager, options.settings),
      ...(options.ai?.chatTimeoutMs === undefined ? {} : { chatTimeoutMs: options.ai.chatTimeoutMs }),
    },
    ...(options.rendererDir === undefined ? {} : { rendererDir: options.rendererDir }),
  });
  server.addHook('onClose', () => manager.close());
  server.addHook('onClose', () => sandbox.close());
  server.addHook('onClose', () => servers.close());
  try {
    await server.listen({ host: settings.restHost, port: settings.restPort });
  } catch (error) {
    await server.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw portInUse(settings.restHost, settings.restPort);
    }
    throw error;
  }
  // eKuiper starts every installed portable plugin at its start; ours start once the API answers.
  void manager.startPortables();
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.restPort;
  const hostForUrl = settings.restHost.includes(':') ? `[${settings.restHost}]` : settings.restHost;
  const url = `http://${hostForUrl}:${port}`;
  servers.setLocalUrl(url);
  return {
    url,
    port,
    manager,
    services,
    servers,
    server,
    close: () => server.close(),
  };
}
