import { NativeSelect, NumberInput, Textarea, type TextareaProps } from '@mantine/core';
import type { TFunction } from 'i18next';
import { forwardRef } from 'react';
import { localizeHostMessage } from '../../../shared/host-messages';
import { HostError } from '../api/http';
import { i18next } from '../i18n/i18n';
import type { JsonFieldProblem } from '../lib/json-fields';

/** The sentence that says what is wrong with a JSON field, in the user's language. */
export function jsonProblemText(t: TFunction, problem: JsonFieldProblem): string {
  switch (problem.code) {
    case 'syntax':
      return t('tryIt.json.syntax', { detail: problem.detail });
    case 'tooFew':
      return t('tryIt.json.tooFew', { count: problem.min });
    case 'tooMany':
      return t('tryIt.json.tooMany', { count: problem.max });
    default:
      return t(`tryIt.json.${problem.code}`);
  }
}

/** Milliseconds as people read them: "0.4 ms", "12 ms", "1.2 s". */
export function formatMs(ms: number, locale: string): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 1000) {
    return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: ms < 10 ? 1 : 0 }).format(ms)} ms`;
}

/** The host's refusal as one line: its status (whose fault) and its own message. */
export function hostFailureText(t: TFunction, error: unknown): string {
  if (error instanceof HostError) {
    return t('tryIt.hostFailure', {
      status: error.status,
      message: localizeHostMessage(error.message, i18next.language),
    });
  }
  return (error as Error).message;
}

/** The symbol chooser every mode starts with: a native select is the most keyboard-friendly. */
export function SymbolSelect({
  label,
  symbols,
  value,
  onChange,
  disabled,
}: {
  label: string;
  symbols: readonly string[];
  value: string;
  onChange: (symbol: string) => void;
  disabled?: boolean;
}) {
  return (
    <NativeSelect
      label={label}
      data={[...symbols]}
      value={value}
      disabled={disabled}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  );
}

/**
 * A monospace JSON editor. A plain textarea rather than Mantine's JsonInput: that one validates on blur and
 * shows its message at once, which moves the button the user is clicking; this form checks on submit instead,
 * with a message that says what is wrong.
 */
export const JsonField = forwardRef<
  HTMLTextAreaElement,
  Omit<TextareaProps, 'onChange'> & { onChange: (value: string) => void }
>(function JsonField({ onChange, ...props }, ref) {
  return (
    <Textarea
      ref={ref}
      autosize
      minRows={2}
      maxRows={10}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      onChange={(event) => onChange(event.currentTarget.value)}
      {...props}
    />
  );
});

/**
 * A number field bounded by one of the host's try-it limits: it clamps as the user types, and says the range
 * when the value is not acceptable (empty, or a decimal where only whole numbers do), so the form is refused
 * in the window before the host would refuse it.
 */
export function LimitedNumberField({
  label,
  description,
  value,
  onChange,
  min,
  max,
  valid,
  invalidText,
  allowDecimal = false,
  disabled,
  w,
}: {
  label: string;
  description?: string;
  value: number | string;
  onChange: (value: number | string) => void;
  min: number;
  max: number;
  valid: boolean;
  invalidText: string;
  allowDecimal?: boolean;
  disabled?: boolean;
  w?: number;
}) {
  return (
    <NumberInput
      label={label}
      description={description}
      value={value}
      onChange={onChange}
      min={min}
      max={max}
      allowDecimal={allowDecimal}
      clampBehavior="strict"
      disabled={disabled}
      w={w}
      error={valid ? undefined : invalidText}
    />
  );
}
