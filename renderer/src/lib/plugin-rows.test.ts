import { describe, expect, it } from 'vitest';
import { plugin } from '../test/render-app';
import { buildRows, filterRows, sortRows } from './plugin-rows';

const plugins = [
  plugin({ kind: 'portables', name: 'mirror', version: 'v1.0.0', language: 'go', sources: ['random'] }),
  plugin({ kind: 'portables', name: 'pyjson', version: 'v2.0.0', language: 'python', sinks: ['print'] }),
  plugin({ kind: 'portables', name: 'Zeta10', record: null }),
  plugin({ kind: 'portables', name: 'zeta9', functions: ['Echo'] }),
  plugin({ kind: 'sinks', name: 'file2' }),
];

describe('plugin rows', () => {
  it('keeps one kind, with the origin file name and the symbols in display order', () => {
    const rows = buildRows(plugins, 'portables');
    expect(rows.map((row) => row.key)).toEqual([
      'portables/mirror',
      'portables/pyjson',
      'portables/Zeta10',
      'portables/zeta9',
    ]);
    expect(rows[0]!.origin).toBe('mirror.zip');
    expect(rows[2]!.origin).toBeUndefined();
    expect(rows[0]!.symbols).toEqual(['random']);
  });

  it('matches every word against name, version, language, origin and symbols, case-insensitively', () => {
    const rows = buildRows(plugins, 'portables');
    const names = (filter: string) => filterRows(rows, filter).map((row) => row.plugin.name);
    expect(names('')).toEqual(['mirror', 'pyjson', 'Zeta10', 'zeta9']);
    expect(names('PYTHON')).toEqual(['pyjson']);
    expect(names('echo')).toEqual(['zeta9']);
    expect(names('mirror.zip')).toEqual(['mirror']);
    expect(names('go random')).toEqual(['mirror']);
    expect(names('go print')).toEqual([]);
    expect(names('v1.0')).toEqual(['mirror']);
    // The text a row is matched against: name, version, language, origin file and symbols, lower-cased.
    expect(rows[0]!.haystack).toBe('mirror\nv1.0.0\ngo\nmirror.zip\nrandom');
    expect(rows[0]!.haystack).toContain('random');
  });

  it('sorts names naturally and case-insensitively, plugins without a record last in both directions', () => {
    const rows = buildRows(plugins, 'portables');
    const names = (sorted: ReturnType<typeof sortRows>) => sorted.map((row) => row.plugin.name);
    expect(names(sortRows(rows, { column: 'name', direction: 'asc' }))).toEqual([
      'mirror',
      'pyjson',
      'zeta9',
      'Zeta10',
    ]);
    expect(names(sortRows(rows, { column: 'origin', direction: 'desc' }))).toEqual([
      'zeta9',
      'pyjson',
      'mirror',
      'Zeta10',
    ]);
    expect(names(sortRows(rows, { column: 'origin', direction: 'asc' }))).toEqual([
      'mirror',
      'pyjson',
      'zeta9',
      'Zeta10',
    ]);
  });
});
