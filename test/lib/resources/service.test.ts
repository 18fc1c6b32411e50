import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('service');

registerGoldens(test, 'service');

test.run();
