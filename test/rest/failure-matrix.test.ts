import { copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { uniqueName, writeNodePluginZip } from '../support/node-plugin-bundle.js';
import {
  expectError,
  expectErrorStarting,
  expectJson,
  expectText,
  failsWithoutChange,
  testZip,
  writeZip,
  zipFolder,
  EMPTY_ZIP_MESSAGE,
} from './rest-helpers.js';

// Reference §2.5, row by row, for native and portable routes. One host: every request here fails, and
// each checks that it changed nothing.

let t: TestHost;
let zips: string;
const PORTABLE = uniqueName('fm');
beforeAll(async () => {
  t = await startTestHost();
  zips = await zipFolder();
  expect(
    (await t.request('POST', '/plugins/sources', { name: 'random3', file: testZip('sources/random3.zip') }))
      .status,
  ).toBe(201);
  expect(
    (await t.request('POST', '/plugins/functions', { name: 'echo2', file: testZip('functions/echo2.zip') }))
      .status,
  ).toBe(201);
  // An installed portable plugin to collide with: the Node test plugin (installs start the process).
  const portable = await writeNodePluginZip(zips, {
    name: PORTABLE,
    functions: { [`${PORTABLE}fn`]: 'echo' },
  });
  expect(
    (await t.request('POST', '/plugins/portables', { name: PORTABLE, file: fileUrl(portable) })).status,
  ).toBe(201);
});
afterAll(async () => {
  await t.close();
  await rm(zips, { recursive: true, force: true });
});

describe('duplicate name', () => {
  test('native: … create command error: invalid name X: duplicate', async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sources', { name: 'random3', file: testZip('sources/random3.zip') }),
    );
    expectError(response, 400, 'sources plugins create command error: invalid name random3: duplicate');
  });

  test('native: the duplicate check comes before the download', async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/functions', { name: 'echo2', file: fileUrl('/nowhere/echo2.zip') }),
    );
    expectError(response, 400, 'functions plugins create command error: invalid name echo2: duplicate');
  });

  test('native: the same name in another kind is no duplicate', async () => {
    const zip = await writeZip(zips, 'random3-sink.zip', [{ name: 'random3.so', data: 'sink' }]);
    expectText(
      await t.request('POST', '/plugins/sinks', { name: 'random3', file: fileUrl(zip) }),
      201,
      'sinks plugin random3 is created',
    );
    expect((await t.request('DELETE', '/plugins/sinks/random3')).status).toBe(200);
  });

  test('portable: same text', async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/portables', { name: PORTABLE, file: testZip('portables/mirror.zip') }),
    );
    expectError(response, 400, `portable plugin create command error: invalid name ${PORTABLE}: duplicate`);
  });
});

describe('invalid names: ValidateID texts with no prefix, on every native route', () => {
  const NAMES: Array<[string, string]> = [
    [' lead', "id ' lead' contains leading or trailing whitespace"],
    ['trail ', "id 'trail ' contains leading or trailing whitespace"],
    ['a.b', "id 'a.b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"],
    [
      'in valid',
      "id 'in valid' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    ],
    // Go's %q keeps <>& and printable non-ASCII literally.
    [
      'a<b>&c',
      "id 'a<b>&c' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    ],
    [
      'naïve',
      "id 'naïve' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    ],
  ];
  const body = (name: string) => ({ name, file: testZip('sources/random3.zip') });

  test.each(NAMES)('POST body name %j', async (name, message) => {
    for (const kind of ['sources', 'sinks', 'functions']) {
      expectError(
        await failsWithoutChange(t, () => t.request('POST', `/plugins/${kind}`, body(name))),
        400,
        message,
      );
    }
  });

  test.each(NAMES)('{name} routes with %j', async (name, message) => {
    const path = encodeURIComponent(name);
    const routes: Array<[string, string, unknown]> = [
      ['GET', `/plugins/sources/${path}`, undefined],
      ['DELETE', `/plugins/sinks/${path}`, undefined],
      ['PUT', `/plugins/functions/${path}`, body(name)],
      ['POST', `/plugins/functions/${path}/register`, { functions: ['f'] }],
      ['GET', `/plugins/udfs/${path}`, undefined],
    ];
    for (const [method, url, sent] of routes) {
      const response = await failsWithoutChange(t, () => t.request(method, url, sent));
      expectError(response, 400, message);
    }
  });

  test('an empty body name, or a body of null: id cannot be empty', async () => {
    for (const sent of [{ name: '', file: testZip('sources/random3.zip') }, 'null', '{}']) {
      const response = await failsWithoutChange(t, () => t.request('POST', '/plugins/sinks', sent));
      expectError(response, 400, 'id cannot be empty');
    }
  });

  test('the URL name is checked before the body is decoded (PUT, register)', async () => {
    expectError(
      await failsWithoutChange(t, () => t.request('PUT', '/plugins/sources/a.b', '')),
      400,
      "id 'a.b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
    expectError(
      await failsWithoutChange(t, () => t.request('POST', '/plugins/functions/a.b/register', '{')),
      400,
      "id 'a.b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
  });

  test("a PUT body name with ../ (eKuiper: 'path escapes from parent') is refused; the old plugin stays", async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('PUT', '/plugins/sources/random3', {
        name: '../../evil',
        file: testZip('sources/random3.zip'),
      }),
    );
    expectError(
      response,
      400,
      "id '../../evil' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
  });

  test('the name is checked before the uri', async () => {
    expectError(
      await failsWithoutChange(t, () => t.request('POST', '/plugins/sources', { name: 'a b', file: 'x' })),
      400,
      "id 'a b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
  });

  test('portable: an empty or blank name is refused with eKuiper text', async () => {
    for (const name of ['', '  ']) {
      const response = await failsWithoutChange(t, () =>
        t.request('POST', '/plugins/portables', { name, file: testZip('portables/mirror.zip') }),
      );
      expectError(
        response,
        400,
        `portable plugin create command error: invalid name ${name}: should not be empty`,
      );
    }
  });

  test('portable: names that are not safe folder names are refused (eKuiper does not check them)', async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/portables', { name: '../x', file: testZip('portables/mirror.zip') }),
    );
    expectError(
      response,
      400,
      "portable plugin create command error: id '../x' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
  });
});

describe('invalid uri', () => {
  const URIS = [
    'not a url',
    'not a url.zip',
    'random3.zip',
    'sources/random3.zip',
    '/abs/path/random3.zip',
    `${testZip('sources/random3.zip')}.tar`,
    testZip('sources/random3.zip').replace(/\.zip$/, '.ZIP'),
    'ftp://example.com/random3.zip',
    'file://host/random3.zip',
    'file://localhost/tmp/random3.zip',
    'http://example.com/random3.zip?query=1',
    'http://example.com/random3.zip#top',
    'http:///random3.zip',
    'https:/random3.zip',
    'mailto:someone.zip',
    '',
  ];
  test.each(URIS)('native %j', async (file) => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sources', { name: 'random9', file }),
    );
    expectError(response, 400, `sources plugins create command error: invalid uri ${file}`);
  });
  test.each(URIS)('portable %j', async (file) => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/portables', { name: 'p9', file }),
    );
    expectError(response, 400, `portable plugin create command error: invalid uri ${file}`);
  });
  test('native PUT checks the uri too, and keeps the old plugin', async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('PUT', '/plugins/sources/random3', { name: 'random3', file: 'ftp://h/random3.zip' }),
    );
    expectError(response, 400, 'sources plugins create command error: invalid uri ftp://h/random3.zip');
  });
});

describe('file:// sources', () => {
  test('missing: stat <p>: no such file or directory', async () => {
    const missing = join(zips, 'missing.zip');
    for (const [path, prefix] of [
      ['/plugins/sinks', 'sinks plugins create command error'],
      ['/plugins/portables', 'portable plugin create command error'],
    ] as const) {
      const response = await failsWithoutChange(t, () =>
        t.request('POST', path, { name: 'missing', file: fileUrl(missing) }),
      );
      expectError(
        response,
        400,
        `${prefix}: fail to download file ${fileUrl(missing)}: stat ${missing}: no such file or directory`,
      );
    }
  });

  test('a directory: <p> is not a regular file', async () => {
    const folder = join(zips, 'folder.zip');
    await mkdir(folder, { recursive: true });
    for (const [path, prefix] of [
      ['/plugins/sinks', 'sinks plugins create command error'],
      ['/plugins/portables', 'portable plugin create command error'],
    ] as const) {
      const response = await failsWithoutChange(t, () =>
        t.request('POST', path, { name: 'folder', file: fileUrl(folder) }),
      );
      expectError(
        response,
        400,
        `${prefix}: fail to download file ${fileUrl(folder)}: ${folder} is not a regular file`,
      );
    }
  });

  test('percent-encoded paths are decoded', async () => {
    const spaced = join(zips, 'with space.zip');
    await copyFile(join(TEST_ZIPS, 'sinks/file2.zip'), spaced);
    const url = `file://${spaced.replace(/ /g, '%20')}`;
    expectText(
      await t.request('POST', '/plugins/sinks', { name: 'file2', file: url }),
      201,
      'sinks plugin file2 is created',
    );
    expect((await t.request('DELETE', '/plugins/sinks/file2')).status).toBe(200);
  });

  test('not a zip: zip: not a valid zip file (portable)', async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/portables', { name: 'bad', file: testZip('sources/invalidZip.zip') }),
    );
    expectError(
      response,
      400,
      `portable plugin create command error: fail to install plugin: ${EMPTY_ZIP_MESSAGE}`,
    );
  });
});

describe('allowExternalFileAccess = false', () => {
  test('only files under data/uploads may be installed', async () => {
    const guarded = await startTestHost({ allowExternalFileAccess: false });
    try {
      const uploads = join(guarded.dataDir, 'data', 'uploads');
      const outside = join(TEST_ZIPS, 'sources/random3.zip');
      for (const [path, prefix] of [
        ['/plugins/sources', 'sources plugins create command error'],
        ['/plugins/portables', 'portable plugin create command error'],
      ] as const) {
        const response = await failsWithoutChange(guarded, () =>
          guarded.request('POST', path, { name: 'random3', file: fileUrl(outside) }),
        );
        expectError(
          response,
          400,
          `${prefix}: fail to download file ${fileUrl(outside)}: file access denied: path must be under ${uploads}: ` +
            'the allowExternalFileAccess setting is off, so plugins install only from files in the uploads ' +
            'folder. Upload the zip from the window (or copy it into that folder), or turn on ' +
            'allowExternalFileAccess on the Settings page',
        );
      }
      // `..` cannot climb out of uploads: the URL is normalised before the check.
      const climbing = `file://${uploads}/../../../../${outside}`;
      const climbed = await failsWithoutChange(guarded, () =>
        guarded.request('POST', '/plugins/sources', { name: 'random3', file: climbing }),
      );
      expectErrorStarting(
        climbed,
        400,
        'sources plugins create command error: fail to download file ',
        'file access denied: path must be under',
      );
      // A prefix of the uploads path is not inside it.
      await mkdir(`${uploads}-evil`, { recursive: true });
      await copyFile(outside, `${uploads}-evil/random3.zip`);
      const sibling = await failsWithoutChange(guarded, () =>
        guarded.request('POST', '/plugins/sources', {
          name: 'random3',
          file: fileUrl(`${uploads}-evil/random3.zip`),
        }),
      );
      expectErrorStarting(
        sibling,
        400,
        'sources plugins create command error: fail to download file ',
        'file access denied',
      );

      // Nor does a link inside uploads that leads out of it (eKuiper opens through os.OpenRoot).
      await symlink(outside, join(uploads, 'link.zip'));
      const linked = await failsWithoutChange(guarded, () =>
        guarded.request('POST', '/plugins/sources', {
          name: 'random3',
          file: fileUrl(join(uploads, 'link.zip')),
        }),
      );
      expectError(
        linked,
        400,
        `sources plugins create command error: fail to download file ${fileUrl(join(uploads, 'link.zip'))}: ` +
          'openat link.zip: path escapes from parent',
      );
      await rm(join(uploads, 'link.zip'));

      await copyFile(outside, join(uploads, 'random3.zip'));
      expectText(
        await guarded.request('POST', '/plugins/sources', {
          name: 'random3',
          file: fileUrl(join(uploads, 'random3.zip')),
        }),
        201,
        'sources plugin random3 is created',
      );
    } finally {
      await guarded.close();
    }
  });
});

describe('unknown plugins', () => {
  test.each(['sources', 'sinks', 'functions'])(
    '%s: describe, delete and update are 404/1002',
    async (kind) => {
      expectError(
        await failsWithoutChange(t, () => t.request('GET', `/plugins/${kind}/nope`)),
        404,
        `describe ${kind} plugin nope error: not found`,
      );
      expectError(
        await failsWithoutChange(t, () => t.request('DELETE', `/plugins/${kind}/nope`)),
        404,
        `delete ${kind} plugin nope error: invalid name nope: not exist`,
      );
      expectError(
        await failsWithoutChange(t, () =>
          t.request('PUT', `/plugins/${kind}/nope`, { name: 'nope', file: testZip('sources/random3.zip') }),
        ),
        404,
        `update ${kind} plugin nope error, cannot delete old version: invalid name nope: not exist`,
      );
    },
  );

  test('a plugin of another kind is unknown here', async () => {
    expectError(
      await t.request('GET', '/plugins/sinks/random3'),
      404,
      'describe sinks plugin random3 error: not found',
    );
  });

  test('portable: describe 404/1002, delete 404/1002 (eKuiper answers 400)', async () => {
    expectError(
      await failsWithoutChange(t, () => t.request('GET', '/plugins/portables/nope')),
      404,
      'describe portable plugin nope error: not found',
    );
    expectError(
      await failsWithoutChange(t, () => t.request('DELETE', '/plugins/portables/nope')),
      404,
      'delete portable plugin nope error: portable plugin nope is not found',
    );
  });

  test('udfs: describe of an unknown function is 404/1002', async () => {
    expectError(await t.request('GET', '/plugins/udfs/nope'), 404, 'describe function nope error: not found');
  });

  test('the fixtures are still all there', async () => {
    expectJson(await t.request('GET', '/plugins/sources'), '["random3"]');
    expectJson(await t.request('GET', '/plugins/functions'), '["echo2"]');
    expect((await t.request('GET', `/plugins/portables/${PORTABLE}`)).status).toBe(200);
  });
});
