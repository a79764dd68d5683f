// This test starts real hosts in a child Node process, so it uses Node's APIs beside the DOM's.
/// <reference types="node" />
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PluginDetails, PluginOverview } from '../../../shared/plugin-dto';
import { useCapabilitiesStore } from '../stores/capabilities-store';
import { noteConnectionError } from '../stores/connection-store';
import { useManageStore } from '../stores/manage-store';
import { usePluginsStore } from '../stores/plugins-store';
import { useServerConnectionStore } from '../stores/server-connection-store';
import { followAddress, followCurrentServer } from '../stores/server-view';
import { useServersStore } from '../stores/servers-store';
import { useViewStore } from '../stores/view-store';
import { supportModule } from '../test/child-host';
import { useServersHost } from '../test/servers-host';
import { requestLists } from './first-overview';
import { ServerAuthError, ServerUnreachableError } from './http';
import { installApi, listenToInstallEvents } from './install-api';
import { pluginApi } from './plugin-api';
import { serversApi } from './servers-api';
import { settingsApi } from './settings-api';

/**
 * The window's one API layer against real hosts on loopback: this computer's requests keep today's paths, a
 * remote server's go through the host's forward route and lists route, and what each server answers decides its
 * capabilities and its connection state. The host's /manager/servers routes are played by the stand-in in
 * test/support/servers-stand-in.ts until they are merged.
 */

interface HostInfo {
  standIn: string;
  local: string;
  edge: string;
  guarded: string;
  plain: string;
  down: string;
  /** A sink zip on the edge server's disk, as `file://`. */
  webhookZip: string;
}

const HOST_SCRIPT = `
    import { writeFileSync } from 'node:fs';
    import { createServer } from 'node:net';
    import { join } from 'node:path';
    import { FIXTURES, fileUrl, startTestHost } from ${supportModule('host-harness.ts')};
    import { startPlainEkuiper, startServersStandIn } from ${supportModule('servers-stand-in.ts')};
    import { buildZip } from ${supportModule('zip-writer.ts')};
    const local = await startTestHost();
    const edge = await startTestHost();
    const guarded = await startTestHost({ token: 'right-token' });
    const other = await startTestHost();
    const plain = await startPlainEkuiper(other.url);
    const standIn = await startServersStandIn(local.url);
    const misc = await edge.request('POST', '/plugins/functions', {
      name: 'misc', file: fileUrl(join(FIXTURES, 'ekuiper-testzips/functions/misc.zip')),
    });
    if (misc.status !== 201) throw new Error(misc.text);
    const zipPath = join(edge.tempDir, 'webhook.zip');
    writeFileSync(zipPath, buildZip([{ name: 'Webhook@v1.2.0.so', data: 'stand-in library' }]));
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const downPort = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const t = {
      close: async () => {
        await standIn.close();
        await plain.close();
        for (const host of [local, edge, guarded, other]) await host.close();
      },
    };
    const info = {
      standIn: standIn.url, local: local.url, edge: edge.url, guarded: guarded.url, plain: plain.url,
      down: 'http://127.0.0.1:' + downPort, webhookZip: fileUrl(zipPath),
    };`;

const hosts = useServersHost<HostInfo>(HOST_SCRIPT);
let host: HostInfo;
/** Every request the window made, `METHOD path`, in order: recorded on their way to the real host. */
let requested: string[];
const realFetch = globalThis.fetch;

beforeAll(() => {
  host = hosts.info;
  requested = hosts.requests;
});

afterEach(() => {
  requested.length = 0;
});

/** Reads a server's own list of one kind, straight from it. */
async function listedOn(url: string, kind: string): Promise<string[]> {
  return (await (await realFetch(`${url}/plugins/${kind}`)).json()) as string[];
}

async function addServer(
  name: string,
  url: string,
  auth: { type: 'none' } | { type: 'bearer'; token: string },
) {
  return serversApi.create({ name, kind: 'ekuiper', url, auth });
}

describe('the API layer on this computer', () => {
  it('asks the paths it always asked', async () => {
    useServersStore.getState().select('local');
    const [plugins, udfs] = await requestLists();
    expect(plugins).toEqual([]);
    expect(udfs).toEqual([]);
    await settingsApi.read();
    expect(requested).toEqual(['GET /manager/plugins', 'GET /plugins/udfs', 'GET /manager/settings']);
  });
});

describe('the API layer on a remote server', () => {
  beforeAll(async () => {
    for (const [name, url] of [
      ['Edge', host.edge],
      ['Plain', host.plain],
      ['Down', host.down],
    ] as const) {
      await addServer(name, url, { type: 'none' });
    }
    await addServer('Guarded', host.guarded, { type: 'bearer', token: 'wrong-token' });
    await useServersStore.getState().load();
  });

  it('lists the servers, this computer first', async () => {
    const servers = await serversApi.list();
    expect(servers.map((server) => server.id)).toEqual(['local', 'edge', 'plain', 'down', 'guarded']);
    expect(servers.find((server) => server.id === 'guarded')?.auth).toEqual({
      type: 'bearer',
      tokenSet: true,
    });
    expect(JSON.stringify(servers)).not.toContain('wrong-token');
  });

  it("sends eKuiper's routes and this app's own through the forward route, the lists through /plugins", async () => {
    useServersStore.getState().select('edge');
    const [plugins, udfs] = await requestLists();
    expect(plugins.map((plugin) => `${plugin.kind}/${plugin.name}`)).toEqual(['functions/misc']);
    expect(udfs).toEqual(['misc']);
    const details: PluginDetails = await pluginApi.details('functions', 'misc');
    expect(details.record?.source).toMatch(/misc\.zip$/);
    await pluginApi.describe('functions', 'misc');
    expect(requested).toEqual([
      'GET /manager/servers/edge/plugins',
      'GET /manager/servers/edge/api/plugins/udfs',
      'GET /manager/servers/edge/api/manager/plugins/functions/misc',
      'GET /manager/servers/edge/api/plugins/functions/misc',
    ]);
  });

  it('installs and deletes on the server it began on, even after the window moved on', async () => {
    useServersStore.getState().select('edge');
    const events: string[] = [];
    const stop = new AbortController();
    await listenToInstallEvents((event) => events.push(event.phase), stop.signal);
    // The window moves to another server while the install (named for `edge`) runs.
    useServersStore.getState().select('local');
    const message = await installApi.create('sinks', { name: 'webhook', file: host.webhookZip }, 'edge');
    expect(message).toBe('sinks plugin webhook is created');
    expect(await listedOn(host.edge, 'sinks')).toEqual(['webhook']);
    expect(await listedOn(host.local, 'sinks')).toEqual([]);
    await expect.poll(() => events).toContain('done');
    stop.abort();
    await pluginApi.remove('sinks', 'webhook', false, 'edge');
    expect(await listedOn(host.edge, 'sinks')).toEqual([]);
    expect(requested).toEqual([
      'GET /manager/servers/edge/api/manager/events',
      'POST /manager/servers/edge/api/plugins/sinks',
      'DELETE /manager/servers/edge/api/plugins/sinks/webhook',
    ]);
  });

  it("decides each server's capabilities by what it answers", async () => {
    const { probe } = useCapabilitiesStore.getState();
    expect(await probe('local')).toBe('yes');
    expect(await probe('edge')).toBe('yes');
    // A plain eKuiper answers 404 to this app's routes.
    expect(await probe('plain')).toBe('no');
    // A server that does not answer says nothing yet.
    expect(await probe('down')).toBe('unknown');
    const { byServer } = useCapabilitiesStore.getState();
    expect(byServer.edge?.hostExtras).toBe('yes');
    expect(byServer.plain?.hostExtras).toBe('no');
    expect(byServer.down).toBeUndefined();
    expect(requested).toContain('GET /manager/servers/plain/api/manager/settings');
  });

  it("reports a server that is down or refuses the host's credentials as that server's problem", async () => {
    useServersStore.getState().select('down');
    const down = await requestLists().catch((error: unknown) => error);
    expect(down).toBeInstanceOf(ServerUnreachableError);
    expect((down as ServerUnreachableError).message).toMatch(/connection refused/);
    expect(noteConnectionError(down)).toBe(true);
    expect(useServerConnectionStore.getState().problems.down?.kind).toBe('unreachable');

    useServersStore.getState().select('guarded');
    const refused = await pluginApi.udfs().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ServerAuthError);
    expect((refused as ServerAuthError).message).toBe('validate token error: the token does not match');
    noteConnectionError(refused);
    // The host is asked first whether it was the window's token; it was not, so the server is blamed.
    await expect.poll(() => useServerConnectionStore.getState().problems.guarded?.kind).toBe('auth');

    // Fixing the token (secrets left out of an edit are kept; here one is given) makes the server answer.
    await serversApi.update('guarded', {
      name: 'Guarded',
      kind: 'ekuiper',
      url: host.guarded,
      auth: { type: 'bearer', token: 'right-token' },
    });
    expect(await pluginApi.udfs()).toEqual([]);
    const check = await useServersStore.getState().check('guarded');
    expect(check).toMatchObject({ ok: true, reachable: true, authOk: true });
  });

  it("counts a server's plugins for the Servers page through the lists route", async () => {
    await useServersStore.getState().loadPlugins('edge');
    const edge = useServersStore.getState().plugins.edge;
    expect(edge?.status).toBe('ready');
    expect(edge?.plugins.map((plugin: PluginOverview) => plugin.name)).toEqual(['misc']);
    await useServersStore.getState().loadPlugins('plain');
    expect(useServersStore.getState().plugins.plain?.plugins).toEqual([]);
  });
});

describe('switching servers', () => {
  it("closes what belonged to the old server, loads the new one's lists and names it in the address", async () => {
    useServersStore.getState().select('local');
    await usePluginsStore.getState().switchTo('local');
    const stop = followCurrentServer();
    try {
      useViewStore.setState({ page: 'extensions' });
      useViewStore.getState().describe({ kind: 'sources', name: 'random2' });
      useViewStore.getState().askDelete({ kind: 'sources', name: 'random2' });
      useManageStore.getState().askUpdate({ kind: 'sources', name: 'random2' });
      requested.length = 0;
      useServersStore.getState().select('edge');
      expect(useViewStore.getState().describing).toBeUndefined();
      expect(useViewStore.getState().deleting).toBeUndefined();
      expect(useManageStore.getState().updating).toBeUndefined();
      expect(window.location.hash).toBe('#/extensions?server=edge');
      expect(localStorage.getItem('ekuiper-extension-manager.server')).toBe('edge');
      await expect.poll(() => usePluginsStore.getState().status).toBe('ready');
      expect(usePluginsStore.getState().server).toBe('edge');
      expect(usePluginsStore.getState().plugins.map((row) => row.name)).toEqual(['misc']);
      // The Servers page's counts follow what the window read.
      expect(useServersStore.getState().plugins.edge?.plugins.map((row) => row.name)).toEqual(['misc']);
      expect(requested).toContain('GET /manager/servers/edge/plugins');
      expect(requested).toContain('GET /manager/servers/edge/api/manager/settings');

      // The back button (an address without a server) is this computer again; an unknown server falls back too.
      followAddress('#/');
      expect(useServersStore.getState().currentId).toBe('local');
      followAddress('#/settings?server=edge');
      expect(useServersStore.getState().currentId).toBe('edge');
      expect(useViewStore.getState().page).toBe('settings');
      followAddress('#/extensions?server=no-such-server');
      expect(useServersStore.getState().currentId).toBe('local');
      expect(localStorage.getItem('ekuiper-extension-manager.server')).toBeNull();
    } finally {
      stop();
    }
  });

  it('falls back to this computer when the server shown is removed', async () => {
    const gone = await addServer('Gone soon', host.edge, { type: 'none' });
    await useServersStore.getState().load();
    useServersStore.getState().select(gone.id);
    // Removed by someone else (a script, another window): the next read of the list notices.
    await realFetch(`${host.standIn}/manager/servers/${gone.id}`, { method: 'DELETE' });
    await useServersStore.getState().load();
    expect(useServersStore.getState().currentId).toBe('local');
  });
});
