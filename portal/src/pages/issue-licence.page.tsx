/**
 * An issuing agency puts a licence or certificate into the ledger (POST /api/v1/ledger/accounts): the types it
 * may issue, their attributes, and one or more quantity lines. Kouan checks and signs it; problems come back
 * per field, as for a declaration.
 */
import { useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client';
import type { AccountType, FieldProblem, LedgerAccount } from '../api/types';
import { asApiError } from '../api/use-resource';
import { CodeLookup } from '../components/code-lookup';
import { fieldId, FieldErrors, SelectField, TextField } from '../components/field';
import { Loading, Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { newKey } from '../declaration/declaration.model';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router/router';
import { useSession } from '../session/session';
import { typeLabel, useAccountTypes } from './licences.page';

interface LineRow {
  readonly key: string;
  readonly hsCode: string;
  readonly quantity: string;
  readonly unit: string;
}

interface IssueForm {
  readonly type: string;
  readonly number: string;
  readonly holder: string;
  readonly direction: 'import' | 'export';
  readonly validFrom: string;
  readonly validTo: string;
  readonly ports: string;
  readonly maxUses: string;
  readonly tolerancePct: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly lines: readonly LineRow[];
}

const today = () => new Date().toISOString().slice(0, 10);
const inAYear = () => {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date.toISOString().slice(0, 10);
};
const emptyLine = (): LineRow => ({ key: newKey(), hsCode: '', quantity: '', unit: '' });

function toRequest(form: IssueForm, type: AccountType | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { type: form.type, holder: form.holder.trim(), direction: form.direction, validFrom: form.validFrom, validTo: form.validTo };
  if (form.number.trim() !== '') body.number = form.number.trim();
  const ports = form.ports.split(/[\s,;，；]+/).filter((port) => port !== '').map((port) => port.toUpperCase());
  if (ports.length > 0) body.ports = ports;
  if (form.maxUses.trim() !== '') body.maxUses = Number(form.maxUses);
  if (form.tolerancePct.trim() !== '') body.tolerancePct = form.tolerancePct.trim();
  const attributes = Object.fromEntries(Object.entries(form.attributes).filter(([name, value]) => value !== '' && (type?.attributes ?? []).some((attribute) => attribute.name === name)));
  if (Object.keys(attributes).length > 0) body.attributes = attributes;
  body.lines = form.lines.map((line) => ({ hsCode: line.hsCode.trim(), quantity: line.quantity.trim(), unit: line.unit.trim() }));
  return body;
}

export function IssueLicencePage() {
  const { t, language } = useI18n();
  const { me } = useSession();
  const types = useAccountTypes();
  const mine = (types.data?.types ?? []).filter((type) => type.issuers.includes(me.party) && type.model === 'quantity');
  const [form, setForm] = useState<IssueForm>({ type: '', number: '', holder: '', direction: 'import', validFrom: today(), validTo: inAYear(), ports: '', maxUses: '', tolerancePct: '', attributes: {}, lines: [emptyLine()] });
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  if (types.state === 'failed')
    return (
      <Page title={t('issue.title')}>
        <ProblemPanel error={types.error} context={t('issue.typesFailed')} onRetry={types.reload} />
      </Page>
    );
  if (types.data === undefined)
    return (
      <Page title={t('issue.title')}>
        <Loading />
      </Page>
    );
  if (mine.length === 0)
    return (
      <Page title={t('issue.title')}>
        <p className="empty">{t('issue.noTypes')}</p>
      </Page>
    );

  const typeId = form.type === '' ? (mine[0]?.id ?? '') : form.type;
  const type = mine.find((candidate) => candidate.id === typeId);
  const directions = type?.directions ?? ['import'];
  const direction = directions.includes(form.direction) ? form.direction : (directions[0] ?? 'import');
  const errors: readonly FieldProblem[] = error?.problem.errors ?? [];
  const errorsAt = (path: string) => errors.filter((problem) => problem.path === path || problem.path === `body:${path}`);
  const set = <K extends keyof IssueForm>(field: K) => (value: IssueForm[K]) => setForm((current) => ({ ...current, [field]: value }));
  const setLine = (key: string, field: 'hsCode' | 'quantity' | 'unit', value: string) => setForm((current) => ({ ...current, lines: current.lines.map((line) => (line.key === key ? { ...line, [field]: value } : line)) }));

  const issue = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const account = await api.post<LedgerAccount>('/ledger/accounts', toRequest({ ...form, type: typeId, direction }, type));
      navigate(`/licences/${encodeURIComponent(account.number)}`);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('issue.title')} lead={<p>{t('issue.lead')}</p>}>
      <form className="card" onSubmit={(event) => void issue(event)} noValidate>
        <div className="grid">
          <SelectField id={fieldId('$.type')} label={t('licence.type')} required value={typeId} onValue={set('type')} errors={errorsAt('$.type')} options={mine.map((candidate) => ({ value: candidate.id, label: typeLabel(mine, candidate.id, language) }))} />
          <TextField id={fieldId('$.number')} label={t('licence.number')} hint={t('issue.numberHint')} value={form.number} onValue={(value) => set('number')(value.toUpperCase())} errors={errorsAt('$.number')} spellCheck={false} />
          <TextField id={fieldId('$.holder')} label={t('licence.holder')} hint={t('issue.holderHint')} required value={form.holder} onValue={set('holder')} errors={errorsAt('$.holder')} spellCheck={false} autoComplete="off" />
          <SelectField id={fieldId('$.direction')} label={t('form.direction')} required value={direction} onValue={(value) => set('direction')(value === 'export' ? 'export' : 'import')} errors={errorsAt('$.direction')} options={directions.map((value) => ({ value, label: t(`direction.${value}`) }))} />
          <TextField id={fieldId('$.validFrom')} label={t('issue.validFrom')} type="date" required value={form.validFrom} onValue={set('validFrom')} errors={errorsAt('$.validFrom')} />
          <TextField id={fieldId('$.validTo')} label={t('issue.validTo')} type="date" required value={form.validTo} onValue={set('validTo')} errors={errorsAt('$.validTo')} />
          <TextField id={fieldId('$.ports')} label={t('licence.ports')} hint={t('issue.portsHint')} value={form.ports} onValue={set('ports')} errors={errors.filter((problem) => problem.path.startsWith('$.ports'))} spellCheck={false} />
          {type?.use !== 'single' && <TextField id={fieldId('$.maxUses')} label={t('issue.maxUses')} inputMode="numeric" value={form.maxUses} onValue={set('maxUses')} errors={errorsAt('$.maxUses')} />}
          <TextField id={fieldId('$.tolerancePct')} label={t('issue.tolerance')} hint={t('issue.toleranceHint', { max: type?.maxTolerancePct ?? '0' })} inputMode="decimal" value={form.tolerancePct} onValue={set('tolerancePct')} errors={errorsAt('$.tolerancePct')} />
          {(type?.attributes ?? []).map((attribute) => (
            <SelectField
              key={attribute.name}
              id={fieldId(`$.attributes.${attribute.name}`)}
              label={attribute.name}
              required={attribute.required}
              value={form.attributes[attribute.name] ?? ''}
              onValue={(value) => setForm((current) => ({ ...current, attributes: { ...current.attributes, [attribute.name]: value } }))}
              errors={errorsAt(`$.attributes.${attribute.name}`)}
              options={[{ value: '', label: '—' }, ...attribute.allowed.map((value) => ({ value, label: value }))]}
            />
          ))}
        </div>
        <fieldset>
          <legend>{t('licence.lines')}</legend>
          <FieldErrors id={fieldId('$.lines')} errors={errorsAt('$.lines')} />
          {form.lines.map((line, index) => (
            <div className="grid line-row" key={line.key}>
              <CodeLookup id={fieldId(`$.lines[${index}].hsCode`)} list="hs" label={t('issue.lineHs', { number: index + 1 })} hint={t('issue.lineHsHint')} required value={line.hsCode} onValue={(value) => setLine(line.key, 'hsCode', value)} errors={errorsAt(`$.lines[${index}].hsCode`)} />
              <TextField id={fieldId(`$.lines[${index}].quantity`)} label={t('form.quantity')} required inputMode="decimal" value={line.quantity} onValue={(value) => setLine(line.key, 'quantity', value)} errors={errorsAt(`$.lines[${index}].quantity`)} />
              <CodeLookup id={fieldId(`$.lines[${index}].unit`)} list="unit" label={t('form.unit')} required value={line.unit} onValue={(value) => setLine(line.key, 'unit', value)} errors={errorsAt(`$.lines[${index}].unit`)} />
              {form.lines.length > 1 && (
                <button type="button" className="button link danger" onClick={() => setForm((current) => ({ ...current, lines: current.lines.filter((item) => item.key !== line.key) }))}>
                  {t('issue.removeLine', { number: index + 1 })}
                </button>
              )}
            </div>
          ))}
          <button type="button" className="button secondary small" onClick={() => setForm((current) => ({ ...current, lines: [...current.lines, emptyLine()] }))}>
            {t('form.addLine')}
          </button>
        </fieldset>
        {error !== undefined && <ProblemPanel error={error} context={t('issue.failed')} />}
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t('issue.busy') : t('issue.submit')}
          </button>
        </div>
      </form>
    </Page>
  );
}
