import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import { depthExceeds, translateBodyParserError } from './json-body';

describe('depthExceeds', () => {
  const nest = (levels: number): unknown => {
    let value: unknown = 'leaf';
    for (let level = 0; level < levels; level++) value = level % 2 ? [value] : { value };
    return value;
  };

  it('accepts up to the limit and refuses beyond it', () => {
    expect(depthExceeds(nest(32), 32)).toBe(false);
    expect(depthExceeds(nest(33), 32)).toBe(true);
  });

  it('handles scalars and an absent body', () => {
    expect(depthExceeds(undefined, 32)).toBe(false);
    expect(depthExceeds('text', 32)).toBe(false);
  });

  it('survives a hostile depth without overflowing the stack', () => {
    expect(depthExceeds(nest(200_000), 32)).toBe(true);
  });
});

describe('translateBodyParserError', () => {
  it('turns a parse failure into 400 MALFORMED_JSON and an oversize body into 413 PAYLOAD_TOO_LARGE', () => {
    const parse = translateBodyParserError({ type: 'entity.parse.failed', status: 400 }, 1_024);
    const large = translateBodyParserError({ type: 'entity.too.large', status: 413 }, 1_024);

    expect(parse).toBeInstanceOf(BadRequestException);
    expect((parse as BadRequestException).getResponse()).toMatchObject({ code: 'MALFORMED_JSON' });
    expect(large).toBeInstanceOf(PayloadTooLargeException);
    expect((large as PayloadTooLargeException).getResponse()).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is over the limit of 1024 bytes',
    });
  });

  it('passes other errors on unchanged', () => {
    const other = new Error('socket hang up');

    expect(translateBodyParserError(other, 1_024)).toBe(other);
  });
});
