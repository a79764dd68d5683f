import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

/** A `multipart/form-data` body of one file field, read from disk each time it is opened. */
export interface MultipartFile {
  contentType: string;
  contentLength: number;
  /** The file's own size (without the multipart framing). */
  fileBytes: number;
  /** A fresh stream of the whole body; `onBytes` hears how much of the file has been read so far. */
  open(onBytes?: (bytes: number) => void): Readable;
}

/**
 * Frames a file on disk as a one-field multipart body (what eKuiper's `POST /config/uploads` takes in
 * `uploadFile`), streamed in 1 MiB reads so a 200 MB zip is never in memory, with its length known up front. The
 * boundary is fixed for the body's life, so a request sent again (after a re-login on a 401) matches the
 * Content-Type already sent; undici's `FormData` picks a new boundary each time it is encoded, which is why this
 * framing is written here rather than taken from it.
 */
export async function multipartFile(path: string, field: string, fileName: string): Promise<MultipartFile> {
  const boundary = `----ekuiper-manager-${randomBytes(12).toString('hex')}`;
  const safeName = fileName.replace(/["\r\n\\]/g, '_');
  const preamble = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="${field}"; filename="${safeName}"\r\n` +
      'Content-Type: application/zip\r\n\r\n',
  );
  const closing = Buffer.from(`\r\n--${boundary}--\r\n`);
  const fileBytes = (await stat(path)).size;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: preamble.length + fileBytes + closing.length,
    fileBytes,
    open(onBytes) {
      async function* body(): AsyncGenerator<Buffer> {
        yield preamble;
        let sent = 0;
        for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
          sent += (chunk as Buffer).length;
          onBytes?.(sent);
          yield chunk as Buffer;
        }
        yield closing;
      }
      return Readable.from(body(), { objectMode: false });
    },
  };
}
