// Where things are, relative to the e2e/ folder (not to the shell's working directory).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the e2e/ folder. */
export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where tests leave files for humans (screenshots, server logs); ignored by git. */
export const RESULTS_DIR = path.join(E2E_DIR, 'test-results');
