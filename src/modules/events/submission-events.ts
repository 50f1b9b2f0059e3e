import type { PartStatus, SubmissionStatus } from '../doctypes/lifecycle.js';
import type { NewEvent } from './events.catalogue.js';

/**
 * The events of the submission pipeline, built from plain fields so that the pipeline's calls stay one line each
 * (and this module knows nothing of the pipeline's records).
 */

export function submissionSubmitted(submission: {
  readonly id: string;
  readonly tenant: string;
  readonly number: string | null;
  readonly docType: string;
  readonly declarant: string;
  readonly trader: string | null;
  readonly createdAt: string;
}, parts: readonly { readonly agency: string; readonly docType: string }[]): NewEvent[] {
  const subject = { kind: 'submission', id: submission.id } as const;
  const base = { tenant: submission.tenant, subject, docType: submission.docType, at: submission.createdAt };
  return [
    {
      ...base,
      type: 'submission.submitted',
      eventId: `${submission.id}-submitted`,
      payload: { submissionId: submission.id, number: submission.number, docType: submission.docType, declarant: submission.declarant, trader: submission.trader, parts: parts.map(({ agency, docType }) => ({ agency, docType })) },
    },
    ...parts.map((part): NewEvent => ({
      ...base,
      docType: part.docType,
      type: 'part.status-changed',
      eventId: `${submission.id}-${part.agency}-submitted`,
      payload: { submissionId: submission.id, agency: part.agency, from: null, to: 'submitted', actor: submission.declarant, reasons: [] },
    })),
  ];
}

export function submissionStatusChanged(submission: { readonly id: string; readonly tenant: string; readonly docType: string }, from: SubmissionStatus, to: SubmissionStatus, actor: string, at: string): NewEvent {
  return { type: 'submission.status-changed', tenant: submission.tenant, subject: { kind: 'submission', id: submission.id }, docType: submission.docType, at, payload: { submissionId: submission.id, from, to, actor } };
}

export function partStatusChanged(tenant: string, part: { readonly submissionId: string; readonly agency: string; readonly docType: string }, from: PartStatus | null, to: PartStatus, actor: string, reasons: readonly unknown[], at: string): NewEvent {
  return { type: 'part.status-changed', tenant, subject: { kind: 'submission', id: part.submissionId }, docType: part.docType, at, payload: { submissionId: part.submissionId, agency: part.agency, from, to, actor, reasons: [...reasons] } };
}

export function decisionRecorded(submission: { readonly id: string; readonly tenant: string; readonly docType: string }, agency: string, outcome: string, reasons: readonly unknown[], actor: string, at: string): NewEvent {
  return { type: 'decision.recorded', tenant: submission.tenant, subject: { kind: 'submission', id: submission.id }, docType: submission.docType, at, payload: { submissionId: submission.id, agency, outcome, reasons: [...reasons], actor } };
}

export function amendmentRequested(submission: { readonly id: string; readonly tenant: string; readonly docType: string }, amendment: { readonly id: string; readonly action: string; readonly version: number | null }, agencies: readonly string[], actor: string, at: string): NewEvent {
  return {
    type: 'amendment.requested',
    tenant: submission.tenant,
    subject: { kind: 'submission', id: submission.id },
    docType: submission.docType,
    at,
    payload: { submissionId: submission.id, amendmentId: amendment.id, action: amendment.action, version: amendment.version, agencies: [...agencies], actor },
  };
}

export function amendmentDecided(submission: { readonly id: string; readonly tenant: string; readonly docType: string }, amendmentId: string, agency: string, outcome: string, status: string, reasons: readonly unknown[], at: string): NewEvent {
  return { type: 'amendment.decided', tenant: submission.tenant, subject: { kind: 'submission', id: submission.id }, docType: submission.docType, at, payload: { submissionId: submission.id, amendmentId, agency, outcome, status, reasons: [...reasons] } };
}
