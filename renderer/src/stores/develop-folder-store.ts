import { create } from 'zustand';

/** The last plugin folder worked on, kept for the next visit to the Develop page. */
const FOLDER_KEY = 'ekuiper-extension-manager.pack-folder';

function storedFolder(): string {
  try {
    return localStorage.getItem(FOLDER_KEY) ?? '';
  } catch {
    return '';
  }
}

interface DevelopFolderState {
  /** The plugin folder on this computer the Develop page works on: packaged, developed, just scaffolded. */
  folder: string;
  setFolder: (folder: string) => void;
}

/**
 * One plugin folder for the whole Develop page: the New plugin dialog hands over the folder it wrote, and
 * Package and Develop live work on the same one, so the path is typed (or chosen) once.
 */
export const useDevelopFolderStore = create<DevelopFolderState>((set) => ({
  folder: storedFolder(),
  setFolder: (folder) => {
    set({ folder });
    try {
      localStorage.setItem(FOLDER_KEY, folder);
    } catch {
      // Private windows may refuse storage: the folder is then only kept while the page is open.
    }
  },
}));
