import type { MouseEvent } from 'react';
import type { FieldProblem } from '../api/types';
import { fieldId } from '../components/field';
import { ProblemPanel } from '../components/problem-panel';
import { MarkedText, useI18n } from '../i18n/i18n';
import { fieldLabel } from './field-labels';
import type { Validation } from './use-validation';

/** The field a problem is about, or the nearest group that has one on the page. */
function targetOf(path: string): HTMLElement | undefined {
  let current = path;
  for (;;) {
    const element = document.getElementById(fieldId(current));
    if (element !== null) return element;
    const shorter = current.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    if (shorter === current || shorter === '$' || shorter === '') return undefined;
    current = shorter;
  }
}

/** A link named by the field's label ("Item 1: HS code"), to the field, which it focuses. */
function ProblemLink({ error, labelOf }: { readonly error: FieldProblem; readonly labelOf: ((path: string) => string | undefined) | undefined }) {
  const { t } = useI18n();
  const label = labelOf === undefined ? fieldLabel(error.path, t) : labelOf(error.path);
  const go = (event: MouseEvent<HTMLAnchorElement>) => {
    const target = targetOf(error.path);
    if (target === undefined) return;
    event.preventDefault();
    target.scrollIntoView({ block: 'center' });
    target.focus();
  };
  return (
    <a href={`#${fieldId(error.path)}`} onClick={go} data-path={error.path}>
      {label ?? <code>{error.path}</code>}
    </a>
  );
}

interface CheckSummaryProps {
  readonly validation: Validation;
  readonly errors: readonly FieldProblem[];
  readonly showAll: boolean;
  readonly onShowAll: () => void;
  /** The words for a problem's path (the goods declaration's field labels unless given). */
  readonly labelOf?: (path: string) => string | undefined;
}

/** Where the document stands: every problem the API found (linked to its field), notices, and the agencies it goes to. */
export function CheckSummary({ validation, errors, showAll, onShowAll, labelOf }: CheckSummaryProps) {
  const { t, count } = useI18n();
  const { answer, error, checking } = validation;
  const status = checking && answer === undefined ? t('check.checking') : errors.length === 0 ? t('check.ready') : count('check.problems', errors.length);
  return (
    <section className="check-summary" id="check-summary" aria-labelledby="check-heading">
      <h2 id="check-heading">{t('check.heading')}</h2>
      <p className={`check-status${answer === undefined ? ' pending' : errors.length === 0 ? ' ok' : ''}`} role="status" aria-live="polite">
        {status}
        {checking && answer !== undefined && <span className="muted"> · {t('check.checking')}</span>}
      </p>
      {error !== undefined && <ProblemPanel error={error} context={t('check.failed')} />}
      {errors.length > 0 &&
        (showAll ? (
          <ul className="problem-list">
            {errors.map((problem) => (
              <li key={`${problem.path}:${problem.code}`}>
                <ProblemLink error={problem} labelOf={labelOf} /> <code>{problem.code}</code> <MarkedText text={problem.message} />
              </li>
            ))}
          </ul>
        ) : (
          <button type="button" className="button link" onClick={onShowAll}>
            {t('check.showAll')}
          </button>
        ))}
      {answer !== undefined && answer.notices.length > 0 && (
        <ul className="notices">
          {answer.notices.map((notice) => (
            <li key={notice.code}>
              <code>{notice.code}</code> <MarkedText text={notice.message} />
            </li>
          ))}
        </ul>
      )}
      {answer !== undefined && answer.parts.length > 0 && (
        <p>
          {t('check.parts')} {answer.parts.map((part) => part.agency).join(', ')}
        </p>
      )}
    </section>
  );
}
