export { CodemieSignInPage } from './SignInPage';
