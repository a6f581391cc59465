/**
 * `@auth/core/internal`: the toolbox the sibling packages (`@auth/oauth`, `@auth/fetch`,
 * `@auth/store-file`, `@auth/store-redis`) share, the way golang.org/x/oauth2's
 * `internal/` package serves `clientcredentials`, `jwt` and `google`. It is not part of the
 * API: left out of the API reference, and applications import from `@auth/core`. Its one
 * promise is to the siblings, which depend on `@auth/core` with a caret range (`^0.y.z`, which
 * on 0.x stays within one minor): a change here that an already published sibling could trip
 * on ships as a minor release of `@auth/core`, never a patch.
 *
 * @packageDocumentation
 * @internal
 */
export { abortableDelay } from './internal/abortable-delay.js';
export { type Backoff, backoffMs } from './internal/backoff.js';
export { fingerprint } from './internal/crypto/fingerprint.js';
export { fromBase64, fromBase64Text, toBase64, toBase64Url } from './internal/encoding/base64.js';
export { jwtClaims } from './internal/encoding/jwt.js';
export {
  hasControlCharacter,
  isHeaderToken,
  isHeaderValue,
  isVisibleAscii,
} from './internal/header-values.js';
export { checkedHttpUrl } from './internal/http-url.js';
export { raceSignal } from './internal/race-signal.js';
export { inspectSymbol, presence, redacted } from './internal/redaction.js';
