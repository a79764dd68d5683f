import { useTranslation } from 'react-i18next';
import { buildServiceRows } from '../lib/service-rows';
import type { ServiceEntry } from '../stores/services-store';
import { ConfirmDeleteDialog } from './ConfirmDeleteDialog';

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
  const functions = service ? (buildServiceRows([service])[0]?.functions ?? []) : [];
  return (
    <ConfirmDeleteDialog
      name={service?.name}
      title={service ? t('delete.title', { name: service.name }) : ''}
      consequence={
        functions.length > 0
          ? t('services.delete.consequence', { functions: functions.join(', ') })
          : t('services.delete.consequenceNone')
      }
      onClose={onClose}
      onConfirm={onConfirm}
    />
  );
}
