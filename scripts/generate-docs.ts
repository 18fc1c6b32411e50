import { writeFileSync } from 'node:fs';
import { CHECKS } from '../checks/index.js';
import { renderCatalogDoc } from '../checks/catalog-doc.js';

writeFileSync(new URL('../docs/checks.md', import.meta.url), renderCatalogDoc(CHECKS));
console.log(`docs/checks.md: ${CHECKS.length} checks`);
