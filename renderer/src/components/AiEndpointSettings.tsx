import { Alert, Badge, Button, Group, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AiCheck, AiSettings, AiSettingsInput } from '../../../shared/ai-dto';
import { aiApi } from '../api/ai-api';
import { useHostMessage } from '../lib/host-message';

/** The endpoints people use most, to fill the URL with one click. */
const PRESETS = [
  { label: 'Ollama', url: 'http://127.0.0.1:11434/v1' },
  { label: 'LM Studio', url: 'http://127.0.0.1:1234/v1' },
  { label: 'OpenAI', url: 'https://api.openai.com/v1' },
];

/**
 * The AI endpoint of this computer (`/manager/ai/settings`): base URL with presets, model, and the API key, which
 * is write-only — the host says only whether one is stored. Saved on its own (its Enter never submits the host
 * settings around it); Check reaches the endpoint with the values as typed and says what is wrong.
 */
export function AiEndpointSettings() {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const [stored, setStored] = useState<AiSettings | undefined>();
  const [baseUrl, setBaseUrl] = useState('');
  const [model, setModel] = useState('');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState<'save' | 'check' | 'remove' | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const [check, setCheck] = useState<AiCheck | undefined>();

  const show = (settings: AiSettings) => {
    setStored(settings);
    setBaseUrl(settings.baseUrl);
    setModel(settings.model);
    setKey('');
  };
  useEffect(() => {
    aiApi
      .settings()
      .then(show)
      .catch((error: unknown) => setFailure((error as Error).message));
  }, []);

  const changes = (): AiSettingsInput => ({
    ...(stored === undefined || baseUrl.trim() !== stored.baseUrl ? { baseUrl: baseUrl.trim() } : {}),
    ...(stored === undefined || model.trim() !== stored.model ? { model: model.trim() } : {}),
    ...(key !== '' ? { apiKey: key } : {}),
  });
  const changed = Object.keys(changes()).length > 0;

  const act = async (what: 'save' | 'check' | 'remove', work: () => Promise<void>) => {
    setBusy(what);
    setFailure(undefined);
    setSaved(false);
    try {
      await work();
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  const save = () =>
    act('save', async () => {
      show(await aiApi.saveSettings(changes()));
      setSaved(true);
      setCheck(undefined);
    });
  const runCheck = () => act('check', async () => setCheck(await aiApi.check(changes())));
  const removeKey = () =>
    act('remove', async () => {
      show(await aiApi.saveSettings({ apiKey: null }));
      setSaved(true);
    });
  // Enter saves this section, not the host settings form it sits in.
  const onEnter = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (changed && busy === undefined) void save();
  };

  if (stored === undefined) {
    return failure === undefined ? (
      <Loader size="sm" />
    ) : (
      <Text size="sm" c="red">
        {hostMessage(failure)}
      </Text>
    );
  }
  return (
    <Stack gap="sm" data-testid="ai-endpoint-settings">
      <Stack gap={4}>
        <TextInput
          label={t('settingsPage.ai.baseUrl')}
          description={t('settingsPage.ai.baseUrlHint')}
          placeholder="http://127.0.0.1:11434/v1"
          value={baseUrl}
          onChange={(event) => setBaseUrl(event.currentTarget.value)}
          onKeyDown={onEnter}
          spellCheck={false}
          autoComplete="off"
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group gap={6}>
          {PRESETS.map((preset) => (
            <Button
              key={preset.label}
              size="compact-xs"
              variant="default"
              onClick={() => setBaseUrl(preset.url)}
            >
              {preset.label}
            </Button>
          ))}
        </Group>
      </Stack>
      <TextInput
        label={t('settingsPage.ai.model')}
        description={t('settingsPage.ai.modelHint')}
        placeholder="qwen2.5-coder:7b"
        value={model}
        onChange={(event) => setModel(event.currentTarget.value)}
        onKeyDown={onEnter}
        spellCheck={false}
        autoComplete="off"
        maw={420}
      />
      <Stack gap={6}>
        <Group gap="sm" align="flex-end">
          <PasswordInput
            label={t('settingsPage.ai.key')}
            description={t('settingsPage.ai.keyHint')}
            placeholder={stored.hasKey ? t('settingsPage.ai.keyReplace') : 'sk-…'}
            value={key}
            onChange={(event) => setKey(event.currentTarget.value.trim())}
            onKeyDown={onEnter}
            autoComplete="new-password"
            w={420}
          />
          <Badge variant="light" color={stored.hasKey ? 'teal' : 'gray'} mb={8} data-testid="ai-key-state">
            {stored.hasKey ? t('settingsPage.ai.keyStored') : t('settingsPage.ai.keyNone')}
          </Badge>
          {stored.hasKey && (
            <Button
              size="xs"
              variant="default"
              mb={6}
              onClick={() => void removeKey()}
              loading={busy === 'remove'}
              disabled={busy !== undefined && busy !== 'remove'}
            >
              {t('settingsPage.ai.keyRemove')}
            </Button>
          )}
        </Group>
      </Stack>
      {check !== undefined && (
        <Alert
          color={check.ok ? 'teal' : 'red'}
          variant="light"
          role="status"
          title={check.ok ? t('settingsPage.ai.checkOk') : t('settingsPage.ai.checkFailed')}
          data-testid="ai-check-result"
        >
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {check.ok
              ? t('settingsPage.ai.checkModels', { count: check.models.length })
              : hostMessage(check.message ?? '')}
          </Text>
        </Alert>
      )}
      {failure !== undefined && (
        <Text size="sm" c="red" role="alert">
          {hostMessage(failure)}
        </Text>
      )}
      <Group gap="xs" justify="flex-end">
        {saved && (
          <Text size="sm" c="teal" role="status">
            {t('settingsPage.ai.saved')}
          </Text>
        )}
        <Button
          variant="default"
          onClick={() => void runCheck()}
          loading={busy === 'check'}
          disabled={busy !== undefined && busy !== 'check'}
        >
          {t('settingsPage.ai.check')}
        </Button>
        <Button
          onClick={() => void save()}
          loading={busy === 'save'}
          disabled={!changed || (busy !== undefined && busy !== 'save')}
          data-testid="ai-endpoint-save"
        >
          {t('settingsPage.ai.save')}
        </Button>
      </Group>
    </Stack>
  );
}
