import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type LoopbackServer, listenOnLoopback } from '@auth/testing/http';
import { build } from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Where Debian's `chromium` package puts the browser; `CHROMIUM_PATH` overrides it. */
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** A headless Chromium with one page open on the served flow. */
export interface BrowserHarness {
  /** The page, its `authFlow` global loaded (see `flow/browser.mjs`). */
  readonly page: Page;
  /** The origin the page was loaded from. */
  readonly pageOrigin: string;
  /** Closes the browser and the page's server. */
  close(): Promise<void>;
}

/**
 * Bundles `flow/browser.mjs` (the shared flow and `browser/flow.ts`) with the packages for the
 * browser (ESM, ES2022, the packages' `browser` and `import` conditions), as a site's bundler
 * would.
 *
 * @returns The bundle's source.
 * @throws {Error} esbuild's errors: an import the browser cannot satisfy (a `node:` module, say).
 */
export async function bundleBrowserFlow(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../flow/browser.mjs', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/**
 * Starts headless Chromium on a page served from 127.0.0.1 that has loaded the bundled flow
 * as `globalThis.authFlow`.
 *
 * @returns The harness; `close()` it after the tests.
 * @throws {Error} Chromium is not installed (the message says how to install it).
 */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  const executablePath = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install it with "apt-get install -y chromium" (Debian), or set CHROMIUM_PATH to a Chromium or Chrome binary`,
    );
  }
  const bundle = await bundleBrowserFlow();
  const site = await servePage(bundle);
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      // Root in a container has no user namespace for Chromium's sandbox.
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await page.waitForFunction('globalThis.authFlow !== undefined || globalThis.flowFailed');
    if (errors.length > 0)
      throw new Error(`the page failed to load the flow: ${errors.join('; ')}`);
    const opened = browser;
    return {
      page,
      pageOrigin: site.url,
      async close() {
        await opened.close();
        await site.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await site.close();
    throw error;
  }
}

/** Serves `/` (a page that imports the flow) and `/flow.js` (the bundle). */
function servePage(bundle: string): Promise<LoopbackServer> {
  const html = `<!doctype html><meta charset="utf-8"><title>auth flow</title>
<script type="module">
  import('/flow.js').then(
    (flow) => { globalThis.authFlow = flow; },
    (error) => { globalThis.flowFailed = true; throw error; },
  );
</script>`;
  return listenOnLoopback((req, res) => {
    if (req.url === '/flow.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(bundle);
      return;
    }
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html);
      return;
    }
    res.writeHead(404).end();
  });
}
