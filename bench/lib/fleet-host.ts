/**
 * A host that knows remote servers, for the fleet benchmark: `node --import tsx bench/lib/fleet-host.ts
 * '{"dataDir":…,"servers":[{"id":…,"url":…}]}'`. The built `serve.js` learns servers from the server registry,
 * which this benchmark does not depend on: it hands the host the same small directory the tests use.
 */
import { startHost } from '../../main/host/host.js';
import { defaultSettings, staticSettings } from '../../main/settings/host-settings.js';
import { TestDirectory } from '../../test/support/server-stand-ins.js';

interface FleetHostArgs {
  dataDir: string;
  servers: Array<{ id: string; url: string }>;
}

const args = JSON.parse(process.argv[2] ?? '{}') as FleetHostArgs;
const directory = new TestDirectory();
for (const server of args.servers) directory.add(server.id, server.url);
const host = await startHost({
  settings: staticSettings({ ...defaultSettings(args.dataDir), restPort: 0 }),
  servers: directory,
});
directory.localUrl = host.url;
const stop = async (): Promise<void> => {
  await host.close();
  await directory.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
console.log(`eKuiper Extension Manager host listening on ${host.url} (fleet benchmark)`);
