import { createPrivateKey } from 'node:crypto';
import { SignJWT, importPKCS8, type CryptoKey } from 'jose';
import { hostMessage } from '../../../shared/host-messages.js';
import { errorText } from '../../plugins/plugin-error.js';
import { ServerAuthError, missingSecret, type ServerAuthorizer } from './auth-types.js';

/** eKuiper checks that `aud` contains exactly this (case-sensitive). */
export const EKUIPER_AUDIENCE = 'eKuiper';
/** How long a minted token lives: short, since the app can always mint another. */
export const EKUIPER_TOKEN_LIFETIME_S = 5 * 60;
/** A token is minted anew this long before it would expire, so none expires on its way to the server. */
const RENEW_BEFORE_S = 60;
/**
 * `iat` is set this far in the past: eKuiper 1.x (golang-jwt v4) refuses a token "used before issued" when the
 * server's clock is behind this computer's, and v2 ignores `iat`.
 */
const CLOCK_SKEW_S = 60;
const ALGORITHM = 'RS256';

/** PKCS#8 (`BEGIN ENCRYPTED PRIVATE KEY`) and PKCS#1 (`Proc-Type: 4,ENCRYPTED`) keys locked with a passphrase. */
const ENCRYPTED_PEM = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/;
const PASSPHRASE_PROBLEM = hostMessage('keyPassphrase');

/** The openssl command the messages point to: eKuiper's own etc/mgmt README uses it. */
const GENRSA = 'openssl genrsa -out ekuiper-jwt.key 2048';

/**
 * Reads an RSA private key in PEM (PKCS#8 `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`, as openssl
 * genrsa writes it) into a key jose signs with. Node reads both forms; jose's importPKCS8 then takes the PKCS#8
 * form and checks the key suits RS256 (2048 bits or more). Throws a ServerAuthError saying what to do instead.
 */
export async function importRsaPrivateKey(pem: string): Promise<CryptoKey> {
  if (ENCRYPTED_PEM.test(pem)) throw new ServerAuthError(PASSPHRASE_PROBLEM);
  let pkcs8: string;
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'rsa') {
      throw new ServerAuthError(
        key.asymmetricKeyType === 'ec'
          ? hostMessage('keyIsEc', { command: GENRSA })
          : hostMessage('keyNotRsa', { type: key.asymmetricKeyType ?? 'non-RSA', command: GENRSA }),
      );
    }
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) {
      throw new ServerAuthError(hostMessage('keyTooShort', { bits, command: GENRSA }));
    }
    pkcs8 = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (error) {
    if (error instanceof ServerAuthError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE') {
      throw new ServerAuthError(PASSPHRASE_PROBLEM);
    }
    throw new ServerAuthError(
      hostMessage('keyUnreadable', { reason: readableCryptoError(error), command: GENRSA }),
    );
  }
  try {
    return await importPKCS8(pkcs8, ALGORITHM);
  } catch (error) {
    throw new ServerAuthError(hostMessage('keyUnusable', { algorithm: ALGORITHM, reason: errorText(error) }));
  }
}

/** OpenSSL's messages carry a routine prefix (`error:1E08010C:DECODER routines::unsupported`); keep the words. */
function readableCryptoError(error: unknown): string {
  const text = errorText(error);
  const words = /routines::?(.+)$/.exec(text)?.[1];
  return (words ?? text).trim();
}

/** What is wrong with a private key for eKuiper's JWT, in words for the form; undefined when it signs tokens. */
export async function rsaPrivateKeyProblem(pem: string): Promise<string | undefined> {
  try {
    await importRsaPrivateKey(pem);
    return undefined;
  } catch (error) {
    return errorText(error);
  }
}

/**
 * eKuiper's own JWT auth: a short-lived RS256 token, `iss` = the public key's file name in the server's
 * etc/mgmt (eKuiper finds the key by it), `aud` = eKuiper, sent **raw** in `Authorization` (eKuiper has no
 * `Bearer` handling: a prefixed token fails as malformed). One token is cached and re-minted shortly before it
 * expires; concurrent requests share one signing.
 */
export function ekuiperJwtAuthorizer(
  issuer: string,
  privateKey: string | undefined,
  now: () => number = Date.now,
): ServerAuthorizer {
  let key: Promise<CryptoKey> | undefined;
  let cached: { token: string; renewAt: number } | undefined;
  let minting: Promise<string> | undefined;

  const mint = async (): Promise<string> => {
    if (privateKey === undefined || privateKey === '') throw missingSecret('private key');
    key ??= importRsaPrivateKey(privateKey);
    const seconds = Math.floor(now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience([EKUIPER_AUDIENCE])
      .setIssuedAt(seconds - CLOCK_SKEW_S)
      .setExpirationTime(seconds + EKUIPER_TOKEN_LIFETIME_S)
      .sign(await key);
    cached = { token, renewAt: (seconds + EKUIPER_TOKEN_LIFETIME_S - RENEW_BEFORE_S) * 1000 };
    return token;
  };

  return {
    authorization() {
      if (cached !== undefined && now() < cached.renewAt) return Promise.resolve(cached.token);
      minting ??= mint().finally(() => {
        minting = undefined;
      });
      return minting;
    },
    role: () => undefined,
    secretValues: () => (cached === undefined ? [] : [cached.token]),
    missing: () => (privateKey === undefined || privateKey === '' ? missingSecret('private key') : undefined),
  };
}
