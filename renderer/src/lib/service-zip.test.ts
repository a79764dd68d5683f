import { zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { inspectServiceZip } from './service-zip';

const text = (value: string) => new TextEncoder().encode(value);
const json = (value: unknown) => text(JSON.stringify(value));

const HW_PROTO = `syntax = "proto3";
package ekuiper;
import "google/api/annotations.proto";
service Greeter {
  rpc SayHello (HelloRequest) returns (HelloReply) { option (google.api.http) = { post: "/hello" body: "*" }; }
  rpc Compute (ComputeRequest) returns (HelloReply) {}
}
message HelloRequest { string name = 1; }
message ComputeRequest { int64 a = 1; double b = 2; string op = 3; }
message HelloReply { string message = 1; }
`;

/** eKuiper's sample: a proto REST interface with an alias, and a schemaless one. */
function sample(files: Zippable = {}): Uint8Array {
  return zipSync({
    'sample.json': json({
      about: { description: { en_US: 'Sample', zh_CN: '示例' } },
      interfaces: {
        tsrest: {
          address: 'http://localhost:51234',
          protocol: 'rest',
          schemaType: 'protobuf',
          schemaFile: 'hw.proto',
          functions: [{ name: 'helloFromRest', serviceName: 'SayHello' }],
          options: { headers: { Accept: 'application/json' } },
        },
        tsschemaless: { address: 'http://localhost:51234', protocol: 'rest', schemaless: true },
      },
    }),
    'schemas/': new Uint8Array(),
    'schemas/hw.proto': text(HW_PROTO),
    ...files,
  });
}

const codes = (bytes: Uint8Array, name?: string) =>
  inspectServiceZip(bytes, name).problems.map((p) => p.code);

describe('inspectServiceZip', () => {
  it('reads a good zip: interfaces, aliases applied, request fields in order', () => {
    const inspection = inspectServiceZip(sample(), undefined, { fileName: 'whatever.zip' });
    expect(inspection.suggestedName).toBe('sample');
    expect(inspection.descriptorEntry).toBe('sample.json');
    expect(inspection.problems).toEqual([]);
    const [rest, schemaless] = inspection.interfaces;
    expect(rest).toMatchObject({
      name: 'tsrest',
      protocol: 'rest',
      schemaFile: 'hw.proto',
      schemaless: false,
    });
    expect(rest!.functions).toEqual([
      { name: 'helloFromRest', rpc: 'SayHello', fields: ['name'] },
      { name: 'Compute', rpc: 'Compute', fields: ['a', 'b', 'op'] },
    ]);
    expect(schemaless!.functions).toEqual([{ name: 'tsschemaless', rpc: 'tsschemaless', fields: undefined }]);
  });

  it('finds <name>.json in any case at the root, as eKuiper does, but not inside a folder', () => {
    const upper = zipSync({
      'Svc.JSON': json({
        interfaces: { svc: { address: 'http://h:1', protocol: 'rest', schemaless: true } },
      }),
    });
    expect(inspectServiceZip(upper, 'svc').problems).toEqual([]);
    const nested = zipSync({ 'svc/svc.json': json({ interfaces: {} }) });
    const inspection = inspectServiceZip(nested, 'svc');
    expect(inspection.problems).toEqual([{ code: 'noDescriptor', values: { file: 'svc.json', found: '' } }]);
  });

  it('names the descriptor it found when the name does not match', () => {
    expect(inspectServiceZip(sample(), 'other').problems).toEqual([
      { code: 'noDescriptor', values: { file: 'other.json', found: 'sample.json' } },
    ]);
  });

  it('applies eKuiper’s name rule before anything else', () => {
    const inspection = inspectServiceZip(sample(), 'bad name');
    expect(inspection.nameProblem).toBe(
      "id 'bad name' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
  });

  it('explains a descriptor that is not JSON or declares no interfaces', () => {
    expect(codes(zipSync({ 's.json': text('{"interfaces": ') }), 's')).toEqual(['descriptorJson']);
    expect(codes(zipSync({ 's.json': json({ interfaces: {} }) }), 's')).toEqual(['noInterfaces']);
    expect(codes(zipSync({ 's.json': json([1]) }), 's')).toEqual(['noInterfaces']);
  });

  it('checks each interface’s protocol, address and schema rules', () => {
    const bytes = zipSync({
      's.json': json({
        interfaces: {
          a: { address: 'nowhere', protocol: 'soap', schemaless: true },
          b: { address: 'tcp://h:1', protocol: 'grpc', schemaless: true, schemaFile: 'x.proto' },
          c: { address: 'http://h:1', protocol: 'rest', schemaType: 'json', schemaFile: 'c.proto' },
          d: { address: 'http://h:1', protocol: 'rest', schemaType: 'protobuf' },
        },
      }),
    });
    expect(inspectServiceZip(bytes, 's').problems).toEqual([
      { code: 'protocol', values: { iface: 'a', protocol: 'soap' } },
      { code: 'address', values: { iface: 'a', address: 'nowhere' } },
      { code: 'schemalessNotRest', values: { iface: 'a' } },
      { code: 'schemalessNotRest', values: { iface: 'b' } },
      { code: 'schemalessWithFile', values: { iface: 'b', file: 'x.proto' } },
      { code: 'schemaType', values: { iface: 'c', type: 'json' } },
      { code: 'schemaMissing', values: { iface: 'c', file: 'schemas/c.proto' } },
      { code: 'noSchemaFile', values: { iface: 'd' } },
    ]);
  });

  it('needs the schema file under schemas/, parsing, with its imports in the zip (google/* come with the server)', () => {
    const atRoot = zipSync({
      'sample.json': unzipDescriptor(),
      'hw.proto': text(HW_PROTO),
    });
    expect(codes(atRoot, 'sample')).toEqual(['schemaMissing']);
    expect(codes(sample({ 'schemas/hw.proto': text('syntax = "proto3"; message {') }), 'sample')).toEqual([
      'protoSyntax',
    ]);
    const importing = sample({ 'schemas/hw.proto': text(`${HW_PROTO}\nimport "common/types.proto";\n`) });
    expect(inspectServiceZip(importing, 'sample').problems).toEqual([
      { code: 'importMissing', values: { file: 'schemas/hw.proto', path: 'schemas/common/types.proto' } },
    ]);
  });

  it('resolves request messages imported from another proto in the zip', () => {
    const bytes = sample({
      'schemas/hw.proto': text(
        'syntax = "proto3"; import "types.proto"; service G { rpc Add (t.Pair) returns (t.Pair) {} }',
      ),
      'schemas/types.proto': text(
        'syntax = "proto3"; package t; message Pair { int32 left = 1; int32 right = 2; }',
      ),
    });
    const inspection = inspectServiceZip(bytes, 'sample');
    expect(inspection.problems).toEqual([]);
    expect(inspection.interfaces[0]!.functions).toEqual([
      { name: 'Add', rpc: 'Add', fields: ['left', 'right'] },
    ]);
  });

  it('says why a file that is not a zip cannot be read, and suggests a name from the file', () => {
    const inspection = inspectServiceZip(text('not a zip at all'), undefined, { fileName: 'my service.zip' });
    expect(inspection.suggestedName).toBe('my_service');
    expect(inspection.problems.map((p) => p.code)).toEqual(['archive']);
    expect(inspection.problems[0]!.values.message).toMatch(/zip/);
  });

  it('refuses a path that leaves the services folder, with the host’s own words', () => {
    const bytes = zipSync({
      's.json': json({ interfaces: { s: { address: 'http://h:1', protocol: 'rest', schemaless: true } } }),
      '../evil.txt': text('x'),
    });
    const problems = inspectServiceZip(bytes, 's').problems;
    expect(problems.map((p) => p.code)).toEqual(['archive']);
  });
});

function unzipDescriptor(): Uint8Array {
  return json({
    interfaces: {
      tsrest: {
        address: 'http://localhost:51234',
        protocol: 'rest',
        schemaType: 'protobuf',
        schemaFile: 'hw.proto',
      },
    },
  });
}
