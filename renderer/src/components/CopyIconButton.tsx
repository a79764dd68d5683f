import { ActionIcon, CopyButton, Tooltip } from '@mantine/core';
import { CheckIcon, CopyIcon } from './Icons';

/**
 * A small button that copies `value` and says so for a moment: its tooltip reads `copyText`, then `copiedText`;
 * `label` names what it copies for screen readers.
 */
export function CopyIconButton({
  value,
  label,
  copyText,
  copiedText,
}: {
  value: string;
  label: string;
  copyText: string;
  copiedText: string;
}) {
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? copiedText : copyText} withArrow>
          <ActionIcon
            variant="subtle"
            color={copied ? 'teal' : 'gray'}
            onClick={copy}
            aria-label={`${copyText}: ${label}`}
          >
            {copied ? <CheckIcon /> : <CopyIcon />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}
