import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The host's answer to an upload. */
export interface UploadResponse {
  status: number;
  body: string;
}

/**
 * POSTs a file as `multipart/form-data` (one file field) with the body streamed from disk: the preamble,
 * the file in 1 MiB reads, the closing boundary. Content-Length is computed up front, so nothing is buffered
 * and the request is not chunked — the client holds at most a couple of chunks however big the file is.
 */
export async function uploadMultipart(url: string, field: string, filePath: string): Promise<UploadResponse> {
  const boundary = `----ekuiper-bench-${randomBytes(12).toString('hex')}`;
  const preamble = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="${field}"; filename="${basename(filePath)}"\r\n` +
      `Content-Type: application/zip\r\n\r\n`,
  );
  const closing = Buffer.from(`\r\n--${boundary}--\r\n`);
  const fileBytes = (await stat(filePath)).size;
  async function* body(): AsyncGenerator<Buffer> {
    yield preamble;
    for await (const chunk of createReadStream(filePath, { highWaterMark: 1024 * 1024 }))
      yield chunk as Buffer;
    yield closing;
  }
  const target = new URL(url);
  const request = http.request({
    method: 'POST',
    hostname: target.hostname,
    port: target.port,
    path: target.pathname,
    agent: false,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(preamble.length + fileBytes + closing.length),
    },
  });
  const responded = new Promise<UploadResponse>((resolvePromise, reject) => {
    request.once('response', (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolvePromise({ status: response.statusCode ?? 0, body: text }));
      response.on('error', reject);
    });
    request.once('error', reject);
  });
  // An early answer (an error) may cut the upload short; the answer is what matters then.
  const sending = pipeline(Readable.from(body()), request).catch((error: unknown) => error);
  const response = await responded;
  await sending;
  return response;
}
