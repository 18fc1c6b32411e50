/** A `*.conf` drop-in file name from a playbook name, with or without the suffix. */
export function dropInName(name: string, what: string): string {
  const full = name.endsWith('.conf') ? name : `${name}.conf`;
  if (!/^[A-Za-z0-9_-]+\.conf$/.test(full)) throw new Error(`${what} drop-in name "${name}": use letters, digits, _ and - (".conf" is added)`);
  return full;
}
