import { Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHostMessage } from '../lib/host-message';
import { useDialog } from '../lib/use-dialog';
import { DeleteFooter, DialogFailure } from './DialogParts';

/**
 * Asks before deleting one named thing (a custom function, an external service) and says what stops working:
 * Cancel has the focus, the server's refusal stays in the dialog, its answer shows as a notification once done.
 */
export function ConfirmDeleteDialog({
  name,
  title,
  consequence,
  onClose,
  onConfirm,
}: {
  /** What to delete; `undefined` closes the dialog. */
  name: string | undefined;
  title: string;
  consequence: string;
  onClose: () => void;
  /** Deletes it and answers the server's message; rejects with the server's error. */
  onConfirm: (name: string) => Promise<string>;
}) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const opened = name !== undefined;
  useDialog(opened);
  useEffect(() => {
    setBusy(false);
    setFailure(undefined);
  }, [name]);

  const confirm = async () => {
    if (name === undefined) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const message = await onConfirm(name);
      notifications.show({
        color: 'green',
        title: t('delete.done', { name }),
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
      title={title}
      centered
      closeButtonProps={{ 'aria-label': t('dialog.close') }}
      returnFocus={false}
    >
      {name !== undefined && (
        <Stack gap="md">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {consequence}
          </Text>
          <DialogFailure failure={failure} title={t('delete.failed', { name })} />
          <DeleteFooter busy={busy} onCancel={onClose} onConfirm={() => void confirm()} />
        </Stack>
      )}
    </Modal>
  );
}
