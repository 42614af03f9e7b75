import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../database/project-root.js';

/** Views, partials, catalogues and static files stay in src/web (the compiled code runs from dist/). */
export const webDir = (...parts: string[]): string => join(projectRoot(), 'src/web', ...parts);

/**
 * The web layer's own folder and each feature's pages folder (`src/web/<feature>/`) that holds
 * `sub` (`views`, `i18n`): a feature's pages bring their views and messages by being there.
 */
export function webFolders(sub: string): string[] {
  const shell = webDir(sub);
  const features = readdirSync(webDir(), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== sub && existsSync(webDir(entry.name, sub)))
    .map((entry) => webDir(entry.name, sub))
    .sort();
  return [...(existsSync(shell) ? [shell] : []), ...features];
}
