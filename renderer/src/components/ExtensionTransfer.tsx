import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  FileButton,
  Group,
  Menu,
  Modal,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  EXPORT_EXTRA_KEY,
  type ExtensionImportItem,
  type ImportOutcome,
} from '../../../shared/extension-fleet';
import { fleetApi } from '../api/fleet-api';
import { useHostMessage } from '../lib/host-message';
import { saveFile } from '../lib/save-file';
import { useDialog } from '../lib/use-dialog';
import { noteConnectionError } from '../stores/connection-store';
import { DialogFooter } from './DialogParts';
import { MoreIcon } from './Icons';

const OUTCOME_COLORS: Record<ImportOutcome, string> = {
  create: 'green',
  replace: 'blue',
  created: 'green',
  replaced: 'blue',
  failed: 'red',
};

/**
 * The functions-and-services menu of a server card: **Export** saves the server's JavaScript functions and
 * services as one file (eKuiper's `/data/export` shape with each service's zip inside) and a notification says
 * what it holds and which services could not be made portable; **Import…** opens the import dialog.
 */
export function ExtensionTransferMenu({ server, name }: { server: string; name: string }) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const [busy, setBusy] = useState(false);
  const [importing, setImporting] = useState(false);
  const exportFile = async () => {
    setBusy(true);
    try {
      const file = await fleetApi.exportExtensions(server);
      const fileName = `${server}-extensions-${new Date().toISOString().slice(0, 10)}.json`;
      saveFile(fileName, new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' }));
      const notEmbedded = Object.keys(file[EXPORT_EXTRA_KEY].notEmbedded);
      notifications.show({
        color: notEmbedded.length > 0 ? 'yellow' : 'teal',
        message: [
          t('extensionFleet.transfer.exported', {
            file: fileName,
            functions: t('extensionFleet.transfer.functionCount', {
              count: Object.keys(file.scripts).length,
            }),
            services: t('extensionFleet.transfer.serviceCount', { count: Object.keys(file.Service).length }),
          }),
          notEmbedded.length > 0
            ? t('extensionFleet.transfer.notEmbedded', { names: notEmbedded.join(', ') })
            : '',
        ]
          .filter(Boolean)
          .join(' '),
      });
    } catch (failure) {
      if (!noteConnectionError(failure)) {
        notifications.show({
          color: 'red',
          title: t('extensionFleet.transfer.exportFailed', { name }),
          message: hostMessage((failure as Error).message),
        });
      }
    } finally {
      setBusy(false);
    }
  };
  const label = t('extensionFleet.transfer.menu', { name });
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Tooltip label={label}>
            <ActionIcon size="md" variant="default" aria-label={label} loading={busy}>
              <MoreIcon />
            </ActionIcon>
          </Tooltip>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('extensionFleet.transfer.menuTitle')}</Menu.Label>
          <Menu.Item onClick={() => void exportFile()}>{t('extensionFleet.transfer.export')}</Menu.Item>
          <Menu.Item onClick={() => setImporting(true)}>{t('extensionFleet.transfer.import')}</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ImportExtensionsDialog
        server={server}
        name={name}
        opened={importing}
        onClose={() => setImporting(false)}
      />
    </>
  );
}

type Stage = 'choose' | 'checking' | 'preview' | 'running' | 'done';

/**
 * Import of an export file (ours or eKuiper's `/data/export`) into one server: the file is read here, the server
 * says per item what would happen (create or replace, or why it cannot), and only then is anything changed; the
 * results come per item in the server's own words.
 */
function ImportExtensionsDialog({
  server,
  name,
  opened,
  onClose,
}: {
  server: string;
  name: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const [stage, setStage] = useState<Stage>('choose');
  const [fileName, setFileName] = useState<string | undefined>();
  const [content, setContent] = useState<unknown>();
  const [items, setItems] = useState<ExtensionImportItem[]>([]);
  const [error, setError] = useState<string | undefined>();
  useDialog(opened);

  useEffect(() => {
    if (!opened) return;
    setStage('choose');
    setFileName(undefined);
    setContent(undefined);
    setItems([]);
    setError(undefined);
  }, [opened]);

  const choose = async (file: File | null) => {
    if (file === null) return;
    setFileName(file.name);
    setItems([]);
    setError(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch (failure) {
      setError(t('extensionFleet.transfer.notJson', { problem: (failure as Error).message }));
      setStage('choose');
      return;
    }
    setContent(parsed);
    setStage('checking');
    try {
      setItems((await fleetApi.importExtensions(server, parsed, true)).results);
      setStage('preview');
    } catch (failure) {
      noteConnectionError(failure);
      setError(hostMessage((failure as Error).message));
      setStage('choose');
    }
  };

  const run = async () => {
    setStage('running');
    setError(undefined);
    try {
      setItems((await fleetApi.importExtensions(server, content, false)).results);
    } catch (failure) {
      noteConnectionError(failure);
      setError(hostMessage((failure as Error).message));
    }
    setStage('done');
  };

  const runnable = items.filter((item) => item.outcome !== 'failed').length;
  const failed = items.filter((item) => item.outcome === 'failed').length;
  const busy = stage === 'checking' || stage === 'running';

  return (
    <Modal
      opened={opened}
      onClose={busy ? () => {} : onClose}
      title={t('extensionFleet.transfer.title', { name })}
      size="xl"
      centered
      closeOnClickOutside={!busy}
      closeButtonProps={{ 'aria-label': t('fleet.dialog.close'), disabled: busy }}
    >
      <Stack gap="md" data-testid="import-dialog">
        <Text size="sm">{t('extensionFleet.transfer.intro')}</Text>
        <Group gap="sm" wrap="nowrap">
          <FileButton onChange={(file) => void choose(file)} accept="application/json,.json">
            {(props) => (
              <Button {...props} variant="default" disabled={busy}>
                {t('extensionFleet.transfer.choose')}
              </Button>
            )}
          </FileButton>
          {fileName !== undefined && (
            <Text size="sm" ff="monospace" truncate title={fileName}>
              {fileName}
            </Text>
          )}
        </Group>
        {stage === 'checking' && (
          <Text size="sm" c="dimmed">
            {t('extensionFleet.transfer.checking', { name })}
          </Text>
        )}
        {(stage === 'preview' || stage === 'running' || stage === 'done') &&
          (items.length === 0 ? (
            <Alert color="gray" variant="light">
              {t('extensionFleet.transfer.empty')}
            </Alert>
          ) : (
            <Table
              layout="fixed"
              verticalSpacing={6}
              aria-label={t('extensionFleet.transfer.previewLabel', { name })}
              data-testid="import-items"
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="22%">{t('extensionFleet.transfer.kind')}</Table.Th>
                  <Table.Th w="20%">{t('extensionFleet.transfer.item')}</Table.Th>
                  <Table.Th w={110}>{t('extensionFleet.transfer.outcome')}</Table.Th>
                  <Table.Th>{t('extensionFleet.transfer.message')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={`${item.kind}/${item.name}`} data-outcome={item.outcome}>
                    <Table.Td>
                      <Text size="sm">{t(`extensionFleet.transfer.kinds.${item.kind}`)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={600} truncate title={item.name}>
                        {item.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={OUTCOME_COLORS[item.outcome]} variant="light">
                        {t(`extensionFleet.transfer.outcomes.${item.outcome}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text
                        size="sm"
                        c={item.outcome === 'failed' ? 'red' : undefined}
                        style={{ wordBreak: 'break-word' }}
                      >
                        {hostMessage(item.message)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ))}
        {error !== undefined && (
          <Alert color="red" variant="light" role="alert" title={t('extensionFleet.transfer.failed')}>
            <Text size="sm" style={{ wordBreak: 'break-word' }}>
              {error}
            </Text>
          </Alert>
        )}
        <DialogFooter justify="space-between" testId="import-footer">
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="import-summary">
            {stage === 'done' ? t('extensionFleet.transfer.done', { ok: items.length - failed, failed }) : ''}
          </Text>
          <Group gap="xs" wrap="nowrap">
            {stage === 'done' ? (
              <Button onClick={onClose}>{t('fleet.dialog.close')}</Button>
            ) : (
              <>
                <Button variant="default" onClick={onClose} disabled={busy}>
                  {t('create.cancel')}
                </Button>
                <Button
                  disabled={stage !== 'preview' || runnable === 0}
                  loading={stage === 'running'}
                  onClick={() => void run()}
                >
                  {t('extensionFleet.transfer.run', { count: runnable })}
                </Button>
              </>
            )}
          </Group>
        </DialogFooter>
      </Stack>
    </Modal>
  );
}
