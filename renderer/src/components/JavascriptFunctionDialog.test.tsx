import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { HostError } from '../api/http';
import type { JsFunction } from '../api/javascript-api';
import { renderWithProviders } from '../test/render-app';
import { JavascriptFunctionDialog } from './JavascriptFunctionDialog';

/** The editor's text, as CodeMirror holds it in its lines. */
function editorText(): string {
  return [...document.querySelectorAll('.cm-line')].map((line) => line.textContent).join('\n');
}

function renderCreate(onSave = vi.fn<(fn: JsFunction, mode: 'create' | 'edit') => Promise<string>>()) {
  renderWithProviders(
    <JavascriptFunctionDialog
      editing={{ mode: 'create' }}
      current={undefined}
      existing={['area']}
      onClose={() => {}}
      onSave={onSave}
    />,
  );
  return onSave;
}

describe('the Create custom function dialog', () => {
  it('starts on the Name field with the sample, whose function follows the name', async () => {
    renderCreate();
    const name = screen.getByRole('textbox', { name: 'Name' });
    await waitFor(() => expect(editorText()).toContain('function multiply(a, b) {'));
    await waitFor(() => expect(document.activeElement).toBe(name));
    fireEvent.change(name, { target: { value: 'volume' } });
    await waitFor(() => expect(editorText()).toContain('function volume(a, b) {'));
    // An aggregate swaps the untouched sample for the aggregate one.
    fireEvent.click(screen.getByRole('checkbox', { name: 'Aggregate function' }));
    await waitFor(() => expect(editorText()).toContain('function volume(values) {'));
  });

  it("refuses a name eKuiper's id rule refuses, and one the server has, before sending", async () => {
    const onSave = renderCreate();
    const name = screen.getByRole('textbox', { name: 'Name' });
    fireEvent.change(name, { target: { value: 'inv/alid' } });
    expect(await screen.findByText(/“\/”/)).toBeTruthy();
    fireEvent.change(name, { target: { value: 'area' } });
    expect(
      await screen.findByText(
        'A custom function named area exists already on this server: edit it from the list, or choose another name.',
      ),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    fireEvent.change(name, { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(await screen.findByText('Give the function a name: SQL calls it by this name.')).toBeTruthy();
    expect(onSave).not.toHaveBeenCalled();
  });

  it("sends eKuiper's body and shows a refusal in the server's words", async () => {
    const onSave = renderCreate(
      vi.fn(() =>
        Promise.reject(
          new HostError(
            'javascript function create command error: cannot find function "volume" in script',
            400,
            1000,
          ),
        ),
      ),
    );
    fireEvent.change(screen.getByRole('textbox', { name: 'Name' }), { target: { value: 'volume' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Description' }), { target: { value: 'Volume' } });
    await waitFor(() => expect(editorText()).toContain('function volume(a, b) {'));
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onSave).toHaveBeenCalled());
    expect(onSave).toHaveBeenCalledWith(
      {
        id: 'volume',
        description: 'Volume',
        script: expect.stringContaining('function volume(a, b) {\n  return a * b;\n}') as string,
        isAgg: false,
      },
      'create',
    );
    expect((await screen.findByRole('alert')).textContent).toContain(
      'cannot find function "volume" in script',
    );
  });

  it('shows an edited function as the server has it, its name fixed', async () => {
    renderWithProviders(
      <JavascriptFunctionDialog
        editing={{ mode: 'edit', id: 'area' }}
        current={{
          id: 'area',
          description: 'Area',
          script: 'const k = 1;\nfunction area(a) { return a * k; }',
          isAgg: false,
        }}
        existing={['area']}
        onClose={() => {}}
        onSave={vi.fn()}
      />,
    );
    const name = screen.getByRole('textbox', { name: 'Name' });
    expect(name.hasAttribute('readonly')).toBe(true);
    await waitFor(() => expect(editorText()).toContain('const k = 1;'));
    expect((await screen.findByTestId('script-es5-warning')).textContent).toBe(
      "Line 1: let and const are newer than ECMAScript 5.1: eKuiper's goja may refuse them. Use var.",
    );
    expect(screen.queryByTestId('script-no-function')).toBeNull();
  });
});
