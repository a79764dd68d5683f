import { Autocomplete, Text, type AutocompleteProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PluginKind } from '../../../shared/plugin-kinds';
import { maxNameLength, pluginNameProblem } from '../../../shared/plugin-names';
import { nameProblemText } from '../lib/name-rules';
import { useSuggestionDropdown } from '../lib/use-suggestion-dropdown';

export interface PluginNameFieldProps extends Omit<
  AutocompleteProps,
  'value' | 'onChange' | 'error' | 'data'
> {
  kind: PluginKind;
  /** Names to suggest (the ones the zip declares). */
  data?: string[];
  value: string;
  onChange: (value: string) => void;
}

/**
 * The plugin's name with the host's naming rules applied as it is typed: eKuiper's characters, the
 * lower-case first letter of native plugins, and the longest name the install's files (or a portable's socket)
 * allow, shown as a count beside the field. The name is checked here, not blamed on the zip.
 */
export function PluginNameField({ kind, value, onChange, data, ...rest }: PluginNameFieldProps) {
  const { t } = useTranslation();
  const dropdown = useSuggestionDropdown(data ?? [], value);
  const name = value.trim();
  const limit = maxNameLength(kind);
  const problem = name === '' ? undefined : pluginNameProblem(kind, name);
  const over = name.length > limit;
  return (
    <Autocomplete
      {...rest}
      data={data}
      {...dropdown}
      value={value}
      onChange={onChange}
      error={problem === undefined ? undefined : nameProblemText(t, kind, name, problem)}
      rightSectionWidth={76}
      rightSectionPointerEvents="none"
      rightSection={
        <Text
          size="xs"
          c={over ? 'red' : 'dimmed'}
          aria-label={t('nameField.countLabel', { count: name.length, limit })}
          data-testid="name-length"
          style={{ whiteSpace: 'nowrap' }}
        >
          {t('nameField.count', { count: name.length, limit })}
        </Text>
      }
    />
  );
}
