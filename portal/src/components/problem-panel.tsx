import type { ApiError } from '../api/client';
import { MarkedText, useI18n, type Translate } from '../i18n/i18n';

/** What the person can do about a failed call, by the kind of failure. */
export function adviceFor(error: ApiError, t: Translate): string {
  if (error.network) return t('problem.network');
  if (error.missingEndpoint) return t('problem.missingEndpoint');
  const { status, code } = error;
  if (code === 'PORTAL_ERROR') return t('problem.portal');
  if (status === 401) return t('problem.unauthorized');
  if (status === 403) return t('problem.forbidden');
  if (status === 404) return t('problem.notFound');
  if (status === 409) return t('problem.conflict');
  if (status === 422) return t('problem.invalid');
  if (status === 429) return t('problem.tooMany', { seconds: error.problem.retryAfter ?? 60 });
  if (status >= 500) return t('problem.server', { id: error.problem.requestId ?? '—' });
  return t('problem.request');
}

interface ProblemPanelProps {
  readonly error: ApiError;
  /** What the person was doing, e.g. "Loading the worklist". */
  readonly context?: string;
  readonly onRetry?: () => void;
  /** Field problems are shown next to their fields; the panel then only counts them. */
  readonly hideFieldErrors?: boolean;
}

/** A failed request, said plainly: what failed, the API's title, detail and code, and what to do next. */
export function ProblemPanel({ error, context, onRetry, hideFieldErrors = false }: ProblemPanelProps) {
  const { t } = useI18n();
  const { problem } = error;
  const fieldErrors = problem.errors ?? [];
  return (
    <div className="problem" role="alert">
      <p className="problem-title">
        <strong>{context ?? t('problem.heading')}</strong>
        {': '}
        {error.network ? t('problem.networkTitle') : <MarkedText text={problem.title} />}
      </p>
      {problem.detail !== undefined && problem.detail !== problem.title && (
        <p>
          <MarkedText text={problem.detail} />
        </p>
      )}
      {fieldErrors.length > 0 && !hideFieldErrors && (
        <ul className="problem-errors">
          {fieldErrors.map((item) => (
            <li key={`${item.path}:${item.code}`}>
              <code>{item.path}</code> <code>{item.code}</code> <MarkedText text={item.message} />
            </li>
          ))}
        </ul>
      )}
      <p className="problem-advice">{adviceFor(error, t)}</p>
      <p className="problem-meta">
        {t('problem.code')} <code>{problem.code}</code>
        {problem.status > 0 && <> · HTTP {problem.status}</>}
        {problem.requestId !== undefined && (
          <>
            {' · '}
            {t('problem.requestId')} <code>{problem.requestId}</code>
          </>
        )}
      </p>
      {onRetry !== undefined && (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t('action.retry')}
        </button>
      )}
    </div>
  );
}
