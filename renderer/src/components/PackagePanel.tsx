import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  List,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PackCheck, PackResult } from '../../../shared/pack-dto';
import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { sizeText } from '../../../shared/size-text';
import { folderChooser } from '../api/desktop-bridge';
import { useDevelopFolderStore } from '../stores/develop-folder-store';
import { requestText } from '../api/http';
import { fileUrlOfStoredPath, installApi } from '../api/install-api';
import { packApi } from '../api/pack-api';
import { useHostMessage } from '../lib/host-message';
import { serverName } from '../lib/server-state';
import { noteConnectionError } from '../stores/connection-store';
import { useServersStore } from '../stores/servers-store';
import { DeployDialog } from './DeployDialog';
import { Fact, FactList } from './FactList';
import { CopyIconButton } from './CopyIconButton';

/** A value to copy (a path, a SHA-256): shown in full, with a button that copies it and says so. */
function CopyableValue({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <Code style={{ overflowWrap: 'anywhere', whiteSpace: 'normal' }}>{value}</Code>
      <CopyIconButton
        value={value}
        label={label}
        copyText={t('develop.pack.copy')}
        copiedText={t('develop.pack.copied')}
      />
    </Group>
  );
}

/** The problems that stop packaging, each in the host's words with what to change in the folder. */
function ProblemList({ check }: { check: PackCheck }) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  if (check.problems.length === 0) return null;
  return (
    <Alert
      color="red"
      variant="light"
      title={t('develop.pack.problems', { count: check.problems.length })}
      data-testid="pack-problems"
    >
      <List spacing="sm" size="sm">
        {check.problems.map((problem, index) => (
          <List.Item key={index}>
            <Text size="sm">{hostMessage(problem.message)}</Text>
            <Text size="sm" fw={600} mt={2}>
              {t('develop.pack.fix')}: <span style={{ fontWeight: 400 }}>{hostMessage(problem.fix)}</span>
            </Text>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** The files that go into the zip, and those left out with the reason. */
function FileLists({ check }: { check: PackCheck }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <details>
        <summary>
          <Text component="span" size="sm" fw={500}>
            {t('develop.pack.files', { count: check.files.length })}
          </Text>
        </summary>
        <Table striped withTableBorder mt="xs" fz="sm" data-testid="pack-files">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('develop.pack.path')}</Table.Th>
              <Table.Th ta="right">{t('develop.pack.size')}</Table.Th>
              <Table.Th>{t('develop.pack.mode')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {check.files.map((file) => (
              <Table.Tr key={file.path}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{file.path}</Table.Td>
                <Table.Td ta="right">{sizeText(file.size)}</Table.Td>
                <Table.Td>
                  <Code>{file.mode.toString(8).padStart(4, '0')}</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </details>
      <details open={check.leftOut.length > 0 && check.leftOut.length <= 8}>
        <summary>
          <Text component="span" size="sm" fw={500}>
            {t('develop.pack.leftOut', { count: check.leftOut.length })}
          </Text>
        </summary>
        {check.leftOut.length === 0 ? (
          <Text size="sm" c="dimmed" mt="xs">
            {t('develop.pack.leftOutNone')}
          </Text>
        ) : (
          <List size="sm" mt="xs" spacing={2} data-testid="pack-left-out">
            {check.leftOut.map((file) => (
              <List.Item key={file.path}>
                <Code>{file.path}</Code> — {t(`develop.pack.reasons.${file.reason}`)}
              </List.Item>
            ))}
          </List>
        )}
      </details>
    </Stack>
  );
}

/**
 * The Develop page's Package part: a plugin folder on this computer checked with the host's install rules (every
 * problem with its fix), packaged into the zip eKuiper accepts (path, size, SHA-256, files, left-out files), a Go
 * executable compared with a chosen server, then deployed to servers through the fleet or installed here.
 */
export function PackagePanel() {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const servers = useServersStore((state) => state.servers);
  const { folder, setFolder } = useDevelopFolderStore();
  const [server, setServer] = useState<string | null>(null);
  const [busy, setBusy] = useState<'check' | 'pack' | 'install' | undefined>();
  const [check, setCheck] = useState<PackCheck | undefined>();
  const [packed, setPacked] = useState<PackResult | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [installed, setInstalled] = useState<{ ok: boolean; message: string } | undefined>();
  const [deployOpen, setDeployOpen] = useState(false);
  const choose = folderChooser();

  const request = () => ({ folder: folder.trim(), ...(server === null ? {} : { server }) });

  async function run(what: 'check' | 'pack') {
    setBusy(what);
    setFailure(undefined);
    setInstalled(undefined);
    setPacked(undefined);
    try {
      // Checked first: a folder with problems answers them as a list, each with its fix.
      const checked = await packApi.check(request());
      setCheck(checked);
      if (what === 'pack' && checked.problems.length === 0) {
        const result = await packApi.pack(request());
        setCheck(result);
        setPacked(result);
      }
    } catch (error) {
      noteConnectionError(error);
      setFailure((error as Error).message);
    } finally {
      setBusy(undefined);
    }
  }

  async function installHere(result: PackResult) {
    setBusy('install');
    setInstalled(undefined);
    const name = result.name ?? '';
    const body = { name, file: fileUrlOfStoredPath(result.path) };
    try {
      const exists = await requestText(`/plugins/portables/${encodeURIComponent(name)}`, {
        server: LOCAL_SERVER_ID,
      }).then(
        () => true,
        () => false,
      );
      const message = exists
        ? await installApi.update('portables', name, body, LOCAL_SERVER_ID)
        : await installApi.create('portables', body, LOCAL_SERVER_ID);
      setInstalled({ ok: true, message });
    } catch (error) {
      noteConnectionError(error);
      setInstalled({ ok: false, message: (error as Error).message });
    } finally {
      setBusy(undefined);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void run('pack');
  }

  const serverChoices = servers.map((item) => {
    const health = item.health;
    const platform = health?.reachable === true && health.os !== '' ? ` (${health.os}/${health.arch})` : '';
    return { value: item.id, label: `${serverName(item, t)}${platform}` };
  });
  const empty = folder.trim() === '';

  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="section"
      aria-labelledby="pack-title"
      data-testid="pack-panel"
    >
      <Stack gap="md">
        <div>
          <Title order={3} id="pack-title">
            {t('develop.pack.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('develop.pack.intro')}
          </Text>
        </div>
        <form onSubmit={submit}>
          <Stack gap="sm">
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <TextInput
                style={{ flex: 1 }}
                label={t('develop.pack.folder')}
                description={t('develop.pack.folderHint')}
                placeholder={t('develop.pack.folderPlaceholder')}
                value={folder}
                onChange={(event) => setFolder(event.currentTarget.value)}
                spellCheck={false}
                data-testid="pack-folder"
              />
              {choose && (
                <Button
                  variant="default"
                  onClick={() =>
                    void choose('plugin').then((chosen) => {
                      if (chosen !== null) setFolder(chosen);
                    })
                  }
                >
                  {t('develop.pack.choose')}
                </Button>
              )}
            </Group>
            <Select
              label={t('develop.pack.target')}
              description={t('develop.pack.targetHint')}
              placeholder={t('develop.pack.targetNone')}
              data={serverChoices}
              value={server}
              onChange={setServer}
              clearable
              maw={480}
              data-testid="pack-target"
            />
            <Group gap="xs">
              <Button
                variant="default"
                onClick={() => void run('check')}
                loading={busy === 'check'}
                disabled={empty || (busy !== undefined && busy !== 'check')}
              >
                {t('develop.pack.check')}
              </Button>
              <Button
                type="submit"
                loading={busy === 'pack'}
                disabled={empty || (busy !== undefined && busy !== 'pack')}
              >
                {t('develop.pack.package')}
              </Button>
            </Group>
          </Stack>
        </form>

        {failure !== undefined && (
          <Alert color="red" variant="light" title={t('develop.pack.failed')} role="alert">
            {hostMessage(failure)}
          </Alert>
        )}

        {check !== undefined && (
          <Stack gap="sm" data-testid="pack-result" aria-live="polite">
            {check.name !== undefined && (
              <FactList>
                <Fact label={t('develop.pack.plugin')}>
                  {check.name} {check.version}
                </Fact>
                {check.language !== undefined && (
                  <Fact label={t('develop.pack.language')}>
                    {check.language === 'go' ? 'Go' : 'Python'} · <Code>{check.executable}</Code>
                  </Fact>
                )}
                {check.binary !== undefined && (
                  <Fact label={t('develop.pack.builtFor')}>
                    <Badge variant="light" color={check.target?.matches === false ? 'orange' : 'gray'}>
                      {check.binary.os}/{check.binary.arch}
                    </Badge>
                  </Fact>
                )}
              </FactList>
            )}
            <ProblemList check={check} />
            {check.warnings.map((warning) => (
              <Alert
                key={warning.code}
                color={warning.code === 'target-mismatch' ? 'orange' : 'yellow'}
                variant="light"
                data-testid={`pack-warning-${warning.code}`}
              >
                {hostMessage(warning.message)}
              </Alert>
            ))}
            {check.problems.length === 0 && packed === undefined && (
              <Alert color="teal" variant="light" data-testid="pack-ready">
                {t('develop.pack.ready')}
              </Alert>
            )}
            {packed !== undefined && (
              <Paper withBorder p="sm" radius="sm" data-testid="pack-zip">
                <Stack gap="sm">
                  <FactList>
                    <Fact label={t('develop.pack.zip')}>
                      <CopyableValue value={packed.path} label={t('develop.pack.zip')} />
                    </Fact>
                    <Fact label={t('develop.pack.size')}>{sizeText(packed.size)}</Fact>
                    <Fact label="SHA-256">
                      <CopyableValue value={packed.sha256} label="SHA-256" />
                    </Fact>
                  </FactList>
                  <Group gap="xs">
                    <Button onClick={() => setDeployOpen(true)} data-testid="pack-deploy">
                      {t('develop.pack.deploy.open')}
                    </Button>
                    <Button
                      variant="default"
                      onClick={() => void installHere(packed)}
                      loading={busy === 'install'}
                      disabled={busy !== undefined && busy !== 'install'}
                    >
                      {t('develop.pack.installHere')}
                    </Button>
                  </Group>
                  {installed !== undefined && (
                    <Alert
                      color={installed.ok ? 'teal' : 'red'}
                      variant="light"
                      role={installed.ok ? 'status' : 'alert'}
                      data-testid="pack-installed"
                    >
                      {installed.ok
                        ? t('develop.pack.installedHere', { message: installed.message })
                        : hostMessage(installed.message)}
                    </Alert>
                  )}
                </Stack>
              </Paper>
            )}
            <FileLists check={check} />
          </Stack>
        )}
        {packed !== undefined && (
          <DeployDialog
            opened={deployOpen}
            packed={packed}
            servers={servers}
            initialTargets={server === null ? [] : [server]}
            onClose={() => setDeployOpen(false)}
          />
        )}
      </Stack>
    </Paper>
  );
}
