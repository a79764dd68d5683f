import { Code, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CopyIconButton } from './CopyIconButton';

/** A line of SQL to paste into a rule, with a button that copies it and says so. */
export function ServiceSql({ sql, label }: { sql: string; label: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap" align="center">
      <Code
        block
        style={{ flex: 1, minWidth: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
        aria-label={label}
      >
        {sql}
      </Code>
      <CopyIconButton
        value={sql}
        label={label}
        copyText={t('services.sql.copy')}
        copiedText={t('services.sql.copied')}
      />
    </Group>
  );
}
