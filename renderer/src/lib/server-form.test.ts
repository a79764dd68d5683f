import { describe, expect, it } from 'vitest';
import { serverInfo } from '../test/servers';
import { formFromServer, hostProblems, inputFromForm, withKind } from './server-form';

const stored = serverInfo('nx', 'Line 3', {
  kind: 'neuronex',
  url: 'http://10.0.0.9:8085',
  auth: { type: 'neuronex-login', username: 'admin', passwordSet: true },
  timeoutMs: 15_000,
});

describe('inputFromForm', () => {
  it("marks each field with the host's own rule, in the window's words", () => {
    const result = inputFromForm({
      ...formFromServer(),
      url: 'ftp://x',
      authType: 'bearer',
      timeoutSeconds: 'soon',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.name).toEqual({ key: 'servers.problems.nameMissing', values: {} });
    expect(result.problems.url).toEqual({
      key: 'servers.problems.urlScheme',
      values: { example: 'http://192.168.1.10:9081' },
    });
    expect(result.problems['auth.token']?.key).toBe('servers.problems.tokenMissing');
    expect(result.problems.timeoutMs).toEqual({
      key: 'servers.problems.timeout',
      values: { min: 1, max: 600 },
    });
  });

  it('sends the timeout in milliseconds and leaves out secrets left empty on an edit (kept by the host)', () => {
    const values = { ...formFromServer(stored), timeoutSeconds: '2.5' };
    expect(values.username).toBe('admin');
    expect(values.password).toBe('');
    const result = inputFromForm(values, stored);
    expect(result).toEqual({
      ok: true,
      input: {
        name: 'Line 3',
        kind: 'neuronex',
        url: 'http://10.0.0.9:8085',
        auth: { type: 'neuronex-login', username: 'admin' },
        tls: { insecureSkipVerify: false, caCert: '' },
        timeoutMs: 2500,
      },
    });
    // A new server must have its password.
    const fresh = inputFromForm({ ...values, name: 'Line 4' });
    expect(fresh.ok || fresh.problems['auth.password']?.key).toBe('servers.problems.passwordMissing');
  });

  it('refuses a private key that is not PEM and keeps the issuer a file name', () => {
    const result = inputFromForm({
      ...formFromServer(),
      name: 'Edge',
      url: 'http://10.0.0.5:9081',
      authType: 'ekuiper-jwt',
      issuer: 'mgmt/key.pub',
      privateKey: 'not a key',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems['auth.issuer']?.key).toBe('servers.problems.issuerFolder');
    expect(result.problems['auth.privateKey']?.key).toBe('servers.problems.privateKeyPem');
  });
});

describe('withKind', () => {
  it('moves the default port and sign-in along with the kind, unless the user changed them', () => {
    const nx = withKind({ ...formFromServer(), url: 'http://10.0.0.5:9081' }, 'neuronex');
    expect(nx.url).toBe('http://10.0.0.5:8085');
    expect(nx.authType).toBe('neuronex-login');
    expect(nx.username).toBe('admin');
    const back = withKind(nx, 'ekuiper');
    expect(back.url).toBe('http://10.0.0.5:9081');
    expect(back.authType).toBe('none');
    const chosen = withKind(
      { ...formFromServer(), url: 'http://h:1234', authType: 'bearer', token: 't' },
      'neuronex',
    );
    expect(chosen.url).toBe('http://h:1234');
    expect(chosen.authType).toBe('bearer');
  });
});

describe('hostProblems', () => {
  it("splits the host's 400 into its fields", () => {
    const split = hostProblems(
      'invalid server: url: put credentials under Authentication, not in the address; auth.password: give the password',
    );
    expect(split.fields.url?.key).toBe('servers.problems.urlCredentials');
    expect(split.fields['auth.password']?.key).toBe('servers.problems.passwordMissing');
    expect(split.general).toEqual([]);
    expect(hostProblems('invalid server: the body is not JSON (an error at character 3)').general).toEqual([
      'the body is not JSON (an error at character 3)',
    ]);
  });

  it("words the host's newer rules in the window's language too", () => {
    const split = hostProblems(
      'invalid server: name: give the server a name; auth.privateKey: the private key is protected by a passphrase; give it without one (openssl rsa -in ekuiper-jwt.key -out ekuiper-jwt-plain.key)',
    );
    expect(split.fields['auth.privateKey']?.key).toBe('servers.problems.privateKeyEncrypted');
    expect(split.fields.name?.key).toBe('servers.problems.nameMissing');
    expect(split.general).toEqual([]);
  });

  it('keeps words it does not know as they are', () => {
    expect(hostProblems('invalid server: name: a server named Edge exists already').fields.name).toEqual({
      key: '',
      text: 'a server named Edge exists already',
    });
  });
});
