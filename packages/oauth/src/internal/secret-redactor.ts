import { fromBase64Text } from '@auth/core/internal';

/** What replaces a secret in server-supplied text. */
export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are not searched for: replacing every `s` of a message would
 * only turn it into noise, and so short a value is no secret a redaction could keep.
 */
const MIN_SECRET_LENGTH = 4;

/**
 * The registered OAuth `error` codes (RFC 6749, 6750, 7009, 8628, 8693, 8707, 9449, OpenID
 * Connect): such a code is the protocol's word, not server text, and passes unredacted so
 * that callers (and a `TokenManager`) can still act on it.
 */
const REGISTERED_ERROR_CODES = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'unsupported_response_type',
  'server_error',
  'temporarily_unavailable',
  'invalid_token',
  'insufficient_scope',
  'unsupported_token_type',
  'authorization_pending',
  'slow_down',
  'expired_token',
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
  'interaction_required',
  'login_required',
  'account_selection_required',
  'consent_required',
  'invalid_request_uri',
  'invalid_request_object',
  'request_not_supported',
  'request_uri_not_supported',
  'registration_not_supported',
]);

/**
 * Form parameters whose values are secrets: client credentials, user credentials, the
 * grants' tokens and assertions, the PKCE verifier, codes, and the token being revoked.
 */
const SECRET_PARAMS = [
  'client_secret',
  'client_assertion',
  'password',
  'totp',
  'refresh_token',
  'subject_token',
  'actor_token',
  'assertion',
  'code',
  'code_verifier',
  'device_code',
  'token',
] as const;

/**
 * Removes the secrets a provider sent from text a server sends back (secrets of at least
 * four characters). Some servers echo
 * credentials in `error_description` ("client_secret X is wrong"); before such text
 * reaches an error, every secret is replaced by {@link REDACTED}, in each form a server may
 * echo it: as sent, percent-encoded, form-encoded (`+` for space), and as the Base64
 * credentials of a Basic `Authorization` header.
 */
export class SecretRedactor {
  readonly #forms = new Set<string>();

  /**
   * @param secrets - Secrets known up front (e.g. the client secret); empty ones are ignored.
   */
  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /**
   * Adds a secret and its encoded forms.
   *
   * @param secret - The secret; `undefined` or empty adds nothing.
   */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    const form = new URLSearchParams({ s: secret }).toString().slice(2);
    for (const variant of [secret, encodeURIComponent(secret), form, form.replace(/\+/g, '%20')])
      this.#forms.add(variant);
  }

  /**
   * Adds the secrets of an outgoing request: the values of its secret form parameters and the
   * credentials of its `Authorization` header (the Base64 of Basic, decoded too).
   *
   * @param body - The form body as sent.
   * @param authorization - The `Authorization` header, if any.
   */
  addRequest(body: URLSearchParams | undefined, authorization: string | null | undefined): void {
    for (const name of SECRET_PARAMS) for (const value of body?.getAll(name) ?? []) this.add(value);
    if (!authorization) return;
    const [scheme, credentials] = authorization.split(/\s+/, 2);
    this.add(credentials);
    if (scheme?.toLowerCase() !== 'basic' || !credentials) return;
    const decoded = decodedBase64(credentials);
    if (decoded === undefined) return;
    this.add(decoded);
    const colon = decoded.indexOf(':');
    if (colon < 0) return;
    const password = decoded.slice(colon + 1);
    this.add(password);
    this.add(formDecode(password));
  }

  /**
   * @param text - Text from a server.
   * @returns The text with every known secret replaced by {@link REDACTED}.
   */
  redact(text: string): string;
  redact(text: string | undefined): string | undefined;
  redact(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    // Longest first, so a secret is not half-replaced through a shorter one it contains.
    const forms = [...this.#forms].sort((a, b) => b.length - a.length);
    let result = text;
    for (const form of forms) result = result.split(form).join(REDACTED);
    return result;
  }

  /**
   * @param code - An RFC 6749 §5.2 `error` from a server.
   * @returns A registered code as it is (see {@link REGISTERED_ERROR_CODES}); anything else
   *   redacted like other server text.
   */
  redactErrorCode(code: string): string {
    return REGISTERED_ERROR_CODES.has(code) ? code : this.redact(code);
  }

  /**
   * Redacts every string inside a JSON-like value (e.g. a parsed response body).
   *
   * @param value - The value.
   * @returns A copy with every string redacted.
   */
  redactDeep(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((item) => this.redactDeep(item));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.redactDeep(item)]),
      );
    }
    return value;
  }

  /**
   * A copy of an error of a library (e.g. oauth4webapi's, whose `cause` holds the response
   * body) with its message, `code` and `cause` redacted, to pass on as a `cause`.
   *
   * @param error - The error.
   * @returns A plain `Error` holding no known secret.
   */
  redactError(error: unknown): Error {
    if (!(error instanceof Error)) return new Error(this.redact(String(error)));
    const copy = new Error(this.redact(error.message), {
      cause: error.cause === undefined ? undefined : this.redactDeep(error.cause),
    });
    copy.name = error.name;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(copy, { code });
    return copy;
  }
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The UTF-8 text of Basic credentials, or `undefined` when they are not Base64 of UTF-8. */
function decodedBase64(text: string): string | undefined {
  try {
    return fromBase64Text(text);
  } catch {
    return undefined;
  }
}
