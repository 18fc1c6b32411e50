import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('sysctl');

registerGoldens(test, 'sysctl');

test.run();
