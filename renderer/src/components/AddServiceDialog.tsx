import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Input,
  Modal,
  PasswordInput,
  ScrollArea,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentServer } from '../api/server-scope';
import { writeServiceZip } from '../api/service-api';
import { isSqlIdentifier, serviceNameProblemText } from '../lib/name-rules';
import {
  descriptorZip,
  headerProblems,
  headersObject,
  isSecretHeader,
  schemalessDescriptor,
  serviceAddressProblem,
  type HeaderRow,
} from '../lib/service-descriptor';
import { sqlCall } from '../lib/service-sql';
import { useDialog } from '../lib/use-dialog';
import { noteConnectionError } from '../stores/connection-store';
import { useServicesStore } from '../stores/services-store';
import { DialogFooter, HostRefusal, useReveal } from './DialogParts';
import { TrashIcon } from './Icons';
import { ServiceSql } from './ServiceSql';

export interface AddServiceDialogProps {
  opened: boolean;
  onClose: () => void;
  /** Called after the server took the service (the tab reloads its list). */
  onDone: () => void;
}

/**
 * NeuronEX's "Add External Service" for any server: a name (the SQL function), the address of a REST server and
 * optional headers become eKuiper's schemaless REST descriptor, zipped in the window and put on the server as a
 * service zip is. Afterwards the dialog shows the SQL that calls it.
 */
export function AddServiceDialog({ opened, onClose, onDone }: AddServiceDialogProps) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [addressTouched, setAddressTouched] = useState(false);
  const [headers, setHeaders] = useState<HeaderRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ name: string; message: string } | undefined>();
  const [added, setAdded] = useState<string | undefined>();
  const inFlight = useRef<AbortController | undefined>(undefined);
  const doneRef = useRef<HTMLButtonElement>(null);
  useDialog(opened);

  useEffect(() => {
    if (!opened) return;
    setName('');
    setAddress('');
    setAddressTouched(false);
    setHeaders([]);
    setBusy(false);
    setError(undefined);
    setAdded(undefined);
  }, [opened]);
  useEffect(() => {
    if (added !== undefined) doneRef.current?.focus();
  }, [added]);

  const trimmed = name.trim();
  const exists = useServicesStore((state) => state.services.some((service) => service.name === trimmed));
  const nameError =
    serviceNameProblemText(t, name) ?? (exists ? t('services.zip.exists', { name: trimmed }) : undefined);
  const addressProblem = serviceAddressProblem(address);
  const showAddressProblem = addressProblem !== undefined && (addressTouched || address.trim() !== '');
  const rowProblems = headerProblems(headers);
  const canSubmit =
    !busy &&
    trimmed !== '' &&
    nameError === undefined &&
    addressProblem === undefined &&
    rowProblems.every((problem) => problem === undefined);
  const errorRef = useReveal<HTMLDivElement>(error);
  const edited = () => setError(undefined);

  async function submit() {
    if (!canSubmit) {
      setAddressTouched(true);
      return;
    }
    const server = currentServer();
    const stop = new AbortController();
    inFlight.current = stop;
    setBusy(true);
    setError(undefined);
    try {
      const descriptor = schemalessDescriptor(trimmed, address, headersObject(headers));
      const message = await writeServiceZip(
        'create',
        trimmed,
        { bytes: descriptorZip(trimmed, descriptor), fileName: `${trimmed}.zip` },
        { server, signal: stop.signal },
      );
      notifications.show({ color: 'green', title: t('services.add.done', { name: trimmed }), message });
      setAdded(trimmed);
      onDone();
    } catch (failure) {
      if (stop.signal.aborted) return;
      noteConnectionError(failure);
      setError({ name: trimmed, message: (failure as Error).message });
    } finally {
      inFlight.current = undefined;
      setBusy(false);
    }
  }

  const setRow = (index: number, row: Partial<HeaderRow>) => {
    setHeaders((rows) => rows.map((old, at) => (at === index ? { ...old, ...row } : old)));
    edited();
  };

  return (
    <Modal
      opened={opened}
      onClose={busy ? () => {} : onClose}
      title={t('services.add.title')}
      size="lg"
      centered
      scrollAreaComponent={ScrollArea.Autosize}
      closeButtonProps={{ 'aria-label': t('dialog.close') }}
      returnFocus={false}
    >
      {added !== undefined ? (
        <Stack gap="md" data-testid="service-added">
          <Alert
            color="green"
            variant="light"
            title={t('services.add.doneTitle', { name: added })}
            role="status"
          >
            <Text size="sm">{t('services.add.doneBody')}</Text>
          </Alert>
          <ServiceSql
            sql={sqlCall(added, { schemaless: true })}
            label={t('services.sql.label', { name: added })}
          />
          <Text size="xs" c="dimmed">
            {t('services.sql.schemalessHint')}
          </Text>
          <DialogFooter>
            <Button ref={doneRef} onClick={onClose}>
              {t('services.add.close')}
            </Button>
          </DialogFooter>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {t('services.add.intro')}
            </Text>
            <TextInput
              label={t('create.name')}
              description={t('services.add.nameHint')}
              placeholder="ex_service"
              value={name}
              onChange={(event) => {
                setName(event.currentTarget.value);
                edited();
              }}
              error={nameError}
              disabled={busy}
              required
              data-autofocus
            />
            {trimmed !== '' && nameError === undefined && !isSqlIdentifier(trimmed) && (
              <Text size="sm" c="yellow.8" mt={-8}>
                {t('services.add.notIdentifier', { name: trimmed })}
              </Text>
            )}
            <TextInput
              label={t('services.add.address')}
              description={t('services.add.addressHint')}
              placeholder="http://192.168.1.10:8080"
              value={address}
              onChange={(event) => {
                setAddress(event.currentTarget.value);
                edited();
              }}
              onBlur={() => setAddressTouched(true)}
              error={showAddressProblem ? t(`services.add.addressProblems.${addressProblem}`) : undefined}
              disabled={busy}
              required
            />
            <Input.Wrapper label={t('services.add.headers')} description={t('services.add.headersHint')}>
              <Stack gap="xs" mt={6}>
                {headers.map((row, index) => {
                  // A secret's value is typed hidden, with an eye to check it.
                  const ValueInput = isSecretHeader(row.key) ? PasswordInput : TextInput;
                  return (
                    <Group key={index} gap="xs" align="flex-start" wrap="nowrap">
                      <TextInput
                        aria-label={t('services.add.headerName', { number: index + 1 })}
                        placeholder="Authorization"
                        value={row.key}
                        onChange={(event) => setRow(index, { key: event.currentTarget.value })}
                        error={
                          rowProblems[index] === undefined
                            ? undefined
                            : t(`services.add.headerProblems.${rowProblems[index]}`)
                        }
                        disabled={busy}
                        style={{ flex: 1, minWidth: 0 }}
                      />
                      <ValueInput
                        aria-label={t('services.add.headerValue', { number: index + 1 })}
                        placeholder={t('services.add.valuePlaceholder')}
                        value={row.value}
                        onChange={(event) => setRow(index, { value: event.currentTarget.value })}
                        disabled={busy}
                        style={{ flex: 1.4, minWidth: 0 }}
                      />
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        size="lg"
                        aria-label={t('services.add.removeHeader', { number: index + 1 })}
                        onClick={() => {
                          setHeaders((rows) => rows.filter((_, at) => at !== index));
                          edited();
                        }}
                        disabled={busy}
                      >
                        <TrashIcon />
                      </ActionIcon>
                    </Group>
                  );
                })}
                <Group>
                  <Button
                    variant="default"
                    size="xs"
                    onClick={() => setHeaders((rows) => [...rows, { key: '', value: '' }])}
                    disabled={busy}
                  >
                    {t('services.add.addHeader')}
                  </Button>
                </Group>
              </Stack>
            </Input.Wrapper>
            {trimmed !== '' && nameError === undefined && (
              <Stack gap={4}>
                <Text size="sm" fw={600}>
                  {t('services.add.sqlPreview')}
                </Text>
                <ServiceSql
                  sql={sqlCall(trimmed, { schemaless: true })}
                  label={t('services.sql.label', { name: trimmed })}
                />
              </Stack>
            )}
            {error && (
              <HostRefusal
                ref={errorRef}
                title={t('services.add.failed', { name: error.name })}
                message={error.message}
              />
            )}
            <DialogFooter>
              <Button variant="default" onClick={busy ? () => inFlight.current?.abort() : onClose}>
                {t('create.cancel')}
              </Button>
              <Button type="submit" disabled={!canSubmit} loading={busy}>
                {t('services.add.submit')}
              </Button>
            </DialogFooter>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
