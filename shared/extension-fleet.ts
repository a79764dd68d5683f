/**
 * The fleet and the export/import of eKuiper's two other extensions — JavaScript functions (`/udf/javascript`)
 * and external services (`/services`) — shared by the host that answers `/manager/fleet/{javascript,services}` and
 * `/manager/servers/{id}/extensions/…` and the window that shows them.
 */
import { checkFleetTargets, fileProblemFree, isRecord, type FleetTargets } from './fleet-rules.js';
import { validateId } from './plugin-names.js';

export const EXTENSION_KINDS = ['javascript', 'services'] as const;
/** `javascript`: eKuiper's custom functions; `services`: its external services. */
export type ExtensionKind = (typeof EXTENSION_KINDS)[number];

/** eKuiper's own words for these two: a function or a service is created, not installed. */
export const EXTENSION_ACTIONS = ['create', 'update', 'delete'] as const;
export type ExtensionAction = (typeof EXTENSION_ACTIONS)[number];

/** One interface of a service, as the fleet view shows it. */
export interface FleetServiceInterface {
  name: string;
  protocol: string;
  address: string;
  functions: string[];
}

/** One JavaScript function or service on one server. */
export interface FleetExtensionItem {
  name: string;
  /**
   * A short hash of what makes it behave (a function's script and isAgg; a service's describe answer), so the
   * view can say where it differs between servers.
   */
  hash: string;
  /** JavaScript functions. */
  description?: string;
  isAgg?: boolean;
  /** Services. */
  interfaces?: FleetServiceInterface[];
}

/** What one server has of one kind: `available` false when its eKuiper lacks the routes (it answered 404). */
export interface FleetServerExtensions {
  server: string;
  /** The server answered (a 404 for the whole route counts: it said it has no such thing). */
  ok: boolean;
  available: boolean;
  /** Why not, when not ok; a count otherwise. */
  message: string;
  items: FleetExtensionItem[];
}

/** `GET /manager/fleet/javascript` and `GET /manager/fleet/services`. */
export interface FleetExtensionsAnswer {
  kind: ExtensionKind;
  servers: FleetServerExtensions[];
}

/** The script of a JavaScript function, as eKuiper's `js.Script` JSON carries it. */
export interface JavascriptFunctionBody {
  id: string;
  description: string;
  script: string;
  isAgg: boolean;
}

/** `POST /manager/fleet/{kind}`. */
export interface FleetExtensionRequest {
  action: ExtensionAction;
  name: string;
  servers: string[];
  concurrency?: number;
  dryRun?: boolean;
  /** JavaScript functions, create and update: the function's script, description and whether it aggregates. */
  script?: string;
  description?: string;
  isAgg?: boolean;
  /** Services, create and update: the zip as an http(s) URL or a `file:///` path on this computer. */
  file?: string;
}

export interface CheckedExtensionRequest extends FleetTargets {
  kind: ExtensionKind;
  action: ExtensionAction;
  name: string;
  /** JavaScript functions, create and update. */
  function?: JavascriptFunctionBody;
  /** Services, create and update. */
  file?: string;
}

/**
 * Checks `POST /manager/fleet/{kind}` before anything runs, in the words the plugin fleet uses: the host answers
 * the first problem with a 400 and touches no server; the window runs the same checks on its form.
 */
export function checkExtensionRequest(
  kind: ExtensionKind,
  value: unknown,
  knownServer: (id: string) => boolean,
): { ok: true; request: CheckedExtensionRequest } | { ok: false; problem: string } {
  const fail = (problem: string) => ({ ok: false as const, problem });
  if (!isRecord(value)) return fail('the body must be a JSON object');
  const { action, name, script, description, isAgg, file } = value;
  if (!EXTENSION_ACTIONS.includes(action as ExtensionAction)) {
    return fail(`action must be one of ${EXTENSION_ACTIONS.join(', ')}`);
  }
  const what = kind === 'javascript' ? 'function' : 'service';
  if (typeof name !== 'string') return fail(`name must be the ${what} name`);
  const nameProblem = validateId(name);
  if (nameProblem !== undefined) return fail(nameProblem);
  const targets = checkFleetTargets(value as Parameters<typeof checkFleetTargets>[0], knownServer);
  if (!targets.ok) return targets;
  const request: CheckedExtensionRequest = {
    kind,
    action: action as ExtensionAction,
    name,
    ...targets.targets,
  };
  const changes = action !== 'delete';

  if (kind === 'javascript') {
    if (file !== undefined) return fail('file is for services; a JavaScript function takes script');
    if (!changes) {
      if (script !== undefined) return fail('a delete takes no script');
      return { ok: true, request };
    }
    if (typeof script !== 'string' || script.trim() === '') {
      return fail(`a ${action as string} needs script: the JavaScript that defines function ${name}`);
    }
    if (description !== undefined && typeof description !== 'string') return fail('description must be text');
    if (isAgg !== undefined && typeof isAgg !== 'boolean') return fail('isAgg must be true or false');
    request.function = {
      id: name,
      description: typeof description === 'string' ? description : '',
      script,
      isAgg: isAgg === true,
    };
    return { ok: true, request };
  }

  if (script !== undefined) return fail('script is for JavaScript functions; a service takes file');
  if (!changes) {
    if (file !== undefined) return fail('a delete takes no file');
    return { ok: true, request };
  }
  if (typeof file !== 'string' || file === '') {
    return fail(`a ${action as string} needs file: the service zip as an http(s) URL or a file:// path`);
  }
  if (!fileProblemFree(file)) {
    return fail(
      `file '${file}' is not an http(s) URL or a file:/// path (a path is written file:///home/me/service.zip)`,
    );
  }
  request.file = file;
  return { ok: true, request };
}

// ---- export and import ---------------------------------------------------------------------------------

/**
 * The key of an export file that eKuiper's `/data/import` ignores (it decodes into a struct without it) and this
 * app reads: each service's zip, so the file installs on a server that cannot reach the first one's files.
 */
export const EXPORT_EXTRA_KEY = 'ekuiperExtensionManager';

/** Where an embedded service zip came from. */
export type EmbeddedZipSource = 'install-file' | 'host-files' | 'rebuilt-schemaless';

export interface EmbeddedServiceZip {
  /** The zip, base64. */
  zip: string;
  sha256: string;
  source: EmbeddedZipSource;
}

/** What this app adds under `EXPORT_EXTRA_KEY`. */
export interface ExportExtra {
  version: 1;
  /** The server's name and id when exported, and when. */
  server: { id: string; name: string };
  exportedAt: string;
  services: Record<string, EmbeddedServiceZip>;
  /** Services whose zip could not be embedded, with why: they import only where their install file is reachable. */
  notEmbedded: Record<string, string>;
  /** Kinds the server does not have (its eKuiper lacks the routes). */
  unavailable: ExtensionKind[];
}

/**
 * The export file: eKuiper's `/data/export` shape for the parts it has — `scripts` (id → the function's JSON as
 * a string) and `Service` (name → the install script `{"name","file"}` as a string; eKuiper spells this key with
 * a capital S) — plus this app's part.
 */
export interface ExtensionExportFile {
  scripts: Record<string, string>;
  Service: Record<string, string>;
  [EXPORT_EXTRA_KEY]: ExportExtra;
}

/** What import did (or, with `dryRun`, would do) to one item. */
export type ImportOutcome = 'created' | 'replaced' | 'failed' | 'create' | 'replace';

export interface ExtensionImportItem {
  kind: ExtensionKind;
  name: string;
  outcome: ImportOutcome;
  /** The server's status for the step that decided it, 0 when it was not asked. */
  status: number;
  /** The server's own words, or ours when the item never reached it. */
  message: string;
}

/** `POST /manager/servers/{id}/extensions/import`. */
export interface ExtensionImportAnswer {
  server: string;
  dryRun: boolean;
  results: ExtensionImportItem[];
}
