import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headingAnchors, headingSlug } from '../src/heading-anchors.ts';
import { brokenLinks, repoRoot, repositoryUrl, trackedTree } from '../src/link-check.ts';
import { markdownLinks } from '../src/markdown-links.ts';

describe('markdownLinks', () => {
  it('finds inline links, images, reference definitions and HTML links, with their lines', () => {
    const markdown = [
      'See [the guide](docs/guide.md#setup "title") and ![logo](img/logo.png).',
      'A link over [two',
      'lines](../other.md).',
      '[ref]: https://example.com/page',
      '<a href="LICENSE">licence</a> <img src="./pic.svg">',
    ].join('\n');
    expect(markdownLinks(markdown)).toEqual([
      { target: 'docs/guide.md#setup', line: 1 },
      { target: 'img/logo.png', line: 1 },
      { target: '../other.md', line: 3 },
      { target: 'https://example.com/page', line: 4 },
      { target: 'LICENSE', line: 5 },
      { target: './pic.svg', line: 5 },
    ]);
  });

  it('ignores what is in fenced code blocks and inline code', () => {
    const markdown = [
      'Text `[not](a-link.md)` here.',
      '```ts',
      'logger.info([a](b));',
      '```',
      '~~~',
      '[no](link.md)',
      '~~~',
      '[yes](link.md)',
    ].join('\n');
    expect(markdownLinks(markdown)).toEqual([{ target: 'link.md', line: 8 }]);
  });
});

describe('headingAnchors', () => {
  it('slugs headings the way GitHub does', () => {
    expect(headingSlug('node-fetch 2 and 3')).toBe('node-fetch-2-and-3');
    expect(headingSlug('DPoP: sender-constrained tokens')).toBe('dpop-sender-constrained-tokens');
    expect(headingSlug('Origin scoping, hop by hop')).toBe('origin-scoping-hop-by-hop');
    expect(headingSlug('`undici.request`')).toBe('undicirequest');
    expect(headingSlug('[Links](x.md) and <b>tags</b>')).toBe('links-and-tags');
    expect(headingSlug('snake_case stays')).toBe('snake_case-stays');
  });

  it('numbers repeated headings, takes HTML anchors, and skips # lines in code', () => {
    const markdown = [
      '# Title',
      '## Usage',
      '```sh',
      '# not a heading',
      '```',
      '## Usage',
      '### Closed ###',
      '<a id="custom"></a>',
    ].join('\n');
    expect([...headingAnchors(markdown)]).toEqual([
      'title',
      'usage',
      'usage-1',
      'closed',
      'custom',
    ]);
  });
});

describe('brokenLinks on a sample repository', () => {
  it('reports missing files and anchors, absolute and file: paths, and paths leaving the repository', async () => {
    const { mkdtemp, mkdir, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { execFileSync } = await import('node:child_process');
    const dir = await mkdtemp(join(tmpdir(), 'auth-links-'));
    const repo = 'https://github.com/o/r';
    await mkdir(join(dir, 'docs'));
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ repository: { url: `git+${repo}.git` } }),
    );
    await writeFile(join(dir, 'README.md'), '# Top\n## Install today\n');
    await writeFile(
      join(dir, 'docs/a.md'),
      [
        '# A',
        '[ok](../README.md#install-today) [ok](#a) [ok](..) [ok](https://example.com/x)',
        `[ok](${repo}#install-today) [ok](${repo}/blob/main/docs/a.md#a) [ok](${repo}/tree/main/docs)`,
        '[bad](missing.md) [bad](../README.md#nope) [bad](/etc/passwd) [bad](file:///tmp/x)',
        `[bad](../../outside.md) [bad](${repo}/blob/main/gone.md) [bad](${repo}#nope) [bad](../node_modules)`,
      ].join('\n'),
    );
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '.'], { cwd: dir });
    expect(
      brokenLinks(dir).map(({ line, target, problem }) => `${line} ${target}: ${problem}`),
    ).toEqual([
      '4 missing.md: docs/missing.md is not a tracked file or folder',
      '4 ../README.md#nope: no heading or anchor "nope" in README.md',
      '4 /etc/passwd: a local path outside the repository (absolute or file:)',
      '4 file:///tmp/x: a local path outside the repository (absolute or file:)',
      '5 ../../outside.md: leaves the repository',
      `5 ${repo}/blob/main/gone.md: gone.md is not a tracked file or folder`,
      `5 ${repo}#nope: no heading or anchor "nope" in README.md`,
      '5 ../node_modules: node_modules is not a tracked file or folder',
    ]);
  });
});

describe('the links of this repository', () => {
  it('every link in every tracked Markdown file resolves inside the repository', () => {
    const broken = brokenLinks(repoRoot).map(
      ({ file, line, target, problem }) => `${file}:${line} ${target}: ${problem}`,
    );
    expect(broken.join('\n')).toBe('');
  });

  it('every published package.json points at this repository, its folder, homepage and issues', () => {
    const repo = repositoryUrl(repoRoot);
    const manifests = [...trackedTree(repoRoot).files].filter((file) =>
      /^packages\/[^/]+\/package\.json$/.test(file),
    );
    const published = manifests
      .map((file) => ({ file, json: JSON.parse(readFileSync(join(repoRoot, file), 'utf8')) }))
      .filter(({ json }) => !json.private);
    expect(published.length).toBeGreaterThan(0);
    for (const { file, json } of published) {
      const folder = file.replace(/\/package\.json$/, '');
      expect({
        file,
        repository: json.repository,
        homepage: json.homepage,
        bugs: json.bugs,
      }).toEqual({
        file,
        repository: { type: 'git', url: `git+${repo}.git`, directory: folder },
        homepage: `${repo}/tree/main/${folder}#readme`,
        bugs: { url: `${repo}/issues` },
      });
    }
  });
});
