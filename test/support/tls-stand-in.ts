/**
 * HTTPS in front of one of our hosts, with certificates made at test time by `openssl`: a test CA, and leaves
 * signed by it — valid for 127.0.0.1 and localhost, one for another name only, one that expired in 2020.
 * Each certificate set is made once per test process (about a second) and removed when it exits.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer, forward, listenOnLoopback, type StandIn } from './stand-in-server.js';

export interface TestCertificates {
  /** The test CA's certificate, PEM: what the user pastes as the server's CA certificate. */
  caCert: string;
  /** Leaf for 127.0.0.1 and localhost. */
  valid: { cert: string; key: string };
  /** Leaf for `wrong.example` only: a name mismatch at 127.0.0.1. */
  wrongName: { cert: string; key: string };
  /** Leaf for 127.0.0.1 and localhost that expired on 2 January 2020. */
  expired: { cert: string; key: string };
}

let made: TestCertificates | undefined;

/** Runs openssl in `cwd`; `command` is split on spaces (no argument here contains one). */
function openssl(cwd: string, command: string): void {
  execFileSync('openssl', command.split(' '), { cwd, stdio: 'pipe' });
}

/** Makes (once) the test CA and its leaves with openssl. */
export function testCertificates(): TestCertificates {
  if (made !== undefined) return made;
  const dir = mkdtempSync(join(tmpdir(), 'ekm-certs-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  execFileSync(
    'openssl',
    [
      ...'req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2'.split(' '),
      ...['-subj', '/CN=eKuiper Extension Manager test CA'],
      ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    ],
    { cwd: dir, stdio: 'pipe' },
  );
  // `openssl x509` cannot backdate a certificate; `openssl ca` takes explicit dates.
  mkdirSync(join(dir, 'db'));
  writeFileSync(join(dir, 'db/index.txt'), '');
  writeFileSync(join(dir, 'db/serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    '[ ca ]\ndefault_ca = test_ca\n[ test_ca ]\ndatabase = db/index.txt\nserial = db/serial\n' +
      'new_certs_dir = db\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[ any ]\ncommonName = supplied\n',
  );
  /** A key and a certificate signed by the CA for `altNames`, valid for two days or only in January 2020. */
  const leaf = (name: string, altNames: string, validity: 'current' | 'expired') => {
    writeFileSync(
      join(dir, `${name}.ext`),
      `subjectAltName=${altNames}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
    );
    openssl(dir, `req -newkey rsa:2048 -nodes -keyout ${name}.key -out ${name}.csr -subj /CN=${name}`);
    openssl(
      dir,
      validity === 'current'
        ? `x509 -req -in ${name}.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out ${name}.pem -days 2 -extfile ${name}.ext`
        : `ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in ${name}.csr -out ${name}.pem ` +
            `-startdate 20200101000000Z -enddate 20200102000000Z -extfile ${name}.ext -notext`,
    );
    return { cert: read(`${name}.pem`), key: read(`${name}.key`) };
  };
  made = {
    caCert: read('ca.pem'),
    valid: leaf('valid', 'DNS:localhost,IP:127.0.0.1', 'current'),
    wrongName: leaf('wrong', 'DNS:wrong.example', 'current'),
    expired: leaf('expired', 'DNS:localhost,IP:127.0.0.1', 'expired'),
  };
  return made;
}

export interface TlsStandIn extends StandIn {
  /** The CA that signed the certificate, PEM. */
  caCert: string;
}

/**
 * An HTTPS front on 127.0.0.1 that forwards to `upstream` (one of our hosts), serving the chosen certificate:
 * `valid` (trusted with the CA), `wrongName` or `expired`.
 */
export async function startTlsStandIn(
  upstream: string,
  certificate: 'valid' | 'wrongName' | 'expired' = 'valid',
): Promise<TlsStandIn> {
  const certificates = testCertificates();
  const server = createServer(certificates[certificate], (request, response) =>
    forward(upstream, request.url ?? '/', request, response),
  );
  const port = await listenOnLoopback(server);
  return { url: `https://127.0.0.1:${port}`, caCert: certificates.caCert, close: () => closeServer(server) };
}
