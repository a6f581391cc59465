/**
 * `authInterceptor`: the same credentials, scoping and 401 recovery as an undici
 * interceptor, for `undici.request`, undici's `fetch` and Node's global `fetch`; `mtlsFetch`:
 * a `fetch` presenting a client certificate (mutual TLS, RFC 8705).
 *
 * @module @auth/fetch/undici
 */
export { type AuthInterceptorOptions, authInterceptor } from './auth-interceptor.js';
export { type MtlsFetch, type MtlsFetchOptions, mtlsFetch, type PemInput } from './mtls-fetch.js';
