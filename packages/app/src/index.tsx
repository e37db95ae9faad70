// Backstage UI's global stylesheet: the CSS baseline (no body margin, border-box sizing, the
// sans-serif body font and colours of the active theme) and the styles of the Backstage UI
// components that core-components and the scaffolder now render (the form's Back/Next buttons).
// @backstage/theme 0.7 dropped the CssBaseline that UnifiedThemeProvider used to render and asks
// apps to import this instead (its CHANGELOG, 0.7.0).
import '@backstage/ui/css/styles.css';
import ReactDOM from 'react-dom/client';
import App from './App';

ReactDOM.createRoot(document.getElementById('root')!).render(<App />);
