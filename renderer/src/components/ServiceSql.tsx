import { ActionIcon, Code, CopyButton, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CheckIcon, CopyIcon } from './Icons';

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
      <CopyButton value={sql} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('services.sql.copied') : t('services.sql.copy')} withArrow>
            <ActionIcon
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              onClick={copy}
              aria-label={`${t('services.sql.copy')}: ${label}`}
            >
              {copied ? <CheckIcon /> : <CopyIcon />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
