import { Alert, Button, List, Modal, Stack, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHostMessage } from '../lib/host-message';
import type { PluginOverview } from '../../../shared/plugin-dto';
import { upperFirst, validateId } from '../../../shared/plugin-names';
import { installApi } from '../api/install-api';
import { useDialog } from '../lib/use-dialog';
import { noteConnectionError } from '../stores/connection-store';
import { DialogFooter, useReveal } from './DialogParts';

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
  /** Whether the owner is another native function plugin or a portable plugin. */
  ownerKind?: 'functions' | 'portables';
}

/**
 * Checks a function list the way the host will: at least one name, each a valid eKuiper id, and none exported
 * by another function plugin or declared by a portable plugin (function names are one namespace: a rule could
 * not tell two `echo`s apart, so the host refuses the second).
 */
export function functionListProblems(
  functions: readonly string[],
  pluginName: string,
  plugins: readonly PluginOverview[],
): FunctionListProblem[] {
  if (functions.length === 0) return [{ key: 'empty' }];
  const owners = new Map<string, { owner: string; ownerKind: 'functions' | 'portables' }>();
  for (const other of plugins) {
    if (other.kind === 'functions' && other.name === pluginName) continue;
    if (other.kind !== 'functions' && other.kind !== 'portables') continue;
    for (const fn of other.functions) {
      // The host names the native owner first when both have it (it looks there first).
      if (!owners.has(fn) || other.kind === 'functions')
        owners.set(fn, { owner: other.name, ownerKind: other.kind });
    }
  }
  const problems: FunctionListProblem[] = [];
  for (const name of functions) {
    const owner = owners.get(name);
    if (validateId(name) !== undefined) problems.push({ key: 'invalid', name });
    else if (owner !== undefined) problems.push({ key: 'taken', name, ...owner });
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
  const opened = plugin !== undefined;
  useDialog(opened);
  const errorRef = useReveal<HTMLDivElement>(error);

  useEffect(() => {
    setFunctions(current);
    setBusy(false);
    setError(undefined);
    // Reset when another plugin's list is opened, not when the loaded list refreshes.
  }, [name]);

  const problems = plugin ? functionListProblems(functions, plugin.name, plugins) : [];
  const unchanged = functions.length === current.length && functions.every((fn, i) => fn === current[i]);
  const canSave = !busy && problems.length === 0 && !unchanged;
  const edit = (list: string[]) => {
    setFunctions(list);
    setError(undefined);
  };

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
      opened={opened}
      onClose={busy ? () => {} : onClose}
      title={plugin ? t('manage.register.title', { name: plugin.name }) : ''}
      size="lg"
      centered
      closeButtonProps={{ 'aria-label': t('dialog.close') }}
      returnFocus={false}
    >
      {plugin && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (canSave) void save();
          }}
        >
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
              onChange={edit}
              disabled={busy}
              splitChars={[',', ' ']}
              clearable
              // Nothing to suggest: a dropdown Mantine counts as open would take the Escape meant for the dialog.
              dropdownOpened={false}
              data-autofocus
            />
            {problems.length > 0 && (
              <List size="sm" c="red" spacing={2} aria-live="polite" data-testid="register-problems">
                {problems.map((problem) => (
                  <List.Item key={`${problem.key}:${problem.name ?? ''}`}>
                    {t(
                      problem.ownerKind === 'portables'
                        ? 'dialog.takenByPortable'
                        : `manage.register.problems.${problem.key}`,
                      { name: problem.name, owner: problem.owner },
                    )}
                  </List.Item>
                ))}
              </List>
            )}
            <Text size="sm" c="dimmed">
              {t('manage.register.persisted')}
            </Text>
            {error !== undefined && (
              <Alert
                ref={errorRef}
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
            <DialogFooter>
              <Button variant="default" onClick={onClose} disabled={busy}>
                {t('create.cancel')}
              </Button>
              <Button type="submit" disabled={!canSave} loading={busy}>
                {t('manage.register.submit')}
              </Button>
            </DialogFooter>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
