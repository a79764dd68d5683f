import { ActionIcon, Badge, Button, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useDeferredValue, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { lazyNamed, useOnceTrue } from '../lib/lazy';
import { useServerNotes } from '../lib/use-server-notes';
import { useJavascriptStore } from '../stores/javascript-store';
import { useJavascriptNamesStore } from '../stores/route-list-store';
import { useViewStore } from '../stores/view-store';
import { PencilIcon, TrashIcon } from './Icons';
import { JavascriptDrawer } from './JavascriptDrawer';
import { LazyPart } from './LazyPart';
import { ListFilter, NoMatch } from './ListFilter';
import classes from './JavascriptPanel.module.css';
import tableClasses from './PluginTable.module.css';

// The dialogs load when first opened: the list needs neither to show.
const JavascriptFunctionDialog = lazyNamed(
  () => import('./JavascriptFunctionDialog'),
  'JavascriptFunctionDialog',
);
const JavascriptDeleteDialog = lazyNamed(() => import('./JavascriptDeleteDialog'), 'JavascriptDeleteDialog');

/** Whether a function matches the filter: its name or description holds the text, case ignored. */
function matches(id: string, description: string | undefined, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return true;
  return id.toLowerCase().includes(needle) || (description ?? '').toLowerCase().includes(needle);
}

/**
 * The Custom functions tab: the current server's JavaScript functions (name, description, aggregate) with a
 * filter, the describe drawer with Try it, and the Create/Edit and Delete dialogs. eKuiper lists ids only: the
 * names show at once, the descriptions as each describe answers.
 */
export function JavascriptPanel() {
  const { t } = useTranslation();
  const notes = useServerNotes();
  const names = useJavascriptNamesStore((state) => state.names);
  const server = useJavascriptNamesStore((state) => state.server);
  const { functions, failures, editing, describing, deleting, filter } = useJavascriptStore();
  const { loadDetails, save, remove, edit, describe, askDelete, setFilter } = useJavascriptStore.getState();
  const creatingIn = useViewStore((state) => state.creatingIn);
  const deferredFilter = useDeferredValue(filter);

  useEffect(() => void loadDetails(names), [names, loadDetails]);
  // The toolbar's Create button asks through the view store; the dialog is this tab's.
  useEffect(() => {
    if (creatingIn !== 'javascript') return;
    useViewStore.getState().askCreateIn(undefined);
    edit({ mode: 'create' });
  }, [creatingIn, edit]);

  const sorted = useMemo(() => [...names].sort((a, b) => a.localeCompare(b)), [names]);
  const visible = sorted.filter((id) => matches(id, functions[id]?.description, deferredFilter));
  const dialogMounted = useOnceTrue(editing !== undefined);
  const deleteMounted = useOnceTrue(deleting !== undefined);
  const writeBlocked = notes.readOnly;

  return (
    <>
      {names.length === 0 ? (
        <Stack align="center" justify="center" gap="xs" py="xl" data-testid="empty-state">
          <Text fw={600}>{t('javascriptFunctions.empty.title')}</Text>
          <Text size="sm" c="dimmed" ta="center" maw={520}>
            {t('javascriptFunctions.empty.hint')}
          </Text>
          {writeBlocked === undefined && (
            <Button mt="sm" onClick={() => edit({ mode: 'create' })}>
              {t('extensions.create.javascript')}
            </Button>
          )}
        </Stack>
      ) : (
        <Stack gap="sm" style={{ flex: 1, minHeight: 0 }}>
          <ListFilter
            filter={filter}
            onChange={setFilter}
            placeholder={t('javascriptFunctions.filterPlaceholder')}
            shown={visible.length}
            total={names.length}
          />
          {visible.length === 0 ? (
            <NoMatch filter={filter} onClear={() => setFilter('')} />
          ) : (
            <div className={classes.frame}>
              <Table
                stickyHeader
                highlightOnHover
                aria-label={t('extensions.tabs.javascript')}
                className={classes.table}
              >
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th className={classes.name}>{t('javascriptFunctions.columns.name')}</Table.Th>
                    <Table.Th>{t('javascriptFunctions.columns.description')}</Table.Th>
                    <Table.Th className={classes.aggregate}>
                      {t('javascriptFunctions.columns.aggregate')}
                    </Table.Th>
                    <Table.Th className={classes.actions}>
                      <span className={classes.hidden}>{t('javascriptFunctions.columns.actions')}</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {visible.map((id) => {
                    const fn = functions[id];
                    const failure = failures[id];
                    return (
                      <Table.Tr key={id}>
                        <Table.Td className={classes.name}>
                          <button
                            type="button"
                            className={tableClasses.nameButton}
                            onClick={() => describe(id)}
                            title={t('extensions.describe', { name: id })}
                          >
                            {id}
                          </button>
                        </Table.Td>
                        <Table.Td className={classes.description}>
                          {fn !== undefined ? (
                            <span title={fn.description}>{fn.description}</span>
                          ) : failure !== undefined ? (
                            <Text span size="sm" c="red" title={failure}>
                              {t('javascriptFunctions.describeFailed')}
                            </Text>
                          ) : (
                            <Skeleton height={10} width="60%" />
                          )}
                        </Table.Td>
                        <Table.Td className={classes.aggregate}>
                          {fn?.isAgg === true ? (
                            <Badge size="sm" variant="light" color="grape">
                              {t('javascriptFunctions.aggregateBadge')}
                            </Badge>
                          ) : (
                            fn !== undefined && (
                              <Text span size="sm" c="dimmed" aria-label={t('javascriptFunctions.scalar')}>
                                —
                              </Text>
                            )
                          )}
                        </Table.Td>
                        <Table.Td className={classes.actions}>
                          <Group gap={4} wrap="nowrap" justify="flex-end">
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              aria-label={t('javascriptFunctions.edit', { name: id })}
                              aria-description={writeBlocked}
                              title={writeBlocked ?? t('javascriptFunctions.edit', { name: id })}
                              disabled={writeBlocked !== undefined}
                              onClick={() => edit({ mode: 'edit', id })}
                            >
                              <PencilIcon />
                            </ActionIcon>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={t('extensions.delete', { name: id })}
                              aria-description={writeBlocked}
                              title={writeBlocked ?? t('extensions.delete', { name: id })}
                              disabled={writeBlocked !== undefined}
                              onClick={() => askDelete(id)}
                            >
                              <TrashIcon />
                            </ActionIcon>
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </div>
          )}
        </Stack>
      )}
      <JavascriptDrawer
        id={describing}
        fn={describing === undefined ? undefined : functions[describing]}
        failure={describing === undefined ? undefined : failures[describing]}
        server={server}
        onClose={() => describe(undefined)}
        onEdit={(id) => edit({ mode: 'edit', id })}
        onDelete={(id) => askDelete(id)}
      />
      {dialogMounted && (
        <LazyPart fallback={null} floating>
          <JavascriptFunctionDialog
            editing={editing}
            current={editing?.mode === 'edit' ? functions[editing.id] : undefined}
            existing={names}
            onClose={() => edit(undefined)}
            onSave={save}
          />
        </LazyPart>
      )}
      {deleteMounted && (
        <LazyPart fallback={null} floating>
          <JavascriptDeleteDialog id={deleting} onClose={() => askDelete(undefined)} onConfirm={remove} />
        </LazyPart>
      )}
    </>
  );
}
