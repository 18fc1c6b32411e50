import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('authorized_keys');

registerGoldens(test, 'authorized_keys');

test.run();
