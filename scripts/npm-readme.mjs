// The tarball's README is the package's (js/README.md), not the repository's: npm always packs the
// README.md at the package root, so `prepack` puts js/README.md there and `postpack` puts the
// repository's back. `swap` is idempotent (the repository's copy is kept in target/ until restored).
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readme = join(root, 'README.md');
const packageReadme = join(root, 'js/README.md');
const kept = join(root, 'target/npm-readme/README.repository.md');

const command = process.argv[2];
if (command === 'swap') {
  if (!existsSync(kept)) {
    mkdirSync(dirname(kept), { recursive: true });
    copyFileSync(readme, kept);
  }
  copyFileSync(packageReadme, readme);
} else if (command === 'restore') {
  if (existsSync(kept)) {
    copyFileSync(kept, readme);
    rmSync(kept);
  }
  if (readFileSync(readme, 'utf8') === readFileSync(packageReadme, 'utf8')) {
    throw new Error('npm-readme: README.md is the package README and no repository copy is kept; restore it with git checkout README.md');
  }
} else {
  throw new Error('usage: node scripts/npm-readme.mjs swap|restore');
}
