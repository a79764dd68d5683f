import { hostMessage } from '../../shared/host-messages.js';
import type { FleetServerResult, ServerInfo } from '../../shared/server-dto.js';
import { PREBUILT_FILE, type CheckedFleetRequest } from '../../shared/fleet-rules.js';
import type { ServerApi } from '../servers/local-server-api.js';
import { ServerAnswerError } from '../servers/server-answer.js';
import { answerJson } from './ekuiper-answer.js';
import { pluginPath, prebuiltUrl } from './fleet-steps.js';

type Plan = Omit<FleetServerResult, 'server' | 'ms'>;

const DELETED_VERSION = '$deleted';

/** Whether the plugin is on the server and at which version; a refusal throws `ServerAnswerError`. */
async function installedVersion(
  api: ServerApi,
  request: CheckedFleetRequest,
  timeoutMs: number,
): Promise<{ status: number; version: string | undefined }> {
  const response = await api.request({
    method: 'GET',
    path: pluginPath(request.kind, request.name),
    timeoutMs,
  });
  if (response.status === 404) {
    await response.dump();
    return { status: 404, version: undefined };
  }
  if (response.status !== 200) throw await ServerAnswerError.from(response);
  const info = await answerJson<{ version?: unknown } | null>(
    response,
    `GET ${pluginPath(request.kind, request.name)}`,
  );
  const version = typeof info?.version === 'string' ? info.version : '';
  // eKuiper lists a native plugin deleted since its last restart with this version: it is gone.
  return { status: 200, version: version === DELETED_VERSION ? undefined : version };
}

/**
 * Why a server is skipped without being asked: its account may only read (a NeuronEX Viewer, per its last
 * connection check), so it would refuse any change — after the whole zip was sent to it. The preview and the run
 * both skip it, so they agree; a new connection check picks up a changed role. Undefined when it may change.
 */
export function readOnlySkip(info: ServerInfo, action: string): string | undefined {
  if (info.health?.readOnly !== true) return undefined;
  return hostMessage('fleetSkipReadOnly', { role: info.health.role ?? 'read-only', action });
}

function shown(version: string | undefined): string {
  return version === undefined || version === '' ? hostMessage('fleetNoVersion') : version;
}

/**
 * What a fleet action would do on one server, asking it only read questions (is the plugin there, at which
 * version; for prebuilt, does its list have one): create, update, delete, or skip with the reason. A NeuronEX
 * account that may only read (per the server's last connection check) is skipped without asking.
 */
export async function planOnServer(
  api: ServerApi,
  info: ServerInfo,
  request: CheckedFleetRequest,
  newVersion: string | undefined,
  timeoutMs: number,
): Promise<Plan> {
  const skip = (status: number, message: string): Plan => ({ ok: false, status, message, plan: 'skip' });
  const readOnly = readOnlySkip(info, request.action);
  if (readOnly !== undefined) return skip(0, readOnly);
  const installed = await installedVersion(api, request, timeoutMs);
  const { status, version } = installed;
  const plugin = { kind: request.kind, name: request.name };

  // What comes in: the zip's version, or each server's own prebuilt URL.
  let incoming =
    newVersion === undefined || newVersion === ''
      ? undefined
      : hostMessage('fleetVersion', { version: newVersion });
  if (request.file === PREBUILT_FILE && request.action !== 'delete') {
    const prebuilt = await prebuiltUrl(api, request.kind, request.name, timeoutMs);
    if (!('url' in prebuilt))
      return skip(prebuilt.status, hostMessage('fleetSkipped', { reason: prebuilt.message }));
    incoming = prebuilt.url;
  }

  switch (request.action) {
    case 'install':
      return version === undefined
        ? {
            ok: true,
            status,
            message:
              incoming === undefined
                ? hostMessage('fleetWillInstall', plugin)
                : hostMessage('fleetWillInstallFrom', { ...plugin, from: incoming }),
            plan: 'create',
          }
        : skip(status, hostMessage('fleetAlreadyInstalled', { ...plugin, version: shown(version) }));
    case 'update':
      if (version !== undefined) {
        const next = request.file === PREBUILT_FILE ? incoming : shown(newVersion);
        return {
          ok: true,
          status,
          message: hostMessage('fleetWillUpdate', { ...plugin, installed: shown(version), next: next ?? '' }),
          plan: 'update',
        };
      }
      // eKuiper's PUT on a portable plugin that is not there installs it; a native one it refuses.
      return request.kind === 'portables'
        ? {
            ok: true,
            status,
            message:
              incoming === undefined
                ? hostMessage('fleetUpdateInstalls', plugin)
                : hostMessage('fleetUpdateInstallsFrom', { ...plugin, from: incoming }),
            plan: 'create',
          }
        : skip(status, hostMessage('fleetNothingToUpdate', plugin));
    case 'delete':
      return version === undefined
        ? skip(status, hostMessage('fleetNothingToDelete', plugin))
        : {
            ok: true,
            status,
            message: hostMessage('fleetWillDelete', { ...plugin, installed: shown(version) }),
            plan: 'delete',
          };
  }
}
