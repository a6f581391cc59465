import type { AuthRequest, AuthStrategy } from '@auth/core';

/**
 * A strategy whose credentials the protected API refuses and which cannot renew them,
 * recording the request objects it is given by `authenticate` and by `onUnauthorized`.
 */
export function refusedStrategy(): {
  auth: AuthStrategy;
  authenticated: AuthRequest[];
  refused: AuthRequest[];
} {
  const authenticated: AuthRequest[] = [];
  const refused: AuthRequest[] = [];
  const auth: AuthStrategy = {
    authenticate: (request) => {
      authenticated.push(request);
      return { Authorization: 'Bearer dead' };
    },
    onUnauthorized: async ({ request }) => {
      refused.push(request);
      return false;
    },
  };
  return { auth, authenticated, refused };
}
