import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { plugin, renderWithProviders } from '../test/render-app';
import { RegisterFunctionsDialog, functionListProblems } from './RegisterFunctionsDialog';

const comp = plugin({ kind: 'functions', name: 'comp', functions: ['comp'] });
const echo2 = plugin({ kind: 'functions', name: 'echo2', functions: ['echo2', 'echo3'] });
const mirror = plugin({ kind: 'portables', name: 'mirror', functions: ['echo'] });
const PLUGINS = [comp, echo2, mirror];

function open(language: 'en' | 'zh-CN' = 'en') {
  renderWithProviders(
    <RegisterFunctionsDialog plugin={comp} plugins={PLUGINS} onClose={() => {}} onRegistered={vi.fn()} />,
    language,
  );
}

/** Types a name into the tags input and presses Enter, as a user adds one function. */
function addName(name: string) {
  const input = screen.getByRole('combobox', { name: 'Function names' });
  fireEvent.change(input, { target: { value: name } });
  fireEvent.keyDown(input, { key: 'Enter' });
}

const registerButton = () => screen.getByRole('button', { name: 'Register' });

describe('functionListProblems', () => {
  it('wants at least one name', () => {
    expect(functionListProblems([], 'comp', PLUGINS)).toEqual([{ key: 'empty' }]);
  });

  it("refuses names eKuiper's id rule refuses, and names another function plugin exports", () => {
    expect(functionListProblems(['comp', 'has space', 'echo3', 'ok_1'], 'comp', PLUGINS)).toEqual([
      { key: 'invalid', name: 'has space' },
      { key: 'taken', name: 'echo3', owner: 'echo2', ownerKind: 'functions' },
    ]);
  });

  it("refuses a function a portable plugin provides, as the host does, and allows the plugin's own", () => {
    expect(functionListProblems(['comp', 'echo'], 'comp', PLUGINS)).toEqual([
      { key: 'taken', name: 'echo', owner: 'mirror', ownerKind: 'portables' },
    ]);
  });

  it('names the function plugin when a portable plugin has the same function too (the host looks there first)', () => {
    const both = plugin({ kind: 'portables', name: 'aaa', functions: ['echo3'] });
    expect(functionListProblems(['echo3'], 'comp', [both, ...PLUGINS])).toEqual([
      { key: 'taken', name: 'echo3', owner: 'echo2', ownerKind: 'functions' },
    ]);
  });
});

describe('RegisterFunctionsDialog', () => {
  it('starts from the registered list and enables Register only when it changed', async () => {
    open();
    expect(await screen.findByRole('dialog', { name: 'Functions of comp' })).toBeTruthy();
    expect(registerButton().hasAttribute('disabled')).toBe(true);
    addName('compAdd');
    expect(registerButton().hasAttribute('disabled')).toBe(false);
  });

  it('names the plugin that already exports a function and keeps Register disabled', async () => {
    open();
    await screen.findByRole('dialog', { name: 'Functions of comp' });
    addName('echo3');
    expect(screen.getByTestId('register-problems').textContent).toContain(
      '“echo3” is already exported by the function plugin echo2.',
    );
    expect(registerButton().hasAttribute('disabled')).toBe(true);
  });

  it('names the portable plugin that already provides a function, in both languages', async () => {
    open();
    await screen.findByRole('dialog', { name: 'Functions of comp' });
    addName('echo');
    expect(screen.getByTestId('register-problems').textContent).toContain(
      '“echo” is already provided by the portable plugin mirror',
    );
    expect(registerButton().hasAttribute('disabled')).toBe(true);
  });

  it('says which portable plugin has the name in Chinese too', async () => {
    open('zh-CN');
    await screen.findByRole('dialog', { name: 'comp 的函数' });
    const input = screen.getByRole('combobox', { name: '函数名' });
    fireEvent.change(input, { target: { value: 'echo' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByTestId('register-problems').textContent).toContain('已由 Portable 插件 mirror 提供');
  });

  it('explains an invalid function name', async () => {
    open();
    await screen.findByRole('dialog', { name: 'Functions of comp' });
    addName('add.one');
    expect(screen.getByTestId('register-problems').textContent).toContain(
      '“add.one” is not a valid function name',
    );
    expect(registerButton().hasAttribute('disabled')).toBe(true);
  });

  it('asks for at least one function when the list is cleared', async () => {
    open();
    await screen.findByRole('dialog', { name: 'Functions of comp' });
    const input = screen.getByRole('combobox', { name: 'Function names' });
    fireEvent.keyDown(input, { key: 'Backspace' });
    expect(screen.getByTestId('register-problems').textContent).toContain('List at least one function.');
    expect(registerButton().hasAttribute('disabled')).toBe(true);
  });

  it('closes on the first Escape from the names field', async () => {
    const onClose = vi.fn();
    renderWithProviders(
      <RegisterFunctionsDialog plugin={comp} plugins={PLUGINS} onClose={onClose} onRegistered={vi.fn()} />,
    );
    await screen.findByRole('dialog', { name: 'Functions of comp' });
    const input = screen.getByRole('combobox', { name: 'Function names' });
    fireEvent.focus(input);
    fireEvent.click(input);
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('speaks Chinese', async () => {
    open('zh-CN');
    expect(await screen.findByRole('dialog', { name: 'comp 的函数' })).toBeTruthy();
  });
});
