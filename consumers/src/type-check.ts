import { relative } from 'node:path';
import ts from 'typescript';

/** One finding of the compiler, as `file:line:column TScode message`. */
export interface CompilerError {
  /** The file, relative to the directory checked. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** `TS` and the diagnostic code, e.g. `TS1479`. */
  code: string;
  /** The message, chains flattened. */
  message: string;
}

/**
 * Type-checks `files` under `compilerOptions` (as written in a tsconfig.json) with the
 * workspace's TypeScript, declaration files included (`skipLibCheck: false`), the way a
 * consumer's `tsc --noEmit` would.
 *
 * @param dir - The consumer project: modules resolve from its `node_modules`.
 * @param files - Absolute paths of the files to check.
 * @param compilerOptions - tsconfig.json `compilerOptions`.
 * @returns Every error, syntactic, semantic and global.
 */
export function typeCheck(
  dir: string,
  files: string[],
  compilerOptions: Record<string, unknown>,
): CompilerError[] {
  const converted = ts.convertCompilerOptionsFromJson(
    { strict: true, skipLibCheck: false, noEmit: true, ...compilerOptions },
    dir,
  );
  if (converted.errors.length) {
    throw new Error(ts.formatDiagnostics(converted.errors, formatHost(dir)));
  }
  const program = ts.createProgram(files, converted.options);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const position =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
        : { line: -1, character: -1 };
    return {
      file: diagnostic.file ? relative(dir, diagnostic.file.fileName) : '(global)',
      line: position.line + 1,
      column: position.character + 1,
      code: `TS${diagnostic.code}`,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    };
  });
}

function formatHost(dir: string): ts.FormatDiagnosticsHost {
  return {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => dir,
    getNewLine: () => '\n',
  };
}
