import {
  Alert,
  Button,
  FileButton,
  Fieldset,
  Group,
  Input,
  Modal,
  NativeSelect,
  PasswordInput,
  ScrollArea,
  SegmentedControl,
  Stack,
  Switch,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUTH_TYPES, SERVER_KINDS, type AuthType, type ServerCheck } from '../../../shared/server-dto';
import { HostError } from '../api/http';
import { serversApi } from '../api/servers-api';
import {
  KIND_DEFAULTS,
  formFromServer,
  hostProblems,
  inputFromForm,
  withKind,
  type FormProblem,
  type FormProblems,
  type ServerFormField,
  type ServerFormValues,
} from '../lib/server-form';
import { noteConnectionError } from '../stores/connection-store';
import { useServerDialogStore } from '../stores/server-dialog-store';
import { useServersStore } from '../stores/servers-store';
import { useDialog } from '../lib/use-dialog';
import { useHostMessage } from '../lib/host-message';
import { DialogFooter, useReveal } from './DialogParts';
import { ServerCheckResult } from './ServerCheckResult';

/** Text fields that take a PEM the user may rather load from a file. */
type PemField = 'privateKey' | 'caCert';

/**
 * The Add/Edit server dialog: name, kind (which changes the address's placeholder and default port and the
 * default sign-in), address, authentication by type, TLS and timeout. Each field's problem is shown at the field
 * before anything is sent (the host's own rules, `validateServerInput`), the host's refusal if it still refuses,
 * and Test connection tries the settings as typed before they are saved.
 */
export function ServerDialog() {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const { opened, editing, close } = useServerDialogStore();
  const existing = useServersStore((state) =>
    editing === undefined ? undefined : state.servers.find((server) => server.id === editing),
  );
  const [values, setValues] = useState<ServerFormValues>(() => formFromServer(existing));
  const [errors, setErrors] = useState<FormProblems>({});
  const [general, setGeneral] = useState<string | undefined>();
  const [check, setCheck] = useState<ServerCheck | undefined>();
  const [testing, setTesting] = useState(false);
  const [saving, setSaving] = useState(false);
  // A test's answer or a problem may be below the fold of a long form: bring it into view.
  const resultRef = useReveal<HTMLDivElement>(general ?? check);
  useDialog(opened);

  useEffect(() => {
    if (!opened) return;
    setValues(formFromServer(existing));
    setErrors({});
    setGeneral(undefined);
    setCheck(undefined);
    // Reset when the dialog opens (or opens for another server), not on every list refresh.
  }, [opened, editing]);

  const problemText = (problem: FormProblem | undefined) =>
    problem === undefined
      ? undefined
      : problem.text !== undefined
        ? hostMessage(problem.text)
        : t(problem.key, problem.values ?? {});
  const error = (field: ServerFormField) => problemText(errors[field]);
  const set = <Field extends keyof ServerFormValues>(field: Field, value: ServerFormValues[Field]) => {
    setValues((current) => ({ ...current, [field]: value }));
    setCheck(undefined);
    const formField = FIELD_OF[field];
    if (formField !== undefined && errors[formField] !== undefined) {
      setErrors((current) => ({ ...current, [formField]: undefined }));
    }
  };

  /** The input as the host takes it, or the problems marked at their fields. */
  const checked = () => {
    const result = inputFromForm(values, existing);
    if (!result.ok) {
      setErrors(result.problems);
      setGeneral(t('servers.form.fixFields'));
      return undefined;
    }
    setErrors({});
    setGeneral(undefined);
    return result.input;
  };

  const refused = (failure: unknown) => {
    if (noteConnectionError(failure)) return;
    if (failure instanceof HostError && failure.status === 400) {
      const split = hostProblems(failure.message);
      setErrors(split.fields);
      const general = split.general.map((message) => hostMessage(message)).join('; ');
      setGeneral(t('servers.form.refused', { message: general || hostMessage(failure.message) }));
    } else {
      setGeneral(t('servers.form.refused', { message: hostMessage((failure as Error).message) }));
    }
  };

  const test = async () => {
    const input = checked();
    if (input === undefined) return;
    setTesting(true);
    setCheck(undefined);
    try {
      setCheck(await serversApi.test(editing === undefined ? input : { ...input, id: editing }));
    } catch (failure) {
      refused(failure);
    } finally {
      setTesting(false);
    }
  };

  const save = async () => {
    const input = checked();
    if (input === undefined) return;
    setSaving(true);
    try {
      const { add, update } = useServersStore.getState();
      const server = editing === undefined ? await add(input) : await update(editing, input);
      notifications.show({
        color: 'teal',
        message: t(editing === undefined ? 'servers.form.added' : 'servers.form.saved', {
          name: server.name,
        }),
      });
      close();
    } catch (failure) {
      refused(failure);
    } finally {
      setSaving(false);
    }
  };

  const busy = testing || saving;
  // TLS settings matter for https:// addresses only: shown for those, and wherever some are set already.
  const showTls = /^\s*https:/i.test(values.url) || values.insecureSkipVerify || values.caCert.trim() !== '';
  const kindDefaults = KIND_DEFAULTS[values.kind];
  const auth = existing?.auth;
  const keep = t('servers.form.secretSet');
  /** A PEM text (private key, CA certificate): pasted, or loaded from a file with the button beside its label. */
  const pemField = (
    field: PemField,
    text: { label: string; description: string; placeholder: string; minRows: number },
  ) => (
    <Textarea
      label={
        <Group gap="xs" component="span">
          {text.label}
          <FileButton
            accept=".pem,.key,.crt,.cer,.pub,text/plain,application/x-pem-file"
            onChange={(file) => {
              if (file === null) return;
              file.text().then(
                (content) => set(field, content),
                (failure: unknown) =>
                  setErrors((current) => ({
                    ...current,
                    [FIELD_OF[field] as ServerFormField]: {
                      key: 'servers.form.loadFailed',
                      values: { file: file.name, message: (failure as Error).message },
                    },
                  })),
              );
            }}
          >
            {(props) => (
              <Button
                {...props}
                size="compact-xs"
                variant="subtle"
                aria-label={t('servers.form.loadFileOf', { what: text.label })}
              >
                {t('servers.form.loadFile')}
              </Button>
            )}
          </FileButton>
        </Group>
      }
      description={text.description}
      placeholder={text.placeholder}
      value={values[field]}
      onChange={(event) => set(field, event.currentTarget.value)}
      error={error(FIELD_OF[field] as ServerFormField)}
      autosize
      minRows={text.minRows}
      maxRows={8}
      spellCheck={false}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
    />
  );

  return (
    <Modal
      opened={opened}
      onClose={busy ? () => {} : close}
      title={
        existing === undefined
          ? t('servers.form.addTitle')
          : t('servers.form.editTitle', { name: existing.name })
      }
      size="lg"
      centered
      scrollAreaComponent={ScrollArea.Autosize}
      closeButtonProps={{ 'aria-label': t('dialog.close') }}
      returnFocus={false}
    >
      <form
        noValidate
        aria-label={
          existing === undefined
            ? t('servers.form.addTitle')
            : t('servers.form.editTitle', { name: existing.name })
        }
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label={t('servers.form.name')}
              placeholder={t('servers.form.namePlaceholder')}
              value={values.name}
              onChange={(event) => set('name', event.currentTarget.value)}
              error={error('name')}
              required
              data-autofocus
              style={{ flex: '1 1 240px' }}
            />
            <Input.Wrapper label={t('servers.form.kind')} error={error('kind')} style={{ flex: '0 1 240px' }}>
              <SegmentedControl
                fullWidth
                value={values.kind}
                onChange={(kind) => {
                  setValues((current) => withKind(current, kind));
                  setCheck(undefined);
                }}
                data={SERVER_KINDS.map((kind) => ({ value: kind, label: t(`servers.kinds.${kind}`) }))}
              />
            </Input.Wrapper>
          </Group>
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label={t('servers.form.url')}
              description={t(`servers.form.urlHint.${values.kind}`)}
              placeholder={kindDefaults.example}
              value={values.url}
              onChange={(event) => set('url', event.currentTarget.value)}
              error={error('url')}
              required
              spellCheck={false}
              autoComplete="off"
              style={{ flex: '1 1 300px' }}
            />
            <TextInput
              label={t('servers.form.timeout')}
              description={t('servers.form.timeoutHint')}
              value={values.timeoutSeconds}
              onChange={(event) => set('timeoutSeconds', event.currentTarget.value)}
              error={error('timeoutMs')}
              inputMode="decimal"
              style={{ flex: '0 1 140px' }}
            />
          </Group>
          <Fieldset legend={t('servers.form.auth')} variant="filled">
            <Stack gap="sm">
              <NativeSelect
                label={t('servers.form.authType')}
                description={t(`servers.form.authHint.${values.authType}`)}
                value={values.authType}
                onChange={(event) => set('authType', event.currentTarget.value as AuthType)}
                data={AUTH_TYPES.map((type) => ({ value: type, label: t(`servers.form.authTypes.${type}`) }))}
                error={error('auth')}
              />
              {values.authType === 'bearer' && (
                <PasswordInput
                  label={t('servers.form.token')}
                  placeholder={auth?.type === 'bearer' && auth.tokenSet ? keep : undefined}
                  value={values.token}
                  onChange={(event) => set('token', event.currentTarget.value)}
                  error={error('auth.token')}
                  autoComplete="off"
                />
              )}
              {values.authType === 'ekuiper-jwt' && (
                <>
                  <TextInput
                    label={t('servers.form.issuer')}
                    description={t('servers.form.issuerHint')}
                    placeholder="ekuiper-jwt.pub"
                    value={values.issuer}
                    onChange={(event) => set('issuer', event.currentTarget.value)}
                    error={error('auth.issuer')}
                    spellCheck={false}
                  />
                  {pemField('privateKey', {
                    label: t('servers.form.privateKey'),
                    description: t('servers.form.privateKeyHint'),
                    placeholder:
                      auth?.type === 'ekuiper-jwt' && auth.privateKeySet
                        ? keep
                        : '-----BEGIN PRIVATE KEY-----',
                    minRows: 3,
                  })}
                </>
              )}
              {values.authType === 'neuronex-login' && (
                <Group grow align="flex-start">
                  <TextInput
                    label={t('servers.form.username')}
                    value={values.username}
                    onChange={(event) => set('username', event.currentTarget.value)}
                    error={error('auth.username')}
                    autoComplete="off"
                  />
                  <PasswordInput
                    label={t('servers.form.password')}
                    placeholder={auth?.type === 'neuronex-login' && auth.passwordSet ? keep : undefined}
                    value={values.password}
                    onChange={(event) => set('password', event.currentTarget.value)}
                    error={error('auth.password')}
                    autoComplete="off"
                  />
                </Group>
              )}
            </Stack>
          </Fieldset>
          {showTls && (
            <Fieldset legend={t('servers.form.tls')} variant="filled">
              <Stack gap="sm">
                <Switch
                  label={t('servers.form.skipVerify')}
                  description={t('servers.form.skipVerifyHint')}
                  checked={values.insecureSkipVerify}
                  onChange={(event) => set('insecureSkipVerify', event.currentTarget.checked)}
                />
                {pemField('caCert', {
                  label: t('servers.form.caCert'),
                  description: t('servers.form.caCertHint'),
                  placeholder: '-----BEGIN CERTIFICATE-----',
                  minRows: 2,
                })}
              </Stack>
            </Fieldset>
          )}
          <Stack gap="sm" ref={resultRef}>
            {check !== undefined && <ServerCheckResult check={check} />}
            {general !== undefined && (
              <Alert color="red" variant="light" role="alert">
                {general}
              </Alert>
            )}
          </Stack>
          <DialogFooter justify="space-between">
            <Button variant="default" onClick={() => void test()} loading={testing} disabled={saving}>
              {t('servers.form.test')}
            </Button>
            <Group gap="xs" wrap="nowrap">
              <Button variant="default" onClick={close} disabled={busy}>
                {t('servers.form.cancel')}
              </Button>
              <Button type="submit" loading={saving} disabled={testing}>
                {existing === undefined ? t('servers.form.add') : t('servers.form.save')}
              </Button>
            </Group>
          </DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}

/** The form field (as the shared rules name it) that each value of the form is checked under. */
const FIELD_OF: Partial<Record<keyof ServerFormValues, ServerFormField>> = {
  name: 'name',
  kind: 'kind',
  url: 'url',
  authType: 'auth',
  token: 'auth.token',
  issuer: 'auth.issuer',
  privateKey: 'auth.privateKey',
  username: 'auth.username',
  password: 'auth.password',
  caCert: 'tls.caCert',
  insecureSkipVerify: 'tls.caCert',
  timeoutSeconds: 'timeoutMs',
};
