import type { AuthRequest } from '../../strategies/auth-strategy.js';

/** The `@signature-params` of an RFC 9421 signature. Times in epoch seconds. */
export interface SignatureParams {
  created: number;
  expires?: number;
  nonce?: string;
  keyid: string;
  alg?: string;
}

/**
 * The value of one covered component (RFC 9421 §2.1, §2.2) for a request. Header fields
 * come from `headers`, which holds the request's headers plus those being added.
 *
 * @throws {TypeError} An unknown derived component, or a header field the request lacks.
 */
export function componentValue(name: string, req: AuthRequest, headers: Headers): string {
  const { url } = req;
  switch (name) {
    case '@method':
      return req.method.toUpperCase();
    case '@target-uri':
      return url.href;
    case '@authority':
      return url.host;
    case '@scheme':
      return url.protocol.slice(0, -1);
    case '@request-target':
      return `${url.pathname}${url.search}`;
    case '@path':
      return url.pathname || '/';
    case '@query':
      return url.search || '?';
  }
  if (name.startsWith('@')) throw new TypeError(`unsupported derived component "${name}"`);
  const value =
    headers.get(name) ?? (name === 'content-length' && req.body ? String(req.body.length) : null);
  if (value === null)
    throw new TypeError(`covered component "${name}" is missing from the request`);
  return value.trim();
}

/** Serialises `("c1" "c2");created=…;keyid="…"` as RFC 9421 §2.3 and RFC 8941 define it. */
export function serializeSignatureParams(
  components: readonly string[],
  params: SignatureParams,
): string {
  let value = `(${components.map(sfString).join(' ')});created=${params.created}`;
  if (params.expires !== undefined) value += `;expires=${params.expires}`;
  if (params.nonce !== undefined) value += `;nonce=${sfString(params.nonce)}`;
  value += `;keyid=${sfString(params.keyid)}`;
  if (params.alg !== undefined) value += `;alg=${sfString(params.alg)}`;
  return value;
}

/** The signature base (RFC 9421 §2.5): one line per component, then `@signature-params`. */
export function signatureBase(
  components: readonly string[],
  serializedParams: string,
  req: AuthRequest,
  headers: Headers,
): string {
  const lines = components.map(
    (name) => `${sfString(name)}: ${componentValue(name, req, headers)}`,
  );
  lines.push(`"@signature-params": ${serializedParams}`);
  return lines.join('\n');
}

/** An RFC 8941 string: printable ASCII with `\` and `"` escaped. */
export function sfString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value))
    throw new TypeError('signature parameters must be printable ASCII');
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}
