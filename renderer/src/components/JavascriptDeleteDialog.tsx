import { Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHostMessage } from '../lib/host-message';
import { useDialog } from '../lib/use-dialog';
import { DeleteFooter, DialogFailure } from './DialogParts';

/**
 * Asks before deleting a custom function and says what eKuiper does then: rules already running keep the
 * function until they restart, new rules can no longer call it. Cancel has the focus, as in the plugins' dialog.
 */
export function JavascriptDeleteDialog({
  id,
  onClose,
  onConfirm,
}: {
  /** The function to delete; `undefined` closes the dialog. */
  id: string | undefined;
  onClose: () => void;
  /** Deletes it and answers the server's message; rejects with the server's error. */
  onConfirm: (id: string) => Promise<string>;
}) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const opened = id !== undefined;
  useDialog(opened);
  useEffect(() => {
    setBusy(false);
    setFailure(undefined);
  }, [id]);

  const confirm = async () => {
    if (id === undefined) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const message = await onConfirm(id);
      notifications.show({
        color: 'green',
        title: t('delete.done', { name: id }),
        message: hostMessage(message),
      });
      onClose();
    } catch (error) {
      setFailure((error as Error).message);
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={busy ? () => {} : onClose}
      title={id === undefined ? '' : t('javascriptFunctions.delete.title', { name: id })}
      centered
      closeButtonProps={{ 'aria-label': t('dialog.close') }}
      returnFocus={false}
    >
      {id !== undefined && (
        <Stack gap="md">
          <Text size="sm">{t('javascriptFunctions.delete.consequence', { name: id })}</Text>
          <DialogFailure failure={failure} title={t('delete.failed', { name: id })} />
          <DeleteFooter busy={busy} onCancel={onClose} onConfirm={() => void confirm()} />
        </Stack>
      )}
    </Modal>
  );
}
