export { CodemieTextField } from './CodemieTextField';
export { validateEnvironmentIsFree, validateConfirmedName } from './validators';
