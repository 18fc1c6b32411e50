import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import type { Templatable } from './define.js';
import { absolutePath, cidr, exactlyOne, fileMode, port } from './common.js';

const policy = z.enum(['accept', 'drop']);

const rule = (v: Templatable) =>
  z
    .strictObject({
      proto: z._default(v(z.enum(['tcp', 'udp'])), 'tcp'),
      ports: v(z.array(v(port)).check(z.minLength(1))),
      /** Source addresses; an enabled rule with an empty list would admit nobody, so it is refused. */
      from: v(z.array(v(cidr))),
      /** false leaves the rule out (for example `"{{ gateway_remote }}"`). */
      enabled: z._default(v(z.boolean()), true),
      comment: z.optional(z.string()),
    })
    .check(
      z.superRefine((value, ctx) => {
        if (value.enabled === true && Array.isArray(value.from) && value.from.length === 0) {
          ctx.addIssue({ code: 'custom', path: ['from'], message: 'an enabled rule needs at least one source address (CIDR); an empty list would admit nobody' });
        }
      }),
    );

/**
 * The structured form: `table inet NAME` with an input chain (loopback, established/related,
 * invalid dropped, ICMP echo and ICMPv6 neighbour discovery, then `rules`), forward and output.
 */
const structured = (v: Templatable) =>
  z.strictObject({
    name: z._default(v(z.string().check(z.regex(/^[A-Za-z0-9_]+$/))), 'kafclaw'),
    input_policy: z._default(v(policy), 'drop'),
    forward_policy: z._default(v(policy), 'drop'),
    output_policy: z._default(v(policy), 'accept'),
    allow_loopback: z._default(v(z.boolean()), true),
    allow_established: z._default(v(z.boolean()), true),
    drop_invalid: z._default(v(z.boolean()), true),
    allow_icmp: z._default(v(z.boolean()), true),
    rules: z._default(v(z.array(rule(v))), []),
  });

/**
 * `/etc/nftables.conf` from `ruleset` (nft text, checked with `nft -c`) or `table` (structured).
 * Only our table is replaced; other tables on the host are left alone. Applied with lockout protection.
 */
export const nftablesKind = defineKind('nftables', (v) =>
  z
    .strictObject({
      path: z._default(v(absolutePath), '/etc/nftables.conf'),
      mode: z.prefault(v(fileMode), '0640'),
      ruleset: z.optional(z.string().check(z.minLength(1))),
      table: z.optional(structured(v)),
    })
    .check(z.superRefine(exactlyOne(['ruleset', 'table']))),
);
export type NftablesParams = z.output<typeof nftablesKind.params>;
