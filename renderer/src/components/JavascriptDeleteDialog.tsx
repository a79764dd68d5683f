import { useTranslation } from 'react-i18next';
import { ConfirmDeleteDialog } from './ConfirmDeleteDialog';

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
  return (
    <ConfirmDeleteDialog
      name={id}
      title={id === undefined ? '' : t('javascriptFunctions.delete.title', { name: id })}
      consequence={id === undefined ? '' : t('javascriptFunctions.delete.consequence', { name: id })}
      onClose={onClose}
      onConfirm={onConfirm}
    />
  );
}
