import type { ServerResponse } from 'node:http';
import type { Configuration } from 'oidc-provider';

type DeviceFlowFeature = NonNullable<NonNullable<Configuration['features']>['deviceFlow']>;

/** Escapes text for HTML element content and double-quoted attributes. */
function escapeHtml(text: unknown): string {
  return String(text).replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

/** A whole page: no script, no resource from elsewhere. */
function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}
label,input,button{display:block;width:100%;box-sizing:border-box;margin:.4rem 0}
input{padding:.5rem;font-size:1rem}button{padding:.6rem;font-size:1rem}
.error{color:#b00020}.hint{color:#555;font-size:.9rem}code{font-size:1.4rem}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`;
}

/**
 * Sends an HTML page.
 *
 * @param res - The response.
 * @param status - The HTTP status.
 * @param html - The page.
 */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(html);
}

/**
 * The sign-in form of a `login` interaction: username, password and, for users with a
 * second factor, the one-time code. Posts to the interaction itself.
 *
 * @param input - The interaction, the client asking, and who may sign in (shown as a hint).
 * @returns The page.
 */
export function loginPage(input: { uid: string; clientId: string; hint: string }): string {
  return page(
    'Sign in',
    `<p>to continue to <strong>${escapeHtml(input.clientId)}</strong></p>
<form method="post" action="/interaction/${escapeHtml(input.uid)}">
<label>Username <input name="username" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<label>One-time code (only if your account has one) <input name="totp" inputmode="numeric" autocomplete="one-time-code"></label>
<button type="submit">Sign in</button>
</form>
<p class="hint">${escapeHtml(input.hint)}</p>`,
  );
}

/**
 * The consent form of a `consent` interaction: what the client asks for, Allow or Deny.
 *
 * @param input - The interaction, the client and the scopes it asks for.
 * @returns The page.
 */
export function consentPage(input: { uid: string; clientId: string; scopes: string[] }): string {
  const scopes = input.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
  return page(
    'Allow access?',
    `<p><strong>${escapeHtml(input.clientId)}</strong> asks for:</p>
<ul>${scopes || '<li>your identity</li>'}</ul>
<form method="post" action="/interaction/${escapeHtml(input.uid)}">
<button type="submit" name="decision" value="allow" autofocus>Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

/**
 * The device flow's pages (RFC 8628 §3.3) for oidc-provider's `features.deviceFlow`: the
 * user-code form, the confirmation, and the success page. oidc-provider supplies each form
 * (with its CSRF field); these wrap it in a page with its buttons.
 */
export const DEVICE_FLOW_PAGES = {
  userCodeInputSource(ctx, form, _out, error) {
    const message = error
      ? '<p class="error">That code is not valid (wrong, used or expired). Try again.</p>'
      : '<p>Enter the code shown on your device.</p>';
    ctx.type = 'html';
    ctx.body = page(
      'Connect a device',
      `${message}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`,
    );
  },
  userCodeConfirmSource(ctx, form, client, _deviceInfo, userCode) {
    ctx.type = 'html';
    ctx.body = page(
      'Confirm the device',
      `<p><strong>${escapeHtml(client.clientId)}</strong> shows this code:</p>
<p><code>${escapeHtml(userCode)}</code></p>
<p>Continue only if it is the code on your device.</p>
${form}
<button type="submit" form="op.deviceConfirmForm" autofocus>Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>`,
    );
  },
  successSource(ctx) {
    ctx.type = 'html';
    ctx.body = page(
      'Device connected',
      `<p>You are signed in on <strong>${escapeHtml(ctx.oidc.client?.clientId)}</strong>. You can close this page and go back to your device.</p>`,
    );
  },
} satisfies Partial<DeviceFlowFeature>;

/**
 * oidc-provider's `renderError` for browsers: the error and its description, escaped.
 *
 * @param ctx - The request context.
 * @param out - The error fit to show (`error`, `error_description`).
 */
export const renderErrorPage: NonNullable<Configuration['renderError']> = (ctx, out) => {
  ctx.type = 'html';
  ctx.body = page(
    'Sign-in failed',
    Object.entries(out)
      .map(([name, value]) => `<p><strong>${escapeHtml(name)}</strong>: ${escapeHtml(value)}</p>`)
      .join('\n'),
  );
};
