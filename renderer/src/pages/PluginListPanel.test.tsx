import { act, fireEvent, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { plugin, renderWithProviders } from '../test/render-app';
import { useViewStore } from '../stores/view-store';
import { PluginListPanel } from './PluginListPanel';

const sources = [
  plugin({ kind: 'sources', name: 'random3', version: '1.0.0', record: null }),
  plugin({
    kind: 'sources',
    name: 'mqttx',
    version: '2.0.0',
    record: { ...plugin({ kind: 'sources', name: 'mqttx' }).record!, installedBytes: 9_000_000 },
  }),
  plugin({ kind: 'sources', name: 'Kafka', version: '0.9.1' }),
  plugin({ kind: 'sinks', name: 'file2' }),
];

function bodyRows(): HTMLElement[] {
  const table = screen.getByRole('table', { name: 'Sources' });
  return within(within(table).getAllByRole('rowgroup')[1]!).getAllByRole('row');
}

function names(): string[] {
  return bodyRows().map((row) => within(row).getAllByRole('cell')[0]!.textContent ?? '');
}

function renderPanel(list = sources) {
  const onDescribe = vi.fn();
  const onDelete = vi.fn();
  renderWithProviders(
    <PluginListPanel kind="sources" plugins={list} udfs={[]} onDescribe={onDescribe} onDelete={onDelete} />,
  );
  return { onDescribe, onDelete };
}

describe('PluginListPanel', () => {
  beforeEach(() => {
    act(() => useViewStore.setState({ filters: {}, sorts: {} }));
  });

  it('lists only its kind, sorted by name, with the origin file name and a placeholder for unknown data', () => {
    renderPanel();
    expect(names()).toEqual(['Kafka', 'mqttx', 'random3']);
    const random3 = bodyRows()[2]!;
    expect(random3.textContent).toContain('found on disk');
    expect(bodyRows()[0]!.textContent).toContain('Kafka.zip');
    expect(screen.getByText('3 of 3')).toBeTruthy();
  });

  it('sorts by a column and flips the direction on a second click, reporting aria-sort', () => {
    renderPanel();
    const sizeHeader = screen.getByRole('columnheader', { name: /Size/ });
    fireEvent.click(within(sizeHeader).getByRole('button'));
    expect(sizeHeader.getAttribute('aria-sort')).toBe('ascending');
    // Plugins without a record have no size and go last in both directions.
    expect(names()).toEqual(['Kafka', 'mqttx', 'random3']);
    fireEvent.click(within(sizeHeader).getByRole('button'));
    expect(sizeHeader.getAttribute('aria-sort')).toBe('descending');
    expect(names()).toEqual(['mqttx', 'Kafka', 'random3']);
    fireEvent.click(within(screen.getByRole('columnheader', { name: /Version/ })).getByRole('button'));
    expect(names()).toEqual(['Kafka', 'random3', 'mqttx']);
  });

  it('filters by every word, case-insensitively, across name, version and origin', () => {
    renderPanel();
    const filter = screen.getByRole('searchbox', { name: 'Filter' });
    fireEvent.change(filter, { target: { value: 'KAF' } });
    expect(names()).toEqual(['Kafka']);
    fireEvent.change(filter, { target: { value: '2.0 mqttx.zip' } });
    expect(names()).toEqual(['mqttx']);
    expect(screen.getByText('1 of 3')).toBeTruthy();
  });

  it('says when nothing matches and clears the filter on request', () => {
    renderPanel();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter' }), { target: { value: 'nope' } });
    expect(screen.getByText('No plugin matches “nope”.')).toBeTruthy();
    fireEvent.click(screen.getAllByRole('button', { name: 'Clear filter' }).at(-1)!);
    expect(names()).toHaveLength(3);
  });

  it('shows what to do next when the kind has no plugins', () => {
    renderPanel([plugin({ kind: 'sinks', name: 'file2' })]);
    expect(screen.getByText(/No source plugins yet/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('renders only the visible rows of 5,000', () => {
    const many = Array.from({ length: 5_000 }, (_, i) =>
      plugin({ kind: 'sources', name: `src${String(i).padStart(4, '0')}` }),
    );
    renderPanel(many);
    const table = screen.getByRole('table', { name: 'Sources' });
    expect(table.getAttribute('aria-rowcount')).toBe('5001');
    expect(bodyRows().length).toBeLessThan(60);
    expect(names()[0]).toBe('src0000');
  });

  it('opens details and delete for the row clicked', () => {
    const { onDescribe, onDelete } = renderPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Details of mqttx' }));
    expect(onDescribe).toHaveBeenCalledWith(expect.objectContaining({ name: 'mqttx' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete Kafka' }));
    expect(onDelete).toHaveBeenCalledWith(expect.objectContaining({ name: 'Kafka' }));
  });

  it('calls the newest handlers after the parent re-renders with new ones', () => {
    const first = { onDescribe: vi.fn(), onDelete: vi.fn() };
    const second = { onDescribe: vi.fn(), onDelete: vi.fn() };
    let swap = () => {};
    function Parent() {
      const [handlers, setHandlers] = useState(first);
      swap = () => setHandlers(second);
      return <PluginListPanel kind="sources" plugins={sources} udfs={[]} {...handlers} />;
    }
    renderWithProviders(<Parent />);
    act(() => swap());
    fireEvent.click(screen.getByRole('button', { name: 'Kafka' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete mqttx' }));
    expect(first.onDescribe).not.toHaveBeenCalled();
    expect(second.onDescribe).toHaveBeenCalledWith(expect.objectContaining({ name: 'Kafka' }));
    expect(second.onDelete).toHaveBeenCalledWith(expect.objectContaining({ name: 'mqttx' }));
  });

  it('shows the exact install time when the pointer reaches the relative one', () => {
    renderPanel();
    const time = bodyRows()[0]!.querySelector('time')!;
    expect(time.getAttribute('datetime')).toBe('2026-11-20T10:00:00.000Z');
    fireEvent.mouseEnter(time);
    expect(time.title).toBe(
      new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' }).format(
        Date.parse('2026-11-20T10:00:00.000Z'),
      ),
    );
  });
});
