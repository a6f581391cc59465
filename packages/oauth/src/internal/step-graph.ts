/** A named node with dependencies. */
export interface GraphNode {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/**
 * Checks a dependency graph: every name unique, every dependency known, no cycles.
 *
 * @param nodes - The steps.
 * @throws {TypeError} A duplicate or empty name, an unknown dependency (naming the step and
 *   the missing name), or a cycle (naming its path, e.g. `a → b → a`).
 */
export function checkStepGraph(nodes: readonly GraphNode[]): void {
  const byName = new Map<string, GraphNode>();
  for (const node of nodes) {
    if (typeof node?.name !== 'string' || node.name === '')
      throw new TypeError('every pipeline step needs a non-empty name');
    if (byName.has(node.name)) throw new TypeError(`two pipeline steps are named "${node.name}"`);
    byName.set(node.name, node);
  }
  for (const node of nodes) {
    for (const dependency of node.dependsOn) {
      if (!byName.has(dependency))
        throw new TypeError(`pipeline step "${node.name}" depends on unknown step "${dependency}"`);
    }
  }
  const done = new Set<string>();
  const visit = (name: string, path: readonly string[]): void => {
    if (done.has(name)) return;
    const at = path.indexOf(name);
    if (at >= 0) {
      const cycle = [...path.slice(at), name].join(' → ');
      throw new TypeError(`pipeline steps depend on each other in a cycle: ${cycle}`);
    }
    for (const dependency of byName.get(name)!.dependsOn) visit(dependency, [...path, name]);
    done.add(name);
  };
  for (const node of nodes) visit(node.name, []);
}
