/** The lab mounts, creates network namespaces and boots containers: it needs root. */
export class LabNeedsRootError extends Error {
  constructor(action: string) {
    super(`the lab needs root to ${action}: run it as root (for example with sudo)`);
    this.name = 'LabNeedsRootError';
  }
}

export function requireRoot(action = 'run'): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) throw new LabNeedsRootError(action);
}
