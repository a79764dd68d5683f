import { Button } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AiFunctionForm } from '../../../shared/ai-dto';
import { lazyNamed } from '../lib/lazy';
import { CodeIcon } from './Icons';
import { LazyPart } from './LazyPart';

// The dialog loads on the first click: the pages that carry this button need none of it to show.
const AiFunctionDialog = lazyNamed(() => import('./AiFunctionDialog'), 'AiFunctionDialog');

/**
 * Opens the AI function generator: in the Develop page's actions (a Python plugin first) and the Custom functions
 * toolbar (a JavaScript function first).
 */
export function GenerateWithAiButton({ form = 'python' }: { form?: AiFunctionForm }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button
        variant="light"
        leftSection={<CodeIcon />}
        onClick={() => setOpened(true)}
        data-testid={`ai-generate-open-${form}`}
      >
        {t('develop.ai.open')}
      </Button>
      {opened && (
        <LazyPart fallback={null} floating>
          <AiFunctionDialog initialForm={form} onClose={() => setOpened(false)} />
        </LazyPart>
      )}
    </>
  );
}
