import { Alert, Button, Group, List, Modal, Stack, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHostMessage } from '../lib/host-message';
import type { PluginOverview } from '../../../shared/plugin-dto';
import { upperFirst, validateId } from '../../../shared/plugin-names';
import { installApi } from '../api/install-api';
import { noteConnectionError } from '../stores/connection-store';

export interface RegisterFunctionsDialogProps {
  /** The function plugin whose list is edited; `undefined` closes the dialog. */
  plugin: PluginOverview | undefined;
  /** Every installed plugin, to find function names another plugin already exports. */
  plugins: readonly PluginOverview[];
  onClose: () => void;
  /** Called after the host registered the list (the page reloads the plugins and the UDF list). */
  onRegistered: () => void;
}

/** One reason the list cannot be sent, for one function name (or for the whole list). */
export interface FunctionListProblem {
  key: 'empty' | 'invalid' | 'taken';
  name?: string;
  owner?: string;
}

/**
 * Checks a function list the way the host will: at least one name, each a valid eKuiper id, and none exported
 * by another native function plugin (eKuiper allows a function name in one plugin only).
 */
export function functionListProblems(
  functions: readonly string[],
  pluginName: string,
  plugins: readonly PluginOverview[],
): FunctionListProblem[] {
  if (functions.length === 0) return [{ key: 'empty' }];
  const owners = new Map<string, string>();
  for (const other of plugins) {
    if (other.kind !== 'functions' || other.name === pluginName) continue;
    for (const fn of other.functions) owners.set(fn, other.name);
  }
  const problems: FunctionListProblem[] = [];
  for (const name of functions) {
    if (validateId(name) !== undefined) problems.push({ key: 'invalid', name });
    else if (owners.has(name)) problems.push({ key: 'taken', name, owner: owners.get(name)! });
  }
  return problems;
}

/**
 * Edits the list of functions a native function plugin exports and registers it with
 * `POST /plugins/functions/{name}/register`, so one library can serve several SQL functions.
 */
export function RegisterFunctionsDialog({
  plugin,
  plugins,
  onClose,
  onRegistered,
}: RegisterFunctionsDialogProps) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const [functions, setFunctions] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const name = plugin?.name;
  const current = useMemo(() => plugin?.functions ?? [], [plugin]);

  useEffect(() => {
    setFunctions(current);
    setBusy(false);
    setError(undefined);
    // Reset when another plugin's list is opened, not when the loaded list refreshes.
  }, [name]);

  const problems = plugin ? functionListProblems(functions, plugin.name, plugins) : [];
  const unchanged = functions.length === current.length && functions.every((fn, i) => fn === current[i]);
  const canSave = !busy && problems.length === 0 && !unchanged;

  async function save() {
    if (!plugin) return;
    setBusy(true);
    setError(undefined);
    try {
      const message = await installApi.registerFunctions(plugin.name, functions);
      notifications.show({
        color: 'green',
        title: t('manage.register.done', { name: plugin.name }),
        message,
      });
      onRegistered();
      onClose();
    } catch (failure) {
      noteConnectionError(failure);
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened={plugin !== undefined}
      onClose={busy ? () => {} : onClose}
      title={plugin ? t('manage.register.title', { name: plugin.name }) : ''}
      size="lg"
      centered
      closeButtonProps={{ 'aria-label': t('create.cancel') }}
    >
      {plugin && (
        <Stack gap="md">
          <Text size="sm">{t('manage.register.intro', { name: plugin.name })}</Text>
          <TagsInput
            label={t('manage.register.label')}
            description={t('manage.register.hint', {
              example: functions[0] ?? plugin.name,
              symbol: upperFirst(functions[0] ?? plugin.name),
            })}
            placeholder={t('manage.register.placeholder')}
            value={functions}
            onChange={setFunctions}
            disabled={busy}
            splitChars={[',', ' ']}
            clearable
            data-autofocus
          />
          {problems.length > 0 && (
            <List size="sm" c="red" spacing={2} aria-live="polite" data-testid="register-problems">
              {problems.map((problem) => (
                <List.Item key={`${problem.key}:${problem.name ?? ''}`}>
                  {t(`manage.register.problems.${problem.key}`, {
                    name: problem.name,
                    owner: problem.owner,
                  })}
                </List.Item>
              ))}
            </List>
          )}
          <Text size="sm" c="dimmed">
            {t('manage.register.persisted')}
          </Text>
          {error !== undefined && (
            <Alert
              color="red"
              variant="light"
              title={t('manage.register.failed', { name: plugin.name })}
              role="alert"
            >
              <Text size="sm" style={{ wordBreak: 'break-word' }}>
                {hostMessage(error)}
              </Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t('create.cancel')}
            </Button>
            <Button onClick={() => void save()} disabled={!canSave} loading={busy}>
              {t('manage.register.submit')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
