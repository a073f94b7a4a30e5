import { clientErrorAnswer } from './http-edge-errors';
import { requireSomeChange } from './validation.pipe';

describe('clientErrorAnswer', () => {
  it('given a header overflow, then 431 naming the headers and the limit', () => {
    expect(clientErrorAnswer('HPE_HEADER_OVERFLOW', 16384)).toEqual({ status: 431, message: 'request headers are larger than 16384 bytes', field: 'headers' });
  });

  it('given a request timeout, then 408', () => {
    expect(clientErrorAnswer('ERR_HTTP_REQUEST_TIMEOUT', 16384).status).toBe(408);
  });

  it.each(['HPE_INVALID_HEADER_TOKEN', 'HPE_INVALID_METHOD', undefined])('given parser error %s, then 400 naming the request', (code) => {
    expect(clientErrorAnswer(code, 16384)).toMatchObject({ status: 400, field: 'request' });
  });
});

describe('requireSomeChange', () => {
  it('given no body, an empty one or only control keys, then 400 naming the body', () => {
    for (const dto of [undefined, {}, { version: 3 }, { title: undefined }]) {
      expect(() => requireSomeChange(dto, ['version'])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'body' }));
    }
  });

  it('given one field, then it passes', () => {
    expect(() => requireSomeChange({ title: 'x', version: 1 }, ['version'])).not.toThrow();
    expect(() => requireSomeChange({ description: null })).not.toThrow();
  });
});
