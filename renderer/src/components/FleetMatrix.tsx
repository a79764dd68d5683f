import { Loader, Menu, Tooltip } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TFunction } from 'i18next';
import { memo, useMemo, useRef, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import {
  differsFromCommon,
  serversHaving,
  serversMissing,
  type FleetCell,
  type FleetColumn,
  type FleetRow,
} from '../lib/fleet-matrix';
import { serverState, TONE_COLORS } from '../lib/server-state';
import { useHostMessage } from '../lib/host-message';
import { MoreIcon } from './Icons';
import classes from './FleetMatrix.module.css';
import tableClasses from './PluginTable.module.css';

/** Fixed heights, so the virtualiser never measures and the sticky header never jumps. */
export const FLEET_ROW_HEIGHT = 40;
const HEADER_HEIGHT = 58;
const FIRST_COLUMN_PX = 260;
const SERVER_COLUMN_PX = 150;

/** What a row's menu asks for; the page opens the bulk dialog pre-filled. */
export type FleetRowAction = 'install-missing' | 'update-all' | 'delete-all';

/**
 * What the matrix lays out: plugins (`fleet`, cells show versions) or JavaScript functions or services (their
 * own i18n namespace with the same keys; cells show a mark, the content hash on hover).
 */
export type FleetMatrixWords = 'fleet' | 'extensionFleet.javascript' | 'extensionFleet.services';

export interface FleetMatrixProps {
  columns: readonly FleetColumn[];
  rows: readonly FleetRow[];
  selected: readonly string[];
  onToggleServer: (id: string) => void;
  /** Ticks every server, or none when all are ticked. */
  onToggleAll: () => void;
  /** Keep this stable: rows re-render when it changes. */
  onRowAction: (row: FleetRow, action: FleetRowAction) => void;
  /** Plugins when absent. */
  words?: FleetMatrixWords;
}

/**
 * Plugins × servers: one row per plugin found on any server, one column per server. Each cell says what that
 * server has — the version, `—` where it is missing, a red `error` badge for a portable plugin that cannot run,
 * a hatched `?` where the server did not answer — and a row that differs between servers carries a `drift`
 * badge with its reasons. The plugin column and the header stay put while the rest scrolls (one scroll box for
 * both directions, so header and body never drift apart); rows are virtualised for thousands of plugins.
 */
export const FleetMatrix = memo(function FleetMatrix({
  columns,
  rows,
  selected,
  onToggleServer,
  onToggleAll,
  onRowAction,
  words = 'fleet',
}: FleetMatrixProps) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => FLEET_ROW_HEIGHT,
    overscan: 8,
    scrollMargin: HEADER_HEIGHT,
    initialRect: { width: 0, height: typeof window === 'undefined' ? 0 : window.innerHeight },
    getItemKey: (index) => rows[index]?.key ?? index,
  });
  // The plugin column gives way on narrow windows, so more servers fit beside it.
  const firstColumn = `clamp(220px, 28vw, ${FIRST_COLUMN_PX}px)`;
  const template = `${firstColumn} repeat(${columns.length}, minmax(${SERVER_COLUMN_PX}px, 1fr))`;
  const minWidth = `calc(${firstColumn} + ${columns.length * SERVER_COLUMN_PX}px)`;
  const names = useMemo(() => new Map(columns.map((column) => [column.id, column.name])), [columns]);

  return (
    <div
      ref={scrollRef}
      className={classes.scroller}
      data-testid="fleet-matrix"
      data-words={words}
      // What the keyboard focuses scrolls clear of the sticky header and plugin column, not under them.
      style={{ scrollPaddingLeft: firstColumn, scrollPaddingTop: HEADER_HEIGHT }}
    >
      <div
        className={classes.table}
        role="table"
        aria-label={t(`${words}.matrixLabel`)}
        aria-rowcount={rows.length + 1}
        style={{ minWidth }}
      >
        <div role="rowgroup">
          <div
            className={classes.header}
            role="row"
            aria-rowindex={1}
            style={{ gridTemplateColumns: template, height: HEADER_HEIGHT }}
          >
            <div className={classes.firstCell} role="columnheader">
              <input
                type="checkbox"
                className={classes.checkbox}
                checked={columns.length > 0 && columns.every((column) => selected.includes(column.id))}
                ref={(input) => {
                  if (input) input.indeterminate = selected.length > 0 && selected.length < columns.length;
                }}
                onChange={onToggleAll}
                aria-label={t('fleet.selectAll')}
                title={t('fleet.selectAll')}
              />
              {t(`${words}.plugin`)}
            </div>
            {columns.map((column) => (
              <ServerHeader
                key={column.id}
                column={column}
                checked={selected.includes(column.id)}
                onToggle={onToggleServer}
                words={words}
                t={t}
              />
            ))}
          </div>
        </div>
        <div
          className={classes.body}
          role="rowgroup"
          style={{ height: virtualizer.getTotalSize() }}
          data-testid="fleet-rows"
        >
          {virtualizer.getVirtualItems().map((item) => (
            <MatrixRow
              key={item.key}
              row={rows[item.index]!}
              index={item.index}
              top={item.start - HEADER_HEIGHT}
              columns={columns}
              names={names}
              template={template}
              onRowAction={onRowAction}
              words={words}
              t={t}
            />
          ))}
        </div>
      </div>
    </div>
  );
});

function ServerHeader({
  column,
  checked,
  onToggle,
  words,
  t,
}: {
  column: FleetColumn;
  checked: boolean;
  onToggle: (id: string) => void;
  words: FleetMatrixWords;
  t: TFunction;
}) {
  const hostMessage = useHostMessage();
  // A server that did not answer just now is shown as such, whatever its last background check said.
  const unavailable = column.available === false;
  const state = serverState(
    column.server,
    column.answered || unavailable || column.message === ''
      ? undefined
      : { kind: 'unreachable', message: column.message, at: Date.now() },
  );
  const said = hostMessage(column.message);
  const healthText = [
    t(`servers.standing.${state.standing}`),
    hostMessage(state.message ?? column.server?.health?.message),
  ]
    .filter(Boolean)
    .join(' — ');
  const asking = column.pending === true;
  const problem = !column.answered && !unavailable && !asking;
  const note = asking
    ? t('fleet.asking')
    : unavailable
      ? t(`${words}.notAvailable`)
      : problem
        ? column.message === ''
          ? t('fleet.notAsked')
          : t('fleet.noAnswer')
        : t(`${words}.pluginCount`, { count: column.count });
  const explained = problem || unavailable;
  return (
    <div className={classes.cell} role="columnheader" data-server={column.id}>
      <input
        type="checkbox"
        className={classes.checkbox}
        checked={checked}
        onChange={() => onToggle(column.id)}
        aria-label={t('fleet.selectServer', { name: column.name })}
      />
      <div className={classes.serverHead}>
        <div className={classes.serverTitle}>
          <span
            className={classes.dot}
            style={{ background: `var(--mantine-color-${TONE_COLORS[state.tone]}-6)` }}
            title={healthText}
            role="img"
            aria-label={healthText}
          />
          <span className={classes.serverName} title={column.name}>
            {column.name}
          </span>
        </div>
        <Tip label={explained ? said : ''}>
          <span
            className={classes.serverNote}
            data-problem={problem ? '' : undefined}
            data-unavailable={unavailable ? '' : undefined}
            tabIndex={explained ? 0 : undefined}
            aria-label={explained && said !== '' ? `${note}: ${said}` : undefined}
            data-testid="server-note"
            data-asking={asking ? '' : undefined}
          >
            {asking && <Loader size={10} className={classes.askingLoader} aria-hidden />}
            {note}
          </span>
        </Tip>
      </div>
    </div>
  );
}

interface MatrixRowProps {
  row: FleetRow;
  index: number;
  top: number;
  columns: readonly FleetColumn[];
  names: ReadonlyMap<string, string>;
  template: string;
  onRowAction: (row: FleetRow, action: FleetRowAction) => void;
  words: FleetMatrixWords;
  t: TFunction;
}

/** What makes a row drift, in one sentence per reason, for the badge's hover text. */
function driftText(
  row: FleetRow,
  names: ReadonlyMap<string, string>,
  words: FleetMatrixWords,
  t: TFunction,
): string {
  const drift = row.drift;
  if (drift === undefined) return '';
  const list = (ids: string[]) => ids.map((id) => names.get(id) ?? id).join(', ');
  const lines: string[] = [];
  if (drift.missingOn.length > 0) lines.push(t('fleet.driftMissing', { servers: list(drift.missingOn) }));
  if (drift.versions.length > 0) {
    lines.push(
      t(`${words}.driftVersions`, {
        versions: drift.versions.map((v) => (v === '' ? t('fleet.noVersion') : v)).join(', '),
      }),
    );
  }
  if (drift.errorOn.length > 0) lines.push(t('fleet.driftError', { servers: list(drift.errorOn) }));
  return lines.join('\n');
}

const MatrixRow = memo(function MatrixRow({
  row,
  index,
  top,
  columns,
  names,
  template,
  onRowAction,
  words,
  t,
}: MatrixRowProps) {
  const missing = serversMissing(row).length;
  const having = serversHaving(row).length;
  const drift = driftText(row, names, words, t);
  // Functions and services have one kind per matrix: no label.
  const kindLabel = words === 'fleet' ? t(`fleet.kindLabel.${row.kind}`, { defaultValue: row.kind }) : '';
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={classes.row}
      style={{ gridTemplateColumns: template, height: FLEET_ROW_HEIGHT, top }}
      data-drift={row.drift === undefined ? undefined : ''}
      data-plugin={row.key}
    >
      <div className={classes.firstCell} role="rowheader">
        <span className={classes.pluginName} title={row.name}>
          {row.name}
        </span>
        {kindLabel !== '' && <span className={classes.kind}>{kindLabel}</span>}
        {row.drift !== undefined && (
          <Tip label={drift}>
            <span
              className={`${tableClasses.badge} ${classes.drift}`}
              aria-label={`${t('fleet.drift')}: ${drift}`}
              tabIndex={0}
              data-testid="drift-badge"
            >
              {t('fleet.drift')}
            </span>
          </Tip>
        )}
        <span className={classes.spacer} />
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <button
              type="button"
              className={tableClasses.iconButton}
              aria-label={t('fleet.rowActions', { name: row.name })}
              title={t('fleet.rowActions', { name: row.name })}
            >
              <MoreIcon />
            </button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item disabled={missing === 0} onClick={() => onRowAction(row, 'install-missing')}>
              {t(`${words}.actions.installMissing`, { count: missing })}
            </Menu.Item>
            <Menu.Item disabled={having === 0} onClick={() => onRowAction(row, 'update-all')}>
              {t(`${words}.actions.updateAll`, { count: having })}
            </Menu.Item>
            <Menu.Item color="red" disabled={having === 0} onClick={() => onRowAction(row, 'delete-all')}>
              {t(`${words}.actions.deleteAll`, { count: having })}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </div>
      {columns.map((column) => (
        <Cell
          key={column.id}
          row={row}
          cell={row.cells[column.id] ?? { state: 'unknown' }}
          column={column}
          words={words}
          t={t}
        />
      ))}
    </div>
  );
});

function Cell({
  row,
  cell,
  column,
  words,
  t,
}: {
  row: FleetRow;
  cell: FleetCell;
  column: FleetColumn;
  words: FleetMatrixWords;
  t: TFunction;
}) {
  const hostMessage = useHostMessage();
  const where = { name: row.name, server: column.name };
  if (cell.state === 'unknown') {
    const label =
      column.pending === true
        ? t('fleet.cell.asking', where)
        : t('fleet.cell.unknown', {
            ...where,
            reason: hostMessage(column.message) || t('fleet.notAsked'),
          });
    return (
      <div className={classes.cell} role="cell" data-state="unknown" title={label} aria-label={label}>
        <span className={classes.muted}>?</span>
      </div>
    );
  }
  if (cell.state === 'unavailable') {
    const label = t(`${words}.cell.unavailable`, where);
    return (
      <div className={classes.cell} role="cell" data-state="unavailable" title={label} aria-label={label}>
        <span className={classes.muted}>{t(`${words}.notAvailable`)}</span>
      </div>
    );
  }
  if (cell.state === 'missing') {
    const label = t(`${words}.cell.missing`, where);
    return (
      <div className={classes.cell} role="cell" data-state="missing" title={label} aria-label={label}>
        <span className={classes.missing}>—</span>
      </div>
    );
  }
  const differs = differsFromCommon(row, cell);
  const error = cell.status === 'error';
  if (words !== 'fleet') {
    // Functions and services have no version: a mark, "differs" where the content is not the common one.
    const label = differs ? t(`${words}.cell.differs`, where) : t(`${words}.cell.present`, where);
    return (
      <div
        className={classes.cell}
        role="cell"
        data-state="present"
        title={[label, cell.label, `#${cell.version}`].filter(Boolean).join(' · ')}
        aria-label={label}
      >
        <span className={classes.version} data-differs={differs ? '' : undefined}>
          {differs ? t(`${words}.differs`) : '✓'}
        </span>
        {cell.label && <span className={classes.label}>{cell.label}</span>}
      </div>
    );
  }
  return (
    <div
      className={classes.cell}
      role="cell"
      data-state={error ? 'error' : 'present'}
      title={
        differs
          ? t(`${words}.cell.differs`, { common: row.commonVersion || t('fleet.noVersion') })
          : undefined
      }
    >
      <span className={classes.version} data-differs={differs ? '' : undefined}>
        {cell.version === '' ? <span className={classes.muted}>{t('fleet.noVersion')}</span> : cell.version}
      </span>
      {error && (
        <Tip label={hostMessage(cell.errMsg) || t('fleet.cell.errorNoMessage')}>
          <span
            className={`${tableClasses.badge} ${classes.error}`}
            aria-label={t('fleet.cell.error', {
              message: hostMessage(cell.errMsg) || t('fleet.cell.errorNoMessage'),
            })}
            tabIndex={0}
            data-testid="error-badge"
          >
            {t('fleet.cell.errorBadge')}
          </span>
        </Tip>
      )}
    </div>
  );
}

/** A hover and keyboard-focus tooltip for the few cells that explain themselves (drift, error, no answer). */
function Tip({ label, children }: { label: string; children: ReactElement }) {
  if (label === '') return children;
  return (
    <Tooltip
      label={label}
      multiline
      maw={360}
      withArrow
      events={{ hover: true, focus: true, touch: false }}
      style={{ whiteSpace: 'pre-line', wordBreak: 'break-word' }}
    >
      {children}
    </Tooltip>
  );
}
