export { CodemieTextField } from './CodemieTextField';
export {
  validateEnvironmentIsFree,
  validateConfirmedName,
  validateMayResize,
} from './validators';
export { CodemieEnvironmentPicker } from './CodemieEnvironmentPicker';
