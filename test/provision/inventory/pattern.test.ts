import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseInventory } from '../../../provision/inventory/load.js';
import { selectHosts, selectPlayHosts, HostPatternError } from '../../../provision/inventory/pattern.js';

const inventory = parseInventory(
  `all:
  hosts:
    bastion:
  children:
    web:
      hosts: { web1: , web2: , web3: }
      children:
        web_eu:
          hosts: { web2: , db-eu1: }
    db:
      hosts: { db1: , db-eu1: }
    staging:
      hosts: { web3: , db1: }
`,
  'inv.yml',
);

const select = (pattern: string) => selectHosts(inventory, pattern);

test('all, *, a host, a group (with its children), in inventory order', () => {
  assert.equal(select('all'), ['bastion', 'web1', 'web2', 'web3', 'db-eu1', 'db1']);
  assert.equal(select('*'), select('all'));
  assert.equal(select('web1'), ['web1']);
  assert.equal(select('web'), ['web1', 'web2', 'web3', 'db-eu1']);
  assert.equal(select('web_eu'), ['web2', 'db-eu1']);
  assert.equal(select('ungrouped'), ['bastion']);
});

test('globs over host and group names', () => {
  assert.equal(select('web*'), ['web1', 'web2', 'web3', 'db-eu1']);
  assert.equal(select('db-*'), ['db-eu1']);
  assert.equal(select('web?'), ['web1', 'web2', 'web3']);
  assert.equal(select('nothing*'), []);
});

test('unions, intersections and exclusions, with : or ,', () => {
  assert.equal(select('web1:db1'), ['web1', 'db1']);
  assert.equal(select('web1,db1'), ['web1', 'db1']);
  assert.equal(select('web:&staging'), ['web3']);
  assert.equal(select('web:!web_eu'), ['web1', 'web3']);
  assert.equal(select('all:!staging:!bastion'), ['web1', 'web2', 'db-eu1']);
  assert.equal(select('db:web:&staging:!web3'), ['db1']);
  // order of terms does not matter: exclusions and intersections apply after unions
  assert.equal(select('!web_eu:web'), ['web1', 'web3']);
  // only exclusions: start from all hosts
  assert.equal(select('!web'), ['bastion', 'db1']);
});

test('a name that is neither host nor group is an error, not an empty selection', () => {
  assert.throws(() => select('webb'), (error: unknown) => error instanceof HostPatternError && /"webb" is neither a host nor a group in inv.yml; known groups: all, web, web_eu, db, staging, ungrouped/.test((error as Error).message));
  assert.throws(() => select('web:!dbb'), (error: unknown) => error instanceof HostPatternError);
  assert.throws(() => select(' : '), (error: unknown) => error instanceof HostPatternError && /empty/.test((error as Error).message));
});

test('selectPlayHosts narrows a play by --limit', () => {
  assert.equal(selectPlayHosts(inventory, 'web', 'staging'), ['web3']);
  assert.equal(selectPlayHosts(inventory, 'web', 'db*'), ['db-eu1']);
  assert.equal(selectPlayHosts(inventory, 'all'), select('all'));
});

test.run();
