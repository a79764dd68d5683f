import { safeStorage } from 'electron';
import {
  fileSecretStore,
  plainSealer,
  type SealedSecret,
  type SecretSealer,
  type SecretStore,
} from '../servers/secret-store.js';

/** Opens secrets sealed by safeStorage, or undefined when this machine's keychain cannot (another user, a new OS). */
function openSealed(sealed: SealedSecret): string | undefined {
  if ('plain' in sealed) return sealed.plain;
  try {
    return safeStorage.decryptString(Buffer.from(sealed.safeStorage, 'base64'));
  } catch {
    return undefined;
  }
}

/** Seals each secret with Electron's safeStorage (the OS keychain: Keychain, DPAPI, libsecret or kwallet). */
const safeStorageSealer: SecretSealer = {
  description: "encrypted with the operating system's keychain (Electron safeStorage)",
  seal: (secret) => ({ safeStorage: safeStorage.encryptString(secret).toString('base64') }),
  open: openSealed,
};

/** Linux without a keyring: Electron still "encrypts", but with a key written in its own source code. */
function weakBackend(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    return safeStorage.getSelectedStorageBackend() === 'basic_text';
  } catch {
    return false;
  }
}

/**
 * The desktop app's secret store: `server-secrets.json` as the headless host lays it out, each secret encrypted
 * with safeStorage where the platform can; otherwise the headless host's plain file readable only by the user,
 * said once in the log. Secrets written plainly before are still read (and sealed when next written). Call it
 * after the app is ready: safeStorage answers only then.
 */
export function safeStorageSecretStore(path: string, log: (message: string) => void): SecretStore {
  const available = safeStorage.isEncryptionAvailable();
  if (!available) {
    log(
      'server secrets: this system offers no keychain to Electron (safeStorage), so tokens, private keys and ' +
        `passwords are kept unencrypted in ${path}, readable only by your user account`,
    );
  } else if (weakBackend()) {
    log(
      'server secrets: no keyring (GNOME Keyring or KWallet) answered, so safeStorage encrypts with a fixed ' +
        `key; ${path} is also readable only by your user account`,
    );
  }
  // Without a keychain nothing sealed can be opened; plain secrets still can.
  return fileSecretStore(path, { log, sealer: available ? safeStorageSealer : plainSealer });
}
