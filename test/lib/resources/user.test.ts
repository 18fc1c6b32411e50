import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('user');

registerGoldens(test, 'user');

test.run();
