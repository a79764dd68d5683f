import { X509Certificate } from 'node:crypto';
import { hostMessage } from '../../shared/host-messages.js';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Why a CA certificate given for a server cannot be used, or undefined when every certificate in it reads. Node's
 * TLS quietly skips a CA it cannot parse, so a damaged paste would only show later as "signed by a CA this
 * computer does not know" — the very thing the user just tried to fix. Checked when the server is saved instead.
 */
export function caCertificateProblem(pem: string): string | undefined {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return blocks.length === 1
        ? hostMessage('serverCaCertDamaged')
        : hostMessage('serverCaCertNDamaged', { n: String(index + 1), count: String(blocks.length) });
    }
  }
  return undefined;
}
