import { z } from 'zod';
import { defineKind } from './define.js';
import type { Templatable } from './define.js';
import { absolutePath, cidr, exactlyOne, fileMode, port } from './common.js';

const policy = z.enum(['accept', 'drop']);

const rule = (v: Templatable) =>
  z
    .strictObject({
      proto: v(z.enum(['tcp', 'udp'])).default('tcp'),
      ports: v(z.array(v(port)).min(1)),
      /** Source addresses; an enabled rule with an empty list would admit nobody, so it is refused. */
      from: v(z.array(v(cidr))),
      /** false leaves the rule out (for example `"{{ gateway_remote }}"`). */
      enabled: v(z.boolean()).default(true),
      comment: z.string().optional(),
    })
    .superRefine((value, ctx) => {
      if (value.enabled === true && Array.isArray(value.from) && value.from.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: 'an enabled rule needs at least one source address (CIDR); an empty list would admit nobody' });
      }
    });

/**
 * The structured form: `table inet NAME` with an input chain (loopback, established/related,
 * invalid dropped, ICMP echo and ICMPv6 neighbour discovery, then `rules`), forward and output.
 */
const structured = (v: Templatable) =>
  z.strictObject({
    name: v(z.string().regex(/^[A-Za-z0-9_]+$/)).default('kafclaw'),
    input_policy: v(policy).default('drop'),
    forward_policy: v(policy).default('drop'),
    output_policy: v(policy).default('accept'),
    allow_loopback: v(z.boolean()).default(true),
    allow_established: v(z.boolean()).default(true),
    drop_invalid: v(z.boolean()).default(true),
    allow_icmp: v(z.boolean()).default(true),
    rules: v(z.array(rule(v))).default([]),
  });

/**
 * `/etc/nftables.conf` from `ruleset` (nft text, checked with `nft -c`) or `table` (structured).
 * Only our table is replaced; other tables on the host are left alone. Applied with lockout protection.
 */
export const nftablesKind = defineKind('nftables', (v) =>
  z
    .strictObject({
      path: v(absolutePath).default('/etc/nftables.conf'),
      mode: v(fileMode).prefault('0640'),
      ruleset: z.string().min(1).optional(),
      table: structured(v).optional(),
    })
    .superRefine(exactlyOne(['ruleset', 'table'])),
);
export type NftablesParams = z.output<typeof nftablesKind.params>;
