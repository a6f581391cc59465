/**
 * `authInterceptor`: the same credentials, scoping and 401 recovery as an undici
 * interceptor, for `undici.request`, undici's `fetch` and Node's global `fetch`.
 *
 * @module @auth/fetch/undici
 */
export { type AuthInterceptorOptions, authInterceptor } from './auth-interceptor.js';
