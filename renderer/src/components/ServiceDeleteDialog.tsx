import { Button, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { buildServiceRows } from '../lib/service-rows';
import { useDialog } from '../lib/use-dialog';
import type { ServiceEntry } from '../stores/services-store';
import { DialogFooter, HostRefusal, useReveal } from './DialogParts';

export interface ServiceDeleteDialogProps {
  /** The service to delete; `undefined` closes the dialog. */
  service: ServiceEntry | undefined;
  onClose: () => void;
  /** Deletes it and answers the server's message; rejects with the server's error. */
  onConfirm: (name: string) => Promise<string>;
}

/**
 * Asks before deleting a service and names what stops working: every SQL function it gives, which rules
 * calling them will fail on from then on.
 */
export function ServiceDeleteDialog({ service, onClose, onConfirm }: ServiceDeleteDialogProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const opened = service !== undefined;
  useDialog(opened);
  const failureRef = useReveal<HTMLDivElement>(failure);
  useEffect(() => {
    setBusy(false);
    setFailure(undefined);
  }, [service?.name]);
  const functions = service ? (buildServiceRows([service])[0]?.functions ?? []) : [];

  const confirm = async () => {
    if (!service) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const message = await onConfirm(service.name);
      notifications.show({ color: 'green', title: t('delete.done', { name: service.name }), message });
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
      title={service ? t('delete.title', { name: service.name }) : ''}
      centered
      closeButtonProps={{ 'aria-label': t('dialog.close') }}
      returnFocus={false}
    >
      {service && (
        <Stack gap="md">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {functions.length > 0
              ? t('services.delete.consequence', { functions: functions.join(', ') })
              : t('services.delete.consequenceNone')}
          </Text>
          {failure !== undefined && (
            <HostRefusal
              ref={failureRef}
              title={t('delete.failed', { name: service.name })}
              message={failure}
            />
          )}
          <DialogFooter>
            <Button variant="default" onClick={onClose} disabled={busy} data-autofocus>
              {t('delete.cancel')}
            </Button>
            <Button color="red" onClick={() => void confirm()} loading={busy}>
              {t('delete.confirm')}
            </Button>
          </DialogFooter>
        </Stack>
      )}
    </Modal>
  );
}
