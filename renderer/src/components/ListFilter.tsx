import { Button, CloseButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The filter box above a list, with a × that clears it and "shown of total" read out as it changes: every list
 * of the Extensions page filters the same way.
 */
export function ListFilter({
  value,
  onChange,
  label,
  placeholder,
  shown,
  total,
}: {
  value: string;
  onChange: (value: string) => void;
  label: string;
  placeholder: string;
  shown: number;
  total: number;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" wrap="nowrap">
      <TextInput
        aria-label={label}
        placeholder={placeholder}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        style={{ flex: 1, maxWidth: 420 }}
        type="search"
        rightSection={
          value !== '' ? (
            <CloseButton size="sm" aria-label={t('extensions.clearFilter')} onClick={() => onChange('')} />
          ) : null
        }
      />
      <Text size="sm" c="dimmed" aria-live="polite" style={{ whiteSpace: 'nowrap' }}>
        {t('extensions.count', { shown, total })}
      </Text>
    </Group>
  );
}

/** What a list shows when its filter matches nothing: the filter, and a button that clears it. */
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
