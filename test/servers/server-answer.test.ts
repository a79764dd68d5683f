import { describe, expect, test } from 'vitest';
import { answerMessageOf } from '../../main/servers/server-answer.js';

/** An answer as the server client gives it: its status, and masking of the credentials this request carried. */
const answer = (status: number, secret = 'tok-123') => ({
  status,
  scrub: (text: string) => text.split(secret).join('•••'),
});

describe("a server's own words for its answer", () => {
  test("eKuiper's error JSON gives its message", () => {
    expect(answerMessageOf(answer(400), '{"error":1000,"message":"invalid name"}\n')).toBe('invalid name');
  });

  test('a string error (NeuronEX, proxies) gives that string, not the raw JSON', () => {
    expect(answerMessageOf(answer(403), '{"error":"permission denied"}')).toBe('permission denied');
  });

  test('plain text as it is; an empty body its status line', () => {
    expect(answerMessageOf(answer(401), 'missing_token')).toBe('missing_token');
    expect(answerMessageOf(answer(502), '')).toBe('502 Bad Gateway');
  });

  test('the credentials sent are masked, also when escaped inside JSON', () => {
    expect(answerMessageOf(answer(401), '{"message":"token \\u0074ok-123 refused"}')).toBe(
      'token ••• refused',
    );
    expect(answerMessageOf(answer(401), 'token tok-123 refused')).toBe('token ••• refused');
  });
});
