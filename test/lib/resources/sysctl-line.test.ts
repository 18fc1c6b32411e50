import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { registerGoldens } from './golden.js';
import { setSysctlLine, valueInSysctlFile } from '../../../lib/resources/sysctl-line.js';

const test = suite('sysctl (one key)');

registerGoldens(test, 'sysctl', 'sysctl-line');

test('the value a file gives: the last assignment, slashes as dots, comments skipped', () => {
  assert.is(valueInSysctlFile('a.b = 1\n# a.b = 9\n;a.b=8\na/b=2\n', 'a.b'), '2');
  assert.is(valueInSysctlFile('-a.b = 3\n', 'a.b'), '3');
  assert.is(valueInSysctlFile('other = 1\n', 'a.b'), null);
});

test('setting a line: replaced in place once, duplicates dropped, other lines kept, appended when absent', () => {
  assert.is(setSysctlLine('# c\na.b=1\nx.y = 2\na.b = 5\n', 'a.b', '0'), '# c\na.b = 0\nx.y = 2\n');
  assert.is(setSysctlLine('', 'a.b', '0'), 'a.b = 0\n');
  assert.is(setSysctlLine('x.y = 2', 'a.b', '0 1'), 'x.y = 2\na.b = 0 1\n');
});

test.run();
