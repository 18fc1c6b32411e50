/** What every resource constructor may be given besides its own parameters. */
export interface ResourceContext {
  /** Run effects as root through the target's `sudo` option (default true; a root login needs no sudo). */
  sudo?: boolean;
  /**
   * Proves that a fresh login to the host still works (a new SSH connection, not the one in use);
   * throws or returns false when it does not. nftables needs it for its lockout protection.
   */
  proveLogin?: () => Promise<boolean | void>;
}

export function useSudo(context: ResourceContext): boolean {
  return context.sudo !== false;
}
