import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderNftTable } from '../../../lib/resources/nftables-render.js';
import { managedTables } from '../../../lib/resources/nftables.js';

const test = suite('nftables-render');

test('the host end state firewall: defaults, ssh from v4 and v6, a disabled gateway rule left out', () => {
  const text = renderNftTable({
    rules: [
      { ports: [22], from: ['0.0.0.0/0', '::/0'] },
      { ports: [18790, 18791], from: ['10.0.0.0/8'], enabled: false },
    ],
  });
  assert.is(
    text,
    [
      'table inet kafclaw {}',
      'delete table inet kafclaw',
      'table inet kafclaw {',
      '  chain input {',
      '    type filter hook input priority 0; policy drop;',
      '    iif lo accept',
      '    ct state established,related accept',
      '    ct state invalid drop',
      '    icmp type echo-request accept',
      '    icmpv6 type { echo-request, nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept',
      '    ip saddr { 0.0.0.0/0 } tcp dport { 22 } accept',
      '    ip6 saddr { ::/0 } tcp dport { 22 } accept',
      '  }',
      '  chain forward {',
      '    type filter hook forward priority 0; policy drop;',
      '  }',
      '  chain output {',
      '    type filter hook output priority 0; policy accept;',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  assert.equal(managedTables(text), ['inet kafclaw']);
});

test('an enabled rule with no source, a bad address or a bad port is refused; comments are sanitised', () => {
  assert.throws(() => renderNftTable({ rules: [{ ports: [22], from: [] }] }), /would admit nobody/);
  assert.throws(() => renderNftTable({ rules: [{ ports: [22], from: ['10.0.0.0/8; flush ruleset'] }] }), /not an IPv4 or IPv6/);
  assert.throws(() => renderNftTable({ rules: [{ ports: [0], from: ['::/0'] }] }), /ports/);
  assert.match(renderNftTable({ rules: [{ ports: [22], from: ['::/0'], comment: 'ssh"; drop' }] }), /comment "ssh drop"/);
});

test.run();
