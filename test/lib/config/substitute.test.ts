import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { substituteEnv, substituteString } from '../../../lib/config/index.js';

test('${NAME} is replaced only when set; keys, $VAR and malformed references stay', () => {
  const env = { A: 'alpha', EMPTY: '' };
  assert.is(substituteString('x-${A}-${EMPTY}-${UNSET}-$A-${1BAD}', env), 'x-alpha--${UNSET}-$A-${1BAD}');
  const { value, references } = substituteEnv({ '${A}': ['${A}', 1, { deep: '${A}${EMPTY}' }], n: null }, env);
  assert.equal(value, { '${A}': ['alpha', 1, { deep: 'alpha' }], n: null });
  assert.equal([...references], [['${A}[0]', ['A']], ['${A}[2].deep', ['A', 'EMPTY']]]);
});

test.run();
