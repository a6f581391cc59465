/** A page as a browser got it. */
export interface Page {
  url: URL;
  status: number;
  html: string;
}

/** A form on a page: where it posts and its hidden fields. */
export interface Form {
  action: URL;
  fields: Record<string, string>;
}

/**
 * Plays a browser with plain HTTP: keeps cookies by hand, follows redirects within the
 * provider's origin, and stops at a redirect to anywhere else (a client's callback).
 */
export class Browser {
  readonly #origin: string;
  readonly #cookies = new Map<string, string>();

  constructor(issuer: string) {
    this.#origin = new URL(issuer).origin;
  }

  /** Opens `url` (GET, or POST with `form`) and follows the provider's redirects. */
  async open(url: string | URL, form?: Record<string, string>): Promise<Page> {
    let target = new URL(url);
    let body = form ? new URLSearchParams(form) : undefined;
    for (let hop = 0; hop < 20; hop++) {
      const response = await fetch(target, {
        method: body ? 'POST' : 'GET',
        body,
        redirect: 'manual',
        headers: {
          accept: 'text/html',
          cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        },
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
      const location = response.headers.get('location');
      if (!location) return { url: target, status: response.status, html: await response.text() };
      await response.body?.cancel();
      target = new URL(location, target);
      body = undefined;
      if (target.origin !== this.#origin) return { url: target, status: response.status, html: '' };
    }
    throw new Error(`more than 20 redirects from ${url}`);
  }

  /** Fills in and submits the form on `page` (the one whose action contains `actionPart`, if given). */
  submit(page: Page, values: Record<string, string>, actionPart = ''): Promise<Page> {
    const form = formsOf(page).find((candidate) => candidate.action.href.includes(actionPart));
    if (!form) throw new Error(`no form posting to *${actionPart}* on ${page.url}:\n${page.html}`);
    return this.open(form.action, { ...form.fields, ...values });
  }
}

/** The forms of a page, with their hidden fields, read with regular expressions. */
function formsOf(page: Page): Form[] {
  return [...page.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(
    ([, attributes, inner]) => {
      const action = /action="([^"]*)"/.exec(attributes ?? '')?.[1] ?? page.url.href;
      const fields: Record<string, string> = {};
      for (const [input] of (inner ?? '').matchAll(/<input\b[^>]*>/g)) {
        if (!/type="hidden"/.test(input)) continue;
        const name = /name="([^"]*)"/.exec(input)?.[1];
        if (name) fields[name] = /value="([^"]*)"/.exec(input)?.[1] ?? '';
      }
      return { action: new URL(action.replaceAll('&amp;', '&'), page.url), fields };
    },
  );
}
