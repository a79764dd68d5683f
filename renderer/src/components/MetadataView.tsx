import { Anchor, Badge, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { metadataLocale } from '../i18n/i18n';
import {
  formatDefault,
  localized,
  nestedFields,
  propertyGroups,
  type MetadataField,
  type MetadataSection,
} from '../lib/plugin-metadata';

const KIND_COLORS = { sources: 'blue', sinks: 'grape', functions: 'teal' } as const;

/**
 * eKuiper's UI metadata as a page people can read: description, author and help link, then each property with
 * its label, type, default and hint — in the window's language, falling back to the other one.
 */
export function MetadataView({ sections }: { sections: MetadataSection[] }) {
  return (
    <Stack gap="lg">
      {sections.map((section, index) => (
        <MetadataPage key={`${section.kind ?? ''}/${section.symbol ?? index}`} section={section} />
      ))}
    </Stack>
  );
}

function MetadataPage({ section }: { section: MetadataSection }) {
  const { t, i18n } = useTranslation();
  const locale = metadataLocale(i18n.language);
  const { doc } = section;
  const description = localized(doc.about?.description, locale);
  const help = localized(doc.about?.helpUrl, locale);
  const author = doc.about?.author;
  const groups = propertyGroups(doc);
  return (
    <section aria-label={section.symbol ?? t('describe.metadata')}>
      {section.symbol !== undefined && (
        <Group gap="xs" mb={4}>
          <Title order={4}>{section.symbol}</Title>
          {section.kind && (
            <Badge size="sm" variant="light" color={KIND_COLORS[section.kind]}>
              {t(`describe.kinds.${section.kind}`)}
            </Badge>
          )}
        </Group>
      )}
      <Text size="sm" c={description ? undefined : 'dimmed'}>
        {description ?? t('describe.noDescription')}
      </Text>
      {(author?.name || author?.company || help) && (
        <Stack gap={2} mt="xs">
          {(author?.name || author?.company) && (
            <Text size="sm">
              <Text span c="dimmed">
                {t('describe.author')}:{' '}
              </Text>
              {[author.name, author.company].filter(Boolean).join(' · ')}
              {author.email && (
                <>
                  {' · '}
                  <Anchor href={`mailto:${author.email}`} size="sm">
                    {author.email}
                  </Anchor>
                </>
              )}
              {author.website && (
                <>
                  {' · '}
                  <Anchor href={author.website} target="_blank" rel="noreferrer noopener" size="sm">
                    {author.website}
                  </Anchor>
                </>
              )}
            </Text>
          )}
          {help && (
            <Text size="sm">
              <Text span c="dimmed">
                {t('describe.help')}:{' '}
              </Text>
              <Anchor
                href={help}
                target="_blank"
                rel="noreferrer noopener"
                size="sm"
                style={{ wordBreak: 'break-all' }}
              >
                {help}
              </Anchor>
            </Text>
          )}
        </Stack>
      )}
      {groups.map(({ group, fields }) => (
        <Stack key={group ?? ''} gap={6} mt="md">
          <Title order={5}>
            {group === undefined ? t('describe.properties') : t('describe.propertyGroup', { group })}
          </Title>
          <FieldList fields={fields} locale={locale} />
        </Stack>
      ))}
      {doc.functions && doc.functions.length > 0 && (
        <Stack gap={6} mt="md">
          <Title order={5}>{t('describe.functionsList')}</Title>
          {doc.functions.map((fn) => (
            <div key={fn.name}>
              <Text size="sm" fw={600}>
                <Code>{fn.name}</Code>
              </Text>
              {localized(fn.hint, locale) && <Text size="sm">{localized(fn.hint, locale)}</Text>}
              {fn.example && (
                <Text size="sm" c="dimmed">
                  {t('describe.example')}: <Code>{fn.example}</Code>
                </Text>
              )}
            </div>
          ))}
        </Stack>
      )}
    </section>
  );
}

function FieldList({ fields, locale }: { fields: MetadataField[]; locale: 'en_US' | 'zh_CN' }) {
  const { t } = useTranslation();
  return (
    <Stack gap={8} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {fields.map((field) => {
        const nested = nestedFields(field);
        const label = localized(field.label, locale);
        const hint = localized(field.hint, locale);
        return (
          <li key={field.name}>
            <Group gap={6} wrap="wrap">
              <Text size="sm" fw={600}>
                {label ?? field.name}
              </Text>
              <Code>{field.name}</Code>
              {field.type && (
                <Badge size="xs" variant="default" tt="none" title={t('describe.type')}>
                  {field.type}
                </Badge>
              )}
              <Badge size="xs" variant="light" color={field.optional ? 'gray' : 'orange'}>
                {field.optional ? t('describe.optional') : t('describe.required')}
              </Badge>
              {nested === undefined && field.default !== undefined && (
                <Text size="xs" c="dimmed">
                  {t('describe.default')}: <Code>{formatDefault(field.default)}</Code>
                </Text>
              )}
            </Group>
            {hint && (
              <Text size="sm" c="dimmed" mt={2}>
                {hint}
              </Text>
            )}
            {nested && (
              <div
                style={{
                  borderLeft: '2px solid var(--mantine-color-default-border)',
                  paddingLeft: 12,
                  marginTop: 6,
                }}
              >
                <FieldList fields={nested} locale={locale} />
              </div>
            )}
          </li>
        );
      })}
    </Stack>
  );
}
