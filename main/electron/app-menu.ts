import type { MenuItemConstructorOptions } from 'electron';
import { PLUGIN_KINDS, type PluginKind } from '../../shared/plugin-kinds.js';

/** What the menu's items do; the app wires them to dialogs, the shell and the window. */
export interface MenuActions {
  installPlugin(kind: PluginKind): void;
  openDataFolder(): void;
  reload(): void;
  toggleDevTools(): void;
  about(): void;
  openDocumentation(): void;
  quit(): void;
}

const KIND_LABELS: Record<PluginKind, string> = {
  portables: 'Portable plugin…',
  sources: 'Source plugin…',
  sinks: 'Sink plugin…',
  functions: 'Function plugin…',
};

/**
 * The application menu: install a plugin, open the data folder, reload, developer tools (development
 * builds only), about and quit. Standard edit roles stay so that copy and paste work in text fields.
 */
export function menuTemplate(
  actions: MenuActions,
  options: { isDevelopment: boolean; isMac: boolean; appName: string },
): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      {
        label: 'Install a Plugin',
        submenu: PLUGIN_KINDS.map((kind) => ({
          label: KIND_LABELS[kind],
          id: `install-${kind}`,
          ...(kind === 'portables' ? { accelerator: 'CmdOrCtrl+O' } : {}),
          click: () => actions.installPlugin(kind),
        })),
      },
      { label: 'Open Data Folder', id: 'open-data-folder', click: () => actions.openDataFolder() },
      { type: 'separator' },
      options.isMac
        ? { role: 'close' }
        : { label: 'Quit', id: 'quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { label: 'Reload', id: 'reload', accelerator: 'CmdOrCtrl+R', click: () => actions.reload() },
      ...(options.isDevelopment
        ? [
            {
              label: 'Toggle Developer Tools',
              id: 'devtools',
              accelerator: options.isMac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I',
              click: () => actions.toggleDevTools(),
            } satisfies MenuItemConstructorOptions,
          ]
        : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const about: MenuItemConstructorOptions = {
    label: `About ${options.appName}`,
    id: 'about',
    click: () => actions.about(),
  };
  const template: MenuItemConstructorOptions[] = [];
  if (options.isMac) {
    template.push({
      label: options.appName,
      submenu: [
        about,
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { label: `Quit ${options.appName}`, id: 'quit', accelerator: 'Cmd+Q', click: () => actions.quit() },
      ],
    });
  }
  template.push(file, { role: 'editMenu' }, view);
  template.push({
    role: 'help',
    submenu: [
      {
        label: "eKuiper's Plugin Documentation",
        id: 'documentation',
        click: () => actions.openDocumentation(),
      },
      ...(options.isMac ? [] : [{ type: 'separator' } as const, about]),
    ],
  });
  return template;
}
