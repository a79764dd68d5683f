import { ActionIcon, Anchor, Badge, Group, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceRow } from '../lib/service-rows';
import { InfoIcon, TrashIcon, UpdateIcon } from './Icons';

export interface ServiceTableProps {
  rows: readonly ServiceRow[];
  /** Why update and delete are unavailable on this server; undefined when they are. */
  writeBlocked: string | undefined;
  onDescribe: (name: string) => void;
  onUpdate: (name: string) => void;
  onDelete: (name: string) => void;
}

/** A row's icon button: its label read out and shown on hover, and why it is disabled when it is. */
function RowAction({
  label,
  blocked,
  color,
  onClick,
  children,
}: {
  label: string;
  blocked?: string | undefined;
  color?: string;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <Tooltip
      label={blocked === undefined ? label : `${label}: ${blocked}`}
      openDelay={300}
      multiline
      maw={280}
    >
      <ActionIcon
        variant="subtle"
        color={color}
        aria-label={label}
        aria-description={blocked}
        disabled={blocked !== undefined}
        onClick={onClick}
      >
        {children}
      </ActionIcon>
    </Tooltip>
  );
}

/**
 * The services of a server, one row each: name (opens the drawer), interfaces, protocol, address, how many SQL
 * functions it gives, and its actions. Services are few on a server, so the table is a plain one that scrolls
 * inside its frame, header on top, rather than the plugin lists' virtualised grid.
 */
export function ServiceTable({ rows, writeBlocked, onDescribe, onUpdate, onDelete }: ServiceTableProps) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer
      minWidth={640}
      maxHeight="100%"
      style={{ flex: '0 1 auto', minHeight: 0 }}
      type="native"
    >
      <Table
        aria-label={t('services.table')}
        striped
        highlightOnHover
        stickyHeader
        withTableBorder
        verticalSpacing={6}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('services.columns.name')}</Table.Th>
            <Table.Th>{t('services.columns.interfaces')}</Table.Th>
            <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('services.columns.protocol')}</Table.Th>
            <Table.Th>{t('services.columns.address')}</Table.Th>
            <Table.Th style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
              {t('services.columns.functions')}
            </Table.Th>
            <Table.Th style={{ width: 112 }}>
              <VisuallyHidden>{t('services.columns.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.name} data-testid={`service-row-${row.name}`}>
              <Table.Td style={{ maxWidth: 220 }}>
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  fw={600}
                  onClick={() => onDescribe(row.name)}
                  style={{ overflowWrap: 'anywhere', textAlign: 'left' }}
                >
                  {row.name}
                </Anchor>
              </Table.Td>
              <Table.Td style={{ maxWidth: 200 }}>
                {row.error !== undefined ? (
                  <Text size="sm" c="red" title={row.error}>
                    {t('services.unreadable')}
                  </Text>
                ) : (
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {row.interfaces.join(', ')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  {row.protocols.map((protocol) => (
                    <Badge
                      key={protocol}
                      variant="light"
                      size="sm"
                      tt="none"
                      style={{ flexShrink: 0, minWidth: 'max-content' }}
                    >
                      {protocol}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td style={{ maxWidth: 260 }}>
                <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                  {row.addresses.join(', ')}
                </Text>
              </Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>
                <Text size="sm" title={row.functions.join(', ')}>
                  {row.functions.length}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={2} wrap="nowrap" justify="flex-end">
                  <RowAction
                    label={t('services.actions.describe', { name: row.name })}
                    onClick={() => onDescribe(row.name)}
                  >
                    <InfoIcon />
                  </RowAction>
                  <RowAction
                    label={t('services.actions.update', { name: row.name })}
                    blocked={writeBlocked}
                    onClick={() => onUpdate(row.name)}
                  >
                    <UpdateIcon />
                  </RowAction>
                  <RowAction
                    label={t('services.actions.delete', { name: row.name })}
                    blocked={writeBlocked}
                    color="red"
                    onClick={() => onDelete(row.name)}
                  >
                    <TrashIcon />
                  </RowAction>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
