import { describe, expect, it } from 'vitest';
import { FLEET_ANSWER as ANSWER, FLEET_SERVERS as SERVERS } from '../test/fleet-fixtures';
import { serverInfo } from '../test/servers';
import {
  buildExtensionMatrix,
  buildFleetMatrix,
  differsFromCommon,
  filterFleetRows,
  NO_FLEET_FILTER,
  serversHaving,
  serversMissing,
} from './fleet-matrix';

describe('buildFleetMatrix', () => {
  const matrix = buildFleetMatrix(SERVERS, ANSWER);
  const row = (key: string) => matrix.rows.find((r) => r.key === key)!;

  it('has a column per server in the list order, with the reason of a server that did not answer', () => {
    expect(matrix.columns.map((c) => [c.id, c.name, c.answered, c.count])).toEqual([
      ['local', 'This computer', true, 4],
      ['b', 'edge-b', true, 3],
      ['c', 'edge-c', false, 0],
    ]);
    expect(matrix.columns[2]!.message).toBe('cannot reach http://c:9081: ECONNREFUSED');
  });

  it('has a row per plugin found anywhere, portables first then sources, sinks, functions', () => {
    expect(matrix.rows.map((r) => r.key)).toEqual([
      'portables/mirror',
      'sources/random3',
      'sinks/file2',
      'functions/echo2',
    ]);
  });

  it('marks a server that did not answer as unknown, never as missing', () => {
    for (const r of matrix.rows) expect(r.cells.c).toEqual({ state: 'unknown' });
    expect(row('sinks/file2').cells.b).toEqual({ state: 'missing' });
  });

  it('finds drift: missing somewhere, versions that differ, a portable in error', () => {
    expect(row('sinks/file2').drift).toEqual({ missingOn: ['b'], versions: [], errorOn: [] });
    expect(row('sources/random3').drift).toEqual({
      missingOn: [],
      versions: ['1.0.0', '1.1.0'],
      errorOn: [],
    });
    expect(row('portables/mirror').drift).toEqual({ missingOn: [], versions: [], errorOn: ['b'] });
    // Same (empty) version on every server that answered: no drift, though c is unknown.
    expect(row('functions/echo2').drift).toBeUndefined();
  });

  it('keeps the status and message of a portable in error', () => {
    expect(row('portables/mirror').cells.b).toEqual({
      state: 'present',
      version: '1.0.0',
      status: 'error',
      errMsg: 'cannot start',
    });
  });

  it('marks the versions that differ from the most common one, the highest on a tie', () => {
    const r = row('sources/random3');
    expect(r.commonVersion).toBe('1.1.0');
    expect(differsFromCommon(r, r.cells.local!)).toBe(true);
    expect(differsFromCommon(r, r.cells.b!)).toBe(false);
    const three = buildFleetMatrix([...SERVERS, serverInfo('d', 'd')], {
      servers: [
        ...ANSWER.servers,
        {
          server: 'd',
          ok: true,
          message: '',
          plugins: [{ kind: 'sources', name: 'random3', version: '1.0.0' }],
        },
      ],
    }).rows.find((x) => x.key === 'sources/random3')!;
    expect(three.commonVersion).toBe('1.0.0');
    expect(differsFromCommon(three, three.cells.b!)).toBe(true);
  });

  it('gives a server answered but no longer listed its own column', () => {
    const m = buildFleetMatrix([serverInfo('local', 'local')], ANSWER);
    expect(m.columns.map((c) => c.id)).toEqual(['local', 'b', 'c']);
    expect(m.columns[1]!.name).toBe('b');
  });

  it('handles one server (only local) without drift', () => {
    const m = buildFleetMatrix([serverInfo('local', 'local')], { servers: [ANSWER.servers[0]!] });
    expect(m.rows).toHaveLength(4);
    expect(m.rows.every((r) => r.drift === undefined)).toBe(true);
  });

  it('handles no answer yet', () => {
    const m = buildFleetMatrix(SERVERS, undefined);
    expect(m.rows).toEqual([]);
    expect(m.columns.every((c) => !c.answered && c.message === '')).toBe(true);
  });
});

describe('filterFleetRows and row targets', () => {
  const { rows } = buildFleetMatrix(SERVERS, ANSWER);

  it('filters by kind, by name and to drift only', () => {
    expect(filterFleetRows(rows, NO_FLEET_FILTER)).toHaveLength(4);
    expect(filterFleetRows(rows, { ...NO_FLEET_FILTER, kind: 'sinks' }).map((r) => r.name)).toEqual([
      'file2',
    ]);
    expect(filterFleetRows(rows, { ...NO_FLEET_FILTER, text: ' RAND ' }).map((r) => r.name)).toEqual([
      'random3',
    ]);
    expect(filterFleetRows(rows, { ...NO_FLEET_FILTER, onlyDrift: true }).map((r) => r.name)).toEqual([
      'mirror',
      'random3',
      'file2',
    ]);
  });

  it('installs on the servers that said they lack it, updates and deletes where it is', () => {
    const file2 = rows.find((r) => r.name === 'file2')!;
    expect(serversMissing(file2)).toEqual(['b']);
    expect(serversHaving(file2)).toEqual(['local']);
  });
});

describe('buildExtensionMatrix', () => {
  const servers = [
    serverInfo('local', 'This computer'),
    serverInfo('b', 'edge-b'),
    serverInfo('c', 'edge-c'),
    serverInfo('d', 'edge-d'),
  ];
  const service = (address: string) => ({
    name: 'weather',
    hash: address.endsWith('9') ? 'aaaaaaaaaaaa' : 'bbbbbbbbbbbb',
    interfaces: [{ name: 'weather', protocol: 'rest', address, functions: ['weather'] }],
  });
  const matrix = buildExtensionMatrix(servers, {
    kind: 'services',
    servers: [
      { server: 'local', ok: true, available: true, message: '1 services', items: [service('http://h:9')] },
      { server: 'b', ok: true, available: true, message: '1 services', items: [service('http://h:10')] },
      { server: 'c', ok: true, available: false, message: 'not available: …', items: [] },
      { server: 'd', ok: false, available: false, message: 'cannot reach d', items: [] },
    ],
  });
  const row = matrix.rows[0]!;

  it('marks a server without the routes as unavailable (not missing, not drift), one that did not answer as unknown', () => {
    expect(matrix.columns.map((c) => [c.id, c.answered, c.available])).toEqual([
      ['local', true, undefined],
      ['b', true, undefined],
      ['c', false, false],
      ['d', false, undefined],
    ]);
    expect(row.cells.c).toEqual({ state: 'unavailable' });
    expect(row.cells.d).toEqual({ state: 'unknown' });
    expect(row.drift?.missingOn).toEqual([]);
  });

  it('compares content by hash: a different one is drift; each cell carries the service address', () => {
    expect(row.key).toBe('services/weather');
    expect(row.drift?.versions).toEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb']);
    expect(row.cells.local).toMatchObject({ state: 'present', label: 'rest http://h:9' });
    expect(row.cells.b).toMatchObject({ state: 'present', label: 'rest http://h:10' });
    expect(serversMissing(row)).toEqual([]);
    expect(serversHaving(row)).toEqual(['local', 'b']);
  });
});
