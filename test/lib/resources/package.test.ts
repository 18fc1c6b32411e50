import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('package');

registerGoldens(test, 'package');

test.run();
