import { create } from 'zustand';
import type { PluginKind } from '../../../shared/plugin-dto';

/** Which plugin a dialog is about: the dialogs find the plugin itself in the loaded list. */
export interface PluginRef {
  kind: PluginKind;
  name: string;
}

interface ManageState {
  /** The plugin the Update dialog replaces. */
  updating: PluginRef | undefined;
  /** A zip to start the Update dialog with (chosen in the Create dialog for a name already installed). */
  updateFile: File | undefined;
  /** The function plugin whose function list is being edited. */
  registering: PluginRef | undefined;
  askUpdate: (plugin: PluginRef | undefined, file?: File) => void;
  askRegister: (plugin: PluginRef | undefined) => void;
}

/**
 * The open Update and Register dialogs. A store rather than page state, so the table's row actions and the
 * describe drawer open them directly without threading callbacks through the list panels.
 */
export const useManageStore = create<ManageState>()((set) => ({
  updating: undefined,
  updateFile: undefined,
  registering: undefined,
  askUpdate: (plugin, file) =>
    set({ updating: plugin && { kind: plugin.kind, name: plugin.name }, updateFile: plugin && file }),
  askRegister: (plugin) => set({ registering: plugin && { kind: plugin.kind, name: plugin.name } }),
}));

/** True while one of these dialogs is open: the window-wide drop target stays quiet then. */
export function useManageDialogOpen(): boolean {
  return useManageStore((state) => state.updating !== undefined || state.registering !== undefined);
}
