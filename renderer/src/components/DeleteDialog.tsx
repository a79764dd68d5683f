import { Checkbox, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PluginOverview } from '../../../shared/plugin-dto';
import { useDialog } from '../lib/use-dialog';
import { DeleteFooter, DialogFailure } from './DialogParts';

export interface DeleteDialogProps {
  /** The plugin to delete; `undefined` closes the dialog. */
  plugin: PluginOverview | undefined;
  onClose: () => void;
  /** Performs the delete and answers the host's message; rejects with the host's error. */
  onConfirm: (plugin: PluginOverview, stop: boolean) => Promise<string>;
}

/**
 * Asks before deleting and says what will happen, because the consequences differ by kind: eKuiper keeps a native
 * plugin loaded until it restarts, while a portable plugin stops at once and breaks the rules that use it.
 */
export function DeleteDialog({ plugin, onClose, onConfirm }: DeleteDialogProps) {
  const { t } = useTranslation();
  const [stop, setStop] = useState(false);
  const [busy, setBusy] = useState(false);
  // Shown in the dialog, beside the buttons it is about, rather than as a notification over them.
  const [failure, setFailure] = useState<string | undefined>();
  const opened = plugin !== undefined;
  useDialog(opened);
  useEffect(() => {
    setStop(false);
    setBusy(false);
    setFailure(undefined);
  }, [plugin?.kind, plugin?.name]);

  const confirm = async () => {
    if (!plugin) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const message = await onConfirm(plugin, stop);
      notifications.show({ color: 'green', title: t('delete.done', { name: plugin.name }), message });
      onClose();
    } catch (error) {
      setFailure((error as Error).message);
      setBusy(false);
    }
  };

  const symbols = plugin ? [...plugin.sources, ...plugin.sinks, ...plugin.functions] : [];
  return (
    <Modal
      opened={opened}
      onClose={busy ? () => {} : onClose}
      title={plugin ? t('delete.title', { name: plugin.name }) : ''}
      centered
      closeButtonProps={{ 'aria-label': t('dialog.close') }}
      returnFocus={false}
    >
      {plugin && (
        <Stack gap="md">
          <Text size="sm">
            {plugin.kind === 'portables'
              ? t('delete.portableConsequence', {
                  symbols: symbols.length > 0 ? symbols.join(', ') : t('delete.noSymbols'),
                })
              : t('delete.nativeConsequence', { kind: t(`describe.kinds.${plugin.kind}`) })}
          </Text>
          {plugin.kind !== 'portables' && (
            <Checkbox
              label={t('delete.stopHost')}
              description={t('delete.stopHostHint')}
              checked={stop}
              onChange={(event) => {
                setStop(event.currentTarget.checked);
                setFailure(undefined);
              }}
              disabled={busy}
            />
          )}
          <DialogFailure failure={failure} title={t('delete.failed', { name: plugin.name })} />
          <DeleteFooter busy={busy} onCancel={onClose} onConfirm={() => void confirm()} />
        </Stack>
      )}
    </Modal>
  );
}
