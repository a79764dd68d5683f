import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildRows } from '../lib/plugin-rows';
import { plugin, renderWithProviders } from '../test/render-app';
import { PluginTable, columnsThatFit, type Column, type RowActions } from './PluginTable';

const actions: RowActions = {
  onDescribe: vi.fn(),
  onDelete: vi.fn(),
  onUpdate: vi.fn(),
  onRegister: vi.fn(),
};

const column = (id: Column['id'], min: number, priority: number): Column => ({
  id,
  min,
  grow: 0,
  priority,
  render: () => null,
});

/**
 * Gives every element this content width, as a laid-out window would (jsdom lays nothing out), and a
 * ResizeObserver that reports each observed element once after observing it starts, as a browser's does after
 * its next layout (the setup's stand-in never reports).
 */
function boxWidth(width: number): () => void {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth')!;
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => width });
  const stub = window.ResizeObserver;
  window.ResizeObserver = class {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(): void {
      setTimeout(() => this.callback([], this));
    }
    unobserve(): void {}
    disconnect(): void {}
  };
  return () => {
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', original);
    window.ResizeObserver = stub;
  };
}

function headers(): string[] {
  return screen.getAllByRole('columnheader').map((header) => header.textContent?.replace(/[▲▼↕]/g, '') ?? '');
}

function renderPortables(language: 'en' | 'zh-CN' = 'en') {
  const rows = buildRows(
    [plugin({ kind: 'portables', name: 'mirror', version: 'v1.0.0', language: 'go', sources: ['random'] })],
    'portables',
  );
  renderWithProviders(
    <PluginTable
      kind="portables"
      rows={rows}
      sort={{ column: 'name', direction: 'asc' }}
      onSort={vi.fn()}
      actions={actions}
      now={Date.parse('2026-11-20T10:05:00.000Z')}
    />,
    language,
  );
}

describe('columnsThatFit', () => {
  const name = column('name', 140, 0);
  const version = column('version', 100, 2);
  const symbols = column('symbols', 160, 1);
  const size = column('size', 100, 6);
  const act = column('actions', 120, 0);
  const all = [name, version, symbols, size, act];

  it('keeps every column when they fit, and when the width is not known yet', () => {
    expect(columnsThatFit(all, 620)).toEqual(all);
    expect(columnsThatFit(all, 0)).toEqual(all);
  });

  it('drops the least important first and keeps the table order', () => {
    expect(columnsThatFit(all, 619)).toEqual([name, version, symbols, act]);
    expect(columnsThatFit(all, 519)).toEqual([name, symbols, act]);
  });

  it('fills the room a skipped wide column leaves with a narrower, less important one', () => {
    const wide = column('origin', 300, 3);
    expect(columnsThatFit([name, wide, size, act], 400)).toEqual([name, size, act]);
  });

  it('never drops the name or the actions', () => {
    expect(columnsThatFit(all, 100)).toEqual([name, act]);
  });
});

describe('PluginTable', () => {
  let restore = () => {};
  afterEach(() => restore());

  it('shows every portable column in a wide window', async () => {
    restore = boxWidth(1200);
    renderPortables();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(headers()).toEqual([
      'Name',
      'Version',
      'Language',
      'Symbols',
      'Installed',
      'Size',
      'Origin',
      'Actions',
    ]);
  });

  it('hides the less important columns in a narrow one, in header and rows alike', async () => {
    restore = boxWidth(700);
    renderPortables();
    await waitFor(() => expect(headers()).toEqual(['Name', 'Version', 'Symbols', 'Installed', 'Actions']));
    const table = screen.getByRole('table', { name: 'Portable plugins' });
    const row = within(within(table).getAllByRole('rowgroup')[1]!).getByRole('row');
    expect(within(row).getAllByRole('cell')).toHaveLength(5);
    expect(row.style.gridTemplateColumns).toBe(
      within(table).getAllByRole('row')[0]!.style.gridTemplateColumns,
    );
    // The actions stay reachable.
    expect(within(row).getByRole('button', { name: 'Delete mirror' })).toBeTruthy();
  });
});

describe('PluginTable labels', () => {
  it("names each row's buttons and explains its size, in English", () => {
    renderPortables();
    const row = screen.getByRole('button', { name: 'Delete mirror' }).closest<HTMLElement>('[role="row"]')!;
    for (const name of ['Details of mirror', 'Update mirror', 'Delete mirror']) {
      expect(within(row).getByRole('button', { name }).title).toBe(name);
    }
    expect(within(row).getByText('2 kB').title).toBe('zip 1 kB, installed 2 kB');
    expect(within(row).getByText('random').parentElement?.title).toBe('Sources: random');
  });

  it('and in Chinese', () => {
    renderPortables('zh-CN');
    const row = screen.getByRole('button', { name: '删除 mirror' }).closest<HTMLElement>('[role="row"]')!;
    for (const name of ['mirror 的详情', '更新 mirror'])
      expect(within(row).getByRole('button', { name })).toBeTruthy();
    expect(within(row).getByText('random').parentElement?.title).toBe('源: random');
  });
});
