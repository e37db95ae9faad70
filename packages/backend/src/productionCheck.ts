/*
 * The production settings check, imported first by index.ts so that it runs before the backend's
 * modules load: a backend missing a required setting exits at once, naming it, rather than after
 * loading every plugin (see productionSettings.ts).
 */
import {
  isProductionRun,
  missingProductionSettings,
  missingSettingsMessage,
} from './productionSettings';

if (isProductionRun({ env: process.env, argv: process.argv })) {
  const missing = missingProductionSettings(process.env);
  if (missing.length > 0) {
    // eslint-disable-next-line no-console
    console.error(missingSettingsMessage(missing));
    process.exit(1);
  }
}
