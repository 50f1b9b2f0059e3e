/**
 * Where is my cargo: the timeline of a container, bill of lading, vessel or declaration (GET /api/v1/tracking),
 * with its current state in one line and each agency's latest clearance step.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Timeline, TrackingEvent } from '../api/types';
import { useResource } from '../api/use-resource';
import { SelectField, TextField } from '../components/field';
import { CodeName } from '../components/code-name';
import { Loading, Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { agencyName } from '../i18n/agencies';
import { isMessageKey } from '../i18n/en';
import { useI18n, type Translate } from '../i18n/i18n';
import { navigate, useLocation } from '../router/router';

const KINDS = ['container', 'bl', 'vessel', 'submission'] as const;
type Kind = (typeof KINDS)[number];

/** "Discharged", "Customs released", ... or the code itself when the portal has no words for it. */
export function eventLabel(event: Pick<TrackingEvent, 'eventType' | 'code'>, t: Translate): string {
  const key = event.eventType === 'CLEARANCE' ? `clearance.${event.code}` : `event.${event.code}`;
  return isMessageKey(key) ? t(key) : event.code;
}

export function TrackingPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const current = KINDS.find((kind) => query.has(kind));
  const value = current === undefined ? '' : (query.get(current) ?? '');
  const [kind, setKind] = useState<Kind>(current ?? 'container');
  const [text, setText] = useState(value);

  const search = (event: FormEvent) => {
    event.preventDefault();
    const reference = text.trim();
    if (reference === '') return;
    const normalised = kind === 'submission' ? reference : reference.toUpperCase();
    setText(normalised);
    navigate(`/tracking?${kind}=${encodeURIComponent(normalised)}`);
  };

  return (
    <Page title={t('tracking.title')} lead={<p>{t('tracking.lead')}</p>}>
      <form className="card search" onSubmit={search} role="search">
        <SelectField id="tracking-kind" label={t('tracking.kind')} value={kind} onValue={(next) => setKind(KINDS.find((candidate) => candidate === next) ?? 'container')} options={KINDS.map((candidate) => ({ value: candidate, label: t(`tracking.kind.${candidate}`) }))} />
        <TextField id="tracking-reference" label={t('tracking.reference')} hint={t(`tracking.hint.${kind}`)} value={text} onValue={setText} spellCheck={false} autoComplete="off" />
        <div className="actions">
          <button type="submit" className="button primary">
            {t('tracking.search')}
          </button>
        </div>
      </form>
      {current !== undefined && value !== '' && <TimelineView kind={current} value={value} />}
    </Page>
  );
}

function TimelineView({ kind, value }: { readonly kind: Kind; readonly value: string }) {
  const { t, dateTime, language } = useI18n();
  const timeline = useResource((signal) => api.get<Timeline>('/tracking', { [kind]: value }, signal), `${kind}=${value}`);
  if (timeline.state === 'failed') return <ProblemPanel error={timeline.error} context={t('tracking.failed', { reference: value })} onRetry={timeline.reload} />;
  if (timeline.data === undefined) return <Loading />;
  const { events, current, truncated } = timeline.data;
  return (
    <section className="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t('tracking.timelineOf', { reference: value })}</h2>
      <p className="current-state">
        <span className="label">{t('tracking.now')}</span> <strong>{current.text === '' ? t('tracking.noState') : current.text}</strong>
      </p>
      {current.clearance.length > 0 && (
        <ul className="inline-list clearance">
          {current.clearance.map((step) => (
            <li key={`${step.agency ?? ''}:${step.code}`}>
              {step.agency === null ? '' : `${agencyName(step.agency, language)}: `}
              {eventLabel({ eventType: 'CLEARANCE', code: step.code }, t)} <span className="muted">{dateTime(step.eventTime)}</span>
            </li>
          ))}
        </ul>
      )}
      {truncated && <p className="notice">{t('tracking.truncated')}</p>}
      {events.length === 0 ? (
        <p className="empty">{t('tracking.noEvents')}</p>
      ) : (
        <ol className="timeline">
          {events.map((event) => (
            <li key={event.eventId} className={`event classifier-${event.classifier}`}>
              <time dateTime={event.eventTime}>{dateTime(event.eventTime)}</time>
              <span className="event-what">
                <strong>{eventLabel(event, t)}</strong>
                {event.agency !== undefined && <> · {agencyName(event.agency, language)}</>}
                {event.classifier !== 'ACT' && <span className="badge">{t(`classifier.${event.classifier}`)}</span>}
              </span>
              <span className="event-where muted">
                {event.location !== undefined && <CodeName list="locode" code={event.location} />}
                {event.location !== undefined && event.facility !== undefined && ' · '}
                {event.facility}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
