import type { TFunction } from 'i18next';
import type { PluginKind } from '../../../shared/plugin-kinds';
import { lowerFirst, upperFirst, validateId, type NameProblem } from '../../../shared/plugin-names';

/** The characters a name may not hold, each once and quoted, spaces named: what the user has to remove. */
export function forbiddenCharacters(name: string, space: string): string {
  const found = [...new Set([...name].filter((char) => !/[A-Za-z0-9_-]/.test(char)))];
  const shown = found.slice(0, 5).map((char) => (/\s/.test(char) ? space : `“${char}”`));
  return found.length > 5 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/**
 * The Name field's message for a name the host would refuse, in the window's language: eKuiper's naming rule
 * with the characters at fault, the lower-case first letter of native plugins, or the length limit and why.
 */
export function nameProblemText(t: TFunction, kind: PluginKind, name: string, problem: NameProblem): string {
  switch (problem.rule) {
    case 'empty':
      return t('nameField.empty');
    case 'whitespace':
      return t('nameField.whitespace');
    case 'characters':
      return t('nameField.characters', { found: forbiddenCharacters(name, t('nameField.space')) });
    case 'upper-first':
      return t('nameField.upperFirst', { upper: upperFirst(name), lower: lowerFirst(name) });
    case 'too-long':
      return kind === 'portables'
        ? t('nameField.tooLongPortable', { count: name.length, limit: problem.limit })
        : t('nameField.tooLong', {
            count: name.length,
            limit: problem.limit,
            example: kind === 'sources' ? 'name.yaml' : 'Name.so',
          });
  }
}

/**
 * The Name field's message for a service name eKuiper's `ValidateID` refuses, in the window's language with the
 * characters at fault; undefined when the name is fine or still empty (the submit button waits for it).
 */
export function serviceNameProblemText(t: TFunction, name: string): string | undefined {
  if (name === '' || validateId(name) === undefined) return undefined;
  if (name !== name.trim()) return t('nameField.whitespace');
  return t('nameField.characters', { found: forbiddenCharacters(name, t('nameField.space')) });
}

/** Whether eKuiper's SQL can call `name` as written: an identifier (no hyphen, not starting with a digit). */
export function isSqlIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
