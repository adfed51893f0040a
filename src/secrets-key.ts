// Resolves SECRETS_KEY: the environment's in production (config requires it there);
// in development a key generated once into DATA_DIR, with a warning, so encrypted
// values survive restarts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import { SecretBox, secretKeyFromBase64 } from './core/secret-box.js';
import type { Logger } from './logger.js';

export function resolveSecretBox(config: Config, log: Logger): SecretBox {
  const previous = config.secretsKeyPrevious ? [secretKeyFromBase64(config.secretsKeyPrevious)] : [];
  if (config.secretsKey) return new SecretBox(secretKeyFromBase64(config.secretsKey), previous);

  const file = path.join(config.dataDir, 'secrets.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    log.warn({ file }, 'SECRETS_KEY is not set: generated a development key (set SECRETS_KEY in production)');
  } else {
    log.warn({ file }, 'SECRETS_KEY is not set: using the development key');
  }
  return new SecretBox(secretKeyFromBase64(readFileSync(file, 'utf8').trim()), previous);
}
