import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { RootErrorBoundary } from './components/error-boundary';
import { I18nProvider } from './i18n/i18n';
import { SessionProvider } from './session/session';
import './styles.css';

const root = document.getElementById('root');
if (root !== null)
  createRoot(root).render(
    <StrictMode>
      <RootErrorBoundary>
        <I18nProvider>
          <SessionProvider>
            <App />
          </SessionProvider>
        </I18nProvider>
      </RootErrorBoundary>
    </StrictMode>,
  );
