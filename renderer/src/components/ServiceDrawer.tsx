import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Divider,
  Drawer,
  Group,
  ScrollArea,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LocalizedText, ServiceInterfaceInfo } from '../../../shared/service-dto';
import { useHostMessage } from '../lib/host-message';
import { isSecretHeader, maskHeaderValue } from '../lib/service-descriptor';
import { interfacesOf } from '../lib/service-rows';
import { sqlCall } from '../lib/service-sql';
import { useDialog } from '../lib/use-dialog';
import { useServerNotes } from '../lib/use-server-notes';
import type { ServiceEntry } from '../stores/services-store';
import { CapabilityNote } from './CapabilityNote';
import { Fact, FactList } from './FactList';
import { ServiceSql } from './ServiceSql';
import { TryService, type TryableFunction } from './TryService';

export interface ServiceDrawerProps {
  /** The service to describe, from the loaded list; `undefined` closes the drawer. */
  service: ServiceEntry | undefined;
  onClose: () => void;
  onUpdate: (name: string) => void;
  onDelete: (name: string) => void;
}

/** eKuiper's `{en_US, zh_CN}` text in the window's language, the other one when that one is empty. */
export function localized(text: LocalizedText | null | undefined, language: string): string {
  if (!text) return '';
  const zh = language.startsWith('zh');
  return (zh ? text.zh_CN || text.en_US : text.en_US || text.zh_CN) ?? '';
}

/** An interface's options: headers one by one (secret ones masked), anything else as eKuiper keeps it. */
function OptionsFacts({ options }: { options: Record<string, unknown> }) {
  const { t } = useTranslation();
  const { headers, ...rest } = options as { headers?: Record<string, unknown> };
  const headerEntries = headers && typeof headers === 'object' ? Object.entries(headers) : [];
  return (
    <>
      {headerEntries.length > 0 && (
        <Fact label={t('services.describe.headers')}>
          <Stack gap={2}>
            {headerEntries.map(([key, value]) => (
              <Text key={key} size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                {key}: {isSecretHeader(key) ? maskHeaderValue(String(value)) : String(value)}
              </Text>
            ))}
          </Stack>
        </Fact>
      )}
      {Object.entries(rest).map(([key, value]) => (
        <Fact key={key} label={key}>
          <Code>{JSON.stringify(value)}</Code>
        </Fact>
      ))}
    </>
  );
}

/** One interface: how eKuiper reaches it, its schema, options, and each function with the SQL that calls it. */
function InterfaceSection({ name, binding }: { name: string; binding: ServiceInterfaceInfo }) {
  const { t, i18n } = useTranslation();
  const schemaless = binding.Schema?.Schemaless === true;
  const description = localized(binding.Desc, i18n.language);
  return (
    <section aria-label={t('services.describe.interface', { name })}>
      <Group gap="xs" mb={6}>
        <Title order={4} style={{ overflowWrap: 'anywhere' }}>
          {name}
        </Title>
        <Badge variant="light" tt="none">
          {binding.Protocol}
        </Badge>
        {schemaless && (
          <Badge variant="outline" color="gray" tt="none">
            {t('services.describe.schemaless')}
          </Badge>
        )}
      </Group>
      {description !== '' && (
        <Text size="sm" mb={6}>
          {description}
        </Text>
      )}
      <FactList>
        <Fact label={t('services.describe.address')}>
          <Code style={{ wordBreak: 'break-all' }}>{binding.Addr}</Code>
        </Fact>
        <Fact label={t('services.describe.schema')}>
          {schemaless
            ? t('services.describe.noSchema')
            : `${binding.Schema?.SchemaType || '—'} · schemas/${binding.Schema?.SchemaFile ?? ''}`}
        </Fact>
        {binding.Options && <OptionsFacts options={binding.Options} />}
      </FactList>
      {binding.Protocol === 'msgpack-rpc' && (
        <Text size="sm" c="dimmed" mt={6}>
          {t('services.describe.msgpack')}
        </Text>
      )}
      <Text size="sm" fw={600} mt="sm" mb={4}>
        {t('services.describe.functions', { count: binding.Functions?.length ?? 0 })}
      </Text>
      <Stack gap={6}>
        {(binding.Functions ?? []).map((fn) => (
          <ServiceSql
            key={fn}
            sql={sqlCall(fn, { schemaless })}
            label={t('services.sql.label', { name: fn })}
          />
        ))}
      </Stack>
      <Text size="xs" c="dimmed" mt={4}>
        {schemaless ? t('services.sql.schemalessHint') : t('services.sql.protoHint')}
      </Text>
    </section>
  );
}

/**
 * Everything eKuiper's describe answer says about one service — about, each interface with its address, schema
 * and options (secret header values masked), and each function with the SQL that calls it — and Try it where the
 * server can call a function for the window.
 */
export function ServiceDrawer({ service, onClose, onUpdate, onDelete }: ServiceDrawerProps) {
  const { t, i18n } = useTranslation();
  const hostMessage = useHostMessage();
  const notes = useServerNotes();
  useDialog(service !== undefined);
  const interfaces = interfacesOf(service?.info);
  const about = service?.info?.About;
  const description = localized(about?.description, i18n.language);
  const helpUrl = localized(about?.helpUrl, i18n.language);
  const author = about?.author;
  const authorText = author ? [author.name, author.company, author.email].filter(Boolean).join(' · ') : '';
  const tryable: TryableFunction[] = interfaces.flatMap(([iface, binding]) =>
    (binding.Functions ?? []).map((fn) => ({
      name: fn,
      iface,
      protocol: binding.Protocol,
      schemaless: binding.Schema?.Schemaless === true,
    })),
  );

  return (
    <Drawer
      opened={service !== undefined}
      onClose={onClose}
      position="right"
      size="lg"
      title={
        service && (
          <Title order={3} component="span">
            {t('services.describe.title', { name: service.name })}
          </Title>
        )
      }
      closeButtonProps={{ 'aria-label': t('describe.close') }}
      scrollAreaComponent={ScrollArea.Autosize}
      returnFocus={false}
    >
      {service && (
        <Stack gap="md">
          <Group gap="xs" role="group" aria-label={t('manage.actions.label')}>
            <Button
              variant="default"
              onClick={() => onUpdate(service.name)}
              disabled={notes.readOnly !== undefined}
            >
              {t('services.update.open')}
            </Button>
            <Button
              variant="light"
              color="red"
              onClick={() => onDelete(service.name)}
              disabled={notes.readOnly !== undefined}
            >
              {t('describe.delete')}
            </Button>
          </Group>
          {notes.readOnly !== undefined && <CapabilityNote>{notes.readOnly}</CapabilityNote>}
          {service.error !== undefined && (
            <Alert color="red" variant="light" role="alert">
              {t('services.describe.failed', { message: hostMessage(service.error) })}
            </Alert>
          )}
          {(description !== '' || authorText !== '' || helpUrl !== '') && (
            <section aria-label={t('services.describe.about')}>
              <FactList>
                {description !== '' && <Fact label={t('services.describe.description')}>{description}</Fact>}
                {authorText !== '' && <Fact label={t('services.describe.author')}>{authorText}</Fact>}
                {helpUrl !== '' && (
                  <Fact label={t('services.describe.help')}>
                    <Anchor href={helpUrl} target="_blank" rel="noreferrer" size="sm">
                      {helpUrl}
                    </Anchor>
                  </Fact>
                )}
              </FactList>
            </section>
          )}
          {interfaces.map(([name, binding], index) => (
            <Stack key={name} gap={0}>
              {index > 0 && <Divider mb="md" />}
              <InterfaceSection name={name} binding={binding} />
            </Stack>
          ))}
          {tryable.length > 0 && (
            <>
              <Divider />
              <section aria-label={t('services.try.title')}>
                <Title order={4} mb="xs">
                  {t('services.try.title')}
                </Title>
                {notes.runtime !== undefined ? (
                  <CapabilityNote>{t('services.try.unavailable')}</CapabilityNote>
                ) : (
                  <TryService key={service.name} functions={tryable} />
                )}
              </section>
            </>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
