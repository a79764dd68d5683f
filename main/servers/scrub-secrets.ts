/** What a secret becomes in text the host answers or logs. */
export const SECRET_MASK = '•••';

/**
 * `text` with every secret value in it replaced by `•••`. Text quoted from a server (its error message, a login
 * refusal) can hold the credentials the host sent it — a proxy or a broken server that echoes the request's
 * `Authorization` — and the host must never answer or log them. Longer secrets go first, so `Bearer <token>` is
 * masked whole rather than leaving its scheme around a masked token.
 */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const values = secrets
    .filter((secret): secret is string => secret !== undefined && secret !== '')
    .sort((a, b) => b.length - a.length);
  return values.reduce((out, secret) => out.split(secret).join(SECRET_MASK), text);
}
