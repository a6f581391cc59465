import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { headingAnchors } from './heading-anchors.ts';
import { markdownLinks } from './markdown-links.ts';

/** The repository root. */
export const repoRoot = resolve(import.meta.dirname, '../..');

/** A link that does not resolve, as `file:line target: why`. */
export interface BrokenLink {
  /** The Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the link. */
  line: number;
  /** The destination as written. */
  target: string;
  /** What is wrong with it. */
  problem: string;
}

/** The repository's files as git tracks them, and the folders that hold them. */
export interface TrackedTree {
  /** Tracked files, relative to the root, with `/` separators. */
  files: Set<string>;
  /** Folders holding at least one tracked file (the root is `''`). */
  folders: Set<string>;
}

/**
 * The files git tracks under `root` (what a fresh clone has) and their folders.
 *
 * @param root - A git work tree.
 * @returns The tracked tree.
 */
export function trackedTree(root: string): TrackedTree {
  const output = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
  const files = new Set(output.split('\0').filter(Boolean));
  const folders = new Set<string>(['']);
  for (const file of files) {
    for (let dir = posix.dirname(file); dir !== '.'; dir = posix.dirname(dir)) folders.add(dir);
  }
  return { files, folders };
}

/**
 * The repository's web address from the root package.json's `repository.url`
 * (`git+https://github.com/o/r.git` → `https://github.com/o/r`): links to it are links into
 * the repository and are resolved like relative ones.
 *
 * @param root - The repository root.
 * @returns The address, without a trailing slash.
 */
export function repositoryUrl(root: string): string {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const url: unknown = manifest.repository?.url;
  if (typeof url !== 'string') throw new TypeError('the root package.json has no repository.url');
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

/**
 * Where a link leads inside the repository: a path relative to the root and an anchor, or
 * `external` for a web address outside the repository, or a problem for a local path that
 * leaves it (an absolute path, `file:`, `../` past the root).
 */
function locate(
  from: string,
  target: string,
  repoUrl: string,
): { path: string; anchor: string } | 'external' | { problem: string } {
  let rest = target;
  const inRepo = /^\/(?:blob|tree)\/main\//;
  if (rest.startsWith(`${repoUrl}/`) && inRepo.test(rest.slice(repoUrl.length))) {
    rest = rest.slice(repoUrl.length).replace(inRepo, '/');
  } else if (rest === repoUrl || rest.startsWith(`${repoUrl}#`)) {
    rest = `/README.md${rest.slice(repoUrl.length)}`;
  } else if (/^(?:https?|mailto):/i.test(rest)) {
    return 'external';
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(rest) || rest.startsWith('/') || rest.startsWith('\\')) {
    return { problem: 'a local path outside the repository (absolute or file:)' };
  } else if (rest.startsWith('#')) {
    return { path: from, anchor: decodeURIComponent(rest.slice(1)) };
  }
  const hash = rest.indexOf('#');
  const anchor = hash === -1 ? '' : decodeURIComponent(rest.slice(hash + 1));
  const pathPart = decodeURIComponent((hash === -1 ? rest : rest.slice(0, hash)).split('?')[0]!);
  const path = pathPart.startsWith('/')
    ? posix.normalize(pathPart.slice(1))
    : posix.normalize(posix.join(posix.dirname(from), pathPart));
  if (path === '..' || path.startsWith('../')) {
    return { problem: 'leaves the repository' };
  }
  return { path: path.replace(/\/$/, '').replace(/^\.$/, ''), anchor };
}

/**
 * Checks every link of every tracked Markdown file: a relative link (or one to this
 * repository's web address) must lead to a tracked file or a folder with tracked files, and
 * its `#anchor` to a heading of the Markdown file it names; no link may lead to a local path
 * outside the repository. Web addresses elsewhere are not fetched.
 *
 * @param root - The repository root (a git work tree).
 * @returns The links that do not resolve; empty when all do.
 */
export function brokenLinks(root: string): BrokenLink[] {
  const tree = trackedTree(root);
  const repoUrl = repositoryUrl(root);
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    let found = anchorsOf.get(file);
    if (!found) {
      found = headingAnchors(readFileSync(join(root, file), 'utf8'));
      anchorsOf.set(file, found);
    }
    return found;
  };
  const broken: BrokenLink[] = [];
  for (const file of [...tree.files].filter((name) => name.endsWith('.md')).sort()) {
    for (const { target, line } of markdownLinks(readFileSync(join(root, file), 'utf8'))) {
      const where = locate(file, target, repoUrl);
      if (where === 'external') continue;
      const report = (problem: string) => broken.push({ file, line, target, problem });
      if ('problem' in where) {
        report(where.problem);
      } else if (tree.files.has(where.path)) {
        if (where.anchor && where.path.endsWith('.md') && !anchors(where.path).has(where.anchor)) {
          report(`no heading or anchor "${where.anchor}" in ${where.path}`);
        }
      } else if (!tree.folders.has(where.path)) {
        report(`${where.path || '.'} is not a tracked file or folder`);
      } else if (where.anchor) {
        const readme = where.path ? `${where.path}/README.md` : 'README.md';
        if (!tree.files.has(readme) || !anchors(readme).has(where.anchor)) {
          report(`no heading or anchor "${where.anchor}" in ${readme}`);
        }
      }
    }
  }
  return broken;
}
