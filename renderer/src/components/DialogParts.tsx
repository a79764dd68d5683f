import { Alert, Button, Group, Progress, Stack, Text, type GroupProps } from '@mantine/core';
import { forwardRef, useCallback, useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useHostMessage } from '../lib/host-message';
import classes from './Dialog.module.css';

/**
 * A dialog's action buttons, always in view at the bottom of the dialog: right-aligned, or spread out
 * (`justify="space-between"`) when something leads on the left.
 */
export function DialogFooter({
  children,
  justify = 'flex-end',
  testId,
}: {
  children: ReactNode;
  justify?: GroupProps['justify'];
  testId?: string;
}) {
  return (
    <Group
      justify={justify}
      gap="sm"
      wrap="nowrap"
      className={classes.footer}
      data-dialog-footer
      data-testid={testId}
    >
      {children}
    </Group>
  );
}

/**
 * A ref for something that appears below the fold of a dialog (an install error, the install's output): each
 * time `key` changes to a defined value, the element is scrolled into view, clear of the footer, so the user sees
 * what happened without hunting for it.
 */
export function useReveal<T extends HTMLElement>(key: unknown): (element: T | null) => void {
  const element = useRef<T | null>(null);
  useEffect(() => {
    if (key === undefined || key === null || key === false) return;
    const target = element.current;
    if (target === null) return;
    target.classList.add(classes.revealed!);
    // jsdom has no scrolling.
    target.scrollIntoView?.({ block: 'nearest' });
  }, [key]);
  return useCallback((node: T | null) => {
    element.current = node;
  }, []);
}

/**
 * What the server answered when a dialog's action failed, in its words (translated where it is one of the host's
 * own), shown beside the buttons it is about and scrolled into view each time it changes.
 */
export function DialogFailure({
  failure,
  title,
  testId,
}: {
  failure: string | undefined;
  title: string;
  testId?: string;
}) {
  const hostMessage = useHostMessage();
  const reveal = useReveal<HTMLDivElement>(failure);
  if (failure === undefined) return null;
  return (
    <Alert ref={reveal} color="red" variant="light" role="alert" title={title} data-testid={testId}>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {hostMessage(failure)}
      </Text>
    </Alert>
  );
}

/** A delete dialog's buttons: Cancel, which has the focus (deleting takes a deliberate choice), and Delete. */
export function DeleteFooter({
  busy,
  onCancel,
  onConfirm,
}: {
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  return (
    <DialogFooter>
      <Button variant="default" onClick={onCancel} disabled={busy} data-autofocus>
        {t('delete.cancel')}
      </Button>
      <Button color="red" onClick={onConfirm} loading={busy}>
        {t('delete.confirm')}
      </Button>
    </DialogFooter>
  );
}

/**
 * What the server answered when it refused a dialog's request, in red under a title that says what failed, its
 * words in the window's language; `ref` lets the dialog scroll it into view.
 */
export const HostRefusal = forwardRef<
  HTMLDivElement,
  { title: string; message: string; children?: ReactNode }
>(function HostRefusal({ title, message, children }, ref) {
  const hostMessage = useHostMessage();
  return (
    <Alert ref={ref} color="red" variant="light" role="alert" title={title}>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {hostMessage(message)}
      </Text>
      {children}
    </Alert>
  );
});

/** How far a zip's upload has come, as the install dialogs show it while it goes to the server. */
export const UploadProgress = forwardRef<HTMLDivElement, { percent: number }>(function UploadProgress(
  { percent },
  ref,
) {
  const { t } = useTranslation();
  return (
    <Stack gap={4} ref={ref}>
      <Text size="sm">{t('create.uploading', { percent: Math.round(percent) })}</Text>
      <Progress value={percent} aria-label={t('create.uploadProgress')} animated />
    </Stack>
  );
});
