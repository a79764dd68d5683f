import { Alert, Button, Group, Input, SimpleGrid, Stack, TagsInput, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useHostMessage } from '../lib/host-message';
import type { ZipInspection } from '../../../shared/zip-inspect';
import { formatBytes } from '../lib/format';
import { ZIP_ACCEPT, zipFacts, type ChosenZip } from '../lib/zip-choice';

export interface ZipDropFieldProps {
  /** The zip chosen so far. */
  zip: ChosenZip | undefined;
  /** A zip was dropped or browsed. */
  onChoose: (file: File) => void;
  onRemove: () => void;
  disabled: boolean;
  /** Tells the field apart when a page has more than one. */
  id: string;
  /** Takes focus when its dialog opens (a dialog whose first field is fixed). */
  autoFocus?: boolean;
  /** What the zip must hold, under the label; a plugin zip's by default. */
  description?: string;
}

/**
 * The zip of a plugin: a drop zone that also opens the file chooser, then the chosen file's name and size with
 * Replace and Remove. Anything but a zip is refused with a sentence saying so. The Create and fleet dialogs
 * both use it, so a zip is chosen the same way everywhere.
 */
export function ZipDropField({
  zip,
  onChoose,
  onRemove,
  disabled,
  id,
  autoFocus,
  description,
}: ZipDropFieldProps) {
  const { t, i18n } = useTranslation();
  const openRef = useRef<() => void>(null);
  const [rejected, setRejected] = useState(false);
  return (
    <>
      <Input.Wrapper label={t('create.file')} description={description ?? t('create.fileHint')} id={id}>
        <Dropzone
          onDrop={(files) => {
            const file = files[0];
            setRejected(false);
            if (file) onChoose(file);
          }}
          onReject={() => setRejected(true)}
          accept={ZIP_ACCEPT}
          multiple={false}
          disabled={disabled}
          openRef={openRef}
          activateOnClick={zip === undefined}
          enablePointerEvents
          inputProps={{ 'aria-label': t('create.browse') }}
          data-autofocus={autoFocus ? true : undefined}
          data-testid="zip-dropzone"
          mt={6}
          p="md"
        >
          {zip ? (
            <Group justify="space-between" wrap="nowrap">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text fw={600} truncate data-testid="chosen-file">
                  {zip.fileName}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatBytes(zip.bytes.length, i18n.language)}
                </Text>
              </Stack>
              <Group gap="xs" wrap="nowrap">
                <Button
                  variant="default"
                  size="xs"
                  disabled={disabled}
                  onClick={(event) => {
                    event.stopPropagation();
                    openRef.current?.();
                  }}
                >
                  {t('create.replace')}
                </Button>
                <Button
                  variant="subtle"
                  size="xs"
                  color="gray"
                  disabled={disabled}
                  onClick={(event) => {
                    event.stopPropagation();
                    onRemove();
                  }}
                >
                  {t('create.remove')}
                </Button>
              </Group>
            </Group>
          ) : (
            <Stack gap={4} align="center" py="sm" style={{ pointerEvents: 'none' }}>
              <Dropzone.Accept>
                <Text fw={600}>{t('create.dropNow')}</Text>
              </Dropzone.Accept>
              <Dropzone.Reject>
                <Text fw={600} c="red">
                  {t('create.onlyZip')}
                </Text>
              </Dropzone.Reject>
              <Dropzone.Idle>
                <Text fw={600}>{t('create.dropHere')}</Text>
              </Dropzone.Idle>
              <Text size="sm" c="dimmed">
                {t('create.orBrowse')}
              </Text>
            </Stack>
          )}
        </Dropzone>
      </Input.Wrapper>
      {rejected && (
        <Text size="sm" c="red" role="alert">
          {t('create.onlyZip')}
        </Text>
      )}
    </>
  );
}

/** "What the zip holds": manifest or library, version, symbols, install.sh, files and sizes. */
export function ZipContents({ inspection }: { inspection: ZipInspection }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="xs" aria-label={t('create.contents')} role="region">
      <Text fw={600} size="sm">
        {t('create.contents')}
      </Text>
      <SimpleGrid cols={2} spacing={4} verticalSpacing={2}>
        {zipFacts(inspection, t, i18n.language).map(([label, value]) => (
          <Group key={label} gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
              {label}:
            </Text>
            <Text size="sm" truncate title={value}>
              {value}
            </Text>
          </Group>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

/**
 * One reason the host would refuse the zip, in its own words: yellow when the window can repack the zip so the
 * host accepts it (`children` says how), red otherwise.
 */
export function ZipProblem({
  problem,
  fixable,
  children,
}: {
  problem: string;
  fixable: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  return (
    <Alert color={fixable ? 'yellow' : 'red'} variant="light" title={t('create.problem')}>
      <Text size="sm" style={{ wordBreak: 'break-word' }}>
        {hostMessage(problem)}
      </Text>
      {children}
    </Alert>
  );
}

/** The functions a function plugin exports, as the host registers them with the install (optional). */
export function FunctionNamesField({
  value,
  onChange,
  disabled,
}: {
  value: string[];
  onChange: (names: string[]) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  return (
    <TagsInput
      label={t('create.functions')}
      description={t('create.functionsHint')}
      value={value}
      onChange={onChange}
      disabled={disabled}
      clearable
      // Nothing to suggest: a dropdown Mantine counts as open would take the Escape meant for the dialog.
      dropdownOpened={false}
    />
  );
}
