import { suite } from 'uvu';
import { registerGoldens } from './golden.js';

const test = suite('nftables');

registerGoldens(test, 'nftables');

test.run();
