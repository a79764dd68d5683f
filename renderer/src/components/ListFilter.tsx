import { Button, CloseButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A list's filter box, with a clear button while it holds text, and how many rows it shows of how many. */
export function ListFilter({
  filter,
  onChange,
  placeholder,
  shown,
  total,
}: {
  filter: string;
  onChange: (filter: string) => void;
  placeholder: string;
  shown: number;
  total: number;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" wrap="nowrap">
      <TextInput
        aria-label={t('extensions.filter')}
        placeholder={placeholder}
        value={filter}
        onChange={(event) => onChange(event.currentTarget.value)}
        style={{ flex: 1, maxWidth: 420 }}
        type="search"
        rightSection={
          filter !== '' ? (
            <CloseButton size="sm" aria-label={t('extensions.clearFilter')} onClick={() => onChange('')} />
          ) : null
        }
      />
      <Text size="sm" c="dimmed" aria-live="polite">
        {t('extensions.count', { shown, total })}
      </Text>
    </Group>
  );
}

/** What a list says when its filter hides every row: the filter, and a way back to all rows. */
export function NoMatch({ filter, onClear }: { filter: string; onClear: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack align="center" gap="xs" py="xl" data-testid="no-match">
      <Text>{t('extensions.empty.noMatch', { filter })}</Text>
      <Button variant="default" size="xs" onClick={onClear}>
        {t('extensions.clearFilter')}
      </Button>
    </Stack>
  );
}
