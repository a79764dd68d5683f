import { afterEach, describe, expect, it } from 'vitest';
import { HostError, HostUnreachableError, ServerAuthError, ServerUnreachableError } from '../api/http';
import type { ServerInfo } from '../../../shared/server-dto';
import { healthCheck, serverInfo } from '../test/servers';
import {
  hostExtrasFromAnswer,
  javascriptCallFromAnswer,
  prebuiltFromAnswer,
  routeFromAnswer,
  useCapabilitiesStore,
} from './capabilities-store';
import { useServersStore } from './servers-store';

afterEach(() => {
  useCapabilitiesStore.setState({ byServer: {} });
  useServersStore.setState({ servers: [] });
});

describe('capability decisions', () => {
  it("has this app's own routes where the settings route answers, and not where it is missing", () => {
    expect(hostExtrasFromAnswer(undefined)).toBe('yes');
    expect(hostExtrasFromAnswer(new HostError('404 page not found', 404, undefined, 'plain'))).toBe('no');
    expect(hostExtrasFromAnswer(new HostError('method not allowed', 405, undefined, 'nx'))).toBe('no');
  });

  it('learns nothing from a server that did not answer or refused the credentials', () => {
    expect(hostExtrasFromAnswer(new ServerUnreachableError('refused', 502, 1000, 'down'))).toBe('unknown');
    expect(hostExtrasFromAnswer(new ServerAuthError('missing_token', 'guarded'))).toBe('unknown');
    expect(hostExtrasFromAnswer(new HostUnreachableError('timed out', true))).toBe('unknown');
  });

  it('has prebuilt lists where the prebuild route answers; a refusal for the OS is still the route', () => {
    expect(prebuiltFromAnswer(undefined)).toBe('yes');
    expect(prebuiltFromAnswer(new HostError('404 page not found', 404, undefined, 'x'))).toBe('no');
    expect(
      prebuiltFromAnswer(new HostError('Only support to fetch prebuild plugins for Linux', 400, 1000, 'x')),
    ).toBe('unknown');
  });

  it('has services and JavaScript functions where their list answers, not where the build lacks the route', () => {
    expect(routeFromAnswer(undefined)).toBe('yes');
    expect(routeFromAnswer(new HostError('404 page not found', 404, undefined, 'alpine'))).toBe('no');
    expect(routeFromAnswer(new HostError('Method Not Allowed', 405, undefined, 'nx'))).toBe('no');
    expect(routeFromAnswer(new ServerUnreachableError('refused', 502, 1000, 'down'))).toBe('unknown');
    const { noteRoute } = useCapabilitiesStore.getState();
    noteRoute('alpine', 'javascript', new HostError('404 page not found', 404, undefined, 'alpine'));
    noteRoute('alpine', 'services', undefined);
    expect(useCapabilitiesStore.getState().byServer.alpine).toMatchObject({
      javascript: 'no',
      services: 'yes',
    });
  });

  it("has this app's JavaScript Try it where the call route refuses an invalid id, not where it is missing", () => {
    expect(
      javascriptCallFromAnswer(new HostError("id 'invalid.id' contains invalid characters", 400, 1000, 'x')),
    ).toBe('yes');
    expect(javascriptCallFromAnswer(new HostError('404 page not found', 404, undefined, 'x'))).toBe('no');
    expect(javascriptCallFromAnswer(new HostUnreachableError('timed out', true))).toBe('unknown');
  });

  it('records prebuilt answers per server and keeps what an answer that says nothing cannot tell', () => {
    const { notePrebuilt } = useCapabilitiesStore.getState();
    notePrebuilt('plain', new HostError('404 page not found', 404, undefined, 'plain'));
    notePrebuilt('plain', new ServerUnreachableError('refused', 502, 1000, 'plain'));
    notePrebuilt('edge', undefined);
    expect(useCapabilitiesStore.getState().byServer.plain?.prebuilt).toBe('no');
    expect(useCapabilitiesStore.getState().byServer.edge?.prebuilt).toBe('yes');
  });

  it("reads read-only from the server's health (a NeuronEX Viewer), not from its kind", () => {
    const viewer = serverInfo('line-3', 'Line 3', {
      kind: 'neuronex',
      auth: { type: 'neuronex-login', username: 'viewer', passwordSet: true },
      health: healthCheck({ version: '3.6.0', role: 'Viewer', readOnly: true }),
    });
    const admin: ServerInfo = { ...viewer, id: 'line-4', health: { ...viewer.health!, readOnly: false } };
    useServersStore.setState({ servers: [viewer, admin] });
    expect(useCapabilitiesStore.getState().byServer['line-3']?.readOnly).toBe(true);
    expect(useCapabilitiesStore.getState().byServer['line-4']?.readOnly ?? false).toBe(false);
    useServersStore.setState({ servers: [{ ...viewer, health: { ...viewer.health!, readOnly: false } }] });
    expect(useCapabilitiesStore.getState().byServer['line-3']?.readOnly).toBe(false);
  });
});
