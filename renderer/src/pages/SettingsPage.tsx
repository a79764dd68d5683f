import {
  Alert,
  Badge,
  Button,
  Group,
  Input,
  Loader,
  NativeSelect,
  NumberInput,
  Paper,
  PasswordInput,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useHostMessage } from '../lib/host-message';
import {
  GO_ARCHES,
  OS_FLAVOURS,
  type HostSettings,
  type SettingsUpdate,
} from '../../../shared/host-settings';
import { isLoopbackHostname } from '../../../shared/loopback';
import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { hasDesktopBridge, rememberToken } from '../api/api-config';
import { dataFolderOpener } from '../api/desktop-bridge';
import { HostError } from '../api/http';
import { settingsApi, type SettingsAnswer } from '../api/settings-api';
import { LANGUAGES } from '../i18n/i18n';
import {
  formFromSettings,
  hostProblemsByField,
  patchFromForm,
  type Amount,
  type DurationUnit,
  type FormField,
  type SettingsFormValues,
  type SizeUnit,
} from '../lib/settings-form';
import { AiEndpointSettings } from '../components/AiEndpointSettings';
import { CapabilityNote } from '../components/CapabilityNote';
import { serverName } from '../lib/server-state';
import { useServerNotes } from '../lib/use-server-notes';
import { noteConnectionError, onReconnect } from '../stores/connection-store';
import { useCurrentServer, useServersStore } from '../stores/servers-store';
import { usePreferencesStore } from '../stores/preferences-store';
import classes from './SettingsPage.module.css';

type Errors = Partial<Record<FormField, string>>;

interface Saved {
  restartRequired: Array<keyof HostSettings>;
  overridden: Array<keyof HostSettings>;
  changed: number;
}

/**
 * The Settings page: the host's settings (`/manager/settings`) in human units, saved as a patch of the changed
 * keys only, with the host's own message next to the field it is about and a clear notice when a change applies
 * only after a restart; plus the window's own language and theme, which apply at once.
 */
export function SettingsPage() {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const [settings, setSettings] = useState<SettingsAnswer | undefined>();
  const [values, setValues] = useState<SettingsFormValues | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<Saved | undefined>();
  const currentId = useServersStore((state) => state.currentId);
  const server = useCurrentServer();
  const notes = useServerNotes();
  const isLocal = currentId === LOCAL_SERVER_ID;
  // On another of this app's hosts, the page edits that host's settings: say whose they are.
  const title = isLocal
    ? t('settingsPage.title')
    : t('servers.settingsOf', { name: serverName(server, t) || currentId });

  const load = async () => {
    setLoadError(undefined);
    try {
      const answer = await settingsApi.read();
      setSettings(answer);
      setValues(formFromSettings(answer));
      setErrors({});
      setGeneral([]);
    } catch (error) {
      if (!noteConnectionError(error)) setLoadError((error as Error).message);
    }
  };
  useEffect(() => {
    // Another server's settings: nothing of the previous one's may stay on screen.
    setSettings(undefined);
    setValues(undefined);
    setSaved(undefined);
    if (notes.settings !== undefined) return;
    void load();
    // Reached again (or the token accepted): read the settings afresh.
    return onReconnect(() => void load());
    // Read again for each server the window moves to.
  }, [currentId, notes.settings === undefined]);

  if (notes.settings !== undefined) {
    return (
      <Stack gap="md" maw={860}>
        <Title order={2}>{title}</Title>
        <CapabilityNote>{notes.settings}</CapabilityNote>
        <WindowSection />
      </Stack>
    );
  }

  if (settings === undefined || values === undefined) {
    return (
      <Stack gap="md" maw={860}>
        <Title order={2}>{title}</Title>
        {loadError === undefined ? (
          <Group gap="xs">
            <Loader size="sm" />
            {t('settingsPage.loading')}
          </Group>
        ) : (
          <Alert color="red" variant="light" title={t('settingsPage.loadFailed')}>
            <Text size="sm">{loadError}</Text>
            <Button mt="sm" size="xs" variant="default" onClick={() => void load()}>
              {t('settingsPage.tryAgain')}
            </Button>
          </Alert>
        )}
        <WindowSection />
      </Stack>
    );
  }

  const preview = patchFromForm(values, settings);
  const changedCount = preview.ok ? Object.keys(preview.patch).length : undefined;
  const set = <Field extends FormField>(field: Field, value: SettingsFormValues[Field]) => {
    setValues({ ...values, [field]: value });
    if (errors[field] !== undefined) setErrors({ ...errors, [field]: undefined });
    setSaved(undefined);
  };

  const save = async () => {
    const result = patchFromForm(values, settings);
    if (!result.ok) {
      setErrors(
        Object.fromEntries(
          Object.entries(result.problems).map(([field, problem]) => [
            field,
            t(problem.key, problem.values ?? {}),
          ]),
        ),
      );
      setGeneral([]);
      return;
    }
    if (Object.keys(result.patch).length === 0) return;
    setSaving(true);
    try {
      const answer: SettingsUpdate = await settingsApi.update(result.patch);
      // The host checks the token at once: keep using the window with the one just set (or none). Another host's
      // token is not this window's: the app sends it from that server's settings (Servers → Edit).
      if (result.patch.token !== undefined && isLocal) {
        rememberToken(result.patch.token === '' ? undefined : result.patch.token);
      }
      const next: SettingsAnswer = { ...answer.settings, resolved: settings.resolved };
      setSettings(next);
      setValues(formFromSettings(next));
      setErrors({});
      setGeneral([]);
      setSaved({
        restartRequired: answer.restartRequired,
        overridden: answer.overridden,
        changed: answer.changed.length,
      });
    } catch (error) {
      if (noteConnectionError(error)) return;
      if (error instanceof HostError && error.status === 400) {
        const split = hostProblemsByField(error.message, hostMessage);
        setErrors(split.fields);
        setGeneral(split.general);
      } else {
        setGeneral([hostMessage((error as Error).message)]);
      }
    } finally {
      setSaving(false);
    }
  };

  const resolvedOs = settings.resolved?.osFlavour;
  const resolvedArch = settings.resolved?.arch;
  const needsToken =
    !isLoopbackHostname(values.restHost.trim()) &&
    (values.tokenAction === 'remove' || (!settings.tokenSet && values.tokenAction !== 'set'));

  return (
    <form
      style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      aria-label={title}
      noValidate
    >
      <div style={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
        <Stack gap="md" maw={860} pb="md">
          <Title order={2}>{title}</Title>

          <Section title={t('settingsPage.prebuilt.title')} hint={t('settingsPage.prebuilt.hint')}>
            <Textarea
              label={t('settingsPage.prebuilt.pluginHosts')}
              description={t('settingsPage.prebuilt.pluginHostsHint')}
              value={values.pluginHosts}
              onChange={(event) => set('pluginHosts', event.currentTarget.value)}
              error={errors.pluginHosts}
              autosize
              minRows={2}
              maxRows={6}
            />
            <Fields>
              <TextInput
                label={t('settingsPage.prebuilt.version')}
                description={t('settingsPage.prebuilt.versionHint')}
                value={values.ekuiperVersion}
                onChange={(event) => set('ekuiperVersion', event.currentTarget.value)}
                error={errors.ekuiperVersion}
              />
              <NativeSelect
                label={t('settingsPage.prebuilt.os')}
                description={t('settingsPage.prebuilt.osHint')}
                value={values.osFlavour}
                onChange={(event) => set('osFlavour', event.currentTarget.value)}
                error={errors.osFlavour}
                data={OS_FLAVOURS.map((os) => ({
                  value: os,
                  label:
                    os === 'auto'
                      ? resolvedOs === undefined
                        ? t('settingsPage.auto')
                        : resolvedOs === null
                          ? t('settingsPage.autoUnknown')
                          : t('settingsPage.autoIs', { value: resolvedOs })
                      : os,
                }))}
              />
              <NativeSelect
                label={t('settingsPage.prebuilt.arch')}
                description={t('settingsPage.prebuilt.archHint')}
                value={values.arch}
                onChange={(event) => set('arch', event.currentTarget.value)}
                error={errors.arch}
                data={['auto', ...GO_ARCHES].map((arch) => ({
                  value: arch,
                  label:
                    arch === 'auto'
                      ? resolvedArch === undefined
                        ? t('settingsPage.auto')
                        : t('settingsPage.autoIs', { value: resolvedArch })
                      : arch,
                }))}
              />
            </Fields>
          </Section>

          <Section title={t('settingsPage.installs.title')} hint={t('settingsPage.installs.hint')}>
            <Fields>
              <DurationField
                label={t('settingsPage.installs.scriptTimeout')}
                description={t('settingsPage.installs.scriptTimeoutHint')}
                amount={values.installScriptTimeout}
                onChange={(amount) => set('installScriptTimeout', amount)}
                error={errors.installScriptTimeout}
              />
              <DurationField
                label={t('settingsPage.installs.downloadTimeout')}
                description={t('settingsPage.installs.downloadTimeoutHint')}
                amount={values.downloadTimeout}
                onChange={(amount) => set('downloadTimeout', amount)}
                error={errors.downloadTimeout}
              />
            </Fields>
            <Fields>
              <SizeField
                label={t('settingsPage.installs.maxDownload')}
                description={t('settingsPage.installs.maxDownloadHint')}
                amount={values.maxDownload}
                onChange={(amount) => set('maxDownload', amount)}
                error={errors.maxDownload}
              />
              <SizeField
                label={t('settingsPage.installs.maxInflated')}
                description={t('settingsPage.installs.maxInflatedHint')}
                amount={values.maxZipInflated}
                onChange={(amount) => set('maxZipInflated', amount)}
                error={errors.maxZipInflated}
              />
              <NumberInput
                label={t('settingsPage.installs.maxEntries')}
                description={t('settingsPage.installs.maxEntriesHint')}
                value={values.maxZipEntries}
                onChange={(value) => set('maxZipEntries', value)}
                error={errors.maxZipEntries}
                min={1}
                allowDecimal={false}
                thousandSeparator=","
              />
            </Fields>
            <Switch
              label={t('settingsPage.installs.externalFiles')}
              description={t('settingsPage.installs.externalFilesHint')}
              checked={values.allowExternalFileAccess}
              onChange={(event) => set('allowExternalFileAccess', event.currentTarget.checked)}
              error={errors.allowExternalFileAccess}
            />
            <Switch
              label={t('settingsPage.installs.privateNetwork')}
              description={t('settingsPage.installs.privateNetworkHint')}
              checked={values.allowPrivateNetwork}
              onChange={(event) => set('allowPrivateNetwork', event.currentTarget.checked)}
              error={errors.allowPrivateNetwork}
            />
          </Section>

          <Section title={t('settingsPage.portables.title')} hint={t('settingsPage.portables.hint')}>
            <TextInput
              label={t('settingsPage.portables.pythonBin')}
              description={t('settingsPage.portables.pythonBinHint')}
              value={values.pythonBin}
              onChange={(event) => set('pythonBin', event.currentTarget.value)}
              error={errors.pythonBin}
              spellCheck={false}
            />
            <Fields>
              <DurationField
                label={t('settingsPage.portables.initTimeout')}
                description={t('settingsPage.portables.initTimeoutHint')}
                amount={values.portableInitTimeout}
                onChange={(amount) => set('portableInitTimeout', amount)}
                error={errors.portableInitTimeout}
              />
              <DurationField
                label={t('settingsPage.portables.callTimeout')}
                description={t('settingsPage.portables.callTimeoutHint')}
                amount={values.portableCallTimeout}
                onChange={(amount) => set('portableCallTimeout', amount)}
                error={errors.portableCallTimeout}
              />
            </Fields>
          </Section>

          <Section
            title={t('settingsPage.rest.title')}
            hint={t('settingsPage.rest.hint')}
            badge={t('settingsPage.afterRestart')}
          >
            <Fields>
              <TextInput
                label={t('settingsPage.rest.host')}
                description={t('settingsPage.rest.hostHint')}
                value={values.restHost}
                onChange={(event) => set('restHost', event.currentTarget.value)}
                error={errors.restHost}
              />
              <NumberInput
                label={t('settingsPage.rest.port')}
                description={t('settingsPage.rest.portHint')}
                value={values.restPort}
                onChange={(value) => set('restPort', value)}
                error={errors.restPort}
                min={0}
                max={65535}
                allowDecimal={false}
              />
            </Fields>
            {needsToken && (
              <Alert color="yellow" variant="light">
                {t('settingsPage.rest.needsToken')}
              </Alert>
            )}
            <TokenField
              tokenSet={settings.tokenSet}
              action={values.tokenAction}
              token={values.newToken}
              error={errors.newToken}
              onAction={(action) => setValues({ ...values, tokenAction: action, newToken: '' })}
              onToken={(token) => set('newToken', token)}
            />
            <Fields>
              <Textarea
                label={t('settingsPage.rest.origins')}
                description={t('settingsPage.rest.originsHint')}
                value={values.allowedOrigins}
                onChange={(event) => set('allowedOrigins', event.currentTarget.value)}
                error={errors.allowedOrigins}
                placeholder="http://localhost:3000"
                autosize
                minRows={2}
                maxRows={6}
              />
              <Textarea
                label={t('settingsPage.rest.hosts')}
                description={t('settingsPage.rest.hostsHint')}
                value={values.allowedHosts}
                onChange={(event) => set('allowedHosts', event.currentTarget.value)}
                error={errors.allowedHosts}
                placeholder="devbox.local"
                autosize
                minRows={2}
                maxRows={6}
              />
            </Fields>
          </Section>

          <Section
            title={t('settingsPage.data.title')}
            hint={t('settingsPage.data.hint')}
            badge={t('settingsPage.afterRestart')}
          >
            <TextInput
              label={t('settingsPage.data.folder')}
              description={t('settingsPage.data.folderHint')}
              value={values.dataDir}
              onChange={(event) => set('dataDir', event.currentTarget.value)}
              error={errors.dataDir}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <ShowDataFolderButton />
          </Section>

          {isLocal && (
            <Section title={t('settingsPage.ai.title')} hint={t('settingsPage.ai.hint')}>
              <AiEndpointSettings />
            </Section>
          )}

          <WindowSection />
        </Stack>
      </div>

      <Paper withBorder p="sm" mt="sm" radius="md" style={{ maxWidth: 860 }}>
        <Stack gap="xs">
          {general.length > 0 && (
            <Alert color="red" variant="light" title={t('settingsPage.saveFailed')} role="alert">
              {general.map((problem) => (
                <Text size="sm" key={problem}>
                  {problem}
                </Text>
              ))}
            </Alert>
          )}
          {Object.values(errors).some((error) => error !== undefined) && general.length === 0 && (
            <Text size="sm" c="red" role="alert">
              {t('settingsPage.fixFields')}
            </Text>
          )}
          {saved !== undefined && <SavedNotice saved={saved} />}
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              {changedCount === undefined
                ? t('settingsPage.changesUnknown')
                : changedCount === 0
                  ? t('settingsPage.noChanges')
                  : t('settingsPage.changes', { count: changedCount })}
            </Text>
            <Group gap="xs">
              <Button
                variant="default"
                disabled={changedCount === 0 || saving}
                onClick={() => {
                  setValues(formFromSettings(settings));
                  setErrors({});
                  setGeneral([]);
                }}
              >
                {t('settingsPage.discard')}
              </Button>
              <Button type="submit" loading={saving} disabled={changedCount === 0}>
                {t('settingsPage.save')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </Paper>
    </form>
  );
}

/** A row of fields that wraps in a narrow window (see SettingsPage.module.css). */
function Fields({ children }: { children: ReactNode }) {
  return <div className={classes.fields}>{children}</div>;
}

function Section({
  title,
  hint,
  badge,
  children,
}: {
  title: string;
  hint: string;
  badge?: string;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <div>
          <Group gap="xs">
            <Title order={3} size="h4">
              {title}
            </Title>
            {badge !== undefined && (
              <Badge variant="light" color="yellow" size="sm">
                {badge}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {hint}
          </Text>
        </div>
        {children}
      </Stack>
    </Paper>
  );
}

function AmountField<Unit extends string>({
  label,
  description,
  amount,
  onChange,
  error,
  units,
}: {
  label: string;
  description: string;
  amount: Amount<Unit>;
  onChange: (amount: Amount<Unit>) => void;
  error: string | undefined;
  units: Array<{ value: Unit; label: string }>;
}) {
  const { t } = useTranslation();
  const id = useId();
  // One label and description over both the amount and its unit, so neither is squeezed into the number's width.
  return (
    <Input.Wrapper label={label} description={description} error={error} id={id}>
      <Group gap={6} wrap="nowrap">
        <NumberInput
          id={id}
          aria-describedby={`${id}-description${error === undefined ? '' : ` ${id}-error`}`}
          value={amount.value}
          onChange={(value) => onChange({ ...amount, value })}
          error={error !== undefined}
          min={0}
          style={{ flex: 1, minWidth: 0 }}
        />
        <NativeSelect
          aria-label={t('settingsPage.unitOf', { field: label })}
          value={amount.unit}
          onChange={(event) => onChange({ ...amount, unit: event.currentTarget.value as Unit })}
          data={units}
          w={104}
          style={{ flexShrink: 0 }}
        />
      </Group>
    </Input.Wrapper>
  );
}

function DurationField(props: {
  label: string;
  description: string;
  amount: Amount<DurationUnit>;
  onChange: (amount: Amount<DurationUnit>) => void;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <AmountField
      {...props}
      units={[
        { value: 's', label: t('settingsPage.units.s') },
        { value: 'min', label: t('settingsPage.units.min') },
      ]}
    />
  );
}

function SizeField(props: {
  label: string;
  description: string;
  amount: Amount<SizeUnit>;
  onChange: (amount: Amount<SizeUnit>) => void;
  error: string | undefined;
}) {
  return (
    <AmountField
      {...props}
      units={[
        { value: 'MiB', label: 'MiB' },
        { value: 'GiB', label: 'GiB' },
      ]}
    />
  );
}

/** The token: set, changed or removed, never shown (the host answers only whether one is set). */
export function TokenField({
  tokenSet,
  action,
  token,
  error,
  onAction,
  onToken,
}: {
  tokenSet: boolean;
  action: SettingsFormValues['tokenAction'];
  token: string;
  error: string | undefined;
  onAction: (action: SettingsFormValues['tokenAction']) => void;
  onToken: (token: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500} id="token-label">
        {t('settingsPage.token.label')}
      </Text>
      <Group gap="sm">
        <Badge variant="light" color={tokenSet ? 'teal' : 'gray'}>
          {tokenSet ? t('settingsPage.token.isSet') : t('settingsPage.token.notSet')}
        </Badge>
        {action === 'keep' ? (
          <>
            <Button size="xs" variant="default" onClick={() => onAction('set')}>
              {tokenSet ? t('settingsPage.token.change') : t('settingsPage.token.set')}
            </Button>
            {tokenSet && (
              <Button size="xs" variant="default" color="red" onClick={() => onAction('remove')}>
                {t('settingsPage.token.remove')}
              </Button>
            )}
          </>
        ) : (
          <Button size="xs" variant="subtle" onClick={() => onAction('keep')}>
            {/* With no token there is nothing to keep: the way back is not setting one. */}
            {tokenSet ? t('settingsPage.token.keep') : t('settingsForm.dontSetToken')}
          </Button>
        )}
      </Group>
      {action === 'set' && (
        <PasswordInput
          label={tokenSet ? t('settingsPage.token.newLabel') : t('settingsPage.token.firstLabel')}
          description={t('settingsPage.token.hint')}
          value={token}
          onChange={(event) => onToken(event.currentTarget.value)}
          error={error}
          autoComplete="new-password"
          maw={420}
          data-autofocus
        />
      )}
      {action === 'remove' && (
        <Text size="sm" c="orange">
          {t('settingsPage.token.willRemove')}
        </Text>
      )}
      {action === 'keep' && (
        <Text size="xs" c="dimmed">
          {hasDesktopBridge() ? t('settingsPage.token.writeOnlyApp') : t('settingsPage.token.writeOnly')}
        </Text>
      )}
    </Stack>
  );
}

function SavedNotice({ saved }: { saved: Saved }) {
  const { t } = useTranslation();
  const names = (keys: Array<keyof HostSettings>) =>
    keys.map((key) => t(`settingsPage.keys.${key}`)).join(t('settingsPage.listSeparator'));
  return (
    <Stack gap={6}>
      {saved.restartRequired.length > 0 ? (
        <Alert color="yellow" variant="light" title={t('settingsPage.restart.title')} role="status">
          {t('settingsPage.restart.body', { settings: names(saved.restartRequired) })}
        </Alert>
      ) : (
        <Text size="sm" c="teal" role="status">
          {t('settingsPage.saved', { count: saved.changed })}
        </Text>
      )}
      {saved.overridden.length > 0 && (
        <Text size="sm" c="dimmed">
          {t('settingsPage.overridden', { settings: names(saved.overridden) })}
        </Text>
      )}
    </Stack>
  );
}

/** The window's own preferences: applied at once and kept in this browser (or the app's profile). */
function WindowSection() {
  const { t } = useTranslation();
  const { language, colorScheme, setLanguage, setColorScheme } = usePreferencesStore();
  return (
    <Section title={t('settingsPage.window.title')} hint={t('settingsPage.window.hint')}>
      <Group gap="xl" align="flex-start">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="settings-language">
            {t('app.language')}
          </Text>
          <SegmentedControl
            aria-labelledby="settings-language"
            value={language}
            onChange={(value) => setLanguage(value)}
            data={LANGUAGES.map(({ value, label }) => ({ value, label }))}
          />
        </Stack>
        <Stack gap={4}>
          <Text size="sm" fw={500} id="settings-theme">
            {t('settingsPage.window.theme')}
          </Text>
          <SegmentedControl
            aria-labelledby="settings-theme"
            value={colorScheme}
            onChange={(value) => setColorScheme(value)}
            data={[
              { value: 'light', label: t('settingsPage.window.light') },
              { value: 'dark', label: t('settingsPage.window.dark') },
            ]}
          />
        </Stack>
      </Group>
    </Section>
  );
}

/**
 * In the desktop app: opens the host's data folder in the system file manager (the folder in use now, which the
 * field above changes only after a restart). Renders nothing in a browser, which cannot open local folders.
 */
export function ShowDataFolderButton() {
  const { t } = useTranslation();
  const [opening, setOpening] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const open = dataFolderOpener();
  if (open === undefined) return null;
  const show = async () => {
    setOpening(true);
    setFailure(undefined);
    try {
      await open();
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setOpening(false);
    }
  };
  return (
    <Stack gap={4} align="flex-start">
      <Button variant="default" size="xs" loading={opening} onClick={() => void show()}>
        {t('desktop.showDataFolder')}
      </Button>
      <Text size="xs" c="dimmed">
        {t('desktop.showDataFolderHint')}
      </Text>
      {failure !== undefined && (
        <Text size="sm" c="red" role="alert">
          {t('desktop.showDataFolderFailed', { message: failure })}
        </Text>
      )}
    </Stack>
  );
}
