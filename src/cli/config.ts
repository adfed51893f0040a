// The CLI reads the same environment as the server, once: a bad value is one line, exit 2.
import { ConfigError, loadConfig, type Config } from '../config.js';
import { CliError, EXIT_USAGE } from './output.js';

let loaded: Config | undefined;

export function loadCliConfig(): Config {
  try {
    loaded ??= loadConfig(process.env);
    return loaded;
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT_USAGE, 'config');
    throw err;
  }
}
