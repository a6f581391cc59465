import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRedactor } from './secret-redactor.js';

describe('SecretRedactor', () => {
  it('replaces a secret as sent, percent-encoded and form-encoded', () => {
    const redactor = new SecretRedactor(['a b+c/d']);
    expect(redactor.redact('x a b+c/d a%20b%2Bc%2Fd a+b%2Bc%2Fd y')).toBe(
      `x ${REDACTED} ${REDACTED} ${REDACTED} y`,
    );
  });

  it('learns the secrets of a request: secret parameters and Basic credentials, decoded too', () => {
    const redactor = new SecretRedactor();
    const basic = btoa('client:p%40ss+word');
    redactor.addRequest(
      new URLSearchParams({ password: 'hunter22', scope: 'read' }),
      `Basic ${basic}`,
    );
    const text = `hunter22 ${basic} client:p%40ss+word p@ss word read`;
    expect(redactor.redact(text)).toBe(`${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED} read`);
  });

  it('leaves secrets shorter than four characters alone rather than shredding every message', () => {
    expect(new SecretRedactor(['s']).redact('use_dpop_nonce')).toBe('use_dpop_nonce');
  });

  it('keeps registered error codes, redacts others', () => {
    const redactor = new SecretRedactor(['invalid']);
    expect(redactor.redactErrorCode('invalid_grant')).toBe('invalid_grant');
    expect(redactor.redactErrorCode('invalid_secret')).toBe(`${REDACTED}_secret`);
  });

  it('copies a library error with its message, code and cause redacted', () => {
    const error = Object.assign(new Error('bad hunter22'), {
      code: 'OAUTH_INVALID_RESPONSE',
      cause: { body: { device_code: 'hunter22', n: 1 } },
    });
    const copy = new SecretRedactor(['hunter22']).redactError(error);
    expect(copy).toMatchObject({ message: `bad ${REDACTED}`, code: 'OAUTH_INVALID_RESPONSE' });
    expect(copy.cause).toEqual({ body: { device_code: REDACTED, n: 1 } });
  });
});
