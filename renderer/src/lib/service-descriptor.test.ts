import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  descriptorZip,
  headerProblems,
  headersObject,
  isSecretHeader,
  maskHeaderValue,
  schemalessDescriptor,
  serviceAddressProblem,
} from './service-descriptor';
import { inspectServiceZip } from './service-zip';
import { sqlCall } from './service-sql';

describe('the simple form’s address', () => {
  it.each([
    ['http://192.168.1.10:8080', undefined],
    ['https://api.example.com', undefined],
    ['http://127.0.0.1:51234/', undefined],
    ['', 'empty'],
    ['192.168.1.10:8080', 'scheme'],
    ['http://', 'notUrl'],
    ['not a url', 'scheme'],
    ['tcp://10.0.0.1:50051', 'scheme'],
    ['http://10.0.0.1:0', 'port'],
    ['http://10.0.0.1:8080/api', 'path'],
    ['http://10.0.0.1:8080?x=1', 'path'],
    ['http://user:pw@10.0.0.1:8080', 'path'],
  ])('%s → %s', (address, problem) => {
    expect(serviceAddressProblem(address)).toBe(problem);
  });
});

describe('header rows', () => {
  it('skips empty rows, refuses bad names and a name given twice in any case', () => {
    const rows = [
      { key: 'Authorization', value: 'Bearer abc' },
      { key: '', value: '' },
      { key: 'bad name', value: 'x' },
      { key: '', value: 'orphan' },
      { key: 'authorization', value: 'again' },
      { key: 'X-Line', value: 'a\nb' },
    ];
    expect(headerProblems(rows)).toEqual([
      undefined,
      undefined,
      'badName',
      'noName',
      'duplicate',
      'badValue',
    ]);
    expect(
      headersObject([
        { key: ' X-A ', value: ' 1 ' },
        { key: '', value: '' },
      ]),
    ).toEqual({ 'X-A': '1' });
  });

  it('masks secret headers, keeping the scheme word', () => {
    expect(isSecretHeader('Authorization')).toBe(true);
    expect(isSecretHeader('x-api-key')).toBe(true);
    expect(isSecretHeader('Content-Type')).toBe(false);
    expect(maskHeaderValue('Bearer eyJhbGciOi')).toBe('Bearer ••••••');
    expect(maskHeaderValue('s3cr3t')).toBe('••••••');
  });
});

describe('the schemaless descriptor', () => {
  it('is eKuiper’s schemaless REST interface named like the service, with the headers as options', () => {
    expect(
      schemalessDescriptor('ex_service', 'http://10.0.0.5:9000/', { Authorization: 'Bearer t' }),
    ).toEqual({
      interfaces: {
        ex_service: {
          address: 'http://10.0.0.5:9000',
          protocol: 'rest',
          schemaType: '',
          schemaless: true,
          options: { headers: { Authorization: 'Bearer t' } },
        },
      },
    });
    expect(schemalessDescriptor('s', 'http://h:1').interfaces.s).not.toHaveProperty('options');
  });

  it('zips to <name>.json alone, which the zip inspection accepts with one function of the same name', () => {
    const bytes = descriptorZip('ex_service', schemalessDescriptor('ex_service', 'http://10.0.0.5:9000'));
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toEqual(['ex_service.json']);
    expect(JSON.parse(new TextDecoder().decode(files['ex_service.json']))).toEqual(
      schemalessDescriptor('ex_service', 'http://10.0.0.5:9000'),
    );
    const inspection = inspectServiceZip(bytes, 'ex_service');
    expect(inspection.problems).toEqual([]);
    expect(inspection.interfaces).toEqual([
      {
        name: 'ex_service',
        protocol: 'rest',
        address: 'http://10.0.0.5:9000',
        schemaless: true,
        schemaFile: undefined,
        functions: [{ name: 'ex_service', rpc: 'ex_service', fields: undefined }],
      },
    ]);
  });
});

describe('the SQL of a function', () => {
  it('is method, path and body for schemaless, the request fields for a proto rpc', () => {
    expect(sqlCall('ex_service', { schemaless: true })).toBe(
      'ex_service("post", "/path", object_construct("a", a, "b", b))',
    );
    expect(sqlCall('helloFromRest', { schemaless: false, fields: ['name', 'user_id'] })).toBe(
      'helloFromRest(name, user_id)',
    );
    expect(sqlCall('f', { schemaless: false, fields: ['1st'] })).toBe('f(`1st`)');
    expect(sqlCall('f', { schemaless: false })).toBe('f(…)');
  });
});
