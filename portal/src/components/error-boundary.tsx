import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

interface BoundaryProps {
  readonly children: ReactNode;
  readonly fallback: (error: Error, reset: () => void) => ReactNode;
}

class Boundary extends Component<BoundaryProps, { error: Error | undefined }> {
  override state: { error: Error | undefined } = { error: undefined };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The console is where a developer or support looks; the person sees the fallback.
    console.error('The portal failed to show a page', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error === undefined) return this.props.children;
    return this.props.fallback(error, () => this.setState({ error: undefined }));
  }
}

function Fallback({ error, reset }: { readonly error: Error; readonly reset: () => void }) {
  const { t } = useI18n();
  return (
    <div className="problem" role="alert">
      <p className="problem-title">
        <strong>{t('boundary.title')}</strong>
      </p>
      <p>
        {/* What the browser said, always in English. */}
        <code lang="en">{error.message}</code>
      </p>
      <p className="problem-advice">{t('boundary.advice')}</p>
      <div className="actions">
        <button type="button" className="button secondary" onClick={reset}>
          {t('action.retry')}
        </button>
        <button type="button" className="button secondary" onClick={() => window.location.assign('/')}>
          {t('boundary.home')}
        </button>
      </div>
    </div>
  );
}

/** Never a blank page: a rendering error shows what failed and a way on, in place of the broken part. */
export function ErrorBoundary({ children }: { readonly children: ReactNode }) {
  return <Boundary fallback={(error, reset) => <Fallback error={error} reset={reset} />}>{children}</Boundary>;
}

/** The outermost boundary, outside the language provider: it cannot translate, so it says it in both languages. */
export function RootErrorBoundary({ children }: { readonly children: ReactNode }) {
  return (
    <Boundary
      fallback={(error) => (
        <main className="page">
          <div className="problem" role="alert">
            <p className="problem-title">
              <strong>
                <span lang="en">The portal failed to start</span> · <span lang="zh-CN">门户无法启动</span>
              </strong>
            </p>
            <p>
              <code lang="en">{error.message}</code>
            </p>
            <p>
              <span lang="en">Reload the page; if it happens again, tell your operator.</span> · <span lang="zh-CN">请刷新页面；如再次出现，请联系运营方。</span>
            </p>
          </div>
        </main>
      )}
    >
      {children}
    </Boundary>
  );
}
